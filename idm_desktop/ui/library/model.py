"""The documents table: a model over document ids whose rows are read in pages, on demand.

Only the ids of the whole library are held (cheap even for 10,000 documents); a row's
details are read with its page, on the storage lane, the first time the view asks for it.
Until then the row shows a placeholder. A page read stays right until the list of ids changes,
or a document's facts are corrected (:meth:`DocumentTableModel.document_changed`).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from enum import IntEnum
from functools import cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from idm_desktop.app import DesktopApp
from idm_desktop.core.documents import Document, kind_label
from idm_desktop.core.i18n import N_, _, ui_language
from idm_desktop.core.languages import language_name
from idm_desktop.ui.library.scope import TaskScope
from idm_desktop.ui.tasks import Lane, TaskManager

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

PAGE_SIZE = 100
"""Rows read together: a screenful or two."""

MAX_CACHED_PAGES = 40
"""Pages kept in memory; the oldest is dropped first (and read again if it is needed)."""

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's document id: known before the row itself is read."""

DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 2
"""The row's :class:`Document`, or None while it is being read."""

PLACEHOLDER = "…"

# data() runs for every role of every visible cell on each repaint: plain ints compare fastest.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ID = int(DOCUMENT_ID_ROLE)
_DOCUMENT = int(DOCUMENT_ROLE)
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _ACCESSIBLE, _ALIGNMENT, _ID, _DOCUMENT})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class Column(IntEnum):
    SYMBOL = 0
    TITLE = 1
    WORKSHOP = 2
    KIND = 3
    LANGUAGE = 4
    PAGES = 5


_ELIDED = frozenset({int(Column.TITLE), int(Column.WORKSHOP), int(Column.KIND)})  # full text in a tooltip
_PAGES = int(Column.PAGES)
_SYMBOL = int(Column.SYMBOL)

_Row = tuple[Document, tuple[str | int, ...]]
"""A document and the text of its cells (worked out once, when its page arrives)."""

_HEADERS = {
    Column.SYMBOL: N_("Symbol"), Column.TITLE: N_("Title"), Column.WORKSHOP: N_("Workshop"),
    Column.KIND: N_("Kind"), Column.LANGUAGE: N_("Language"), Column.PAGES: N_("Pages"),
}

def language_label(code: str) -> str:
    """A language's name in the UI language ("French", "francés")."""
    return _language_label(code, ui_language())


@cache
def _language_label(code: str, lang: str) -> str:
    try:
        name = language_name(code, lang)
    except (KeyError, ValueError):  # not one of the three: show the code itself
        return code
    return name[:1].upper() + name[1:]


