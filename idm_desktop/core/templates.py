"""The submission template: sections with guidance, and the page limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from idm_desktop.core.text import LocalText, pick


@dataclass(frozen=True, slots=True)
class TemplateSection:
    key: str
    title: LocalText
    guidance: LocalText
    required: bool = True

    def title_in(self, lang: str) -> str:
        return pick(self.title, lang)

    def guidance_in(self, lang: str) -> str:
        return pick(self.guidance, lang)


@dataclass(frozen=True, slots=True)
class Template:
    """One version of the submission template. Immutable: a change is a new version."""

    id: str
    version: int
    title: LocalText
    intro: LocalText
    sections: tuple[TemplateSection, ...]
    min_pages: int = 2
    max_pages: int = 3
    page_format: str = "A4"

    def section(self, key: str) -> TemplateSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def section_title(self, key: str, lang: str) -> str:
        """The title of section ``key`` in ``lang`` (the submission's language, as the editor shows
        it); a key the template does not know is given as it is."""
        section = self.section(key)
        return section.title_in(lang) if section is not None else key

    def order_of(self, key: str) -> int:
        """Where section ``key`` comes in the document (a key the template does not know: last)."""
        return next((i for i, s in enumerate(self.sections) if s.key == key), len(self.sections))

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.sections)

    def title_in(self, lang: str) -> str:
        return pick(self.title, lang)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Template:
        return cls(
            id=data["id"],
            version=int(data["version"]),
            title=dict(data["title"]),
            intro=dict(data.get("intro") or {}),
            sections=tuple(
                TemplateSection(
                    key=s["key"],
                    title=dict(s["title"]),
                    guidance=dict(s.get("guidance") or {}),
                    required=bool(s.get("required", True)),
                )
                for s in data["sections"]
            ),
            min_pages=int(data.get("min_pages", 2)),
            max_pages=int(data.get("max_pages", 3)),
            page_format=data.get("page_format", "A4"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": dict(self.title),
            "intro": dict(self.intro),
            "sections": [
                {
                    "key": s.key,
                    "title": dict(s.title),
                    "guidance": dict(s.guidance),
                    "required": s.required,
                }
                for s in self.sections
            ],
            "min_pages": self.min_pages,
            "max_pages": self.max_pages,
            "page_format": self.page_format,
        }
