"""The DOCX, read back with python-docx and opened by LibreOffice."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Mm

from idm_desktop.export import ExportContext, render_docx, write_docx
from idm_desktop.export.markup import parse, plain_text
from idm_desktop.export.typography import for_language
from tests.export import export_samples as samples
from tests.export.export_tools import pdf_text, squash

CASES = {
    "fr": samples.context("fr", samples.FRENCH, title="Politique d’intégration de la Suisse"),
    "es": samples.context("es", samples.SPANISH, country="MEX"),
}
TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}


def _open(ctx: ExportContext, tmp_path: Path, name: str = "out.docx") -> Any:
    path = tmp_path / name
    write_docx(ctx, path)
    return docx.Document(str(path))


@pytest.mark.parametrize("lang", sorted(CASES))
def test_text_comes_back_exactly_as_typed(lang: str, tmp_path: Path) -> None:
    """Every character survives, the no-break spaces U+00A0 and U+202F included; French
    gets French spacing where the typist left an ordinary space (or none)."""
    ctx = CASES[lang]
    doc = _open(ctx, tmp_path)
    paragraphs = [p.text for p in doc.paragraphs]
    for text in ctx.submission.body.values():
        for line in plain_text(parse(text)).split("\n"):
            if line.strip():
                assert for_language(line, lang) in paragraphs
    joined = "\n".join(paragraphs)
    assert "\u202f" in joined
    assert "\u00a0" in joined


def test_heading_block_and_styles(tmp_path: Path) -> None:
    doc = _open(CASES["fr"], tmp_path)
    styled = [(p.style.name, p.text) for p in doc.paragraphs]
    assert styled[:7] == [
        ("Dialogue", "Dialogue international sur la migration 2006"),
        ("Workshop", "Les migrants et la société d’accueil\u00a0: des partenariats pour réussir"),
        ("Meeting", "12–13 juillet 2006"),
        ("Document Date", "26 juin 2006"),
        ("Original", "Original\u00a0: français"),
        ("Government", "Gouvernement de la Suisse"),
        ("Title", "Politique d’intégration de la Suisse"),
    ]
    assert doc.styles["Dialogue"].font.all_caps
    assert ("Heading 1", "Contexte national") in styled
    assert ("Heading 1", "Partenariats") not in styled  # an empty section is left out
    assert ("List Bullet", "cours de langue pour les nouveaux arrivants\u202f;") in styled
    assert ("List Bullet 2", "procédure simplifiée\u202f;") in styled
    assert ("List Number", "Première étape\u00a0: l’accueil.") in styled


def test_bold_italic_and_links(tmp_path: Path) -> None:
    doc = _open(CASES["fr"], tmp_path)
    runs = [r for p in doc.paragraphs for r in p.runs]
    assert any(r.text == "stratégie d’encouragement" and r.bold for r in runs)
    assert any(r.text == "programme cantonal" and r.italic and not r.bold for r in runs)
    assert any(r.text == "coopération locale" and r.bold and r.italic for r in runs)
    links = [h for p in doc.paragraphs for h in p.hyperlinks]
    assert [(h.text, h.address) for h in links] == [
        ("la note de synthèse", "https://www.example.org/note?lang=fr&v=2")
    ]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_language_set_for_proofing(lang: str, tmp_path: Path) -> None:
    ctx = samples.context(lang, {"context": "Text."})
    doc = _open(ctx, tmp_path)
    tag = TAGS[lang]
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == tag
    normal = doc.styles["Normal"].element
    assert normal.rPr.find(qn("w:lang")).get(qn("w:val")) == tag
    # Word would skip a document marked as already proofed.
    assert doc.settings.element.find(qn("w:proofState")) is None
    props = doc.core_properties
    assert props.language == tag
    assert props.title == ctx.template.title_in(lang)
    assert props.author == {"en": "Switzerland", "fr": "Suisse", "es": "Suiza"}[lang]
    assert ctx.workshop is not None
    assert props.subject == ctx.workshop.title_in(lang)
    assert "python-docx" not in (props.comments + props.author + props.last_modified_by)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", ["Page ", " of "]), ("fr", ["Page ", " sur "]), ("es", ["Página ", " de "])],
)
def test_header_and_footer_with_page_fields(lang: str, words: list[str], tmp_path: Path) -> None:
    ctx = samples.context(lang, {"context": "Text."})
    assert ctx.workshop is not None
    section = _open(ctx, tmp_path).sections[0]
    assert section.different_first_page_header_footer
    # The first page opens on the heading block; the others carry the workshop on top.
    assert section.header.paragraphs[0].text == ctx.workshop.title_in(lang)
    assert section.first_page_header.paragraphs[0].text == ""
    for footer in (section.footer, section.first_page_footer):
        fields = [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]
        assert fields == ["PAGE", "NUMPAGES"]
        texts = [t.text for t in footer._element.iter(qn("w:t"))]
        for word in words:
            assert word in texts


@pytest.mark.parametrize(
    ("fmt", "size"), [("A4", (Mm(210), Mm(297))), ("Letter", (Inches(8.5), Inches(11)))]
)
def test_page_size_margins_and_font_match_the_pdf(
    fmt: str, size: tuple[int, int], tmp_path: Path
) -> None:
    doc = _open(samples.context("en", {"context": "Text."}, page_format=fmt), tmp_path)
    section = doc.sections[0]
    # Word stores lengths in twips (635 EMU): compare to the nearest one.
    twip = 635
    assert abs(section.page_width - size[0]) < twip
    assert abs(section.page_height - size[1]) < twip
    margins = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    for margin in margins:
        assert abs(margin - Cm(2.5)) < twip
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 11.5
    for name in ("Title", "Heading 1"):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == "Times New Roman"
        assert fonts.get(qn("w:asciiTheme")) is None


def test_each_numbered_list_counts_from_its_own_start(tmp_path: Path) -> None:
    body = {"context": "1. one\n2. two\n\nBetween.\n\n5. five\n6. six"}
    doc = _open(samples.context("en", body), tmp_path)
    numbered = [p for p in doc.paragraphs if p.style.name == "List Number"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] != ids[2] == ids[3]
    numbering = doc.part.numbering_part.element
    starts = {}
    for num in numbering.findall(qn("w:num")):
        override = num.find(f".//{qn('w:startOverride')}")
        if override is not None:
            starts[int(num.get(qn("w:numId")))] = int(override.get(qn("w:val")))
    assert starts[ids[0]] == 1
    assert starts[ids[2]] == 5


def test_the_package_names_this_program_not_the_template_s_author() -> None:
    with zipfile.ZipFile(io.BytesIO(render_docx(CASES["es"]))) as package:
        app = package.read("docProps/app.xml").decode()
    assert "<Application>IDM Delegate Desktop</Application>" in app
    assert "Microsoft" not in app


@pytest.mark.parametrize("lang", sorted(CASES))
def test_libreoffice_opens_it(lang: str, tmp_path: Path, office: Callable[[Path], Path]) -> None:
    ctx = CASES[lang]
    path = tmp_path / f"{lang}.docx"
    write_docx(ctx, path)
    text = squash(pdf_text(office(path)))
    for body in ctx.submission.body.values():
        for line in plain_text(parse(body)).split("\n"):
            if line.strip():
                assert squash(line) in text
    # LibreOffice computed the page fields.
    assert {"fr": "Page 1 sur 1", "es": "Página 1 de 1"}[lang] in text
