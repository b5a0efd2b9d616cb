"""The user's data folder: one SQLite file, a blob folder, backups, logs and settings.

``--home DIR`` wins, then ``IDM_DESKTOP_HOME``, then the platform's user data folder
(platformdirs). Everything of one user lives under that one folder, so a test or a second
profile only needs another folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "idm-desktop"
ENV_HOME = "IDM_DESKTOP_HOME"


@dataclass(frozen=True, slots=True)
class Paths:
    home: Path

    @property
    def database(self) -> Path:
        return self.home / "library.sqlite3"

    @property
    def blobs(self) -> Path:
        return self.home / "blobs"

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def settings(self) -> Path:
        return self.home / "settings.json"

    def personal_words(self, language: str) -> Path:
        """The words the user added to their dictionary for ``language`` (one a line)."""
        return self.home / "spelling" / f"my-words-{language}.txt"

    @property
    def token_file(self) -> Path:
        """The sign-in token, only when the user chose a file over the keyring (mode 0600)."""
        return self.home / "credentials.json"


def resolve_paths(home: str | os.PathLike[str] | None = None,
                  environ: Mapping[str, str] | None = None) -> Paths:
    """The user's folder, from the flag, the environment, or the platform default."""
    env = os.environ if environ is None else environ
    if home:
        root = Path(home)
    elif env.get(ENV_HOME):
        root = Path(env[ENV_HOME])
    else:
        import platformdirs  # only here: a one-shot command given its folder starts quicker

        root = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return Paths(home=root.expanduser().resolve())
