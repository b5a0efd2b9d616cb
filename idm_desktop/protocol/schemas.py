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
from idm_desktop.protocol.sealing import SealingKey
from idm_desktop.protocol.signing import KeyId, Signature, SigningKey

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
    REVIEW = "review"  # the clearance and comments of one submission (its id); its delegation only
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
    device_key: Annotated[str, StringConstraints(min_length=40, max_length=60)] | None = None
    """base64 of the device's Ed25519 public key (DESIGN §15): registered with the service, which
    then names this device in every op it sends and checks the outbox bundles it signs."""


class AuthResponse(_Wire):
    token: str
    expires_at: dt.datetime
    user: str
    role: Literal["drafter", "reviewer", "submitter", "secretariat"]
    delegation: Iso3 | None
    device_id: KeyId | None = None
    """The fingerprint of the device key the service registered for this token."""
    roles: list[str] = []
    """Every role the user holds (DESIGN §13); ``role`` is the first of them."""
    clearance: Literal["required", "optional"] = "optional"
    """The delegation's clearance policy."""
    submitters: list[str] = []
    """The user names of the delegation's submitters (who may send its texts)."""


class AccountInfo(_Wire):
    """Who the token belongs to, told at every sync: roles and the delegation's policy change."""

    user: str
    roles: list[str]
    delegation: Iso3 | None
    clearance: Literal["required", "optional"] = "optional"
    submitters: list[str] = []
    """The user names of the delegation's submitters."""


class ServerInfo(_Wire):
    protocol_version: int
    min_client_version: str
    server_version: str
    server_time: dt.datetime
    signing_keys: list[SigningKey] = []
    """The service's public keys, the one in service last (DESIGN §15)."""
    sealing_key: SealingKey | None = None
    """The key outbox bundles are sealed to, signed by the signing key in service."""
    account: AccountInfo | None = None
    """With a valid bearer token: the caller's roles and delegation policy."""


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
    entity: Literal[Entity.SUBMISSION, Entity.REVIEW]  # review: ``body`` is a ReviewAction
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


MAX_REASON_CHARS = 2000


class WithdrawRequest(_Wire):
    """Take back a sent submission (``POST /api/v1/submissions/{id}/withdraw``), saying why."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=MAX_REASON_CHARS)]


class Withdrawal(_Wire):
    """The answer to a withdrawal: the same again when it was withdrawn before."""

    receipt_no: str
    withdrawn_at: dt.datetime
    reason: str


class BundleReceipt(_Wire):
    submission_id: Uuid
    receipt_no: str


class BundleReplay(_Wire):
    """The answer to an outbox bundle the service checked and replayed (``POST /api/v1/bundles``)."""

    device: KeyId
    user: str
    sealed: bool
    applied: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: list[str] = []
    receipts: list[BundleReceipt] = []


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


_Note = Annotated[str, StringConstraints(max_length=2000)]
_Key = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class ReviewAction(_Wire):
    """The body of a ``review`` op (DESIGN §13): one action on a submission's review. The author is
    the signed-in user, never a field; ids are made where the action was taken."""

    action: Literal["request_review", "clear", "return", "comment", "reply", "resolve", "reopen",
                    "accept", "reject"]
    at: dt.datetime
    note: _Note | None = None
    rev: int | None = Field(default=None, ge=1)  # the text's rev (request_review, clear, return)
    sha256: Sha256 | None = None  # the text's content hash (request_review, clear)
    comment_id: Uuid | None = None
    reply_id: Uuid | None = None
    decision_id: Uuid | None = None
    section: _Key | None = None
    exact: Annotated[str, StringConstraints(max_length=5000)] | None = None
    prefix: Annotated[str, StringConstraints(max_length=200)] | None = None
    suffix: Annotated[str, StringConstraints(max_length=200)] | None = None
    text: Annotated[str, StringConstraints(max_length=20_000)] | None = None
    suggestion: Annotated[str, StringConstraints(max_length=20_000)] | None = None
