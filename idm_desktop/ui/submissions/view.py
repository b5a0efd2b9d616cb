"""The Submissions page: the list by workshop and status, and the editor, one at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import Submission, SubmissionStatus, status_label
from idm_desktop.ui.formatting import TextSize, set_text_size
from idm_desktop.ui.submissions.deleting import DraftDeleter
from idm_desktop.ui.submissions.dialogs import (
    NewSubmissionChoices,
    NewSubmissionDialog,
    NewSubmissionRequest,
    load_choices,
)
from idm_desktop.ui.submissions.editor_data import EditorData, load_editor_data
from idm_desktop.ui.submissions.model import (
    ID_ROLE,
    STATUS_ROLE,
    Listing,
    SubmissionsFilter,
    SubmissionsModel,
    load_listing,
)
from idm_desktop.ui.tasks import Lane, TaskManager

if TYPE_CHECKING:
    from idm_desktop.ui.submissions.editor import SubmissionEditor


class SubmissionsView(QWidget):
    """The delegation's submissions; opening one shows the editor in the same place."""

    sig_submissions_changed = Signal()
    """A submission was created or saved."""

    sig_submitted = Signal(str)
    """A submission was frozen and queued for the secretariat (its id)."""

    sig_editor_opened = Signal(str)
    """The editor shows a submission (its id)."""

    sig_editor_left = Signal()
    """The editor was left for the list."""

    sig_resolve_requested = Signal(str)
    """The user asked to resolve the conflicts of a submission (its id)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submissions_view")
        self._app = app
        self._tasks = tasks
        self.new_dialog: NewSubmissionDialog | None = None
        self._select_after_refresh: str | None = None
        self.model = SubmissionsModel(self)
        self.proxy = SubmissionsFilter(self)
        self.proxy.setSourceModel(self.model)

        self.list_page = QWidget(self)
        heading = QLabel(_("Submissions"), self.list_page)
        set_text_size(heading, TextSize.PAGE)
        self.workshop_filter = QComboBox(self.list_page)
        self.workshop_filter.setAccessibleName(_("Show the submissions of"))
        self.workshop_filter.addItem(_("All workshops"), None)
        self.workshop_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.workshop_filter.setMinimumContentsLength(24)
        self.status_filter = QComboBox(self.list_page)
        self.status_filter.setAccessibleName(_("Show the submissions with the status"))
        self.status_filter.addItem(_("All statuses"), None)
        for status in SubmissionStatus:
            self.status_filter.addItem(status_label(status), status.value)
        self.workshop_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.status_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.new_button = QPushButton(_("New submission…"), self.list_page)
        self.new_button.setAccessibleName(_("New submission"))
        self.new_button.clicked.connect(lambda: self.start_new(self._filtered_workshop()))
        self.open_button = QPushButton(_("Open"), self.list_page)
        self.open_button.setAccessibleName(_("Open the selected submission"))
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.deleter = DraftDeleter(app, tasks, self._selected_id, self.list_page)
        self.deleter.sig_changed.connect(self._on_deleter_changed)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.deleter.button)
        top.addWidget(self.open_button)
        top.addWidget(self.new_button)
        filters = QHBoxLayout()
        for text, combo in ((_("&Workshop:"), self.workshop_filter), (_("S&tatus:"), self.status_filter)):
            label = QLabel(text, self.list_page)
            label.setBuddy(combo)  # what a screen reader says with the value
            filters.addWidget(label)
            filters.addWidget(combo)
        filters.addStretch(1)

        self.table = QTableView(self.list_page)
        self.table.setObjectName("submissions_table")
        self.table.setAccessibleName(_("Submissions"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(SubmissionsModel.COLUMNS.index("saved"), Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # The title takes what the other columns leave, and those are fitted to their contents up
        # to a cap (_fit_columns): a workshop's or a country's long name must not squeeze the
        # title out of a narrow window. The user may widen any column.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.activated.connect(self._on_table_activated)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.deleter.delete_selected)
        self.empty_label = QLabel(
            _("No submission yet. Start one with “New submission…” (Ctrl+N): choose the "
              "workshop, your country and the language, then write on the template."),
            self.list_page)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        list_layout = QVBoxLayout(self.list_page)
        list_layout.addLayout(top)
        list_layout.addLayout(filters)
        list_layout.addWidget(self.deleter.banner)
        list_layout.addWidget(self.empty_label)
        list_layout.addWidget(self.table, 1)

        self.table.selectionModel().selectionChanged.connect(
            lambda _s, _d: self.deleter.set_enabled_for(self._selected_status() == "draft"))
        self.deleter.set_enabled_for(False)

        self._editor: SubmissionEditor | None = None
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # -- the list -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list off the UI thread."""
        app = self._app
        self._tasks.run(lambda: load_listing(app), lane=Lane.STORAGE, name="submissions",
                        on_done=self._on_listing_loaded)

    def _on_listing_loaded(self, listing: Listing) -> None:
        selected = self._select_after_refresh or self._selected_id()
        self._select_after_refresh = None
        self.model.set_rows(listing.rows)
        self._fit_columns()
        used = {r.workshop_id for r in listing.rows}
        current = self.workshop_filter.currentData()
        self.workshop_filter.blockSignals(True)
        while self.workshop_filter.count() > 1:
            self.workshop_filter.removeItem(1)
        for wid, title in listing.workshops:
            if wid in used or wid == current:
                self.workshop_filter.addItem(title, wid)
        self.workshop_filter.setCurrentIndex(max(self.workshop_filter.findData(current), 0))
        self.workshop_filter.blockSignals(False)
        self._on_filter_changed()
        self.empty_label.setVisible(not listing.rows)
        self.table.setVisible(bool(listing.rows))
        if selected is not None:
            self.select(selected)
        elif self.proxy.rowCount():
            self.table.selectRow(0)

    def _on_filter_changed(self, _index: int = 0) -> None:
        self.proxy.set_filter(self.workshop_filter.currentData(), self.status_filter.currentData())

    def _filtered_workshop(self) -> str | None:
        data = self.workshop_filter.currentData()
        return str(data) if data else None

    def select(self, sid: str) -> None:
        row = self.model.row_of(sid)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())

    def _selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return str(rows[0].data(ID_ROLE)) if rows else None

    def _selected_status(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return str(rows[0].data(STATUS_ROLE)) if rows else None

    def _on_deleter_changed(self) -> None:
        if self.deleter.restored_id is not None:
            self._select_after_refresh = self.deleter.restored_id
            self.deleter.restored_id = None
        self.refresh()
        self.sig_submissions_changed.emit()

    def _on_table_activated(self, index: QModelIndex) -> None:
        sid = index.data(ID_ROLE)
        if sid:
            self.open_submission(str(sid))

    def _on_open_button_clicked(self) -> None:
        sid = self._selected_id()
        if sid is not None:
            self.open_submission(sid)

    def show_list(self) -> None:
        """Back from the editor to the list (what is unsaved is saved on the way)."""
        self.stack.setCurrentWidget(self.list_page)
        self.sig_editor_left.emit()
        self.refresh()
        self.table.setFocus()

    # -- the editor --------------------------------------------------------------------------------

    @property
    def editor(self) -> SubmissionEditor:
        """The editor, made on first use: its modules load the export code, which is slow to
        import (opening a submission imports them off the GUI thread first)."""
        if self._editor is None:
            from idm_desktop.ui.submissions.editor import SubmissionEditor

            editor = SubmissionEditor(self._app, self._tasks, self)
            editor.sig_opened.connect(self._on_editor_opened)
            editor.sig_back_requested.connect(self.show_list)
            editor.sig_saved.connect(self._on_editor_saved)
            editor.sig_submitted.connect(self._on_editor_submitted)
            editor.sig_resolve_requested.connect(self.sig_resolve_requested)
            editor.sig_correction_requested.connect(self.prepare_correction)
            self.stack.addWidget(editor)
            self._editor = editor
        return self._editor

    def open_submission(self, sid: str) -> None:
        """Open the editor on submission ``sid`` (it shows once loaded)."""
        if self._editor is not None:
            self._editor.leave()  # the text open now is saved before the next one is read
        app = self._app

        def load() -> EditorData:
            import idm_desktop.ui.submissions.editor  # noqa: F401 - its slow imports, done here

            return load_editor_data(app, sid)

        self._tasks.run(load, lane=Lane.STORAGE, name="open submission",
                        on_done=self._on_editor_data_loaded)

    def _on_editor_data_loaded(self, data: EditorData) -> None:
        self.editor.show_data(data)

    def _on_editor_opened(self, sid: str) -> None:
        self.stack.setCurrentWidget(self.editor)
        self.sig_editor_opened.emit(sid)

    def selection(self) -> tuple[str, str] | None:
        """The section and the words selected in the open editor (None: nothing selected)."""
        return self._editor.selection() if self._editor is not None else None

    def set_highlights(self, words: dict[str, list[str]]) -> None:
        """Mark the words of review comments in the open editor (DESIGN §13)."""
        if self._editor is not None:
            self._editor.set_highlights(words)

    def show_words(self, section: str, words: str) -> None:
        """Scroll the open editor to ``words`` of ``section`` (a review comment's), highlighted."""
        if self._editor is not None:
            self._editor.show_words(section, words)

    def _on_editor_saved(self, _sub: Submission) -> None:
        self.sig_submissions_changed.emit()

    def _on_editor_submitted(self, sid: str) -> None:
        self.sig_submissions_changed.emit()
        self.sig_submitted.emit(sid)

    def _open_editor(self) -> SubmissionEditor | None:
        """The editor, when it is the page on screen with a submission in it."""
        editor = self._editor
        if editor is None or self.stack.currentWidget() is not editor or editor.data is None:
            return None
        return editor

    def shown_editor(self) -> SubmissionEditor | None:
        """The editor, when it is on screen with a submission in it (for the Edit menu)."""
        return self._open_editor()

    def can_submit(self) -> bool:
        editor = self._open_editor()
        return editor is not None and editor.can_submit

    def submit_open(self) -> None:
        """Submit the submission open in the editor (it asks first)."""
        editor = self._open_editor()
        if editor is not None:
            editor.submit()

    def _fit_columns(self) -> None:
        """Each column but the title as wide as its contents, at most an eighth of the table."""
        cap = max(80, self.table.viewport().width() // 8)
        for column in range(1, self.model.columnCount()):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), cap))

    def reload_if_open(self, sid: str) -> None:
        """Submission ``sid`` changed on disk (conflicts settled): show it again if it is open."""
        editor = self._open_editor()
        if editor is not None and editor.submission_id == sid:
            editor.saver.flush()  # read after this save (the storage lane keeps the order)
            app = self._app
            self._tasks.run(lambda: load_editor_data(app, sid), lane=Lane.STORAGE, name="reload submission",
                            on_done=self._on_reload_loaded)

    def on_synced(self) -> None:
        """A sync ended: statuses, receipts and texts may have changed. The open editor shows the
        new text if the user has nothing unsaved (otherwise the next sync brings it)."""
        self.refresh()
        editor = self._open_editor()
        if editor is None or editor.saver.has_unsaved():
            return
        sid = editor.submission_id
        assert sid is not None
        app = self._app
        self._tasks.run(lambda: load_editor_data(app, sid), lane=Lane.STORAGE, name="reload submission",
                        on_done=lambda data: self._on_reload_loaded(data, only_if_changed=True))

    def _on_reload_loaded(self, data: EditorData, only_if_changed: bool = False) -> None:
        editor = self._open_editor()
        if editor is None or editor.data is None or editor.submission_id != data.submission.id:
            return
        if only_if_changed:
            old, new = editor.data.submission, data.submission
            same = ((old.title, dict(old.body), old.status, old.receipt_no)
                    == (new.title, dict(new.body), new.status, new.receipt_no))
            if (same and editor.data.conflicts == data.conflicts) or editor.saver.has_unsaved():
                return
        editor.reload(data)

    def save_now(self) -> None:
        """Queue a save of any unsaved editor text on the storage lane."""
        if self._editor is not None:
            self._editor.save_now()

    # -- a new submission --------------------------------------------------------------------------

    def start_new(self, workshop_id: str | None) -> None:
        """Ask for the workshop (preselected if given), country, language and title; then
        create the submission and open the editor on it."""
        app = self._app
        self._tasks.run(lambda: load_choices(app), lane=Lane.STORAGE, name="new submission",
                        on_done=lambda choices: self._show_new_dialog(choices, workshop_id))

    def _show_new_dialog(self, choices: NewSubmissionChoices, workshop_id: str | None) -> None:
        if self.new_dialog is not None:
            self.new_dialog.raise_()
            return
        dialog = NewSubmissionDialog(choices, workshop_id, self)
        dialog.accepted.connect(lambda: self._create(dialog.request))
        dialog.finished.connect(self._on_new_dialog_finished)
        self.new_dialog = dialog
        dialog.open()

    def _on_new_dialog_finished(self, _result: int) -> None:
        if self.new_dialog is not None:
            self.new_dialog.deleteLater()
        self.new_dialog = None

    def _create(self, request: NewSubmissionRequest | None) -> None:
        if request is None:
            return
        app = self._app

        def create() -> Submission:
            return app.new_submission(request.workshop_id, request.country, request.language,
                                      request.title)

        self._tasks.run(create, lane=Lane.STORAGE, name="create submission",
                        on_done=self._on_created)

    def prepare_correction(self, sid: str) -> None:
        """A new draft correcting the sent submission ``sid``, opened in the editor."""
        app = self._app
        self._tasks.run(lambda: app.prepare_correction(sid), lane=Lane.STORAGE, name="prepare a correction",
                        on_done=self._on_created)

    def _on_created(self, sub: Submission) -> None:
        self.sig_submissions_changed.emit()
        self.refresh()
        self.open_submission(sub.id)
