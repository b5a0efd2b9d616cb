"""The open comments of a draft as real Word comments in its DOCX (DESIGN §13), so that a
ministry reviewer without the program reads them in Word or LibreOffice. The PDF never has them.

A comment is anchored on the paragraph of its section that holds the quoted words (Word anchors
comments on whole runs), else on the section's heading (its words are gone).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from docx.document import Document as DocxDocument

from idm_desktop.export.context import ExportComment

_SUGGESTION = {"en": "Suggested text: {text}", "fr": "Texte suggéré\u00a0: {text}",
               "es": "Texto sugerido: {text}"}
"""The one label a comment carries, in the submission's language (as the footer)."""


def _initials(name: str) -> str:
    parts = [p for p in name.replace(".", " ").replace("_", " ").split() if p]
    return "".join(p[0].upper() for p in parts[:3]) or "?"


def add_comments(doc: DocxDocument, comments: Sequence[ExportComment],
                 spans: Mapping[str, tuple[int, int]], lang: str) -> int:
    """Add ``comments`` to ``doc``; ``spans``: each section's paragraphs (first, end), heading
    first. Comments of a section the export left out (empty) are skipped. Returns how many."""
    if not comments:
        return 0
    paragraphs = doc.paragraphs
    added = 0
    for c in comments:
        span = spans.get(c.section)
        if span is None:
            continue
        first, end = span
        target = next((p for p in paragraphs[first + 1:end] if c.quote and c.quote in p.text and p.runs),
                      paragraphs[first])
        if not target.runs:
            continue
        comment = doc.add_comment(target.runs, text=c.text, author=c.author, initials=_initials(c.author))
        if c.suggestion is not None:
            comment.add_paragraph(_SUGGESTION.get(lang, _SUGGESTION["en"]).format(text=c.suggestion))
        for author, text in c.replies:
            comment.add_paragraph(f"{author}: {text}")
        added += 1
    return added
