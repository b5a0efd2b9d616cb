"""The bundled submission template, version 1, and the template loader."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from idm_desktop.core.catalog import BundledDataError, load_bundled_templates
from idm_desktop.core.resources import resource
from idm_desktop.core.templates import Template
from tests.core.test_catalog import copied_runs

TEMPLATE_FILE = resource("templates", "submission-v1.json")
LANGS = ("en", "fr", "es")

# key: required
SECTIONS = {
    "national_context": True,
    "policy_framework": True,
    "institutions": True,
    "partnerships": True,
    "practices": True,
    "challenges": False,
    "contact": False,
}


@pytest.fixture(scope="module")
def template() -> Template:
    templates = load_bundled_templates()
    assert [(t.id, t.version) for t in templates] == [("idm-policy-overview", 1)]
    return templates[0]


def _texts(template: Template) -> list[tuple[str, str]]:
    """Every (language, text) the template shows."""
    texts = [*template.title.items(), *template.intro.items()]
    for section in template.sections:
        texts += [*section.title.items(), *section.guidance.items()]
    return texts


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


def test_the_template_has_its_sections_in_order_with_required_flags(template: Template) -> None:
    assert template.keys == tuple(SECTIONS)
    assert {s.key: s.required for s in template.sections} == SECTIONS


def test_two_to_three_a4_pages(template: Template) -> None:
    assert (template.min_pages, template.max_pages, template.page_format) == (2, 3, "A4")


def test_title_and_intro_in_the_three_languages(template: Template) -> None:
    for lang in LANGS:
        assert template.title_in(lang) == template.title[lang]
        assert template.title[lang].strip()
        assert len(_sentences(template.intro[lang])) >= 3
    assert "two to three A4 pages" in template.intro["en"]
    assert "migration policy database" in template.intro["en"]
    assert "deux à trois pages A4" in template.intro["fr"]
    assert "dos a tres páginas A4" in template.intro["es"]


@pytest.mark.parametrize("key", list(SECTIONS))
def test_each_section_has_a_title_and_helpful_guidance_in_each_language(template: Template, key: str) -> None:
    section = template.section(key)
    assert section is not None
    for lang in LANGS:
        assert section.title_in(lang) == section.title[lang]
        assert section.title[lang].strip()
        sentences = _sentences(section.guidance_in(lang))
        assert 2 <= len(sentences) <= 4, f"{key} ({lang}): {len(sentences)} sentences"


def test_the_languages_are_distinct_texts_not_copies(template: Template) -> None:
    for section in template.sections:
        assert len({section.title[lang] for lang in LANGS}) == 3, section.key
        assert len({section.guidance[lang] for lang in LANGS}) == 3, section.key


def test_the_partnerships_section_is_about_business_and_civil_society(
    template: Template,
) -> None:
    section = template.section("partnerships")
    assert section is not None
    assert section.title["en"] == "Partnerships with business and civil society"
    assert "entreprise" in section.title["fr"]
    assert "sociedad civil" in section.title["es"]


def test_the_contact_section_warns_that_it_is_published(template: Template) -> None:
    section = template.section("contact")
    assert section is not None
    assert not section.required
    assert "published" in section.guidance["en"]
    assert "personal" in section.guidance["en"]


def test_french_typography(template: Template) -> None:
    for lang, text in _texts(template):
        if lang == "fr":
            assert not re.search(r"[ \t][:;?!»]", text), text
            assert "« " not in text, text
            assert "'" not in text, f"use ’ in {text!r}"


def test_formal_address(template: Template) -> None:
    french = " ".join(t for lang, t in _texts(template) if lang == "fr")
    spanish = " ".join(t for lang, t in _texts(template) if lang == "es")
    assert "vous" in french
    assert not re.search(r"\b(tu|toi|ton|ta|tes)\b", french)
    assert re.search(r"\b(su|usted)\b", spanish)
    assert not re.search(r"\b(tú|tu|tus|ti)\b", spanish)
    for lang, text in _texts(template):
        if lang == "es":
            assert text.count("¿") == text.count("?"), text


def test_json_round_trip(template: Template) -> None:
    again = Template.from_dict(json.loads(json.dumps(template.to_dict(), ensure_ascii=False)))
    assert again == template


def test_the_file_is_in_the_canonical_form_so_nothing_in_it_is_ignored(
    template: Template,
) -> None:
    raw = json.loads(TEMPLATE_FILE.read_text(encoding="utf-8"))
    assert template.to_dict() == raw


@pytest.mark.corpus
def test_the_template_is_written_in_our_own_words(corpus: Path, template: Template) -> None:
    for lang, text in _texts(template):
        if lang == "en":
            copied = copied_runs(corpus, text)
            assert not copied, f"copied from the corpus: {copied[0]!r}"


# -- the loader ----------------------------------------------------------------------------


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TEMPLATE_FILE.read_text(encoding="utf-8"))
    return data


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_templates_are_sorted_by_id_and_version(tmp_path: Path) -> None:
    _write(tmp_path / "b.json", _raw() | {"version": 2})
    _write(tmp_path / "a.json", _raw())
    _write(tmp_path / "c.json", _raw() | {"id": "another"})
    loaded = load_bundled_templates(tmp_path)
    assert [(t.id, t.version) for t in loaded] == [
        ("another", 1),
        ("idm-policy-overview", 1),
        ("idm-policy-overview", 2),
    ]


def test_the_same_version_twice_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", _raw())
    _write(tmp_path / "b.json", _raw())
    with pytest.raises(BundledDataError, match=r"version 1 is already defined in .*a\.json"):
        load_bundled_templates(tmp_path)


def _with_sections(change: dict[str, Any]) -> dict[str, Any]:
    raw = _raw()
    raw["sections"] = [raw["sections"][0] | change, *raw["sections"][1:]]
    return raw


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_raw() | {"min_pages": 4}, "min_pages (4) <= max_pages (3)"),
        (_raw() | {"min_pages": 0}, "1 <= min_pages (0)"),
        (_raw() | {"page_format": "A5"}, "page_format 'A5'"),
        (_raw() | {"version": "one"}, "ValueError"),
        (_raw() | {"sections": []}, "has no sections"),
        (_raw() | {"sections": ["national_context"]}, "'sections' must be a list of objects"),
        (_raw() | {"title": {"fr": "Modèle"}}, "English"),
        (_raw() | {"intro": "Hello"}, "'intro' must map language codes to texts"),
        (_with_sections({"key": "policy_framework"}), "used twice: policy_framework"),
        (_with_sections({"title": {"fr": "Contexte"}}), "needs an English title"),
        ({k: v for k, v in _raw().items() if k != "id"}, "KeyError: 'id'"),
    ],
)
def test_a_malformed_template_is_named_in_the_error(
    tmp_path: Path, data: dict[str, Any], message: str
) -> None:
    path = _write(tmp_path / "broken.json", data)
    with pytest.raises(BundledDataError, match=re.escape(message)) as info:
        load_bundled_templates(path)
    assert "broken.json" in str(info.value)
