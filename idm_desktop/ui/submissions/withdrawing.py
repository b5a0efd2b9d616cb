"""Withdraw the open sent submission: a question that names what happens and asks the reason,
then the withdrawal is queued (``app.sync.withdraw``) and sent with the next sync.

Withdrawing cannot be undone from here: the default button cancels, and "Withdraw" stays off
until a reason is written, since the secretariat reads it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import SubmissionStatus
from idm_desktop.ui.submissions.editor_data import EditorData, load_editor_data
from idm_desktop.ui.tasks import Lane, TaskManager


class WithdrawDialog(QDialog):
    """Asks whether to withdraw ``title`` (receipt ``receipt``) and why."""

    def __init__(self, title: str, receipt: str, published: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("withdraw_question")
        self.setWindowTitle(_("Withdraw the submission"))
        self.setAccessibleName(_("Withdraw the submission"))
        question = QLabel(_("Withdraw “{title}” (receipt {receipt})?").format(
            title=title or _("(untitled)"), receipt=receipt), self)
        question.setWordWrap(True)
        question.setStyleSheet("font-weight: bold;")
        what = [_("The secretariat sees it as withdrawn, with your reason; it is not counted as your "
                  "delegation's overview any more.")]
        if published:
            what.append(_("It is taken out of the public migration policy database."))
        what.append(_("To send a text again, prepare a correction or start a new submission. It is sent "
                      "with the next sync."))
        details = QLabel("\n".join(what), self)
        details.setWordWrap(True)
        label = QLabel(_("Reason (the secretariat reads it):"), self)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("withdraw_reason")
        self.reason_edit.setAccessibleName(_("Reason for withdrawing"))
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(80)
        label.setBuddy(self.reason_edit)
        buttons = QDialogButtonBox(self)
        role = QDialogButtonBox.ButtonRole.AcceptRole
        self.withdraw_button: QPushButton = buttons.addButton(_("Withdraw"), role)
        self.withdraw_button.setObjectName("withdraw_confirm")
        self.withdraw_button.setEnabled(False)
        self.withdraw_button.setAutoDefault(False)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reason_edit.textChanged.connect(self._on_reason_edit_text_changed)
        layout = QVBoxLayout(self)
        for widget in (question, details, label, self.reason_edit, buttons):
            layout.addWidget(widget)
        self.resize(520, self.sizeHint().height())

    @property
    def reason(self) -> str:
        return " ".join(self.reason_edit.toPlainText().split())

    def _on_reason_edit_text_changed(self) -> None:
        self.withdraw_button.setEnabled(bool(self.reason))


class Withdrawer(QObject):
    """Asks, then queues the withdrawal of a sent submission."""

    sig_withdrawn = Signal(object)
    """The withdrawal was queued for the next sync (the submission's :class:`EditorData` now)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget) -> None:
        super().__init__(parent)
        self._app = app
        self._tasks = tasks
        self._parent = parent
        self.dialog: WithdrawDialog | None = None  # the question on screen, if any

    def withdraw(self, data: EditorData | None) -> None:
        """Ask the user, and queue the withdrawal of the submission only when they confirm with a
        reason (nothing for a text the secretariat does not hold)."""
        if self.dialog is not None or data is None or not data.submission.status.withdrawable:
            return
        sub, app = data.submission, self._app
        sid = sub.id
        dialog = WithdrawDialog(sub.title, sub.receipt_no or "", sub.status is SubmissionStatus.PUBLISHED,
                                self._parent)
        self.dialog = dialog

        def finished(result: int) -> None:
            self.dialog = None
            reason = dialog.reason
            dialog.deleteLater()
            if result != QDialog.DialogCode.Accepted or not reason:
                return

            def withdraw() -> EditorData:
                app.sync.withdraw(sid, reason)
                return load_editor_data(app, sid)

            self._tasks.run(withdraw, lane=Lane.STORAGE, name="withdraw", on_done=self.sig_withdrawn.emit)

        dialog.finished.connect(finished)
        dialog.open()
