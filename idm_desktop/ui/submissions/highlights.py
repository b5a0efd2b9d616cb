"""The words review comments are about, marked in the editor's text (DESIGN §13): highlighted, the
chosen comment's in a stronger colour, and brought into view when a comment is chosen."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QScrollArea, QTextEdit, QWidget


def quote_selections(edit: QTextEdit, words: list[str]) -> list[QTextEdit.ExtraSelection]:
    """Highlights of ``words`` (the Markdown of a comment's quote) in ``edit``: the first one
    stronger (the comment chosen)."""
    out = []
    for i, text in enumerate(words):
        cursor = find_words(edit, text)
        if cursor is None:
            continue
        sel = QTextEdit.ExtraSelection()
        sel.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#ffd54f" if i == 0 else "#fff3c4"))
        sel.format = fmt
        out.append(sel)
    return out


def find_words(edit: QTextEdit, words: str) -> QTextCursor | None:
    """A cursor selecting ``words`` (Markdown, as a comment's anchor holds them) in ``edit``, or None."""
    plain = _MARKS.sub("", words).strip()
    if not plain:
        return None
    cursor = edit.document().find(plain)
    return None if cursor.isNull() else cursor


_MARKS = re.compile(r"\*\*|\*|\[|\]\([^)]*\)")


def bring_into_view(scroll_area: QScrollArea, host: QWidget, edit: QTextEdit, cursor: QTextCursor) -> None:
    """Scroll ``scroll_area`` (whose widget is ``host``, holding ``edit``) so that ``cursor``'s
    words stand in its upper third, not at an edge."""
    rect = edit.cursorRect(cursor)
    centre = edit.viewport().mapTo(host, rect.center())
    scroll_area.ensureVisible(centre.x(), centre.y(), 40, scroll_area.viewport().height() // 3)
