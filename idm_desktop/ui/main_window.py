"""The main window: navigation between the feature views, menus, and the status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.core.i18n import _, plural
from idm_desktop.core.languages import LANGUAGES, language_name

if TYPE_CHECKING:
    # The window is put on the screen before its parts are loaded (ui.window): they are imported
    # where they are built. The views after the first are built (and loaded) when first shown.
    from idm_desktop.app import DesktopApp
    from idm_desktop.core.sync import SyncReport
    from idm_desktop.ui.errors import OncePerProblem
    from idm_desktop.ui.library.view import LibraryView
    from idm_desktop.ui.review.pane import ReviewPane
    from idm_desktop.ui.review_dock import ReviewDock
    from idm_desktop.ui.start_reads import StartReads
    from idm_desktop.ui.submissions.editor import SubmissionEditor
    from idm_desktop.ui.submissions.view import SubmissionsView
    from idm_desktop.ui.sync.state import SyncState
    from idm_desktop.ui.sync.view import SyncView
    from idm_desktop.ui.tasks import TaskManager

log = logging.getLogger(__name__)

PAGE_WORKSHOPS, PAGE_LIBRARY, PAGE_SUBMISSIONS, PAGE_SYNC = range(4)



class MainWindow(QMainWindow):
    """Workshops, Library, Submissions and Sync, one at a time, with the sidebar beside them.

    Only the Workshops view, the first shown, is built with the window; the others (and the
    Review pane) are built, and read their data, when first shown or first asked for: the window
    is on the screen sooner and a start reads only what the first view shows."""

    sig_language_chosen = Signal(str)
    """The user picked another interface language (takes effect on restart)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget | None = None, *,
                 build: bool = True) -> None:
        """``build=False`` makes only the frame (title, size and place): the window can be put on
        the screen at once, and :meth:`build` called next (ui.window does so)."""
        super().__init__(parent)
        self.app = app
        self.tasks = tasks
        self.built = False
        self.start_reads: StartReads | None = None
        """The start's reads (ui.start_reads), once the window is built."""
        self._errors: OncePerProblem | None = None  # the dialogs of the tasks' failures
        tasks.default_error = self._on_task_failed
        self.setWindowTitle(_("IDM Delegate Desktop"))
        self.setObjectName("main_window")
        self._state = QSettings(str(app.paths.home / "window.ini"), QSettings.Format.IniFormat)
        # The frame has its menu bar and status bar from the start (the menus are filled as the
        # window is made): nothing moves down when they come.
        bar = self.menuBar()
        self._menus = {key: bar.addMenu(title) for key, title in (
            ("file", _("&File")), ("edit", _("&Edit")), ("view", _("&View")), ("sync", _("S&ync")),
            ("settings", _("&Settings")), ("help", _("&Help")))}
        self.statusBar()
        self.resize(1200, 800)
        geometry = self._state.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if build:
            self.build()

    def build(self) -> None:
        """The sidebar, the first view, the menus and the status bar; then the first counts."""
        from idm_desktop.ui.sidebar import Sidebar
        from idm_desktop.ui.sync.controller import SyncController
        from idm_desktop.ui.workshops.view import WorkshopsView

        app, tasks = self.app, self.tasks
        self.workshops = WorkshopsView(app, tasks, self)
        self.workshops.refresh()  # its reads start now, while the rest of the window is made
        self._library: LibraryView | None = None
        self._submissions: SubmissionsView | None = None
        self._sync_view: SyncView | None = None
        self._review_dock: ReviewDock | None = None
        self._review_open = False
        self.sync = SyncController(app, tasks, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.workshops)
        for _page in (PAGE_LIBRARY, PAGE_SUBMISSIONS, PAGE_SYNC):
            self.stack.addWidget(QWidget(self.stack))  # its view's place, until it is built

        self.nav = Sidebar((("workshops", _("Workshops")), ("library", _("Library")),
                            ("submissions", _("Submissions")), ("sync", _("Sync"))), self)
        self.nav.setAccessibleName(_("Navigation"))

        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        page = QVBoxLayout()
        page.setContentsMargins(12, 10, 12, 6)  # the views' margin from the sidebar and the edges
        page.addWidget(self.stack)
        row.addLayout(page, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        self._wire_views()
        self.nav.setCurrentRow(PAGE_WORKSHOPS)  # shown and being read already
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)
        self.built = True
        # The first view's data first (the programme, the counts); what waits for the user and
        # the sync's status once it is on the screen, so their reads do not hold it back.
        from idm_desktop.ui.start_reads import StartReads

        self.start_reads = StartReads(self, self.app, self.workshops, self.status_line, self.sync,
                                      self.read_again)
        self.start_reads.begin()

    @property
    def library(self) -> LibraryView:
        """The Library view."""
        if self._library is None:
            from idm_desktop.ui.library.view import LibraryView

            self._library = view = LibraryView(self.app, self.tasks, self)
            self._place(PAGE_LIBRARY, view)
            view.sig_library_changed.connect(self.refresh_counts)
            view.sig_library_changed.connect(self.workshops.refresh)
        return self._library

    @property
    def submissions(self) -> SubmissionsView:
        """The Submissions view (list and editor)."""
        if self._submissions is None:
            from idm_desktop.ui.submissions.view import SubmissionsView

            self._submissions = view = SubmissionsView(self.app, self.tasks, self)
            self._place(PAGE_SUBMISSIONS, view)
            view.sig_submissions_changed.connect(self.refresh_counts)
            view.sig_submissions_changed.connect(self.sync.local_change)
            view.sig_submitted.connect(lambda _sid: self.sync.local_change())
            view.sig_submitted.connect(lambda _sid: self.sync.sync_now())
            view.sig_resolve_requested.connect(self._on_resolve_requested)
            view.sig_editor_opened.connect(self._on_submissions_editor_opened)
            view.sig_editor_left.connect(self._on_submissions_editor_left)
            self.sync.sig_conflicts_resolved.connect(view.reload_if_open)
        return self._submissions

    @property
    def sync_view(self) -> SyncView:
        """The Sync view (account, what waits, conflicts)."""
        if self._sync_view is None:
            from idm_desktop.ui.sync.view import SyncView

            self._sync_view = view = SyncView(self.app, self.tasks, self.sync, self)
            self._place(PAGE_SYNC, view)
        return self._sync_view

    def _place(self, page: int, view: QWidget) -> None:
        """Put a view just built where its page's placeholder stood."""
        placeholder = self.stack.widget(page)
        assert placeholder is not None
        shown = self.stack.currentIndex() == page
        self.stack.insertWidget(page, view)
        if shown:
            self.stack.setCurrentIndex(page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()

    def _view_at(self, page: int) -> QWidget:
        """The view of ``page``, built if it was not yet."""
        views: dict[int, Callable[[], QWidget]] = {
            PAGE_LIBRARY: lambda: self.library, PAGE_SUBMISSIONS: lambda: self.submissions,
            PAGE_SYNC: lambda: self.sync_view}
        return views[page]() if page in views else self.workshops

    def _showing(self, view: QWidget | None) -> bool:
        return view is not None and self.stack.currentWidget() is view

    # -- building ------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        # Qt's namespace costs some 20 ms to load: not before the window is on the screen.
        from PySide6.QtCore import Qt

        from idm_desktop.ui.edit_menu import EditMenu
        from idm_desktop.ui.file_menu import FileMenu

        menus = self._menus
        self.file_menu = FileMenu(menus["file"], self, on_import=self._on_import_triggered,
                                  on_new=lambda: self.start_submission(None), on_quit=self.close,
                                  shown_editor=self._shown_editor)
        files = self.file_menu
        self.action_import, self.action_new, self.action_quit = files.action_import, files.action_new, \
            files.action_quit
        self.action_print, self.action_import_word = files.action_print, files.action_import_word
        self.action_export_word, self.action_export_pdf = files.action_export_word, files.action_export_pdf

        self.edit_menu = EditMenu(menus["edit"], self._on_find_requested,
                                  self._can_find)

        view_menu = menus["view"]
        for page, label in ((PAGE_WORKSHOPS, _("&Workshops")), (PAGE_LIBRARY, _("&Library")),
                            (PAGE_SUBMISSIONS, _("&Submissions")), (PAGE_SYNC, _("S&ync"))):
            action = QAction(label, self)
            action.setShortcut(QKeySequence(f"Ctrl+{page + 1}"))
            action.triggered.connect(lambda _checked=False, p=page: self.show_page(p))
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.zoom_actions: list[QAction] = []
        for label, keys, step in ((_("Zoom &in"), "Ctrl++", 1), (_("Zoom &out"), "Ctrl+-", -1),
                                  (_("&Actual size"), "Ctrl+0", 0)):
            action = QAction(label, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the editor's keys
            action.triggered.connect(lambda _checked=False, s=step: self._on_zoom_triggered(s))
            view_menu.addAction(action)
            self.zoom_actions.append(action)
        view_menu.addSeparator()
        # The Review pane beside an open submission; hidden by choice (Word users close panes).
        self.review_pane_action = QAction(_("&Review pane"), self, checkable=True)
        self.review_pane_action.setChecked(True)
        self.review_pane_action.toggled.connect(lambda _on: self._update_review_dock())
        view_menu.addAction(self.review_pane_action)
        view_menu.aboutToShow.connect(self._on_view_menu_about_to_show)

        self._build_sync_menu()

        settings_menu = menus["settings"]
        lang_menu = settings_menu.addMenu(_("Interface &language"))
        group = QActionGroup(self)
        for code in LANGUAGES:
            action = QAction(language_name(code), self, checkable=True)
            action.setChecked(code == self.app.settings.ui_language)
            action.triggered.connect(lambda _checked=False, c=code: self._on_language_triggered(c))
            group.addAction(action)
            lang_menu.addAction(action)

        help_menu = menus["help"]
        logs = QAction(_("Open the &log folder"), self)
        logs.triggered.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.app.paths.logs))))
        help_menu.addAction(logs)
        about = QAction(_("&About IDM Delegate Desktop"), self)
        about.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about)

    # -- editing -------------------------------------------------------------------------------

    def _shown_editor(self) -> SubmissionEditor | None:
        return self.submissions.shown_editor() if self._showing(self._submissions) else None

    def _can_find(self, replace: bool) -> bool:
        editor = self._shown_editor()
        if editor is not None:
            return not replace or not editor.read_only
        return not replace and self._showing(self._library)

    def _on_find_requested(self, replace: bool) -> None:
        editor = self._shown_editor()
        if editor is not None:
            editor.tools.open_find(replace)
        elif self._showing(self._library) and not replace:
            self.library.start_find()

    def _on_zoom_triggered(self, step: int) -> None:
        editor = self._shown_editor()
        if editor is not None:
            editor.tools.set_zoom(editor.tools.zoom + step if step else 0)

    def _on_view_menu_about_to_show(self) -> None:
        for action in self.zoom_actions:
            action.setEnabled(self._shown_editor() is not None)

    def _build_sync_menu(self) -> None:
        menu = self._menus["sync"]
        self.action_sync_now = QAction(_("&Sync now"), self)
        self.action_sync_now.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
        self.action_sync_now.triggered.connect(self._on_sync_now_triggered)
        menu.addAction(self.action_sync_now)
        self.action_submit = QAction(_("S&ubmit the open submission…"), self)
        self.action_submit.triggered.connect(lambda: self.submissions.submit_open())
        menu.addAction(self.action_submit)
        menu.addSeparator()
        self.action_sign_in = QAction(_("Sign &in…"), self)
        self.action_sign_in.triggered.connect(self._on_sign_in_triggered)
        menu.addAction(self.action_sign_in)
        self.action_sign_out = QAction(_("Sign &out"), self)
        self.action_sign_out.triggered.connect(self.sync.sign_out)
        menu.addAction(self.action_sign_out)
        menu.aboutToShow.connect(self._on_sync_menu_about_to_show)

    @property
    def review_dock(self) -> ReviewDock:
        """The Review pane's dock beside the editor, built when the first submission opens."""
        if self._review_dock is None:
            from idm_desktop.ui.review_dock import ReviewDock

            self._review_dock = ReviewDock(self.app, self.tasks, self.submissions, self.sync, self)
        return self._review_dock

    @property
    def review(self) -> ReviewPane:
        """The Review pane (DESIGN §13), shown beside an open submission."""
        return self.review_dock.pane

    def _on_submissions_editor_opened(self, sid: str) -> None:
        if self.review.data is None or self.review.data.submission_id != sid:
            self.review.show_submission(sid)
        self._review_open = True
        self._update_review_dock()

    def _update_review_dock(self) -> None:
        """The pane shows beside an open submission only: not over the other views."""
        if self._review_dock is None:
            return  # no submission was opened yet
        self._review_dock.setVisible(
            self._review_open and self._showing(self._submissions) and self.review_pane_action.isChecked())

    def _on_submissions_editor_left(self) -> None:
        self._review_open = False
        self._update_review_dock()
        if self._review_dock is not None:
            self._review_dock.pane.show_submission(None)

    def _build_status_bar(self) -> None:
        from idm_desktop.ui.status_line import StatusLine

        self.status_line = StatusLine(self, self.app, self.tasks, self.nav, PAGE_LIBRARY, PAGE_SUBMISSIONS)
        self.sync_indicator = self.status_line.sync_indicator
        self.connection_label = self.sync_indicator.label
        self.counts_label = self.status_line.counts_label
        self.review_label = self.status_line.review_label
        self.notices_label = self.status_line.notices_label

    def _wire_views(self) -> None:
        self.workshops.sig_new_submission_requested.connect(self.start_submission)
        self.workshops.sig_document_requested.connect(self.open_document)
        self.workshops.sig_notices_read.connect(self.refresh_counts)
        self.sync.sig_state_changed.connect(self.sync_indicator.show_state)
        self.sync.sig_state_changed.connect(self._on_sync_state_changed)
        self.sync.sig_synced.connect(self._on_sync_synced)
        self.sync_indicator.sig_details_requested.connect(lambda: self.show_page(PAGE_SYNC))
        self.sync_indicator.sig_cancel_requested.connect(self.sync.cancel)

    def _on_task_failed(self, exc: BaseException) -> None:
        """Each distinct problem in a dialog, once (ui.errors.OncePerProblem); a library another
        program holds for now is no dialog: said in the status bar, and read again."""
        from idm_desktop.core.errors import LibraryBusyError
        from idm_desktop.ui.errors import OncePerProblem

        if isinstance(exc, LibraryBusyError) and self.start_reads is not None:
            self.start_reads.library_busy()
            return
        if self._errors is None:
            self._errors = OncePerProblem(self, self.app.paths.logs)
        self._errors.show(exc)

    def read_again(self) -> None:
        """The status bar's counts, the programme and the view shown, read again."""
        self.status_line.refresh()
        self.workshops.refresh()
        view = self._view_at(self.stack.currentIndex())
        refresh = getattr(view, "refresh", None)
        if view is not self.workshops and callable(refresh):
            refresh()

    # -- navigation ----------------------------------------------------------------------------

    def show_page(self, page: int) -> None:
        self.nav.setCurrentRow(page)

    def _on_nav_row_changed(self, row: int) -> None:
        if row < 0:
            return
        view = self._view_at(row)
        self.stack.setCurrentIndex(row)
        self._update_review_dock()
        refresh = getattr(view, "refresh", None)
        if callable(refresh):
            refresh()

    def start_submission(self, workshop_id: str | None) -> None:
        self.show_page(PAGE_SUBMISSIONS)
        self.submissions.start_new(workshop_id)

    def open_document(self, document_id: str) -> None:
        self.show_page(PAGE_LIBRARY)
        self.library.open_document(document_id)

    # -- sync ------------------------------------------------------------------------------------

    def _on_sync_now_triggered(self) -> None:
        if not self.sync.sync_now():
            self._on_sign_in_triggered()  # not signed in: that is the first step

    def _on_sign_in_triggered(self) -> None:
        self.show_page(PAGE_SYNC)
        self.sync_view.open_sign_in()

    def _on_sync_menu_about_to_show(self) -> None:
        from idm_desktop.ui.sync.state import Problem

        state = self.sync.state
        self.action_sign_in.setEnabled(not state.signed_in or state.problem is Problem.SIGN_IN)
        self.action_sign_out.setEnabled(state.signed_in)
        self.action_submit.setEnabled(self._submissions is not None and self._submissions.can_submit())

    def _on_resolve_requested(self, sid: str) -> None:
        self.submissions.save_now()  # the resolver reads the text after this save (storage lane order)
        self.sync_view.open_resolver(sid)

    def _on_sync_synced(self, report: SyncReport) -> None:
        # A view not built yet reads the synced data when it is.
        if self._submissions is not None:
            self._submissions.on_synced()
        if self._review_dock is not None:
            self._review_dock.pane.reload()
        self.refresh_counts()
        if report.pulled or report.new_documents:
            self.refresh_counts()
            self.workshops.refresh()
        if report.new_documents and self._library is not None:
            self._library.refresh()

    def _on_import_triggered(self) -> None:
        self.show_page(PAGE_LIBRARY)
        self.library.choose_files_to_import()

    def _on_sync_state_changed(self, state: SyncState) -> None:
        """The Sync entry counts what needs the user (conflicts, refusals) in red, else what waits."""
        from idm_desktop.ui.sync.state import attention_text

        attention = state.conflicts + state.failed
        if attention:
            self.nav.set_count(PAGE_SYNC, attention, alert=True, spoken=attention_text(state))
        else:
            n = state.waiting
            self.nav.set_count(PAGE_SYNC, n, spoken=plural("{n} waiting", "{n} waiting", n))

    def refresh_counts(self) -> None:
        """The library's counts and what waits for the user, read again (the status bar)."""
        self.status_line.refresh()

    def show_review_waiting(self, n: int, to_send: int = 0) -> None:
        self.status_line.show_review_waiting(n, to_send)

    # -- settings and about ----------------------------------------------------------------------

    def _on_language_triggered(self, code: str) -> None:
        from idm_desktop.ui.settings_menu import choose_language

        choose_language(self, self.app, code, self.sig_language_chosen.emit)

    def _on_about_triggered(self) -> None:
        from idm_desktop.ui.settings_menu import show_about

        show_about(self, self.app)

    # -- closing ---------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.built:  # closed before its parts were made: only its size and place to keep
            self._state.setValue("geometry", self.saveGeometry())
            self._state.sync()
            super().closeEvent(event)
            return
        if self.start_reads is not None:
            self.start_reads.stop()
        # Unsaved text is saved, never asked about (DESIGN §7).
        if self._submissions is not None:
            self._submissions.save_now()
        if self._library is not None:
            self._library.cancel_import()  # stops between two files; what is imported stays
        self.sync.shutdown()  # a sync under way stops at its next safe point; the outbox keeps the rest
        self.tasks.wait_idle()  # the save above, and any other storage work, reach the disk
        self._state.setValue("geometry", self.saveGeometry())
        self._state.sync()
        super().closeEvent(event)


def active_window() -> QWidget | None:
    return QApplication.activeWindow()
