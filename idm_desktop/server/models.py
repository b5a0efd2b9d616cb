"""The service's tables (SQLAlchemy 2, portable between SQLite and PostgreSQL).

Every entity a client pulls (workshop, template, document, submission) has a ``rev`` that
grows by one on each change, and one row in :class:`FeedEntry` that points at its latest
change (CouchDB's ``_changes`` keeps only the newest change of a document in the same way).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BigInteger ids that SQLite still treats as its INTEGER PRIMARY KEY (the rowid alias).
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy's declared mapping)
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
    }


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))  # the first of ``roles`` (older readers know only it)
    roles: Mapped[str] = mapped_column(String(100), default="")  # "drafter,submitter" (DESIGN §13)
    delegation: Mapped[str | None] = mapped_column(String(3))  # ISO alpha-3; None for the secretariat
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Token(Base):
    """A bearer token; only its SHA-256 is stored, so a copy of the database opens no door."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    device_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id"), index=True)


class Device(Base):
    """A desktop's Ed25519 device key (DESIGN §15), registered at sign-in: named by the key's
    fingerprint, it signs the outbox bundles of that desktop, and every op records it."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the public key's fingerprint
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str] = mapped_column(String(64))  # base64 of the 32 raw bytes
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]


class LoginBudget(Base):
    """The sign-in guesses one key has left (server/throttle.py): a key is a hash of the user name
    with or without the client's address, the address alone, or a known device.

    Kept in the database so that every replica behind a load balancer sees the same count."""

    __tablename__ = "login_budgets"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_at: Mapped[dt.datetime]
    blocked_until: Mapped[dt.datetime | None]


class KnownDevice(Base):
    """A device that signed in before (the hash of the secret it sends): it keeps a budget of its
    own, so that guesses from elsewhere never lock its user out of it."""

    __tablename__ = "known_devices"

    secret_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_sign_in: Mapped[dt.datetime]


class FeedState(Base):
    """One row: the last change sequence number handed out, and the feed's epoch.

    Taking the next number updates this row, which holds its lock until the transaction
    commits: sequence numbers therefore become visible in order, and a client's cursor never
    skips a change committed late. The epoch changes when the feed is rebuilt (a restore),
    which tells clients holding older cursors to resync."""

    __tablename__ = "feed_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    epoch: Mapped[str] = mapped_column(String(32))
    receipts_issued: Mapped[int] = mapped_column(BigInteger, default=0)


class ReceiptCounter(Base):
    """The receipts issued to one delegation so far (each delegation has a sequence of its own)."""

    __tablename__ = "receipt_counters"

    delegation: Mapped[str] = mapped_column(String(3), primary_key=True)
    issued: Mapped[int] = mapped_column(BigInteger)


class FeedEntry(Base):
    """The latest change of each entity; ``seq`` orders the feed."""

    __tablename__ = "feed"
    __table_args__ = (UniqueConstraint("entity", "entity_id"),)

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(100))
    rev: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who may see it: None = every signed-in user; otherwise one delegation (and the secretariat).
    delegation: Mapped[str | None] = mapped_column(String(3))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Workshop(Base):
    __tablename__ = "workshops"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    rev: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[dict[str, Any]]  # the catalog's JSON form (core.workshops.Workshop.to_dict)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Template(Base):
    __tablename__ = "templates"

    id: Mapped[str] = mapped_column(String(110), primary_key=True)  # "<template id>@<version>"
    template_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    rev: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[dict[str, Any]]  # core.templates.Template.to_dict
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    rev: Mapped[int] = mapped_column(Integer, default=1)
    workshop_id: Mapped[str | None] = mapped_column(ForeignKey("workshops.id"))
    symbol: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(2))
    original_language: Mapped[str] = mapped_column(String(2))
    languages: Mapped[str] = mapped_column(String(20))  # "en" or "en,fr,es"
    date: Mapped[dt.date | None]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(300))
    page_count: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        # The public policy database lists published submissions newest first and counts them by
        # workshop, country and language from indexes alone, never reading the bodies.
        Index("ix_submissions_public_list", "status", "received_at", "receipt_no"),
        Index("ix_submissions_public_facets", "status", "workshop_id", "delegation", "language"),
        # Search hits join the full-text index on id: this covers the join, the filters and the
        # tie-break without the row (on SQLite, these columns lie after the long body).
        Index("ix_submissions_public_search", "id", "status", "received_at", "workshop_id", "delegation",
              "language"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # made by the client
    rev: Mapped[int] = mapped_column(Integer)
    delegation: Mapped[str] = mapped_column(String(3), index=True)
    workshop_id: Mapped[str] = mapped_column(String(100), index=True)
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(Text)
    template_id: Mapped[str] = mapped_column(String(100))
    template_version: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20), index=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    supersedes: Mapped[str | None] = mapped_column(String(36))
    superseded_by: Mapped[str | None] = mapped_column(String(36))
    receipt_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    received_at: Mapped[dt.datetime | None]
    receipt_key_id: Mapped[str | None] = mapped_column(String(64))  # the key that signed the receipt
    receipt_signature: Mapped[str | None] = mapped_column(String(200))
    submit_key: Mapped[str | None] = mapped_column(String(200))  # the Idempotency-Key of the submit
    submit_device: Mapped[str | None] = mapped_column(String(64))  # the device that submitted it
    published_at: Mapped[dt.datetime | None]
    unpublished_at: Mapped[dt.datetime | None]
    unpublished_reason: Mapped[str | None] = mapped_column(Text)
    # Returned for correction by the secretariat (status "returned"): the note the delegation reads.
    return_note: Mapped[str | None] = mapped_column(Text)
    returned_at: Mapped[dt.datetime | None]
    # Withdrawn by its delegation (status "withdrawn"), with the reason it gave.
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SubmissionRevision(Base):
    """Every accepted version of a submission: the linear history of its revs."""

    __tablename__ = "submission_revisions"

    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    rev: Mapped[int] = mapped_column(Integer, primary_key=True)
    op_id: Mapped[str | None] = mapped_column(String(36))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[dict[str, Any]]
    content_sha256: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AppliedOp(Base):
    """Every op applied, by ``op_id``: a retry of the same op is answered ``duplicate``."""

    __tablename__ = "applied_ops"

    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    submission_id: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    rev: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    device_id: Mapped[str | None] = mapped_column(String(64), index=True)  # who sent it (DESIGN §15)


class DeskSession(Base):
    """A secretariat user signed in to the desk (server/desk): only the SHA-256 of the cookie's
    value is kept, with the CSRF token its forms carry. In the database, not in the process, so
    that any replica answers any request."""

    __tablename__ = "desk_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """One action of the secretariat: who, when, what, and the state before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(300))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


class Delegation(Base):
    """A member delegation expected to send overviews (a row of the status board), with its
    clearance policy (DESIGN §13). A delegation without a row has the default policy, ``optional``."""

    __tablename__ = "delegations"

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    clearance: Mapped[str] = mapped_column(String(20), default="optional")  # optional | required


class Notice(Base):
    """A short text of the secretariat to every desktop, or to those following one workshop."""

    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    rev: Mapped[int] = mapped_column(Integer, default=1)
    workshop_id: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[dict[str, Any]]  # {"en": …, "fr": …, "es": …}
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class Review(Base):
    """The clearance and comments of one submission (core.clearance's JSON): its delegation's only,
    never the secretariat's nor the public's."""

    __tablename__ = "reviews"

    id: Mapped[str] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    delegation: Mapped[str] = mapped_column(String(3), index=True)
    rev: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
