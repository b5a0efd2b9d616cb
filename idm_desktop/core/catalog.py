"""The bundled data: the catalog of IDM events and the submission templates.

Both ship with the program (``resources/catalog/*.json``, ``resources/templates/*.json``).
A catalog file is ``{"catalog_version": N, "events": [...]}``, each event in the JSON form
:meth:`Workshop.from_dict` reads; a template file is one template in the form
:meth:`Template.from_dict` reads.

A bundled file that cannot be read is a defect of the program, not something the user can
fix, so the errors here are :class:`BundledDataError` (not an ``IdmError``), naming the file
and the entry at fault.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from idm_desktop.core.resources import resource

if TYPE_CHECKING:  # loaded by the loaders: catalog_version, asked at every start, needs neither
    from idm_desktop.core.templates import Template
    from idm_desktop.core.workshops import Workshop

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PAGE_FORMATS = frozenset({"A4", "Letter"})



class BundledDataError(Exception):
    """A bundled catalog or template file is malformed (our bug: fix the file)."""


def load_catalog(path: Path | None = None) -> tuple[Workshop, ...]:
    """Every event of the catalog, sorted by start date (undated events last), then id.

    ``path`` is one catalog file or a folder of them; by default every ``*.json`` in the
    bundled ``catalog`` folder. Event ids must be unique across all files.
    """
    events: list[Workshop] = []
    seen: dict[str, Path] = {}
    for file in _json_files(path, "catalog"):
        data = _read_json(file)
        _catalog_version_of(data, file)
        raw_events = data.get("events")
        if not isinstance(raw_events, list):
            raise BundledDataError(f"{file}: 'events' must be a list")
        for index, raw in enumerate(raw_events):
            event = _event(raw, file, index)
            if event.id in seen:
                raise BundledDataError(
                    f"{file}: event #{index}: id {event.id!r} is already used in {seen[event.id]}"
                )
            seen[event.id] = file
            events.append(event)
    events.sort(key=lambda e: (e.start or dt.date.max, e.id))
    return tuple(events)


def catalog_version(path: Path | None = None) -> int:
    """The revision of the catalog: the highest ``catalog_version`` among its files.

    Raise the number in a file above every other file's when its facts change, so that a
    local copy seeded from an older revision knows to refresh.
    """
    versions = [_catalog_version_of(_read_json(f), f) for f in _json_files(path, "catalog")]
    return max(versions)


def load_bundled_templates(path: Path | None = None) -> tuple[Template, ...]:
    """Every template shipped with the program, sorted by id then version.

    ``path`` is one template file or a folder of them; by default every ``*.json`` in the
    bundled ``templates`` folder. Each (id, version) must be unique.
    """
    templates: dict[tuple[str, int], Template] = {}
    origin: dict[tuple[str, int], Path] = {}
    for file in _json_files(path, "templates"):
        template = _template(_read_json(file), file)
        key = (template.id, template.version)
        if key in templates:
            raise BundledDataError(
                f"{file}: template {template.id!r} version {template.version} "
                f"is already defined in {origin[key]}"
            )
        templates[key] = template
        origin[key] = file
    return tuple(templates[k] for k in sorted(templates))


def _json_files(path: Path | None, folder: str) -> list[Path]:
    root = resource(folder) if path is None else path
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise BundledDataError(f"{root}: no such file or folder")
    files = sorted(root / name for name in os.listdir(root) if name.endswith(".json"))
    if not files:
        raise BundledDataError(f"{root}: no *.json file found")
    return files


def _read_json(file: Path) -> dict[str, Any]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BundledDataError(f"{file}: not valid JSON: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BundledDataError(f"{file}: cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise BundledDataError(f"{file}: the top level must be a JSON object")
    return data


def _catalog_version_of(data: Mapping[str, Any], file: Path) -> int:
    version = data.get("catalog_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BundledDataError(f"{file}: 'catalog_version' must be a positive integer")
    return version


def _event(raw: Any, file: Path, index: int) -> Workshop:
    where = f"{file}: event #{index}"
    if not isinstance(raw, dict):
        raise BundledDataError(f"{where}: must be a JSON object")
    if isinstance(raw.get("id"), str):
        where += f" ({raw['id']})"
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from idm_desktop.core.documents import normalize_symbol
    from idm_desktop.core.workshops import Workshop

    unknown = sorted(set(raw) - _event_keys())
    if unknown:
        raise BundledDataError(f"{where}: unknown key(s) {', '.join(unknown)}")
    partners = raw.get("partners") or []
    if not isinstance(partners, list) or not all(
            isinstance(p, str) or (isinstance(p, dict) and isinstance(p.get("en"), str)
                                   and all(isinstance(v, str) for v in p.values()))
            for p in partners):
        raise BundledDataError(f"{where}: 'partners' must be a list of names, each a text or an "
                               "object of language code -> text with an English one")
    symbols = raw.get("documents") or []
    if not isinstance(symbols, list) or not all(isinstance(s, str) and s.strip() for s in symbols):
        raise BundledDataError(f"{where}: 'documents' must be a list of document symbols")
    if any(normalize_symbol(s) != s for s in symbols):
        raise BundledDataError(f"{where}: write document symbols as normalize_symbol does "
                               "(e.g. 'IC/2006/4 Annex V')")
    _check_local_texts(where, raw, ("title", "date_note", "programme", "theme", "note"))
    try:
        event = Workshop.from_dict(raw)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise BundledDataError(f"{where}: {type(exc).__name__}: {exc}") from exc
    if not _SLUG.match(event.id):
        raise BundledDataError(f"{where}: id must be a slug (a-z, 0-9, hyphens)")
    if not event.title.get("en"):
        raise BundledDataError(f"{where}: the title needs an English text")
    if event.start and event.end and event.end < event.start:
        raise BundledDataError(f"{where}: ends before it starts")
    if event.start and event.start.year != event.year:
        raise BundledDataError(f"{where}: 'year' {event.year} does not match the start date")
    if event.deadline is not None:
        try:
            ZoneInfo(event.deadline.tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise BundledDataError(f"{where}: unknown time zone {event.deadline.tz!r}") from exc
    for lang, questions in event.guiding_questions.items():
        if not all(isinstance(q, str) and q.strip() for q in questions):
            raise BundledDataError(f"{where}: guiding questions ({lang}) must be non-empty texts")
    return event


@functools.cache
def _event_keys() -> frozenset[str]:
    from idm_desktop.core.workshops import Workshop

    return frozenset(f.name for f in dataclasses.fields(Workshop))


def _template(data: Mapping[str, Any], file: Path) -> Template:
    from idm_desktop.core.templates import Template

    where = f"{file}: template"
    if isinstance(data.get("id"), str):
        where += f" {data['id']!r}"
    _check_local_texts(where, data, ("title", "intro"))
    sections = data.get("sections")
    if not isinstance(sections, list) or not all(isinstance(s, dict) for s in sections):
        raise BundledDataError(f"{where}: 'sections' must be a list of objects")
    for index, section in enumerate(sections):
        _check_local_texts(f"{where}, section #{index}", section, ("title", "guidance"))
    try:
        template = Template.from_dict(data)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise BundledDataError(f"{where}: {type(exc).__name__}: {exc}") from exc
    if not template.title.get("en"):
        raise BundledDataError(f"{where}: the title needs an English text")
    if not template.sections:
        raise BundledDataError(f"{where}: has no sections")
    keys = template.keys
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise BundledDataError(f"{where}: section key(s) used twice: {', '.join(duplicates)}")
    for section in template.sections:
        if not section.title.get("en"):
            raise BundledDataError(f"{where}: section {section.key!r} needs an English title")
    if not 1 <= template.min_pages <= template.max_pages:
        raise BundledDataError(
            f"{where}: pages must satisfy 1 <= min_pages ({template.min_pages}) "
            f"<= max_pages ({template.max_pages})"
        )
    if template.page_format not in _PAGE_FORMATS:
        raise BundledDataError(
            f"{where}: page_format {template.page_format!r} is not one of {', '.join(sorted(_PAGE_FORMATS))}"
        )
    return template


def _check_local_texts(where: str, raw: Mapping[str, Any], names: Iterable[str]) -> None:
    """A localised text is an object of language code -> string."""
    for name in names:
        value = raw.get(name)
        if value is None:
            continue
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise BundledDataError(f"{where}: {name!r} must map language codes to texts")
