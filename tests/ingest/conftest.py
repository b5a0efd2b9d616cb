"""Fixtures for the ingest tests: documents made at test time, under ``tmp_path``.

(Messages are in English: the top-level conftest sees to it.)
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from idm_desktop.core.errors import IngestError
from idm_desktop.ingest import Extractor

# Bitstream Vera ships with reportlab and covers French and Spanish; the PDF embeds it with a
# map back to Unicode, as a real word processor's PDF does.
_FONT = "IngestTestVera"
pdfmetrics.registerFont(TTFont(_FONT, str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))
_STYLE = ParagraphStyle("body", fontName=_FONT, fontSize=11, leading=14)

MakePdf = Callable[..., Path]
MakeDocx = Callable[..., Path]


@pytest.fixture(scope="session")
def extractor() -> Iterator[Extractor]:
    """One extractor (and reader process) shared by the tests that only read good files."""
    with Extractor() as shared:
        yield shared


@pytest.fixture
def make_pdf(tmp_path: Path) -> MakePdf:
    """``make_pdf(name, pages, title=None)``: a PDF with one page per text in ``pages``
    (paragraphs split on blank lines), written under ``tmp_path``."""

    def make(name: str, pages: Sequence[str], *, title: str | None = None) -> Path:
        path = tmp_path / name
        kwargs = {"title": title} if title is not None else {}
        document = SimpleDocTemplate(str(path), pagesize=A4, **kwargs)
        story: list[object] = []
        for number, page in enumerate(pages):
            if number:
                story.append(PageBreak())
            story.extend(Paragraph(escape(block), _STYLE) for block in page.split("\n\n"))
        document.build(story)
        return path

    return make


@pytest.fixture
def make_docx(tmp_path: Path) -> MakeDocx:
    """``make_docx(name, paragraphs, title=None, heading=None, table=None)``: a Word document
    written by python-docx under ``tmp_path``."""

    def make(
        name: str,
        paragraphs: Sequence[str] = (),
        *,
        title: str | None = None,
        heading: str | None = None,
        table: Sequence[Sequence[str]] | None = None,
    ) -> Path:
        document = docx.Document()
        if title is not None:
            document.core_properties.title = title
        if heading is not None:
            document.add_heading(heading, level=1)
        for text in paragraphs:
            document.add_paragraph(text)
        if table is not None:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for row, values in zip(grid.rows, table, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
        path = tmp_path / name
        document.save(str(path))
        return path

    return make


@pytest.fixture(scope="session")
def qpdf() -> Callable[[Path, Path], None]:
    """``qpdf(source, target)``: encrypt a PDF with a password (qpdf is a required tool)."""
    program = shutil.which("qpdf")
    if program is None:
        pytest.fail("qpdf is required by the ingest tests: install it (Debian: apt-get install qpdf)")

    def encrypt(source: Path, target: Path) -> None:
        subprocess.run(
            [program, "--encrypt", "user", "owner", "256", "--", str(source), str(target)],
            check=True,
            capture_output=True,
        )

    return encrypt


Refused = Callable[..., str]


@pytest.fixture
def refused() -> Refused:
    """``refused(call, filename, *fragments)``: ``call()`` raises an IngestError whose message
    is one line, names ``filename`` and holds every fragment; returns the message."""

    def check(call: Callable[[], object], filename: str, *fragments: str) -> str:
        with pytest.raises(IngestError) as caught:
            call()
        message = str(caught.value)
        assert "\n" not in message
        assert "\r" not in message
        assert f"“{filename}”" in message
        for fragment in fragments:
            assert fragment in message
        return message

    return check
