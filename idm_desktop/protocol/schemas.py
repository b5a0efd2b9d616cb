"""Pydantic models of every request and response body of protocol v1.

Field names are the wire names. Bodies are validated strictly on both sides: unknown fields
are refused (``extra="forbid"``) so a client and a server that disagree find out at once.
Limits here are the protocol's own (DESIGN §5: at most 50 ops or 256 KB a batch, pages of at
most 200 changes).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from idm_desktop.core.submissions import body_sha256, canonical_json
from idm_desktop.protocol.signing import Signature, SigningKey

PROTOCOL_VERSION = 1

MAX_OPS_PER_BATCH = 50
MAX_BATCH_BYTES = 256 * 1024
MAX_PAGE = 200

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Uuid = Annotated[str, StringConstraints(
    pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
Iso3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entity(StrEnum):
    WORKSHOP = "workshop"
    DOCUMENT = "document"
    TEMPLATE = "template"
    SUBMISSION = "submission"
    NOTICE = "notice"
    """A short text of the secretariat (DESIGN §14): ``{"workshop_id": str | null,
    "text": {lang: str}, "created_at"}``."""


# -- auth and info -------------------------------------------------------------------------------

class AuthRequest(_Wire):
    username: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    device_name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    device_secret: Annotated[str, StringConstraints(min_length=32, max_length=200)] | None = None
    """A random secret the device keeps: once it signed in, it has a guess budget of its own."""


class AuthResponse(_Wire):
    token: str
    expires_at: dt.datetime
    user: str
    role: Literal["drafter", "reviewer", "secretariat"]
    delegation: Iso3 | None


class ServerInfo(_Wire):
    protocol_version: int
    min_client_version: str
    server_version: str
    server_time: dt.datetime
    signing_keys: list[SigningKey] = []
    """The service's public keys, the one in service last (DESIGN §15)."""


class ErrorBody(_Wire):
    """Every error response: a stable code and one clear sentence."""

    code: str
    message: str


# -- pull ----------------------------------------------------------------------------------------

class Change(_Wire):
    seq: int = Field(ge=1)
    entity: Entity
    id: str
    rev: int = Field(ge=1)
    deleted: bool = False
    data: dict[str, Any] | None = None  # None on a tombstone; documents carry sha256/size/mime


class ChangesPage(_Wire):
    changes: list[Change] = Field(max_length=MAX_PAGE)
    next_cursor: str
    has_more: bool


# -- push ----------------------------------------------------------------------------------------

class Op(_Wire):
    op_id: Uuid
    entity: Literal[Entity.SUBMISSION]
    id: Uuid
    base_rev: int | None = Field(default=None, ge=1)  # None: the submission is new
    body: dict[str, Any]
    sha256: Sha256  # of the canonical body, so a retry is recognised as the same op

    @field_validator("body")
    @classmethod
    def _utf8(cls, body: dict[str, Any]) -> dict[str, Any]:
        # JSON may carry a lone surrogate ("\ud800") that no UTF-8 text can hold: refuse the
        # batch here, before any of its ops is applied.
        try:
            canonical_json(body)
        except UnicodeEncodeError:
            raise ValueError("the body holds text that is not valid Unicode (a lone surrogate)") from None
        return body


class OpBatch(_Wire):
    ops: list[Op] = Field(min_length=1, max_length=MAX_OPS_PER_BATCH)


class Applied(_Wire):
    status: Literal["applied"] = "applied"
    op_id: Uuid
    rev: int = Field(ge=1)
    seq: int = Field(ge=1)


class Duplicate(_Wire):
    status: Literal["duplicate"] = "duplicate"
    op_id: Uuid
    original: Applied


class Conflict(_Wire):
    status: Literal["conflict"] = "conflict"
    op_id: Uuid
    current_rev: int = Field(ge=1)
    current: dict[str, Any]


class Rejected(_Wire):
    status: Literal["rejected"] = "rejected"
    op_id: Uuid
    code: str
    message: str


OpResult = Annotated[Applied | Duplicate | Conflict | Rejected, Field(discriminator="status")]


class OpResults(_Wire):
    results: list[OpResult]


# -- submit --------------------------------------------------------------------------------------

class SubmitRequest(_Wire):
    rev: int = Field(ge=1)
    sha256: Sha256
    supersedes: Uuid | None = None


class Receipt(_Wire):
    receipt_no: str
    received_at: dt.datetime
    sha256: Sha256
    signature: Signature | None = None
    """The service's signature over the receipt (protocol/signing.py ``receipt_message``)."""


# -- what a submission op carries -----------------------------------------------------------------

__all__ = ["body_sha256", "canonical_json"]  # re-exported: both sides hash ops the same way

MAX_SECTION_CHARS = 100_000
"""A section longer than this is no longer a two-to-three page overview."""


class SubmissionBody(_Wire):
    """The body of a ``save`` op on a submission: its whole editable content."""

    workshop_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    country: Iso3
    language: Literal["en", "fr", "es"]
    title: Annotated[str, StringConstraints(max_length=500)]
    template_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    template_version: int = Field(ge=1)
    body: dict[
        Annotated[str, StringConstraints(min_length=1, max_length=100)],
        Annotated[str, StringConstraints(max_length=MAX_SECTION_CHARS)],
    ] = Field(max_length=50)
