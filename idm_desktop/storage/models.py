"""ORM models of the local database. Never leave this package: callers get core dataclasses.

The full-text tables (FTS5) are created by the migration, not declared here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Dialect, ForeignKey, Index, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out (SQLite keeps no time zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime}


class WorkshopRow(Base):
    __tablename__ = "workshops"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str]
    year: Mapped[int]
    start_date: Mapped[dt.date | None]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(default="bundled")


class TemplateRow(Base):
    __tablename__ = "templates"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(default="bundled")


LISTING_COLUMNS = ("workshop_id", "symbol", "pk", "id", "title", "kind", "language", "original_language",
                   "languages_available", "date", "sha256", "size", "mime", "filename", "page_count",
                   "imported_at", "supersedes", "origin", "rev")
"""The columns of the documents' covering index, in its order (the list's order first)."""


class DocumentRow(Base):
    __tablename__ = "documents"

    # An integer key of its own: the FTS5 index refers to rows by it (external content).
    pk: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    symbol: Mapped[str]
    title: Mapped[str]
    workshop_id: Mapped[str | None] = mapped_column(ForeignKey("workshops.id"))
    kind: Mapped[str]
    language: Mapped[str]
    original_language: Mapped[str | None]
    languages_available: Mapped[list[str]] = mapped_column(JSON)
    date: Mapped[dt.date | None]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    mime: Mapped[str]
    filename: Mapped[str]
    page_count: Mapped[int]
    # Deferred: lists and tables never need the (large) text; search and the viewer ask for it.
    text: Mapped[str] = mapped_column(Text, deferred=True)
    imported_at: Mapped[dt.datetime]
    supersedes: Mapped[str | None]
    # "local" (imported on this computer) or "server" (pulled; then ``rev`` is the server's).
    origin: Mapped[str] = mapped_column(default="local", server_default="local")
    rev: Mapped[int | None]

    # The list's order, and every column it shows: listing 10,000 documents reads this index alone,
    # not the rows, whose text (before the last columns) spans overflow pages (migration 0009).
    __table_args__ = (Index("ix_documents_listing", *LISTING_COLUMNS),)


class SubmissionRow(Base):
    __tablename__ = "submissions"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id"), index=True)
    country: Mapped[str] = mapped_column(String(3))
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str]
    template_id: Mapped[str]
    template_version: Mapped[int]
    body: Mapped[dict[str, str]] = mapped_column(JSON)
    status: Mapped[str]
    rev: Mapped[int | None]
    base: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    content_sha256: Mapped[str | None]
    supersedes: Mapped[str | None]
    receipt_no: Mapped[str | None]
    received_at: Mapped[dt.datetime | None]
    receipt_key_id: Mapped[str | None]  # the service's signature of the receipt (DESIGN §15)
    receipt_signature: Mapped[str | None]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    superseded_by: Mapped[str | None]
    return_note: Mapped[str | None]  # the secretariat's note when it returned it for correction


class NoticeRow(Base):
    """A notice of the secretariat pulled from the service (DESIGN §14), shown until read."""

    __tablename__ = "notices"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    rev: Mapped[int]
    workshop_id: Mapped[str | None]
    text: Mapped[dict[str, str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime]
    read_at: Mapped[dt.datetime | None]


class HistoryRow(Base):
    __tablename__ = "submission_history"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id"), index=True)
    at: Mapped[dt.datetime]
    author: Mapped[str]
    reason: Mapped[str]
    title: Mapped[str]
    body: Mapped[dict[str, str]] = mapped_column(JSON)
    name: Mapped[str | None] = mapped_column(default=None)  # "sent to the ministry"
    restored_from: Mapped[int | None] = mapped_column(default=None)  # seq of the version restored
    suggested_by: Mapped[str | None] = mapped_column(default=None)  # an accepted suggestion's reviewer


class MetaRow(Base):
    """Small facts about the library itself (e.g. which catalog version was loaded)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str]


class OutboxRow(Base):
    """An op waiting to be sent, or sent and waiting for its final answer.

    A ``save`` op is made from the submission's current text when a sync starts, at most one
    per submission; once sent (``sent_at``) its ``op_id`` and body never change, so a retry is
    recognised by the server. A ``submit`` op follows the save it depends on."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str]  # save | submit
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id"), index=True)
    base_rev: Mapped[int | None]
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str]
    created_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    error_code: Mapped[str | None]
    error: Mapped[str | None]
    failed: Mapped[bool] = mapped_column(default=False)  # refused for good: waits for the user


class ConflictRow(Base):
    """A section (or the title) edited on both sides: all three texts, until the user resolves it."""

    __tablename__ = "sync_conflicts"

    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    key: Mapped[str] = mapped_column(primary_key=True)
    base: Mapped[str] = mapped_column(Text)
    mine: Mapped[str] = mapped_column(Text)
    theirs: Mapped[str] = mapped_column(Text)
    theirs_rev: Mapped[int]
    created_at: Mapped[dt.datetime]


class PendingDocumentRow(Base):
    """A pulled document whose file has not arrived yet: it enters the library with its file."""

    __tablename__ = "pending_documents"

    document_id: Mapped[str] = mapped_column(String, primary_key=True)
    rev: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the change's data: metadata, sha256, size
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None]


class ReviewRow(Base):
    """The service's review of a submission (core.clearance's JSON) as last pulled; this computer's
    unsent review actions wait in the outbox and are shown on top of it (DESIGN §13)."""

    __tablename__ = "reviews"

    submission_id: Mapped[str] = mapped_column(String, primary_key=True)
    rev: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
