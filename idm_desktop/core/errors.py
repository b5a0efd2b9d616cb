"""The error hierarchy.

Two kinds of error exist (STYLE habit 6): the environment's or the user's (a bad file, a
full disk, an unknown id) -- subclasses of :class:`IdmError`, whose message is one clear,
translated sentence that says what to do -- and our own bugs, which are any other exception.
Each :class:`IdmError` carries the command-line exit code of DESIGN §10.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

from idm_desktop.core.i18n import _


class IdmError(Exception):
    """A problem the user can act on. ``str(err)`` is the one-line message to show.

    An error made by :meth:`from_template` also keeps its untranslated ``template`` (marked with
    ``N_``) and its ``params``, so that a page in another language than the process's (the
    secretariat's desk) can say it in its reader's language."""

    exit_code = 1

    def __init__(self, message: str, *, template: str | None = None,
                 params: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.template = template or message
        self.params = dict(params or {})

    @classmethod
    def from_template(cls, template: str, **params: object) -> Self:
        """The error whose message is ``template`` translated into the language in use, filled in."""
        return cls(_(template).format(**params), template=template, params=params)

    def __str__(self) -> str:
        return self.message


class UsageError(IdmError):
    """The command was called the wrong way."""

    exit_code = 2


class InvalidInputError(IdmError):
    """A value the user gave is not acceptable (unknown language, bad country code...)."""


class NotFoundError(IdmError):
    """The thing the user named does not exist in the local library."""


class IngestError(IdmError):
    """A file could not be imported; nothing was added."""


class ExportError(IdmError):
    """A submission could not be exported; no file was written."""


class StorageError(IdmError):
    """The local database or blob folder cannot be used (disk full, read-only, locked, damaged)."""


class LibraryBusyError(StorageError):
    """Another program holds the library's file for now (another copy of the program, a backup):
    the same read or write works once it lets go."""


class FrozenSubmissionError(IdmError):
    """A submitted text is never edited; a correction is a new submission."""


class SearchQueryError(IdmError):
    """The search text could not be understood."""


class ClearanceError(IdmError):
    """Clearance inside the delegation does not allow this (DESIGN §13): a role or a state."""


class CheckFailedError(IdmError):
    """``submission check`` found errors."""

    exit_code = 3


class ConflictsWaitingError(IdmError):
    """Conflicts wait for the user to resolve them."""

    exit_code = 4


class ServerUnreachableError(IdmError):
    """The server could not be reached; the work stays queued. ``host``: the server, as named."""

    exit_code = 5

    def __init__(self, message: str, *, host: str = "") -> None:
        super().__init__(message)
        self.host = host


# -- sync ------------------------------------------------------------------------------------------

class SignInRequiredError(IdmError):
    """401: the token is missing, expired or revoked."""


class SignInEndedError(SignInRequiredError):
    """401 to a token this library held. ``reason`` is the server's code: "device_revoked" (the
    secretariat revoked this computer), "token_revoked", or another (expired, or a server that
    does not say)."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class RefusedError(IdmError):
    """403/422 and other answers that retrying will not change."""


class CancelledError(Exception):
    """The user cancelled the sync."""


class DeletionGuardError(IdmError):
    """A pull would remove much of the library: it waits for the user's confirmation."""


class NoKeyringError(IdmError):
    """No keyring backend: the user must opt in to the file store."""


class BlobDownloadError(IdmError):
    """One file could not be fetched; the others go on."""
