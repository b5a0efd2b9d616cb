"""The Library page: search and filters on top, the documents (or the search hits) on the left,
the viewer on the right; files are imported from the menu or by dropping them on the page."""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.app import DesktopApp
from idm_desktop.core.documents import Document
from idm_desktop.core.i18n import _, ngettext, ui_language
from idm_desktop.core.search_results import SearchHit
from idm_desktop.core.workshops import Workshop
from idm_desktop.ui.formatting import Tone, tint
from idm_desktop.ui.library.columns import ColumnSizer
from idm_desktop.ui.library.document_dialog import DocumentEditing
from idm_desktop.ui.library.filters import FilterBar
from idm_desktop.ui.library.hits import HIT_ROLE, HitDelegate, SearchHitsModel
from idm_desktop.ui.library.importer import ImportOutcome, ImportPanel
from idm_desktop.ui.library.model import Column, DocumentTableModel
from idm_desktop.ui.library.scope import TaskScope
from idm_desktop.ui.library.search import SearchController
from idm_desktop.ui.library.terms import Term, hit_terms, query_terms
from idm_desktop.ui.library.viewer import DocumentViewer
from idm_desktop.ui.tasks import Lane, TaskManager

log = logging.getLogger(__name__)

_PAGE_TABLE, _PAGE_RESULTS = range(2)


