"""Rows of a tree that show their whole text, wrapped to the view's width.

QTreeView sizes a word-wrapped row as if the column were as wide as the text's longest line,
so a long comment in a narrow pane is cut ("Indicar el decreto de creación de la Junt…") and the
lines after the first wrapped one are not shown at all. This delegate measures each row at the
width it really has, and :class:`WrappingTreeView` lays its rows out again whenever that width
changes.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

_Index = QModelIndex | QPersistentModelIndex
_UNBOUNDED = 1_000_000


class WrappingDelegate(QStyledItemDelegate):
    """Gives each row of ``view`` the height of its text wrapped at the row's own width."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def text_width(self, index: _Index) -> int:
        """The width the text of ``index`` has in the view (its indent and margins taken off)."""
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        indent = self._view.indentation() * (depth + (1 if self._view.rootIsDecorated() else 0))
        style = self._view.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self._view) + 1
        return max(40, self._view.viewport().width() - indent - 2 * margin)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        hint = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or not text:
            return hint
        width = self.text_width(index)
        bounds = option.fontMetrics.boundingRect(
            QRect(0, 0, width, _UNBOUNDED),
            int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), text)
        return QSize(width, max(hint.height(), bounds.height() + 6))


class WrappingTreeView(QTreeView):
    """A tree whose rows show their whole text, wrapped, however narrow the view is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setItemDelegate(WrappingDelegate(self))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.doItemsLayout()  # a new width: new heights
