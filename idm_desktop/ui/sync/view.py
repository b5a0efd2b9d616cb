"""The Sync page: the account, the last sync and "Sync now", conflicts to resolve, and the outbox
with what the server refused and "Try again"."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import _, plural
from idm_desktop.ui.formatting import TextSize, Tone, format_datetime, set_text_size, show_focus, tint
from idm_desktop.ui.sync.controller import SyncController
from idm_desktop.ui.sync.model import ID_ROLE, ConflictsModel, OutboxModel, SyncPage, load_sync_page
from idm_desktop.ui.sync.resolver import ResolverData, ResolverDialog, load_resolver_data
from idm_desktop.ui.sync.sign_in import SignInDialog
from idm_desktop.ui.sync.state import Problem, SyncState, status_text
from idm_desktop.ui.tasks import Lane, TaskManager


def _table(model: ConflictsModel | OutboxModel, name: str, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
    show_focus(table)  # an empty table has no current cell to show it
    # The last column (a refusal's reason) is a sentence: it shares the width with the title and
    # wraps, so no reason is cut at 1366 px (its tooltip has it whole too).
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(model.columnCount() - 1, QHeaderView.ResizeMode.Stretch)
    return table


class SyncView(QWidget):
    """Everything about sync in one place; the status bar links here."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, controller: SyncController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_view")
        self._app = app
        self._tasks = tasks
        self.controller = controller
        self._page_revision = -1
        self.sign_in_dialog: SignInDialog | None = None
        self.resolver: ResolverDialog | None = None
        self.deletions_box: QMessageBox | None = None

        heading = QLabel(_("Sync"), self)
        set_text_size(heading, TextSize.PAGE)

        account = QGroupBox(_("Account"), self)
        self.account_label = QLabel(account)
        self.account_label.setObjectName("account")
        self.account_label.setTextFormat(Qt.TextFormat.PlainText)
        self.account_label.setWordWrap(True)
        self.key_label = QLabel(account)
        self.key_label.setObjectName("server_key")
        self.key_label.setAccessibleName(_("The server's key"))
        self.key_label.setTextFormat(Qt.TextFormat.PlainText)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setWordWrap(True)
        self.key_label.hide()
        self.sign_in_button = QPushButton(_("Sign in…"), account)
        self.sign_in_button.setAccessibleName(_("Sign in"))
        self.sign_in_button.clicked.connect(self.open_sign_in)
        self.sign_out_button = QPushButton(_("Sign out"), account)
        self.sign_out_button.setAccessibleName(_("Sign out"))
        self.sign_out_button.clicked.connect(self.controller.sign_out)
        row = QHBoxLayout(account)
        who = QVBoxLayout()
        who.addWidget(self.account_label)
        who.addWidget(self.key_label)
        row.addLayout(who, 1)
        row.addWidget(self.sign_in_button)
        row.addWidget(self.sign_out_button)

        status = QGroupBox(_("Status"), self)
        self.state_label = QLabel(status)
        self.state_label.setObjectName("sync_state")
        self.state_label.setAccessibleName(_("Sync state"))
        bold = QFont(self.state_label.font())
        bold.setBold(True)
        self.state_label.setFont(bold)
        self.reason_label = QLabel(status)
        self.reason_label.setObjectName("sync_reason")
        self.reason_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reason_label.setWordWrap(True)
        tint(self.reason_label, Tone.ERROR)
        self.last_label = QLabel(status)
        self.last_label.setObjectName("last_sync")
        self.progress = QProgressBar(status)
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName(_("Sync progress"))
        self.progress.setMaximumWidth(240)
        self.sync_button = QPushButton(_("Sync now"), status)
        self.sync_button.setObjectName("sync_now")
        self.sync_button.setAccessibleName(_("Sync now"))
        self.sync_button.setToolTip(_("Send your work and receive what is new (F5)"))
        self.sync_button.clicked.connect(lambda: self.controller.sync_now())
        self.cancel_button = QPushButton(_("Cancel"), status)
        self.cancel_button.setAccessibleName(_("Cancel the sync"))
        self.cancel_button.clicked.connect(self.controller.cancel)
        status_top = QHBoxLayout()
        status_top.addWidget(self.state_label)
        status_top.addWidget(self.progress)
        status_top.addStretch(1)
        status_top.addWidget(self.cancel_button)
        status_top.addWidget(self.sync_button)
        status_layout = QVBoxLayout(status)
        status_layout.addLayout(status_top)
        status_layout.addWidget(self.last_label)
        status_layout.addWidget(self.reason_label)

        conflicts = QGroupBox(_("Conflicts"), self)
        self.conflicts_model = ConflictsModel(self)
        self.conflicts_table = _table(self.conflicts_model, "conflicts_table", conflicts)
        self.conflicts_table.setAccessibleName(_("Submissions with conflicts"))
        self.conflicts_table.activated.connect(self._on_conflicts_table_activated)
        self.conflicts_table.setMaximumHeight(140)
        self.no_conflicts_label = QLabel(_("No conflicts: nothing waits for you here."), conflicts)
        self.resolve_button = QPushButton(_("Resolve…"), conflicts)
        self.resolve_button.setAccessibleName(_("Resolve the conflicts of the selected submission"))
        self.resolve_button.clicked.connect(self._on_resolve_button_clicked)
        conflicts_layout = QVBoxLayout(conflicts)
        conflicts_layout.addWidget(self.no_conflicts_label)
        conflicts_layout.addWidget(self.conflicts_table)
        conflicts_layout.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignRight)

        outbox = QGroupBox(_("Waiting to be sent"), self)
        self.outbox_model = OutboxModel(self)
        self.outbox_table = _table(self.outbox_model, "outbox_table", outbox)
        self.outbox_table.setAccessibleName(_("Changes waiting to be sent"))
        self.unqueued_label = QLabel(outbox)
        self.unqueued_label.setObjectName("unqueued")
        self.unqueued_label.setWordWrap(True)
        self.failed_label = QLabel(outbox)
        self.failed_label.setObjectName("failed")
        self.failed_label.setWordWrap(True)
        tint(self.failed_label, Tone.ERROR)
        self.retry_button = QPushButton(_("Try again"), outbox)
        self.retry_button.setAccessibleName(_("Try the refused changes again"))
        self.retry_button.clicked.connect(self._on_retry_button_clicked)
        failed_row = QHBoxLayout()
        failed_row.addWidget(self.failed_label, 1)
        failed_row.addWidget(self.retry_button)
        outbox_layout = QVBoxLayout(outbox)
        outbox_layout.addWidget(self.unqueued_label)
        outbox_layout.addWidget(self.outbox_table, 1)
        outbox_layout.addLayout(failed_row)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(account)
        layout.addWidget(status)
        layout.addWidget(conflicts)
        layout.addWidget(outbox, 1)
        for widget in (self.conflicts_table, self.resolve_button, self.failed_label, self.retry_button,
                       self.unqueued_label):
            widget.hide()  # until the lists are read
        controller.sig_state_changed.connect(self._on_state_changed)
        controller.sig_deletions_held.connect(self._on_deletions_held)
        self._on_state_changed(controller.state)

    # -- the state ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the counts and lists again (the page was opened)."""
        self.controller.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._page_revision != self.controller.state.revision:
            self._load_page(self.controller.state.revision)

    def _on_state_changed(self, state: SyncState) -> None:
        if state.signed_in:
            self.account_label.setText(_("Signed in to {server} as {user}.").format(
                server=state.server, user=state.user))
        elif state.server:
            self.account_label.setText(_("Not signed in. Last used: {server}.").format(server=state.server))
        else:
            self.account_label.setText(_("Not signed in: your work stays on this computer until you "
                                         "sign in to the secretariat’s server."))
        self.key_label.setText(_("The server's key: {fingerprint} (compare it with the one the secretariat "
                                 "publishes).").format(fingerprint=state.fingerprint)
                               if state.fingerprint else "")
        self.key_label.setVisible(bool(state.signed_in and state.fingerprint))
        # The server no longer accepts the token: signing in again is the way on.
        self.sign_in_button.setVisible(not state.signed_in or state.problem is Problem.SIGN_IN)
        self.sign_out_button.setVisible(state.signed_in)
        self.state_label.setText(status_text(state))
        self.progress.setVisible(state.running)
        self.progress.setValue(state.percent or 0)
        self.cancel_button.setVisible(state.running)
        self.sync_button.setEnabled(state.signed_in)
        self.reason_label.setText(state.reason if state.problem is not None else "")
        self.reason_label.setVisible(state.problem is not None and bool(state.reason))
        if state.last_sync is not None:
            self.last_label.setText(_("Last sync: {when}.").format(when=format_datetime(state.last_sync)))
        else:
            self.last_label.setText(_("Never synced on this computer."))
        if state.revision != self._page_revision and self.isVisible():
            self._load_page(state.revision)

    def _load_page(self, revision: int) -> None:
        self._page_revision = revision
        app = self._app
        # Not the storage lane: the page reads the sync status, which asks the keyring (controller.py).
        self._tasks.run(lambda: load_sync_page(app), lane=Lane.NETWORK, name="sync page",
                        on_done=self._on_page_loaded)

    def _on_page_loaded(self, page: SyncPage) -> None:
        self.conflicts_model.set_rows(page.conflicts)
        self.conflicts_table.setVisible(bool(page.conflicts))
        self.resolve_button.setVisible(bool(page.conflicts))
        self.no_conflicts_label.setVisible(not page.conflicts)
        if page.conflicts:
            self.conflicts_table.selectRow(0)
        self.outbox_model.set_rows(page.outbox)
        self.unqueued_label.setText(plural(
            "{n} submission has changes saved here since the last sync: they are sent with the next one.",
            "{n} submissions have changes saved here since the last sync: they are sent with the next one.",
            page.unqueued))
        self.unqueued_label.setVisible(bool(page.unqueued))
        if not page.outbox and not page.unqueued:
            self.unqueued_label.setText(
                _("Nothing else waits to be sent: a submission with conflicts is sent once they are "
                  "resolved.") if page.conflicts else _("Nothing waits to be sent."))
            self.unqueued_label.show()
        failed = sum(1 for item in page.outbox if item.failed)
        self.failed_label.setText(plural(
            "The server did not accept {n} change: the reason is in the list. Fix the cause, then "
            "try again.",
            "The server did not accept {n} changes: the reasons are in the list. Fix the cause, then "
            "try again.", failed))
        self.failed_label.setVisible(bool(failed))
        self.retry_button.setVisible(bool(failed))

    # -- the account ------------------------------------------------------------------------------

    def open_sign_in(self) -> None:
        """Show the sign-in dialog (once)."""
        if self.sign_in_dialog is not None:
            self.sign_in_dialog.raise_()
            return
        state = self.controller.state
        dialog = SignInDialog(self.controller, state.server, state.user, self)
        dialog.finished.connect(self._on_sign_in_dialog_finished)
        self.sign_in_dialog = dialog
        dialog.open()

    def _on_sign_in_dialog_finished(self, _result: int) -> None:
        if self.sign_in_dialog is not None:
            self.sign_in_dialog.deleteLater()
        self.sign_in_dialog = None

    # -- failures and conflicts ---------------------------------------------------------------------

    def _on_retry_button_clicked(self) -> None:
        app = self._app

        def retried(_n: int) -> None:
            self.controller.refresh()
            self.controller.sync_now()

        self._tasks.run(lambda: app.sync.retry_failed(), lane=Lane.STORAGE, name="retry", on_done=retried)

    def _on_conflicts_table_activated(self, index: QModelIndex) -> None:
        sid = index.data(ID_ROLE)
        if sid:
            self.open_resolver(str(sid))

    def _on_resolve_button_clicked(self) -> None:
        rows = self.conflicts_table.selectionModel().selectedRows()
        index = rows[0] if rows else self.conflicts_model.index(0, 0)
        if index.isValid():
            self.open_resolver(str(index.data(ID_ROLE)))

    def open_resolver(self, sid: str) -> None:
        """Show the side-by-side resolver for submission ``sid``."""
        if self.resolver is not None:
            self.resolver.raise_()
            return
        app = self._app
        self._tasks.run(lambda: load_resolver_data(app, sid), lane=Lane.STORAGE, name="conflicts",
                        on_done=self._show_resolver)

    def _show_resolver(self, data: ResolverData) -> None:
        if self.resolver is not None or not data.sections:
            self.controller.refresh()
            return
        dialog = ResolverDialog(self._app, self._tasks, data, self)
        dialog.sig_resolved.connect(lambda _sid, _left: self.controller.refresh())
        dialog.finished.connect(self._on_resolver_finished)
        self.resolver = dialog
        dialog.open()

    def _on_resolver_finished(self, _result: int) -> None:
        dialog, self.resolver = self.resolver, None
        if dialog is None:
            return
        if dialog.settled:
            self.controller.conflicts_resolved(dialog.data.submission_id)
        dialog.deleteLater()

    def _on_deletions_held(self, message: str) -> None:
        if self.deletions_box is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Documents withdrawn"), message,
                          QMessageBox.StandardButton.NoButton, self)
        remove = box.addButton(_("Remove them"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Keep them for now"), QMessageBox.ButtonRole.RejectRole)
        box.setAccessibleName(_("Documents withdrawn"))

        def finished(_result: int) -> None:
            self.deletions_box = None
            box.deleteLater()
            if box.clickedButton() is remove:
                self.controller.sync_now(allow_deletions=True)

        box.finished.connect(finished)
        self.deletions_box = box
        box.open()
