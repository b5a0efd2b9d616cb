"""Straight apostrophes and quotes left in pasted or imported text come out typographic in the PDF
(read back with poppler) and the DOCX (read back with python-docx), in the text's language."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from idm_desktop.core.quotes import as_typed, typographic
from idm_desktop.export import write_docx, write_pdf
from tests.export import export_samples as samples
from tests.export.export_tools import pdf_text, squash

NBSP = "\u00a0"
TYPED = 'The State\'s "whole-of-government" approach, as \'we\' say.'


@pytest.mark.parametrize(("lang", "printed"), [
    ("en", "The State’s “whole-of-government” approach, as ‘we’ say."),
    ("fr", f"The State’s «{NBSP}whole-of-government{NBSP}» approach, as ’we’ say."),
    ("es", "The State’s «whole-of-government» approach, as ’we’ say."),
])
def test_exports_print_typographic_marks(lang: str, printed: str, tmp_path: Path) -> None:
    ctx = samples.context(lang, {"context": f"{TYPED}\n\n**L'État** a dit \"*oui*\"."},
                          title="Rapport de l'État")
    pdf = tmp_path / "out.pdf"
    write_pdf(ctx, pdf)
    text = squash(pdf_text(pdf))
    assert squash(printed.replace(NBSP, " ")) in text
    assert "'" not in text
    assert '"' not in text
    assert "Rapport de l’État" in text
    out = tmp_path / "out.docx"
    write_docx(ctx, out)
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert printed in paragraphs
    assert not any("'" in p or '"' in p for p in paragraphs)
    # A quote across formatting runs opens and closes as one.
    opening, closing = {"en": ("“", "”"), "fr": (f"«{NBSP}", f"{NBSP}»"), "es": ("«", "»")}[lang]
    assert f"L’État a dit {opening}oui{closing}." in paragraphs


def test_the_rule_as_typed_and_on_a_whole_text_agree() -> None:
    assert as_typed("", "'", "en") == (0, "‘")
    assert as_typed("l", "'", "fr") == (0, "’")
    assert as_typed("dit ", '"', "fr") == (0, f"«{NBSP}")
    assert as_typed(f"«{NBSP}oui ", '"', "fr") == (1, f"{NBSP}»")
    assert as_typed("x", "a", "en") is None
    assert typographic("no marks", "en") == "no marks"
    assert typographic('"', "en", before="He said ") == "“"
