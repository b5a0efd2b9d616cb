"""The open comments of a draft as real Word comments in its DOCX (DESIGN §13), so that a
ministry reviewer without the program reads them in Word or LibreOffice. The PDF never has them.

A comment covers exactly the words it is anchored on: the runs holding them are split where the
words start and end (each piece keeps its run's formatting), and the comment's range goes around
those pieces, across paragraphs when the words do. Words no longer in the text put the comment on
its section's heading. The words are found ignoring spaces, since the export's typography only
adds or changes spaces (French no-break spaces), never words.

Each reply is a Word reply: a comment of its own on the same words whose parent is the first,
as Word says it in ``word/commentsExtended.xml`` (``w15:paraIdParent``; python-docx writes
comments but not that part, so it is added here). Every comment and reply carries its own
author and time.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docx.comments import Comment
from docx.document import Document as DocxDocument
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from idm_desktop.export import markup as md
from idm_desktop.export.context import ExportComment

_SUGGESTION = {"en": "Suggested text: {text}", "fr": "Texte suggéré\u00a0: {text}",
               "es": "Texto sugerido: {text}"}
"""The one label a comment carries, in the submission's language (as the footer)."""

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
_EXTENDED_PART = "/word/commentsExtended.xml"
_EXTENDED_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
_EXTENDED_REL = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"


def _initials(name: str) -> str:
    parts = [p for p in name.replace(".", " ").replace("_", " ").split() if p]
    return "".join(p[0].upper() for p in parts[:3]) or "?"


@dataclass(frozen=True, slots=True)
class _Char:
    """One non-space character of a section's printed text: the run holding it and where."""

    char: str
    run: Any  # a w:r element
    paragraph: Paragraph
    offset: int


