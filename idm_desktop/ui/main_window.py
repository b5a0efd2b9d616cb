"""The main window: navigation between the feature views, menus, and the status bar."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from idm_desktop import __version__
from idm_desktop.app import DesktopApp
from idm_desktop.config.settings import save_settings
from idm_desktop.core.i18n import _, ngettext, plural
from idm_desktop.core.languages import LANGUAGES, language_name
from idm_desktop.ui.edit_menu import EditMenu
from idm_desktop.ui.errors import show_error
from idm_desktop.ui.formatting import format_number
from idm_desktop.ui.library.view import LibraryView
from idm_desktop.ui.review.pane import ReviewPane
from idm_desktop.ui.sidebar import Sidebar
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.sync.controller import SyncController
from idm_desktop.ui.sync.state import Problem, SyncState, attention_text
from idm_desktop.ui.sync.status_bar import SyncIndicator
from idm_desktop.ui.sync.view import SyncView
from idm_desktop.ui.tasks import TaskManager
from idm_desktop.ui.workshops.view import WorkshopsView

if TYPE_CHECKING:
    from collections.abc import Callable

    from idm_desktop.core.sync import SyncReport
    from idm_desktop.ui.submissions.editor import SubmissionEditor

log = logging.getLogger(__name__)

PAGE_WORKSHOPS, PAGE_LIBRARY, PAGE_SUBMISSIONS, PAGE_SYNC = range(4)


class MainWindow(QMainWindow):
    """Workshops, Library, Submissions and Sync, one at a time, with the sidebar beside them."""

    sig_language_chosen = Signal(str)
    """The user picked another interface language (takes effect on restart)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.tasks = tasks
        self._errors_shown: set[str] = set()
        tasks.default_error = self._on_task_failed
        self.setWindowTitle(_("IDM Delegate Desktop"))
        self.setObjectName("main_window")
        self._state = QSettings(str(app.paths.home / "window.ini"), QSettings.Format.IniFormat)

        self.workshops = WorkshopsView(app, tasks, self)
        self.library = LibraryView(app, tasks, self)
        self.submissions = SubmissionsView(app, tasks, self)
        self.sync = SyncController(app, tasks, self)
        self.sync_view = SyncView(app, tasks, self.sync, self)
        self.stack = QStackedWidget(self)
        for view in (self.workshops, self.library, self.submissions, self.sync_view):
            self.stack.addWidget(view)

        self.nav = Sidebar((("workshops", _("Workshops")), ("library", _("Library")),
                            ("submissions", _("Submissions")), ("sync", _("Sync"))), self)
        self.nav.setAccessibleName(_("Navigation"))
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)

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
        self._build_review_dock()
        self._build_status_bar()
        self._wire_views()
        self.nav.setCurrentRow(PAGE_WORKSHOPS)
        self.resize(1200, 800)
        geometry = self._state.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self.refresh_counts()
        self.sync.start()

    # -- building ------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        self.action_import = QAction(_("&Import documents…"), self)
        # Ctrl+O, the "open a file" key of every desktop: Ctrl+I is italic in the editor.
        self.action_import.setShortcut(QKeySequence.StandardKey.Open)
        self.action_import.triggered.connect(self._on_import_triggered)
        file_menu.addAction(self.action_import)
        self.action_new = QAction(_("&New submission…"), self)
        self.action_new.setShortcut(QKeySequence.StandardKey.New)
        self.action_new.triggered.connect(lambda: self.start_submission(None))
        file_menu.addAction(self.action_new)
        self.action_print = QAction(_("&Print…"), self)
        self.action_print.setShortcut(QKeySequence("Ctrl+P"))
        self.action_print.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the editor's key
        self.action_print.triggered.connect(self._on_print_triggered)
        file_menu.addAction(self.action_print)
        file_menu.addSeparator()
        # The editor's own commands (its buttons and keys), here where a Word user looks for them;
        # the keys stay the editor's (WidgetShortcut: shown in the menu, taken by the editor).
        self.action_import_word = self._editor_action(
            file_menu, _("Import a &Word draft…"), "Ctrl+Shift+I", lambda e: e.import_word_draft())
        self.action_export_word = self._editor_action(
            file_menu, _("&Export to Word…"), "Ctrl+Shift+E", lambda e: e.export("docx"))
        self.action_export_pdf = self._editor_action(
            file_menu, _("Export to PD&F…"), "Ctrl+E", lambda e: e.export("pdf"))
        file_menu.aboutToShow.connect(self._on_file_menu_about_to_show)
        file_menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))  # the standard key is none on Windows
        self.action_quit = quit_action
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        self.edit_menu = EditMenu(bar.addMenu(_("&Edit")), self._on_find_requested,
                                  self._can_find)

        view_menu = bar.addMenu(_("&View"))
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

        settings_menu = bar.addMenu(_("&Settings"))
        lang_menu = settings_menu.addMenu(_("Interface &language"))
        group = QActionGroup(self)
        for code in LANGUAGES:
            action = QAction(language_name(code), self, checkable=True)
            action.setChecked(code == self.app.settings.ui_language)
            action.triggered.connect(lambda _checked=False, c=code: self._on_language_triggered(c))
            group.addAction(action)
            lang_menu.addAction(action)

        help_menu = bar.addMenu(_("&Help"))
        logs = QAction(_("Open the &log folder"), self)
        logs.triggered.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.app.paths.logs))))
        help_menu.addAction(logs)
        about = QAction(_("&About IDM Delegate Desktop"), self)
        about.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about)

    # -- editing -------------------------------------------------------------------------------

    def _editor_action(self, menu: QMenu, text: str, keys: str,
                       run: Callable[[SubmissionEditor], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the editor's key
        action.triggered.connect(lambda: (editor := self._shown_editor()) is not None and run(editor))
        menu.addAction(action)
        return action

    def _on_file_menu_about_to_show(self) -> None:
        editor = self._shown_editor()
        for action in (self.action_print, self.action_export_word, self.action_export_pdf):
            action.setEnabled(editor is not None)
        self.action_import_word.setEnabled(editor is not None and not editor.read_only)

    def _shown_editor(self) -> SubmissionEditor | None:
        return self.submissions.shown_editor() if self.stack.currentWidget() is self.submissions \
            else None

    def _can_find(self, replace: bool) -> bool:
        editor = self._shown_editor()
        if editor is not None:
            return not replace or not editor.read_only
        return not replace and self.stack.currentWidget() is self.library

    def _on_find_requested(self, replace: bool) -> None:
        editor = self._shown_editor()
        if editor is not None:
            editor.tools.open_find(replace)
        elif self.stack.currentWidget() is self.library and not replace:
            self.library.start_find()

    def _on_print_triggered(self) -> None:
        editor = self._shown_editor()
        if editor is not None:
            editor.print_now()

    def _on_zoom_triggered(self, step: int) -> None:
        editor = self._shown_editor()
        if editor is not None:
            editor.tools.set_zoom(editor.tools.zoom + step if step else 0)

    def _on_view_menu_about_to_show(self) -> None:
        for action in self.zoom_actions:
            action.setEnabled(self._shown_editor() is not None)

    def _build_sync_menu(self) -> None:
        menu = self.menuBar().addMenu(_("S&ync"))
        self.action_sync_now = QAction(_("&Sync now"), self)
        self.action_sync_now.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
        self.action_sync_now.triggered.connect(self._on_sync_now_triggered)
        menu.addAction(self.action_sync_now)
        self.action_submit = QAction(_("S&ubmit the open submission…"), self)
        self.action_submit.triggered.connect(self.submissions.submit_open)
        menu.addAction(self.action_submit)
        menu.addSeparator()
        self.action_sign_in = QAction(_("Sign &in…"), self)
        self.action_sign_in.triggered.connect(self._on_sign_in_triggered)
        menu.addAction(self.action_sign_in)
        self.action_sign_out = QAction(_("Sign &out"), self)
        self.action_sign_out.triggered.connect(self.sync.sign_out)
        menu.addAction(self.action_sign_out)
        menu.aboutToShow.connect(self._on_sync_menu_about_to_show)

    def _build_review_dock(self) -> None:
        """The Review pane beside the editor (DESIGN §13), shown while a submission is open."""
        self.review = ReviewPane(self.app, self.tasks, self)
        self.review_dock = QDockWidget(_("Review"), self)
        self.review_dock.setObjectName("review_dock")
        self.review_dock.setWidget(self.review)
        self.review_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.review_dock)
        self.resizeDocks([self.review_dock], [320], Qt.Orientation.Horizontal)
        self.review_dock.hide()
        self._review_open = False
        self.submissions.sig_editor_opened.connect(self._on_submissions_editor_opened)
        self.submissions.sig_editor_left.connect(self._on_submissions_editor_left)
        self.review.sig_highlights_changed.connect(self.submissions.set_highlights)
        self.review.sig_text_will_change.connect(self.submissions.save_now)
        self.review.sig_comment_requested.connect(self._on_review_comment_requested)
        self.review.sig_text_changed.connect(self.submissions.reload_if_open)
        self.review.sig_review_changed.connect(lambda _sid: self.sync.local_change())
        self.review.sig_review_changed.connect(lambda _sid: self.submissions.refresh())
        self.review.sig_review_changed.connect(self.submissions.reload_if_open)

    def _on_submissions_editor_opened(self, sid: str) -> None:
        if self.review.data is None or self.review.data.submission_id != sid:
            self.review.show_submission(sid)
        self._review_open = True
        self._update_review_dock()

    def _update_review_dock(self) -> None:
        """The pane shows beside an open submission only: not over the other views."""
        self.review_dock.setVisible(
            self._review_open and self.stack.currentWidget() is self.submissions
            and self.review_pane_action.isChecked())

    def _on_review_comment_requested(self) -> None:
        chosen = self.submissions.selection()
        if chosen is None:
            self.statusBar().showMessage(_("Select the words to comment on in the text first."), 5000)
            return
        self.submissions.save_now()  # the comment quotes the text as saved
        self.review.add_comment(*chosen)

    def _on_submissions_editor_left(self) -> None:
        self._review_open = False
        self._update_review_dock()
        self.review.show_submission(None)

    def _build_status_bar(self) -> None:
        self.sync_indicator = SyncIndicator(self)
        self.connection_label = self.sync_indicator.label
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("library_counts")
        self.review_label = QLabel(self)
        self.review_label.setObjectName("review_waiting")
        self.statusBar().addWidget(self.sync_indicator)
        self.statusBar().addPermanentWidget(self.review_label)
        self.notices_label = QLabel(self)
        self.notices_label.setObjectName("notices_status")
        self.notices_label.hide()
        self.statusBar().addPermanentWidget(self.notices_label)
        self.statusBar().addPermanentWidget(self.counts_label)

    def _wire_views(self) -> None:
        self.workshops.sig_new_submission_requested.connect(self.start_submission)
        self.workshops.sig_document_requested.connect(self.open_document)
        self.library.sig_library_changed.connect(self.refresh_counts)
        self.library.sig_library_changed.connect(self.workshops.refresh)
        self.workshops.sig_notices_read.connect(self.refresh_counts)
        self.submissions.sig_submissions_changed.connect(self.refresh_counts)
        self.submissions.sig_submissions_changed.connect(self.sync.local_change)
        self.submissions.sig_submitted.connect(lambda _sid: self.sync.local_change())
        self.submissions.sig_submitted.connect(lambda _sid: self.sync.sync_now())
        self.submissions.sig_resolve_requested.connect(self._on_resolve_requested)
        self.sync.sig_state_changed.connect(self.sync_indicator.show_state)
        self.sync.sig_state_changed.connect(self._on_sync_state_changed)
        self.sync.sig_synced.connect(self._on_sync_synced)
        self.sync.sig_conflicts_resolved.connect(self.submissions.reload_if_open)
        self.sync_indicator.sig_details_requested.connect(lambda: self.show_page(PAGE_SYNC))
        self.sync_indicator.sig_cancel_requested.connect(self.sync.cancel)

    def _on_task_failed(self, exc: BaseException) -> None:
        """One dialog per distinct problem: when the library cannot be opened, every view's
        first task fails the same way, and the user needs to read it once."""
        key = f"{type(exc).__name__}: {exc}"
        if key in self._errors_shown:
            log.info("not shown again: %s", key)
            return
        self._errors_shown.add(key)
        try:
            show_error(self, exc, self.app.paths.logs)
        finally:
            # Shown once while it lasts; the same problem later (after the user acted) is new.
            QTimer.singleShot(10_000, lambda: self._errors_shown.discard(key))

    # -- navigation ----------------------------------------------------------------------------

    def show_page(self, page: int) -> None:
        self.nav.setCurrentRow(page)

    def _on_nav_row_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self._update_review_dock()
        view = self.stack.currentWidget()
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
        state = self.sync.state
        self.action_sign_in.setEnabled(not state.signed_in or state.problem is Problem.SIGN_IN)
        self.action_sign_out.setEnabled(state.signed_in)
        self.action_submit.setEnabled(self.submissions.can_submit())

    def _on_resolve_requested(self, sid: str) -> None:
        self.submissions.save_now()  # the resolver reads the text after this save (storage lane order)
        self.sync_view.open_resolver(sid)

    def _on_sync_synced(self, report: SyncReport) -> None:
        self.submissions.on_synced()
        self.review.reload()
        self.refresh_counts()
        if report.pulled or report.new_documents:
            self.refresh_counts()
            self.workshops.refresh()
        if report.new_documents:
            self.library.refresh()

    def _on_import_triggered(self) -> None:
        self.show_page(PAGE_LIBRARY)
        self.library.choose_files_to_import()

    def _on_sync_state_changed(self, state: SyncState) -> None:
        """The Sync entry counts what needs the user (conflicts, refusals) in red, else what waits."""
        attention = state.conflicts + state.failed
        if attention:
            self.nav.set_count(PAGE_SYNC, attention, alert=True, spoken=attention_text(state))
        else:
            n = state.waiting
            self.nav.set_count(PAGE_SYNC, n, spoken=plural("{n} waiting", "{n} waiting", n))

    def refresh_counts(self) -> None:
        def show(counts: tuple[int, int]) -> None:
            docs, subs = counts
            documents = ngettext("{n} document", "{n} documents", docs).format(n=format_number(docs))
            submissions = ngettext("{n} submission", "{n} submissions", subs).format(n=format_number(subs))
            self.counts_label.setText(f"{documents} · {submissions}")
            self.nav.set_count(PAGE_LIBRARY, docs, spoken=documents)
            self.nav.set_count(PAGE_SUBMISSIONS, subs, spoken=submissions)

        self.tasks.run(self.app.counts, name="counts", on_done=show)
        self.tasks.run(self.app.clearance.waiting_for_me, name="review waiting",
                       on_done=self.show_review_waiting)
        app = self.app

        def notices() -> tuple[int, int]:
            return len(app.notices()), len(app.reminders())

        def show_notices(counts: tuple[int, int]) -> None:
            unread, due = counts
            parts = []
            if unread:
                parts.append(plural("{n} notice", "{n} notices", unread))
            if due:
                parts.append(plural("{n} deadline this week", "{n} deadlines this week", due))
            self.notices_label.setText(" · ".join(parts))
            self.notices_label.setToolTip(_("See them in Workshops"))
            self.notices_label.setVisible(bool(parts))

        self.tasks.run(notices, name="notices", on_done=show_notices)

    def show_review_waiting(self, n: int) -> None:
        """ "2 drafts wait for your review" (reviewers only; nothing when none waits)."""
        text = plural("{n} draft waits for your review", "{n} drafts wait for your review", n)
        self.review_label.setText(text if n else "")

    # -- settings and about ----------------------------------------------------------------------

    def _on_language_triggered(self, code: str) -> None:
        if code == self.app.settings.ui_language:
            return
        self.app.settings = self.app.settings.with_(ui_language=code)
        try:
            save_settings(self.app.paths.settings, self.app.settings)
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing else to do
            show_error(self, exc, self.app.paths.logs)
            return
        self.sig_language_chosen.emit(code)
        QMessageBox.information(
            self, _("Interface language"),
            _("The interface will be in {language} the next time you start IDM Delegate Desktop.")
            .format(language=language_name(code)))

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self, _("About IDM Delegate Desktop"),
            _("IDM Delegate Desktop {version}\n\nDraft, check and export your government’s "
              "submission to the International Dialogue on Migration, with or without a "
              "connection.\n\nLibrary: {path}").format(version=__version__, path=self.app.paths.home))

    # -- closing ---------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        # Unsaved text is saved, never asked about (DESIGN §7).
        self.submissions.save_now()
        self.library.cancel_import()  # stops between two files; what is imported stays
        self.sync.shutdown()  # a sync under way stops at its next safe point; the outbox keeps the rest
        self.tasks.wait_idle()  # the save above, and any other storage work, reach the disk
        self._state.setValue("geometry", self.saveGeometry())
        self._state.sync()
        super().closeEvent(event)


def active_window() -> QWidget | None:
    return QApplication.activeWindow()
