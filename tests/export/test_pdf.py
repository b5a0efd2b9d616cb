"""The PDF, checked with real readers: poppler's pdftotext/pdffonts/pdfinfo/pdftoppm and qpdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reportlab.platypus import Paragraph

from idm_desktop.export import ExportContext, build_flowables, count_pages, render_pdf, write_pdf
from idm_desktop.export.markup import parse, plain_text
from tests.export import export_samples as samples
from tests.export.export_tools import pdf_fonts, pdf_info, pdf_text, run, squash

FONT_NAME = r"[A-Z]{6}\+LiberationSerif(-Bold|-Italic|-BoldItalic)?"
CASES = {
    "fr": samples.context("fr", samples.FRENCH, title="Politique d’intégration de la Suisse"),
    "es": samples.context("es", samples.SPANISH, country="MEX"),
}


def _write(ctx: ExportContext, tmp_path: Path, name: str = "out.pdf") -> Path:
    path = tmp_path / name
    write_pdf(ctx, path)
    return path


def _typed_lines(ctx: ExportContext) -> list[str]:
    """Every paragraph and list item the user typed, as a reader sees it."""
    lines: list[str] = []
    for text in ctx.submission.body.values():
        lines += [line for line in plain_text(parse(text)).split("\n") if line.strip()]
    return lines


@pytest.mark.parametrize("lang", sorted(CASES))
def test_typed_text_is_in_the_pdf(lang: str, tmp_path: Path) -> None:
    """Accents, ’, «», ¿¡ñ, em dashes come out as typed. No-break spaces (U+00A0, U+202F)
    come out of the text layer as plain spaces: reportlab sets them with the space glyph
    (see test_no_break_spaces_keep_words_together for what they still do)."""
    ctx = CASES[lang]
    text = squash(pdf_text(_write(ctx, tmp_path)))
    lines = _typed_lines(ctx)
    assert lines
    for line in lines:
        assert squash(line) in text
    for char in "«»—" + ("¿¡ñú" if lang == "es" else "’éèàô"):
        assert char in text


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        (
            "fr",
            [
                "Les migrants et la société d’accueil : des partenariats pour réussir",
                "Suisse",
                "Politique d’intégration de la Suisse",
                "26 juin 2006",
                "Contexte national",
                "Politiques et pratiques",
                "Enseignements et suites",
            ],
        ),
        (
            "es",
            [
                "Los migrantes y la sociedad de acogida: alianzas para el éxito",
                "México",
                # No title typed: the template's title stands in.
                "Panorama de los enfoques de política",
                "26 de junio de 2006",
                "Contexto nacional",
                "Políticas y prácticas",
                "Lecciones y próximos pasos",
            ],
        ),
    ],
)
def test_heading_block_and_section_titles_in_the_submission_language(
    lang: str, heading: list[str], tmp_path: Path
) -> None:
    text = squash(pdf_text(_write(CASES[lang], tmp_path)))
    for line in heading:
        assert squash(line) in text
    # A section left empty is not printed.
    assert ("Partenariats" if lang == "fr" else "Alianzas") not in text


def test_no_break_spaces_keep_words_together(tmp_path: Path) -> None:
    phrase = "il a dit «\u00a0oui\u00a0» pour 4\u202f321 personnes\u202f; "
    ctx = samples.context("fr", {"context": phrase * 60})
    lines = [ln.strip() for ln in pdf_text(_write(ctx, tmp_path)).splitlines() if ln.strip()]
    assert len([ln for ln in lines if "oui" in ln]) > 10  # the paragraph did wrap
    for line in lines:
        assert not line.endswith("«"), line
        assert not line.startswith(("»", "321", ";")), line
    assert squash(" ".join(lines)).count("« oui » pour 4 321 personnes ;") == 60


def test_only_embedded_liberation_serif(tmp_path: Path) -> None:
    for lang, ctx in CASES.items():
        fonts = pdf_fonts(_write(ctx, tmp_path, f"{lang}.pdf"))
        assert fonts
        for font in fonts:
            assert re.fullmatch(FONT_NAME, font["name"])
            assert font["emb"] == "yes"
            assert font["uni"] == "yes"  # text can be copied and searched


def test_bold_italic_markup_uses_the_bold_italic_face(tmp_path: Path) -> None:
    with_markup = samples.context("en", {"context": "Plain, then ***strong and slanted***."})
    without = samples.context("en", {"context": "Plain, then strong and slanted."})
    names_with = {f["name"].split("+")[1] for f in pdf_fonts(_write(with_markup, tmp_path, "a"))}
    names_without = {f["name"].split("+")[1] for f in pdf_fonts(_write(without, tmp_path, "b"))}
    assert "LiberationSerif-BoldItalic" in names_with
    assert "LiberationSerif-BoldItalic" not in names_without


def test_lists_links_and_text_outside_the_subset(tmp_path: Path) -> None:
    body = {
        "context": "# Typed heading\n\n<b>not html</b> & 3 < 5 > 2\n\n"
        "See [the note](https://example.org/a?b=1&c=2).",
        "policies": "- first item\n- second item\n  - nested item\n\n7. seventh\n8. eighth",
    }
    path = _write(samples.context("en", body), tmp_path)
    text = pdf_text(path)
    flat = squash(text)
    for expected in (
        "Typed heading",
        "<b>not html</b> & 3 < 5 > 2",
        "See the note.",
        "• first item",
        "• second item",
        "– nested item",
        "7. seventh",
        "8. eighth",
    ):
        assert expected in flat
    qdf = tmp_path / "qdf.pdf"
    run(["qpdf", "--qdf", "--object-streams=disable", path, qdf])
    assert b"/URI (https://example.org/a?b=1&c=2)" in qdf.read_bytes()


def test_qpdf_finds_no_problem_and_pages_rasterise(tmp_path: Path) -> None:
    path = _write(samples.context("en", samples.three_page_body()), tmp_path)
    run(["qpdf", "--check", path])
    run(["pdftoppm", "-r", "30", "-png", path, tmp_path / "page"])
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == 3


@pytest.mark.parametrize(
    ("name", "ctx", "expected"),
    [
        ("short", CASES["fr"], 1),
        ("three", samples.context("en", samples.three_page_body()), 3),
        ("long", samples.context("es", samples.long_body("es")), None),
    ],
)
def test_count_pages_is_exact(
    name: str, ctx: ExportContext, expected: int | None, tmp_path: Path
) -> None:
    path = tmp_path / f"{name}.pdf"
    written = write_pdf(ctx, path)
    pages = int(pdf_info(path)["Pages"])
    assert count_pages(ctx) == pages == written == render_pdf(ctx).page_count
    if expected is None:
        assert pages > 3  # the long submission overflows the limit, and the count says so
    else:
        assert pages == expected


@pytest.mark.parametrize(
    ("lang", "footer"),
    [("en", "Page {} of {}"), ("fr", "Page {} sur {}"), ("es", "Página {} de {}")],
)
def test_footer_in_the_submission_language(lang: str, footer: str, tmp_path: Path) -> None:
    ctx = samples.context(lang, samples.long_body(lang))
    path = _write(ctx, tmp_path)
    total = int(pdf_info(path)["Pages"])
    assert total > 1
    for page in range(1, total + 1):
        assert footer.format(page, total) in pdf_text(path, first=page, last=page)


def test_metadata_and_language(tmp_path: Path) -> None:
    path = _write(CASES["fr"], tmp_path)
    info = pdf_info(path)
    assert info["Title"] == "Politique d’intégration de la Suisse"
    assert info["Author"] == "Suisse"
    assert info["Subject"] == samples.workshop().title_in("fr")
    assert "\u00a0:" in info["Subject"]
    assert info["Creator"] == "IDM Delegate Desktop"
    assert info["Page size"].startswith("595.276 x 841.89")  # A4
    qdf = tmp_path / "qdf.pdf"
    run(["qpdf", "--qdf", "--object-streams=disable", path, qdf])
    assert b"/Lang (fr-FR)" in qdf.read_bytes()


def test_letter_page_format(tmp_path: Path) -> None:
    ctx = samples.context("es", samples.SPANISH, page_format="Letter")
    info = pdf_info(_write(ctx, tmp_path))
    assert info["Page size"].startswith("612 x 792")


def test_without_a_workshop_and_with_text_under_an_unknown_key(tmp_path: Path) -> None:
    body = {"context": "Known section text.", "old-key": "Text kept from an older template."}
    ctx = samples.context("en", body, with_workshop=False)
    path = _write(ctx, tmp_path)
    text = squash(pdf_text(path))
    assert "Text kept from an older template." in text
    assert pdf_info(path)["Subject"] == "Overview of policy approaches"


def test_build_flowables_gives_a_fresh_layout_each_time() -> None:
    ctx = CASES["es"]
    first, second = build_flowables(ctx), build_flowables(ctx)
    assert first is not second
    assert len(first) == len(second) > 5
    assert isinstance(first[0], Paragraph)
    # A build consumes its list; the next call is unaffected.
    render_pdf(ctx)
    assert count_pages(ctx) == 1


def test_later_pages_carry_the_workshop_on_top(tmp_path: Path) -> None:
    ctx = samples.context("es", samples.long_body("es"))
    path = _write(ctx, tmp_path)
    title = samples.workshop().title_in("es")
    assert squash(pdf_text(path, first=1, last=1)).count(title) == 1  # the heading block
    assert title in squash(pdf_text(path, first=2, last=2))


def test_an_empty_draft_exports_its_heading(tmp_path: Path) -> None:
    ctx = samples.context("fr", {})
    path = _write(ctx, tmp_path)
    assert count_pages(ctx) == int(pdf_info(path)["Pages"]) == 1
    text = squash(pdf_text(path))
    assert "Suisse" in text
    assert "Page 1 sur 1" in text
