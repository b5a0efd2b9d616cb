"""The widths of the documents table's columns: each short column as wide as its header (in the
interface language) or its usual content, and the title given the rest, never less than
:data:`MIN_TITLE` (the table scrolls sideways rather than squeeze the title to "IO…")."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QStyle, QTableView

from idm_desktop.core.documents import DocumentKind, kind_label
from idm_desktop.core.i18n import _
from idm_desktop.ui.library.model import Column, language_label

MIN_TITLE = 160
"""The narrowest the Title column becomes: about twenty-five characters."""


def _samples(column: Column) -> tuple[str, ...]:
    """Texts the cells of a short column usually hold, in the interface language."""
    if column == Column.SYMBOL:
        return ("IC/2006/4 Annex V",)
    # Workshops and kinds can be long: their start shows, all of it in a tooltip.
    if column == Column.WORKSHOP:
        return ("Migrants and",)
    if column == Column.KIND:
        return (kind_label(DocumentKind.DISCUSSION_NOTE),)
    if column == Column.LANGUAGE:
        return (_("English only"), *(language_label(code) for code in ("en", "fr", "es")))
    return ("999",)


class ColumnSizer(QObject):
    """Sizes the columns of ``table`` once, then keeps the title filling the width."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        self._fitting = False
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        for column in Column:
            header.setSectionResizeMode(column, header.ResizeMode.Interactive)
        self.fit_to_headers()
        table.viewport().installEventFilter(self)
        header.sectionResized.connect(self._on_header_section_resized)

    def needed_width(self, column: Column) -> int:
        """Room for the header's text (with the style's margins) and the usual content."""
        table = self._table
        header = table.horizontalHeader()
        text = str(table.model().headerData(column, Qt.Orientation.Horizontal) or "")
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        cell = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table)
        heading = header.fontMetrics().horizontalAdvance(text) + 2 * margin + 8
        content = max(table.fontMetrics().horizontalAdvance(t) for t in _samples(column)) + 2 * cell + 8
        return max(heading, content)

    def fit_to_headers(self) -> None:
        for column in Column:
            if column == Column.TITLE:
                continue
            self._table.setColumnWidth(column, self.needed_width(column))
        self.fill_title()

    def fill_title(self) -> None:
        """Give the title what the other columns leave of the width, but at least MIN_TITLE."""
        table = self._table
        others = sum(table.columnWidth(c) for c in Column if c != Column.TITLE)
        width = max(MIN_TITLE, table.viewport().width() - others)
        self._fitting = True
        try:
            table.setColumnWidth(Column.TITLE, width)
        finally:
            self._fitting = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fill_title()
        return False

    def _on_header_section_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting and column != Column.TITLE:
            self.fill_title()