class LibraryView(QWidget):
    """Every document of the local library: find it, read it, import more."""

    sig_library_changed = Signal()
    """Documents were added (or removed)."""

    sig_documents_listed = Signal()
    """The list of documents was read again (after :meth:`refresh` or a change of filter)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("library_view")
        self._app = app
        self._scope = TaskScope(tasks, self)
        self._listing = 0  # the number of the latest listing asked for; older answers are stale
        self._wanted: str | None = None  # asked for by open_document, selected once it is listed
        self._query = ""
        self._hits: list[SearchHit] = []
        self._focus_results = False
        self._selecting = False  # a selection made here, not by the user: the viewer is told apart
        self._last_folder = ""
        self.model = DocumentTableModel(app, tasks, self)
        self.hits_model = SearchHitsModel(self)
        self.search = SearchController(app, tasks, self)
        self.viewer = DocumentViewer(app, tasks, self)
        self.importer = ImportPanel(app, tasks, self)
        self.editing = DocumentEditing(app, tasks, self)
        self._build()
        self.viewer.sig_document_shown.connect(self._on_viewer_document_shown)
        self.editing.sig_document_edited.connect(self._on_editing_document_edited)
        self.setAcceptDrops(True)
        self.search.sig_hits_found.connect(self._on_search_hits_found)
        self.search.sig_query_refused.connect(self._on_search_query_refused)
        self.importer.sig_import_finished.connect(self._on_importer_import_finished)

    # -- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("library_search")
        self.search_edit.setPlaceholderText(_("Search the documents (Ctrl+F)"))
        self.search_edit.setAccessibleName(_("Search the documents"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAcceptDrops(False)  # a dropped file is imported, not typed in
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)

        self.filter_bar = FilterBar(self)
        self.filter_bar.sig_filters_changed.connect(self._on_filter_bar_filters_changed)
        self.import_button = QPushButton(_("Import…"), self)
        self.import_button.setObjectName("library_import")
        self.import_button.setAccessibleName(_("Import documents"))
        self.import_button.setToolTip(_("Import PDF, Word, text or Markdown files (or drop them here)"))
        self.import_button.clicked.connect(self.choose_files_to_import)

        self.edit_button = QPushButton(_("Details…"), self)
        self.edit_button.setObjectName("library_edit")
        self.edit_button.setAccessibleName(_("Edit the document's details"))
        self.edit_button.setToolTip(_("Correct the title, workshop, kind and languages of the "
                                      "document shown (F2)"))
        self.edit_button.setEnabled(False)
        self.edit_button.clicked.connect(self.edit_document)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.edit_button)
        top.addWidget(self.import_button)

        self.search_message = QLabel(self)
        self.search_message.setObjectName("library_search_message")
        self.search_message.setAccessibleName(_("Search problem"))
        self.search_message.setWordWrap(True)
        tint(self.search_message, Tone.ERROR)
        self.search_message.hide()

        self.table = QTableView(self)
        self.table.setObjectName("library_table")
        self.table.setAccessibleName(_("Documents"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        # Fixed row heights and no "resize to contents": 10,000 rows scroll without reading them.
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.columns = ColumnSizer(self.table)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)

        self.results_label = QLabel(self)
        self.results_label.setObjectName("library_results_count")
        self.results_label.setWordWrap(True)
        self.results_list = QListView(self)
        self.results_list.setObjectName("library_results")
        self.results_list.setAccessibleName(_("Search results"))
        self.results_list.setModel(self.hits_model)
        self.results_list.setItemDelegate(HitDelegate(self.results_list))
        self.results_list.setWordWrap(True)
        self.results_list.setUniformItemSizes(False)
        self.results_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.results_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_list.activated.connect(self._on_results_list_activated)
        self.results_list.selectionModel().currentChanged.connect(self._on_results_list_current_changed)
        results_page = QWidget(self)
        results_layout = QVBoxLayout(results_page)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.results_label)
        results_layout.addWidget(self.results_list, 1)

        self.lists = QStackedWidget(self)
        self.lists.addWidget(self.table)
        self.lists.addWidget(results_page)
        self.viewer.text_view.setAcceptDrops(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("library_splitter")
        self.splitter.addWidget(self.lists)
        self.splitter.addWidget(self.viewer)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([670, 330])  # the table's six columns need the room

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filter_bar)  # a row of its own: each filter with its label fits
        layout.addWidget(self.search_message)
        layout.addWidget(self.importer)
        layout.addWidget(self.splitter, 1)

        details = QShortcut(QKeySequence(Qt.Key.Key_F2), self)
        details.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        details.activated.connect(self.edit_document)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.start_find)
        # F3 steps through the open document's matches from where one searches, too (the
        # viewer has its own F3 for when the focus is in it: these are not its ancestors).
        for widget in (self.search_edit, self.results_list, self.table):
            for key, step in (("F3", 1), ("Shift+F3", -1)):
                stepper = QShortcut(QKeySequence(key), widget)
                stepper.setContext(Qt.ShortcutContext.WidgetShortcut)
                stepper.activated.connect(lambda s=step: self.viewer.step_match(s))
        for widget in (self.search_edit, self.results_list):
            escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), widget)
            escape.setContext(Qt.ShortcutContext.WidgetShortcut)
            escape.activated.connect(self._on_escape_shortcut_activated)
        chain: list[QWidget] = [self.search_edit, *self.filter_bar.combos(), self.edit_button,
                                self.import_button,
                                self.table, self.results_list, self.viewer.previous_button,
                                self.viewer.next_button, self.viewer.text_view, self.viewer.pdf_view]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- the contract with the main window ---------------------------------------------------------

    def refresh(self) -> None:
        """Read the list of documents again (off the UI thread), keeping the selection."""
        self._listing += 1
        listing = self._listing
        workshop_id, kind, language = self.filter_bar.filters()
        app = self._app

        def list_documents() -> tuple[list[Workshop], list[str]]:
            return app.workshops(), app.document_ids(workshop_id, kind, language)

        self._scope.run(list_documents, lane=Lane.STORAGE, name="list documents",
                        on_done=lambda result: self._on_documents_listed(listing, *result))

    def open_document(self, document_id: str) -> None:
        """Select the document in the list and show it in the viewer."""
        self.viewer.show_document(document_id, self._query_terms())
        row = self.model.row_of(document_id)
        if row is not None:
            self._select_row(row)
            return
        self._wanted = document_id  # selected when the list that holds it arrives
        self.filter_bar.reset()
        self.refresh()

    def edit_document(self) -> None:
        """Open the details of the document on screen, to correct them."""
        document_id = self.viewer.current_id()
        if document_id is not None:
            self.editing.edit(document_id)

    def _on_viewer_document_shown(self, _document_id: str) -> None:
        self.edit_button.setEnabled(True)

    def _on_editing_document_edited(self, doc: Document) -> None:
        self.model.document_changed(doc)
        self.viewer.show_facts(doc)
        self.refresh()  # its place in the list, and the filters, may have changed
        self.sig_library_changed.emit()

    def choose_files_to_import(self) -> None:
        """Ask for files (PDF, Word, text, Markdown) and import them."""
        from idm_desktop.ingest import SUPPORTED_SUFFIXES

        patterns = " ".join(f"*{suffix}" for suffix in SUPPORTED_SUFFIXES)
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Import documents"), self._last_folder,
            _("Documents ({patterns})").format(patterns=patterns) + ";;" + _("All files (*)"))
        if names:
            self._last_folder = str(Path(names[0]).parent)
            self.import_files([Path(n) for n in names])

    def import_files(self, paths: list[Path]) -> None:
        """Import files (or the supported files in folders) in the background."""
        self.importer.import_files(paths)

    def cancel_import(self) -> None:
        """Stop a running import after its current file (e.g. when the window closes)."""
        self.importer.cancel()

    # -- listing ---------------------------------------------------------------------------------

    def _on_filter_bar_filters_changed(self) -> None:
        self.refresh()

    def _on_documents_listed(self, listing: int, workshops: list[Workshop], ids: list[str]) -> None:
        if listing != self._listing:
            return
        self.filter_bar.set_workshops(workshops)
        lang = ui_language()
        self.model.set_workshop_titles({w.id: w.title_in(lang) for w in workshops})
        self.model.set_ids(ids)
        target = self._wanted or self.viewer.current_id()
        row = self.model.row_of(target) if target else None
        if row is not None:
            self._select_row(row)
        self._wanted = None
        self._show_hits()
        self.sig_documents_listed.emit()

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, Column.SYMBOL)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self._selecting = True
        try:
            self.table.selectionModel().setCurrentIndex(index, flags)
        finally:
            self._selecting = False
        self.table.scrollTo(index)

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # A selection made here only follows the viewer (which may show a hit's words).
        if current.isValid() and not self._selecting:
            self.viewer.show_document(self.model.id_at(current.row()), self._query_terms())

    # -- search ------------------------------------------------------------------------------------

    def _query_terms(self) -> list[Term]:
        return query_terms(self._query) if self._query else []

    def _on_search_edit_text_changed(self, text: str) -> None:
        self.search.set_query(text)

    def _on_search_edit_return_pressed(self) -> None:
        self._focus_results = True
        self.search.search_now()

    def start_find(self) -> None:
        """Ctrl+F: in the open document, find in it; anywhere else, search the library."""
        focus = QApplication.focusWidget()
        edit = (self.viewer.find_edit if focus is not None and self.viewer.isAncestorOf(focus)
                and self.viewer.current_id() is not None else self.search_edit)
        edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        edit.selectAll()

    def _on_escape_shortcut_activated(self) -> None:
        self.search_edit.clear()
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_search_hits_found(self, query: str, hits: list[SearchHit]) -> None:
        self._query = query
        self._hits = hits
        self.search_message.hide()
        self._show_hits()

    def _on_search_query_refused(self, query: str, message: str) -> None:
        self._query = ""
        self._hits = []
        self._focus_results = False
        self.hits_model.set_hits([])
        self.search_message.setText(message)
        self.search_message.show()
        self.lists.setCurrentIndex(_PAGE_TABLE)  # no empty list: the documents stay in view

    def _show_hits(self) -> None:
        if not self._query:
            self.hits_model.set_hits([])
            self.lists.setCurrentIndex(_PAGE_TABLE)
            return
        hits = self._hits
        if self.filter_bar.active():
            hits = [h for h in hits if self.model.row_of(h.id) is not None]
        self.hits_model.set_hits(hits)
        self.results_label.setText(
            ngettext("{n} document matches “{query}”.", "{n} documents match “{query}”.",
                     len(hits)).format(n=len(hits), query=self._query)
            if hits else _("No document matches “{query}”.").format(query=self._query))
        self.lists.setCurrentIndex(_PAGE_RESULTS)
        if self._focus_results and hits:
            self.results_list.setCurrentIndex(self.hits_model.index(0, 0))
            self.results_list.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus_results = False

    def _open_hit(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, SearchHit):
            terms = list(dict.fromkeys([*hit_terms(hit), *self._query_terms()]))
            self.viewer.show_document(hit.id, terms)

    def _on_results_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._open_hit(current)

    def _on_results_list_activated(self, index: QModelIndex) -> None:
        self._open_hit(index)
        self.viewer.focus_content()

    # -- import ------------------------------------------------------------------------------------

    def _on_importer_import_finished(self, outcome: ImportOutcome) -> None:
        if not outcome.imported:
            return
        self.refresh()
        if self._query:
            self.search.search_now()
        self.sig_library_changed.emit()

    @staticmethod
    def _dropped_paths(event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._dropped_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_paths(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_files(paths)