class DocumentTableModel(QAbstractTableModel):
    """Documents by id, in the order given; rows are read lazily, a page at a time."""

    sig_page_loaded = Signal(int)
    """A page of rows was read and is now shown (its number)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._scope = TaskScope(tasks, self)
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._pages: OrderedDict[int, list[_Row | None]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self._workshops: dict[str, str] = {}

    # -- what the view shows ---------------------------------------------------------------------

    def set_ids(self, ids: Sequence[str]) -> None:
        """Show these documents, in this order (nothing is read until a row is shown)."""
        if list(ids) == self._ids:
            return  # same list: every page read so far is still right
        self.beginResetModel()
        self._ids = list(ids)
        self._rows = {ident: row for row, ident in enumerate(self._ids)}
        self._pages.clear()
        self._pending.clear()
        self._generation += 1  # pages still being read for the old list are dropped
        self.endResetModel()

    def set_workshop_titles(self, titles: Mapping[str, str]) -> None:
        """The workshop titles to show, by workshop id (in the UI language)."""
        if dict(titles) == self._workshops:
            return
        self._workshops = dict(titles)
        for page in self._pages.values():
            page[:] = [None if r is None else (r[0], self._cells(r[0])) for r in page]
        if self._ids:
            column = Column.WORKSHOP
            self.dataChanged.emit(self.index(0, column), self.index(len(self._ids) - 1, column))

    def document_changed(self, doc: Document) -> None:
        """Show the corrected facts of ``doc`` in its row, if the row was read."""
        row = self._rows.get(doc.id)
        if row is None:
            return
        page = self._pages.get(row // PAGE_SIZE)
        if page is not None and page[row % PAGE_SIZE] is not None:
            page[row % PAGE_SIZE] = (doc, self._cells(doc))
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def ids(self) -> list[str]:
        return list(self._ids)

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, document_id: str) -> int | None:
        """The row of a document, or None when it is not in the list."""
        return self._rows.get(document_id)

    def document_at(self, row: int) -> Document | None:
        """The document of ``row`` if its page was read already (it is not read here)."""
        page = self._pages.get(row // PAGE_SIZE)
        cached = None if page is None else page[row % PAGE_SIZE]
        return None if cached is None else cached[0]

    def loading(self) -> bool:
        """Whether some rows are still being read."""
        return bool(self._pending)

    # -- QAbstractTableModel ---------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(_HEADERS[Column(section)])
        if role == Qt.ItemDataRole.TextAlignmentRole and section == Column.PAGES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._ids):
            return None
        if role == _ID:
            return self._ids[row]
        if role == _ALIGNMENT:
            return _RIGHT if column == _PAGES else None
        cached = self._row(row)
        if role == _DOCUMENT:
            return None if cached is None else cached[0]
        if cached is None:
            return PLACEHOLDER if column == _SYMBOL and role != _TOOLTIP else None
        if role == _TOOLTIP and column not in _ELIDED:
            return None
        return cached[1][column]

    def _cells(self, doc: Document) -> tuple[str | int, ...]:
        workshop = self._workshops.get(doc.workshop_id, "") if doc.workshop_id else ""
        # "English only" is a fact about the language: in its column, not in a column of its own
        # (whose header no language could fit in a column narrow enough to leave the title room).
        language = (_("English only") if doc.english_only and doc.language == "en"
                    else language_label(doc.language))
        return (doc.symbol, doc.title, workshop, kind_label(doc.kind), language, doc.page_count)

    # -- reading pages -----------------------------------------------------------------------------

    def _row(self, row: int) -> _Row | None:
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            self._request(number)
            return None
        self._pages.move_to_end(number)
        return page[row % PAGE_SIZE]

    def _request(self, number: int) -> None:
        if number in self._pending:
            return
        self._pending.add(number)
        ids = self._ids[number * PAGE_SIZE:(number + 1) * PAGE_SIZE]
        generation = self._generation
        app = self._app

        def read() -> list[Document]:
            return app.documents_by_ids(ids)

        self._scope.run(
            read, lane=Lane.STORAGE, name=f"library page {number}",
            on_done=lambda docs: self._on_page_read(generation, number, ids, docs),
            on_error=lambda exc: self._on_page_failed(generation, number, ids, exc))

    def _on_page_read(self, generation: int, number: int, ids: list[str],
                      docs: list[Document]) -> None:
        if generation != self._generation:
            return
        by_id = {doc.id: (doc, self._cells(doc)) for doc in docs}
        self._store(number, [by_id.get(ident) for ident in ids])

    def _on_page_failed(self, generation: int, number: int, ids: list[str],
                        exc: BaseException) -> None:
        if generation != self._generation:
            return
        # Kept as empty rows, so that the view does not ask again and again; the next
        # refresh tries once more.
        self._store(number, [None] * len(ids))
        self._scope.tasks.default_error(exc)

    def _store(self, number: int, page: list[_Row | None]) -> None:
        self._pending.discard(number)
        self._pages[number] = page
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        first = number * PAGE_SIZE
        last = first + len(page) - 1
        if page:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(Column) - 1))
        self.sig_page_loaded.emit(number)