def _compact(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def _chars(paragraphs: Sequence[Paragraph]) -> list[_Char]:
    out: list[_Char] = []
    for paragraph in paragraphs:
        for r in paragraph._p.iter(qn("w:r")):
            text = Run(r, paragraph).text
            out.extend(_Char(ch, r, paragraph, i) for i, ch in enumerate(text) if not ch.isspace())
    return out


def _needles(quote: str) -> Iterator[str]:
    """The quoted words as the reader sees them (Markdown marks gone), then as typed."""
    blocks = md.parse(quote)
    if blocks:
        yield _compact(md.plain_text(blocks))
    yield _compact(quote.replace("*", "").replace("_", ""))
    yield _compact(quote)


def occurrence(before: str, words: str) -> int:
    """How many times ``words`` appear in ``before`` (a section's text before them), as printed:
    which of the section's places holding them a comment is on."""
    needle = next((n for n in _needles(words) if n), "")
    if not needle:
        return 0
    blocks = md.parse(before)
    hay = _compact(md.plain_text(blocks)) if blocks else ""
    count, at = 0, hay.find(needle)
    while at >= 0:
        count += 1
        at = hay.find(needle, at + 1)
    return count


def _find(chars: Sequence[_Char], quote: str, occurrence: int) -> tuple[_Char, _Char] | None:
    """The first and last character of the ``occurrence``-th place holding ``quote``."""
    hay = "".join(c.char for c in chars)
    for needle in _needles(quote):
        if not needle:
            continue
        hits = []
        at = hay.find(needle)
        while at >= 0:
            hits.append(at)
            at = hay.find(needle, at + 1)
        if hits:
            start = hits[min(occurrence, len(hits) - 1)]
            return chars[start], chars[start + len(needle) - 1]
    return None


def _split(r: Any, paragraph: Paragraph, at: int) -> Any:
    """Split run ``r`` before its character ``at``; the new run (the second piece, same
    formatting) comes right after it."""
    run = Run(r, paragraph)
    text = run.text
    second = copy.deepcopy(r)
    r.addnext(second)
    run.text = text[:at]
    Run(second, paragraph).text = text[at:]
    return second


def _word_range(first: _Char, last: _Char) -> tuple[Run, Run]:
    """The runs exactly around ``first`` .. ``last``, split out of their runs as needed."""
    end_run = last.run
    if last.offset + 1 < len(Run(end_run, last.paragraph).text):
        _split(end_run, last.paragraph, last.offset + 1)
    start_run = first.run
    if first.offset > 0:
        start_run = _split(start_run, first.paragraph, first.offset)
        if first.run is end_run:
            end_run = start_run
    return Run(start_run, first.paragraph), Run(end_run, last.paragraph)


def _anchor(paragraphs: Sequence[Paragraph], comment: ExportComment) -> tuple[Run, Run] | None:
    """The runs a comment covers: its words, else its section's heading (``paragraphs[0]``)."""
    found = _find(_chars(paragraphs[1:]), comment.quote, comment.occurrence) if comment.quote else None
    if found is not None:
        return _word_range(*found)
    heading = paragraphs[0]
    if not heading.runs:
        return None
    return heading.runs[0], heading.runs[-1]


def _stamp(comment: Comment, at: dt.datetime | None) -> None:
    if at is not None:
        # Word keeps comment times without a zone: the UTC time, as Word itself writes it.
        utc = at.astimezone(dt.UTC) if at.tzinfo else at
        comment._comment_elm.set(qn("w:date"), utc.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _para_id(comment: Comment, number: int) -> str:
    """Give the comment's last paragraph a w14:paraId (what commentsExtended points at: an
    8-digit hex number below 0x80000000, unique in the document) and return it."""
    value = f"{0x10000000 + number:08X}"
    last = comment._comment_elm.findall(qn("w:p"))[-1]
    last.set(f"{{{W14}}}paraId", value)
    last.set(f"{{{W14}}}textId", "77777777")
    return value


def _add_extended(doc: DocxDocument, threads: Sequence[tuple[str, str | None]]) -> None:
    """Write word/commentsExtended.xml: each comment's paragraph, and its parent's for a reply."""
    entries = "".join(
        f'<w15:commentEx w15:paraId="{pid}"' + (f' w15:paraIdParent="{parent}"' if parent else "")
        + ' w15:done="0"/>' for pid, parent in threads)
    xml = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           f'<w15:commentsEx xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           f'xmlns:w15="{W15}" mc:Ignorable="w15">{entries}</w15:commentsEx>')
    part = Part(PackURI(_EXTENDED_PART), _EXTENDED_TYPE, xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, _EXTENDED_REL)


def add_comments(doc: DocxDocument, comments: Sequence[ExportComment],
                 spans: Mapping[str, tuple[int, int]], lang: str) -> int:
    """Add ``comments`` (and their replies) to ``doc``; ``spans``: each section's paragraphs
    (first, end), heading first. Comments of a section the export left out (empty) are
    skipped. Returns how many comments (not counting replies)."""
    if not comments:
        return 0
    paragraphs = doc.paragraphs
    ids = itertools.count(1)
    threads: list[tuple[str, str | None]] = []
    added = 0
    # One comment at a time: a run split later for another comment keeps both of its pieces
    # inside the ranges already marked around it.
    for c in comments:
        span = spans.get(c.section)
        runs = None if span is None else _anchor(paragraphs[span[0]:span[1]], c)
        if runs is None:
            continue
        first, last = runs
        added += 1
        comment = doc.add_comment([first, last], text=c.text, author=c.author, initials=_initials(c.author))
        if c.suggestion is not None:
            comment.add_paragraph(_SUGGESTION.get(lang, _SUGGESTION["en"]).format(text=c.suggestion))
        _stamp(comment, c.at)
        parent = _para_id(comment, next(ids))
        threads.append((parent, None))
        for r in c.replies:
            reply = doc.add_comment([first, last], text=r.text, author=r.author, initials=_initials(r.author))
            _stamp(reply, r.at)
            threads.append((_para_id(reply, next(ids)), parent))
    if threads:
        _add_extended(doc, threads)
    return added
