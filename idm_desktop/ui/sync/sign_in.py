"""The sign-in dialog: server address, user name, password, and the server key's fingerprint when
the secretariat published one (checked before the password is sent, as ``login --fingerprint``);
the token file and ``http://`` to a lab server only when asked for.

The dialog stays open while the controller signs in on the network lane, and says plainly what
went wrong (wrong password, server out of reach, no keyring) without losing what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.core.errors import IdmError
from idm_desktop.core.i18n import _
from idm_desktop.ui.formatting import Tone, tint, untint
from idm_desktop.ui.sync.controller import SyncController


class SignInDialog(QDialog):
    """Signs in through ``controller``; closes itself once signed in."""

    def __init__(self, controller: SyncController, server: str | None, user: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sign_in_dialog")
        self.setWindowTitle(_("Sign in"))
        self._controller = controller
        self.intro = QLabel(_("Sign in to the secretariat’s server to send your submissions and "
                              "receive the workshops’ documents. Your work stays on this computer "
                              "either way."), self)
        self.intro.setWordWrap(True)
        self.server_edit = QLineEdit(server or "", self)
        self.server_edit.setObjectName("server_url")
        self.server_edit.setAccessibleName(_("Server address"))
        self.server_edit.setPlaceholderText("https://idm.example.org")
        self.user_edit = QLineEdit(user or "", self)
        self.user_edit.setObjectName("user_name")
        self.user_edit.setAccessibleName(_("User name"))
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("password")
        self.password_edit.setAccessibleName(_("Password"))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.fingerprint_edit = QLineEdit(self)
        self.fingerprint_edit.setObjectName("fingerprint")
        self.fingerprint_edit.setAccessibleName(_("Fingerprint of the server's key"))
        self.fingerprint_edit.setPlaceholderText(_("optional: as the secretariat publishes it"))
        self.fingerprint_edit.setMinimumWidth(  # a whole fingerprint in view
            self.fingerprint_edit.fontMetrics().horizontalAdvance("0000-" * 10) + 16)
        self.fingerprint_edit.setToolTip(_("Checked before your password is sent: sign-in stops if the "
                                           "server's key has another fingerprint."))
        self.insecure_box = QCheckBox(_("Allow http:// for a lab test server (“--insecure-http”)"), self)
        self.insecure_box.setObjectName("insecure_http")
        self.insecure_box.setAccessibleName(_("Allow http:// to a test server"))
        self.insecure_box.setToolTip(_("Your password and sign-in would travel in clear: for a lab only."))
        self.insecure_box.hide()
        self.token_file_box = QCheckBox(_("Keep the sign-in token in a file only you can read"), self)
        self.token_file_box.setObjectName("token_file")
        self.token_file_box.setAccessibleName(_("Keep the sign-in token in a file"))
        self.token_file_box.setToolTip(_("Only where this computer has no keyring: anyone who can read "
                                         "your files as you could use the token until it expires."))
        self.token_file_box.hide()
        self.message = QLabel(self)
        self.message.setObjectName("sign_in_message")
        self.message.setAccessibleName(_("Sign-in message"))
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        form = QFormLayout()
        form.addRow(_("&Server:"), self.server_edit)
        form.addRow(_("&User name:"), self.user_edit)
        form.addRow(_("&Password:"), self.password_edit)
        form.addRow(_("Key &fingerprint:"), self.fingerprint_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(_("Sign in"))
        self.buttons.accepted.connect(self._on_sign_in_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.token_file_box)
        layout.addWidget(self.insecure_box)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        controller.sig_signed_in.connect(self._on_signed_in)
        controller.sig_sign_in_failed.connect(self._on_sign_in_failed)
        for edit in (self.server_edit, self.user_edit, self.password_edit):
            edit.textChanged.connect(self._update_button)
        self._busy = False
        self._update_button()
        first_empty = next((e for e in (self.server_edit, self.user_edit) if not e.text()),
                           self.password_edit)
        first_empty.setFocus()

    def _update_button(self) -> None:
        filled = all(e.text().strip() for e in (self.server_edit, self.user_edit)) and bool(
            self.password_edit.text())
        self.sign_in_button.setEnabled(filled and not self._busy)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.server_edit, self.user_edit, self.password_edit, self.fingerprint_edit,
                       self.token_file_box, self.insecure_box):
            widget.setEnabled(not busy)
        self._update_button()

    def _say(self, text: str, error: bool) -> None:
        self.message.setText(text)
        if error:
            tint(self.message, Tone.ERROR)
        else:
            untint(self.message)
        self.message.show()

    def _on_sign_in_clicked(self) -> None:
        from idm_desktop.app.account import normalise_server
        from idm_desktop.core.errors import UsageError

        if not self.sign_in_button.isEnabled():
            return
        insecure = not self.insecure_box.isHidden() and self.insecure_box.isChecked()
        try:  # the same one line as the command line's, before anything is sent
            normalise_server(self.server_edit.text(), insecure_http=insecure)
        except UsageError as err:
            if self.server_edit.text().strip().startswith("http://"):
                self.insecure_box.show()  # the explicit opt-in, offered only where it is needed
            self._say(str(err), error=True)
            self.server_edit.setFocus()
            return
        self._set_busy(True)
        self._say(_("Signing in…"), error=False)
        self._controller.sign_in(self.server_edit.text().strip(), self.user_edit.text().strip(),
                                 self.password_edit.text(),
                                 token_file=not self.token_file_box.isHidden()
                                 and self.token_file_box.isChecked(),
                                 fingerprint=self.fingerprint_edit.text().strip() or None,
                                 insecure_http=insecure)

    def _on_signed_in(self, _account: object) -> None:
        if self._busy:
            self._busy = False
            self.accept()

    def _on_sign_in_failed(self, exc: BaseException) -> None:
        from idm_desktop.core.errors import NoKeyringError

        if not self._busy:
            return
        self._set_busy(False)
        if isinstance(exc, NoKeyringError):
            self.token_file_box.show()  # the explicit opt-in, offered only where it is needed
            self._say(_("This computer has no keyring that can keep your sign-in safely (such as GNOME "
                        "Keyring, KWallet, the Windows Credential Manager or the macOS Keychain), or "
                        "it is locked. Start or unlock one and sign in again, or tick “Keep the "
                        "sign-in token in a file only you can read”."), error=True)
            self.token_file_box.setFocus()
            return
        self._say(str(exc) if isinstance(exc, IdmError)
                  else _("Signing in failed because of a problem inside IDM Delegate Desktop."), error=True)
        self.password_edit.setFocus()
