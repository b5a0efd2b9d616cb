"""The overview as governments send it to an intergovernmental meeting: the heading block,
French typography and page breaks, checked in the files with poppler and python-docx."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import docx
import pytest

from idm_desktop.core.catalog import load_catalog
from idm_desktop.export import ExportContext, count_pages, write_docx, write_pdf
from tests.export import export_samples as samples
from tests.export.export_tools import pdf_text, squash

INTEGRATION = next(w for w in load_catalog() if w.id == "idm2006-integration")

HEADINGS = {
    "en": [
        "INTERNATIONAL DIALOGUE ON MIGRATION 2006",
        "Partnerships in Migration: Engaging Business and Civil Society",
        "Migrants and the Host Society: Partnerships for Success",
        "Geneva, 12–13 July 2006",
        "26 June 2006",
        "Original: English",
        "Government of the Kingdom of the Netherlands",
    ],
    "fr": [
        "DIALOGUE INTERNATIONAL SUR LA MIGRATION 2006",
        "Partenariats en matière de migration : associer le monde de l’entreprise et la "
        "société civile",
        "Genève, 12–13 juillet 2006",
        "26 juin 2006",
        "Original : français",
        "Gouvernement du Royaume des Pays-Bas",
    ],
    "es": [
        "DIÁLOGO INTERNACIONAL SOBRE LA MIGRACIÓN 2006",
        "Ginebra, 12–13 de julio de 2006",
        "26 de junio de 2006",
        "Original: español",
        "Gobierno del Reino de los Países Bajos",
    ],
}
BODIES = {"en": {"context": "Some text."}, "fr": samples.FRENCH, "es": samples.SPANISH}


def _ctx(lang: str, body: dict[str, str], country: str = "NLD") -> ExportContext:
    ctx = samples.context(lang, body, country=country)
    return dataclasses.replace(ctx, workshop=INTEGRATION)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_heading_block_is_in_the_pdf_and_the_docx(lang: str, tmp_path: Path) -> None:
    ctx = _ctx(lang, BODIES[lang])
    write_pdf(ctx, tmp_path / "o.pdf")
    text = squash(pdf_text(tmp_path / "o.pdf", first=1, last=1))
    for line in HEADINGS[lang]:
        assert squash(line) in text
    write_docx(ctx, tmp_path / "o.docx")
    paragraphs = [squash(p.text) for p in docx.Document(str(tmp_path / "o.docx")).paragraphs]
    for line in HEADINGS[lang]:
        # The DOCX keeps the dialogue's words as written and prints them in capitals.
        assert squash(line) in paragraphs or squash(line).upper() in map(str.upper, paragraphs)


def test_french_no_break_spaces_are_in_the_pdf_text_layer(tmp_path: Path) -> None:
    """Typed with ordinary spaces (or none), printed with French spacing, and a reader who
    copies the text gets the no-break spaces. (poppler adds a plain space after a U+00A0.)"""
    body = {
        "context": "Plus de 80 000 personnes ; elle a dit «oui» et «\u00a0non » : voilà ! "
        "Pourquoi ? Parce que.",
    }
    write_pdf(_ctx("fr", body), tmp_path / "fr.pdf")
    text = pdf_text(tmp_path / "fr.pdf")
    assert "80\u202f000" in text
    assert "personnes\u202f;" in text
    assert "«\u00a0oui" in text
    assert "«\u00a0non" in text
    assert re.search("oui\u00a0 ?»", text)
    assert re.search("non\u00a0 ?» ?\u00a0? ?:", text) or re.search("»\u00a0 ?:", text)
    assert "voilà\u202f!" in text
    assert "Pourquoi\u202f?" in text
    # The heading block too: "Original : français".
    assert re.search("Original\u00a0 ?: français", text)


def test_french_spacing_in_the_docx_and_spanish_marks_kept(tmp_path: Path) -> None:
    body = {"context": "Voir : «oui» pour 12 500 personnes ; ¿Cómo? ¡Sí!"}
    write_docx(_ctx("fr", body), tmp_path / "fr.docx")
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "fr.docx")).paragraphs]
    typeset = "Voir\u00a0: «\u00a0oui\u00a0» pour 12\u202f500 personnes\u202f; ¿Cómo\u202f? ¡Sí\u202f!"
    assert typeset in paragraphs
    write_docx(_ctx("es", body), tmp_path / "es.docx")
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "es.docx")).paragraphs]
    assert body["context"] in paragraphs  # Spanish as typed, ¿ ¡ kept


def test_a_link_target_is_never_respaced(tmp_path: Path) -> None:
    body = {"context": "Voir [la note](https://example.org/a?b=1) : merci."}
    write_docx(_ctx("fr", body), tmp_path / "fr.docx")
    document = docx.Document(str(tmp_path / "fr.docx"))
    targets = [r.target_ref for r in document.part.rels.values() if "hyperlink" in r.reltype]
    assert targets == ["https://example.org/a?b=1"]
    assert "Voir la note\u00a0: merci." in [p.text for p in document.paragraphs]


def _filler(words: int) -> str:
    return " ".join(f"mot{n % 7}" for n in range(words))


def test_a_heading_never_ends_a_page_and_takes_only_its_first_lines_along(
    tmp_path: Path,
) -> None:
    """Whatever the length of what comes before, a section heading at the foot of a page
    stands with the first lines of its text; and it does not drag its whole first paragraph
    to the next page (keep-with-next of the paragraph would leave a large blank)."""
    first = " ".join(["Premier"] + ["paragraphe"] * 120 + ["fin."])
    split_at_the_foot = 0
    for words in range(430, 640, 15):
        ctx = _ctx("en", {"context": _filler(words), "policies": first + "\n\nSuite."})
        path = tmp_path / f"p{words}.pdf"
        write_pdf(ctx, path)
        pages = [
            [ln.strip() for ln in pdf_text(path, first=n, last=n).splitlines() if ln.strip()]
            for n in range(1, count_pages(ctx) + 1)
        ]
        for n, lines in enumerate(pages):
            if "Policies and practice" not in lines:
                continue
            after = " ".join(lines[lines.index("Policies and practice") + 1 :])
            assert "Premier" in after, (words, lines[-3:])  # never a heading alone
            if "fin." not in after:
                # The paragraph runs on to the next page: only its first lines came along.
                assert "fin." in " ".join(pages[n + 1])
                split_at_the_foot += 1
    assert split_at_the_foot >= 3


def test_headings_keep_with_next_in_the_docx(tmp_path: Path) -> None:
    write_docx(_ctx("fr", samples.FRENCH), tmp_path / "fr.docx")
    document = docx.Document(str(tmp_path / "fr.docx"))
    assert document.styles["Heading 1"].paragraph_format.keep_with_next
    assert not document.styles["Normal"].paragraph_format.keep_together  # not whole paragraphs
    assert document.styles["Normal"].paragraph_format.widow_control


def test_text_not_placed_is_never_exported(tmp_path: Path) -> None:
    """Text a Word import could not place is working material, not part of the overview."""
    body = {"not_placed": "Une annexe à répartir.", "context": "Texte du contexte."}
    write_pdf(_ctx("fr", body), tmp_path / "fr.pdf")
    text = squash(pdf_text(tmp_path / "fr.pdf"))
    assert "Texte du contexte." in text
    assert "Texte non placé" not in text
    assert "Une annexe à répartir." not in text
