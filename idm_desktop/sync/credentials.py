"""Where the sign-in token is kept: the operating system's keyring, never the library file.

Where no keyring exists (a bare Linux without Secret Service, a locked-down machine), signing
in stops with a clear message, unless the user explicitly chooses a file only they can read
(mode 0600) in the data folder. A keyring "backend" that keeps secrets in a plain file (such as
keyrings.alt's PlaintextKeyring) is no keyring: it is treated as none, and the file is then the
user's explicit choice.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from idm_desktop.core.errors import NoKeyringError
from idm_desktop.core.i18n import _

log = logging.getLogger(__name__)

SERVICE_PREFIX = "idm-desktop "


class TokenStore:
    """Tokens by (server, user), in the keyring, or in ``file`` when the user opted in."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def save(self, server: str, user: str, token: str, *, allow_file: bool = False) -> str:
        """Keep ``token``; returns where: "keyring" or "file"."""
        if allow_file:
            self._write_file(server, user, token)
            return "file"
        import keyring
        from keyring.errors import KeyringError

        if not keyring_available():
            raise NoKeyringError(_(
                "No keyring is available to keep your sign-in safely (e.g. GNOME Keyring, KWallet, "
                "the Windows Credential Manager or the macOS Keychain; a keyring that writes secrets "
                "in clear does not count). Start or install one, or sign in with --token-file to keep "
                "the token in a file only you can read."))
        try:
            keyring.set_password(SERVICE_PREFIX + server, user, token)
        except KeyringError as err:
            raise NoKeyringError(_("The keyring refused to keep your sign-in ({reason}): unlock it, or "
                                   "sign in with --token-file.").format(reason=err)) from err
        self._forget_file(server, user)
        return "keyring"

    def load(self, server: str, user: str) -> str | None:
        token = self._read_file().get(_key(server, user))
        if token:
            return token
        if not keyring_available():
            return None
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(SERVICE_PREFIX + server, user)
        except KeyringError as err:
            log.warning("the keyring could not be read: %s", err)
            return None

    def delete(self, server: str, user: str) -> None:
        self._forget_file(server, user)
        if not keyring_available():
            return
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            keyring.delete_password(SERVICE_PREFIX + server, user)
        except PasswordDeleteError:
            pass
        except KeyringError as err:
            log.warning("the keyring could not forget the token: %s", err)

    # -- the opt-in file ----------------------------------------------------------------------

    def _read_file(self) -> dict[str, str]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _write_file(self, server: str, user: str, token: str) -> None:
        data = self._read_file()
        data[_key(server, user)] = token
        self._replace_file(data)

    def _forget_file(self, server: str, user: str) -> None:
        data = self._read_file()
        if data.pop(_key(server, user), None) is not None:
            self._replace_file(data)

    def _replace_file(self, data: dict[str, str]) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.file)


PLAINTEXT_BACKENDS = frozenset({
    "keyrings.alt.file.PlaintextKeyring",
    "keyrings.alt.pyfs.PlaintextKeyring",
    "keyring.backends.null.Keyring",
    "keyring.backends.fail.Keyring",
})
"""Backends that keep nothing, or keep it in clear: no keyring at all for this program."""


def keyring_backend() -> str | None:
    """The keyring backend that keeps the token (``module.Class``), or None when there is none
    that keeps secrets safely."""
    try:
        import keyring
        from keyring.backends import chainer
    except ImportError:
        return None
    backend = keyring.get_keyring()
    parts = list(backend.backends) if isinstance(backend, chainer.ChainerBackend) else [backend]
    names = [f"{type(b).__module__}.{type(b).__qualname__}" for b in parts]
    # A chain stores in the first backend that takes it: every one of them must be safe.
    if not names or any(name in PLAINTEXT_BACKENDS for name in names):
        return None
    return names[0]


def keyring_available() -> bool:
    """True when keyring has a backend that can keep secrets safely."""
    return keyring_backend() is not None


def _key(server: str, user: str) -> str:
    return f"{user}@{server}"
