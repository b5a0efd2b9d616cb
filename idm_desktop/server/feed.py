"""The changes feed: sequence numbers, per-entity latest change, opaque cursors."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, text, update
from sqlalchemy.orm import Session

from idm_desktop.protocol import Entity
from idm_desktop.server.errors import BadRequest, Gone
from idm_desktop.server.models import FeedEntry, FeedState, ReceiptCounter, utcnow

_STATE_ID = 1
FEED_CHANNEL = "idm_feed"
"""The PostgreSQL channel every transaction that moves the feed notifies on commit."""


def ensure_state(session: Session) -> FeedState:
    state = session.get(FeedState, _STATE_ID)
    if state is None:
        state = FeedState(id=_STATE_ID, last_seq=0, epoch=secrets.token_hex(8), receipts_issued=0)
        session.add(state)
        session.flush()
    return state


def next_seq(session: Session) -> int:
    """Take the next sequence number. The row lock it takes is held until commit, so numbers
    become visible in the order they were handed out."""
    seq = session.execute(
        update(FeedState)
        .where(FeedState.id == _STATE_ID)
        .values(last_seq=FeedState.last_seq + 1)
        .returning(FeedState.last_seq)
    ).scalar_one()
    if session.get_bind().dialect.name == "postgresql":
        # Delivered at commit (once per transaction), to every replica's listener (notify.py).
        session.execute(text(f"NOTIFY {FEED_CHANNEL}"))
    return int(seq)


def next_receipt_number(session: Session, delegation: str, when: dt.datetime) -> str:
    """The next receipt number of ``delegation``: ``IDM-<year>-<ISO3>-<n>``, in a sequence of its
    own, so that nobody learns from the numbers how many other delegations submitted. Two first
    receipts of a delegation at once: one insert fails (IntegrityError) and its caller tries again."""
    n = session.execute(
        update(ReceiptCounter)
        .where(ReceiptCounter.delegation == delegation)
        .values(issued=ReceiptCounter.issued + 1)
        .returning(ReceiptCounter.issued)
    ).scalar()
    if n is None:
        session.add(ReceiptCounter(delegation=delegation, issued=1))
        session.flush()
        n = 1
    return f"IDM-{when.year}-{delegation}-{int(n):05d}"


def record(
    session: Session, entity: Entity, entity_id: str, rev: int, *,
    deleted: bool = False, delegation: str | None = None,
) -> int:
    """Note that ``entity_id`` changed to ``rev``; returns the change's sequence number.
    Call it last in a write unit of work: it holds the feed's lock until the commit."""
    seq = next_seq(session)
    session.execute(
        delete(FeedEntry).where(FeedEntry.entity == entity.value, FeedEntry.entity_id == entity_id)
    )
    session.add(FeedEntry(
        seq=seq, entity=entity.value, entity_id=entity_id, rev=rev, deleted=deleted,
        delegation=delegation, at=utcnow(),
    ))
    session.flush()
    return seq


@dataclass(frozen=True, slots=True)
class Cursor:
    epoch: str
    seq: int

    def encode(self) -> str:
        raw = json.dumps({"e": self.epoch, "s": self.seq}, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(text: str | None, state: FeedState) -> int:
    """The sequence number after which to continue; ``410 resync_required`` when the cursor
    belongs to another epoch of the feed or is ahead of it (the database was restored)."""
    if not text:
        return 0
    bad = BadRequest("The cursor is not one this server gave out: pull again without a cursor.", "bad_cursor")
    try:
        padded = text + "=" * (-len(text) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        epoch, seq = str(data["e"]), data["s"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError, RecursionError) as err:
        raise bad from err
    if type(seq) is not int:  # not a float (Infinity, NaN, 1e400), not a bool
        raise bad
    if epoch != state.epoch or seq > state.last_seq or seq < 0:
        raise Gone("The server's change history was reset: pull everything again from an empty cursor.",
                   "resync_required")
    return seq


def page(
    session: Session, after: int, limit: int, delegation: str | None, *, everything: bool,
) -> list[FeedEntry]:
    """Up to ``limit`` entries after ``after`` that the caller may see: shared entities, and
    submissions and reviews of the caller's delegation (every submission when ``everything``, but
    never a review: comments, notes and reviewers stay inside their delegation)."""
    stmt = select(FeedEntry).where(FeedEntry.seq > after).order_by(FeedEntry.seq).limit(limit)
    if everything:
        stmt = stmt.where(FeedEntry.entity != Entity.REVIEW.value)
    else:
        stmt = stmt.where(or_(FeedEntry.delegation.is_(None), FeedEntry.delegation == delegation))
    return list(session.scalars(stmt))
