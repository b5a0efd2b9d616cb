"""The editor's text <-> Markdown: whatever a delegate types comes back exactly, and the
formatting of the subset (bold, italic, lists, links, line breaks) survives a save and a load."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor, QTextDocument, QTextListFormat
from PySide6.QtWidgets import QApplication

from idm_desktop.export.inline_markdown import normalised
from idm_desktop.export.markup import LineBreak, ListBlock, Para, Span, parse
from idm_desktop.ui.submissions.rich_text import (
    LINE_BREAK,
    document_markdown,
    link_format,
    load_markdown,
)

NASTY = "aé ç’«»¿¡\u00a0\u202f*_`[]()<>&#\\-+=!~|.:;1 9\t"
WORDS = "abcdeéàüñ’«»¿¡,. "


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool
    italic: bool
    href: str | None


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    list_style: QTextListFormat.Style | None  # None: a paragraph


def _runs(alphabet: str, words: bool = False) -> st.SearchStrategy[tuple[Run, ...]]:
    text = st.text(alphabet + LINE_BREAK, min_size=1, max_size=12)
    if words:  # formatting changes between words, as a user applies it
        text = text.map(lambda t: t + " ")
    run = st.builds(
        Run,
        text,
        st.booleans(),
        st.booleans(),
        st.sampled_from([None, None, "https://example.org/a?b=c", "https://exemple.org/été (1)"]),
    )
    return st.lists(run, min_size=1, max_size=5).map(tuple)


def _lines(alphabet: str, words: bool = False) -> st.SearchStrategy[list[Line]]:
    style = st.sampled_from([None, None, QTextListFormat.Style.ListDisc,
                             QTextListFormat.Style.ListDecimal])
    return st.lists(st.builds(Line, _runs(alphabet, words), style), min_size=1, max_size=5)


def _document(lines: list[Line]) -> QTextDocument:
    """A document made as the editor's commands make one (not through our loader)."""
    doc = QTextDocument()
    cursor = QTextCursor(doc)
    previous_style = None
    for n, line in enumerate(lines):
        if n:
            cursor.insertBlock()
            if line.list_style is None or line.list_style != previous_style:
                current = cursor.currentList()
                if current is not None:
                    current.remove(cursor.block())
                    fmt = cursor.blockFormat()
                    fmt.setIndent(0)
                    cursor.setBlockFormat(fmt)
        if line.list_style is not None and cursor.currentList() is None:
            cursor.createList(line.list_style)
        previous_style = line.list_style
        for run in line.runs:
            fmt = link_format(run.href) if run.href else QTextCharFormat()
            if run.bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            if run.italic:
                fmt.setFontItalic(True)
            cursor.insertText(run.text, fmt)
    return doc


def _expected(line: Line) -> list[object]:
    spans: list[object] = []
    for run in line.runs:
        for n, part in enumerate(run.text.split(LINE_BREAK)):
            if n:
                spans.append(LineBreak())
            spans.append(Span(part, run.bold, run.italic, run.href))
    return normalised(spans)  # type: ignore[arg-type]


def _text(inlines: object) -> str:
    return "".join("\n" if isinstance(i, LineBreak) else i.text for i in inlines)  # type: ignore[attr-defined]


def _parsed_lines(markdown: str) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for block in parse(markdown):
        if isinstance(block, Para):
            out.append(block.inlines)
        else:
            assert isinstance(block, ListBlock)
            for item in block.items:
                assert len(item.blocks) == 1
                assert isinstance(item.blocks[0], Para)
                out.append(item.blocks[0].inlines)
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_lines(NASTY))
def test_any_typed_text_comes_back_exactly(qapp: QApplication, lines: list[Line]) -> None:
    markdown = document_markdown(_document(lines))
    wanted = [_text(_expected(line)) for line in lines]
    assert [_text(x) for x in _parsed_lines(markdown)] == [w for w in wanted if w]
    # Loading what was saved and saving again changes nothing (no save without an edit).
    again = QTextDocument()
    load_markdown(again, markdown)
    assert document_markdown(again) == markdown


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_lines(WORDS, words=True))
def test_formatting_of_words_survives(qapp: QApplication, lines: list[Line]) -> None:
    markdown = document_markdown(_document(lines))
    got = [_signature(x) for x in _parsed_lines(markdown)]
    assert got == [s for s in (_signature(_expected(line)) for line in lines) if s]


def _signature(inlines: object) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for i in inlines:  # type: ignore[attr-defined]
        if isinstance(i, LineBreak):
            out.append(("\n",))
            continue
        href = i.href.replace(" ", "%20").replace("é", "%C3%A9") if i.href else None
        out += [(c, href) if c.isspace() else (c, i.bold, i.italic, href) for c in i.text]
    return out


@pytest.mark.parametrize(
    "markdown",
    [
        "L’État « réussie » ¿sí? ¡olé! 10\u00a0000 café naïve, «\u00a0mot\u00a0» et 12\u202f500",
        "Hello **bold** and *italic* and ***both*** and [a link](https://example.org/x?a=1&b=2).",
        "- one\n- two **bold**\n  - nested\n- three\n\n1. first\n2. second\n\nAfter the lists.",
        "3. starts at three\n4. four",
        "A line\\\nbroken here.",
        "snake_case, 5 * 3, R & D, a < b, C:\\Users\\x",
        "\\# not a heading\\\n\\- not a list\\\n2006\\. not a list\\\n\\= not a title",
    ],
)
def test_markdown_of_the_subset_loads_and_saves_unchanged(qapp: QApplication, markdown: str) -> None:
    doc = QTextDocument()
    load_markdown(doc, markdown)
    assert document_markdown(doc) == markdown


def test_text_markdown_cannot_format_is_kept_as_text(qapp: QApplication) -> None:
    doc = QTextDocument()
    cursor = QTextCursor(doc)
    cursor.insertText("a")
    bold = QTextCharFormat()
    bold.setFontWeight(QFont.Weight.Bold)
    cursor.insertText("«b»", bold)  # bold starting on punctuation inside a word
    cursor.insertText("c", QTextCharFormat())
    markdown = document_markdown(doc)
    assert _text(_parsed_lines(markdown)[0]) == "a«b»c"
