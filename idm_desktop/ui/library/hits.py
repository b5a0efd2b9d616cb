"""Search results: a list model of ranked hits, and a delegate that draws each one as a title
and a snippet with the matching words highlighted."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from idm_desktop.core.search_results import HL_END, HL_START, SearchHit
from idm_desktop.ui.formatting import highlight_colors

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's :class:`SearchHit`."""

HTML_ROLE = Qt.ItemDataRole.UserRole + 2
"""The row as HTML: symbol, title, and the snippet with the hit words in <mark>."""

HIGHLIGHT_STYLE = "background-color:{};color:{};font-weight:600".format(
    *(c.name() for c in highlight_colors()))
_SPACES = re.compile(r"\s+")


def hit_html(hit: SearchHit) -> str:
    """``hit`` as the small HTML the delegate draws (every piece of text escaped)."""
    snippet = html.escape(_SPACES.sub(" ", hit.snippet).strip(), quote=False)
    snippet = (snippet.replace(HL_START, f'<span style="{HIGHLIGHT_STYLE}">')
               .replace(HL_END, "</span>"))
    heading = f"<b>{html.escape(hit.symbol)}</b>"
    if hit.title and hit.title != hit.symbol:
        heading += " — " + html.escape(hit.title)
    return f"{heading}<br/>{snippet}"


def hit_text(hit: SearchHit) -> str:
    """``hit`` as plain text (for screen readers and tooltips)."""
    title = hit.symbol if hit.title in ("", hit.symbol) else f"{hit.symbol} — {hit.title}"
    return f"{title}: {_SPACES.sub(' ', hit.plain_snippet).strip()}"


class SearchHitsModel(QAbstractListModel):
    """The hits of the last search, best first (as the index ranked them)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._html: list[str] = []

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self._html = [hit_html(h) for h in self._hits]
        self.endResetModel()

    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    def hit_at(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            return hit_text(hit)
        if role == HTML_ROLE:
            return self._html[index.row()]
        if role == HIT_ROLE:
            return hit
        return None


class HitDelegate(QStyledItemDelegate):
    """Draws a hit's HTML (wrapped to the width of the list) over the usual item background."""

    MARGIN = 6

    def _document(self, option: QStyleOptionViewItem, index: Index, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(self.MARGIN)
        doc.setHtml(str(index.data(HTML_ROLE) or ""))
        doc.setTextWidth(max(width, 50))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        rect = opt.rect
        doc = self._document(opt, index, rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(rect.translated(-rect.topLeft()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        width = opt.rect.width()
        if isinstance(widget, QWidget) and hasattr(widget, "viewport"):
            width = widget.viewport().width()
        doc = self._document(opt, index, width)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))
