"""A keyring backend for the tests: it needs no desktop session, and it keeps secrets encrypted
(Fernet, with a key the test run makes) in a file under the test's folder, as a real keyring
keeps them encrypted at rest. The program treats keyrings that write in clear as no keyring
(sync/credentials.py), so the tests need one that does not."""

from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_VARIABLE = "IDM_TEST_KEYRING_FILE"
KEY_VARIABLE = "IDM_TEST_KEYRING_KEY"


class EncryptedFileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _fernet(self) -> Fernet:
        return Fernet(os.environ[KEY_VARIABLE].encode("ascii"))

    def _path(self) -> Path:
        return Path(os.environ[FILE_VARIABLE])

    def _load(self) -> dict[str, str]:
        try:
            raw = self._path().read_bytes()
        except FileNotFoundError:
            return {}
        try:
            data: dict[str, str] = json.loads(self._fernet().decrypt(raw))
        except InvalidToken:
            return {}
        return data

    def _save(self, data: dict[str, str]) -> None:
        path = self._path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self._fernet().encrypt(json.dumps(data).encode("utf-8")))

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\0{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\0{username}", None) is None:
            raise PasswordDeleteError(username)
        self._save(data)
