"""The secretariat's status board: for each workshop, where every member delegation stands.

Read from the submissions' state columns only (never a body), and never from a draft: a draft is
the delegation's own until it is submitted, so the query asks for the states after receipt alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from idm_desktop.core.workshops import Workshop as CoreWorkshop
from idm_desktop.server.models import Delegation, Submission, Workshop

GENEVA = ZoneInfo("Europe/Zurich")
"""The secretariat's clock: deadlines are set in it, and the desk and its CSV tell times in it."""

SEEN_STATUSES = ("received", "published", "returned", "withdrawn")
"""What the secretariat may see of a submission: it was sent. ``draft`` is never read here."""


class Standing(StrEnum):
    NONE = "none"
    ON_TIME = "on_time"
    LATE = "late"
    RETURNED = "returned"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Row:
    iso3: str
    standing: Standing
    receipt_no: str | None
    received_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Board:
    workshop: CoreWorkshop
    rows: tuple[Row, ...]

    @property
    def counts(self) -> dict[Standing, int]:
        counts = dict.fromkeys(Standing, 0)
        for row in self.rows:
            counts[row.standing] += 1
        return counts


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def workshops(session: Session) -> list[CoreWorkshop]:
    """Every event of the catalog, the newest first."""
    found = [CoreWorkshop.from_dict(data) for data in session.scalars(select(Workshop.data))]
    return sorted(found, key=lambda w: (w.start or dt.date(w.year, 1, 1), w.id), reverse=True)


def taking_submissions(session: Session, found: Sequence[CoreWorkshop]) -> list[CoreWorkshop]:
    """The workshops of ``found`` that take submissions: a deadline or a template of their own, or
    something already sent to them (nothing received is ever left off the board). Past meetings
    without a call for submissions have no board."""
    sent = set(session.scalars(select(Submission.workshop_id).distinct()
                               .where(Submission.status.in_(SEEN_STATUSES))))
    return [w for w in found if w.deadline is not None or w.template is not None or w.id in sent]


def boards(session: Session, chosen: Sequence[CoreWorkshop]) -> list[Board]:
    """The boards of ``chosen`` workshops, from two queries whatever their number."""
    members = list(session.scalars(select(Delegation.iso3).where(Delegation.active.is_(True))
                                   .order_by(Delegation.iso3)))
    ids = [w.id for w in chosen]
    latest: dict[tuple[str, str], tuple[str, str | None, dt.datetime | None, bool]] = {}
    stmt = (select(Submission.workshop_id, Submission.delegation, Submission.status, Submission.receipt_no,
                   Submission.received_at, Submission.superseded_by)
            .where(Submission.workshop_id.in_(ids), Submission.status.in_(SEEN_STATUSES)))
    for workshop_id, iso3, status, receipt_no, received_at, superseded_by in session.execute(stmt):
        key = (workshop_id, iso3)
        when = _aware(received_at)
        current = superseded_by is None
        have = latest.get(key)
        # The one not superseded wins; among equals, the one received last.
        if have is None or (current, when or dt.datetime.min.replace(tzinfo=dt.UTC)) > (
                have[3], have[2] or dt.datetime.min.replace(tzinfo=dt.UTC)):
            latest[key] = (status, receipt_no, when, current)
    result = []
    for w in chosen:
        deadline = w.deadline.instant if w.deadline else None
        rows = []
        for iso3 in members:
            got = latest.get((w.id, iso3))
            if got is None:
                rows.append(Row(iso3, Standing.NONE, None, None))
                continue
            status, receipt_no, when, _current = got
            rows.append(Row(iso3, _standing(status, when, deadline), receipt_no, when))
        result.append(Board(w, tuple(rows)))
    return result


def _standing(status: str, received_at: dt.datetime | None, deadline: dt.datetime | None) -> Standing:
    if status == "published":
        return Standing.PUBLISHED
    if status == "returned":
        return Standing.RETURNED
    if status == "withdrawn":
        return Standing.WITHDRAWN
    if deadline is not None and received_at is not None and received_at > deadline:
        return Standing.LATE
    return Standing.ON_TIME


def csv_text(board: Board, names: dict[str, str], labels: dict[Standing, str],
             headers: Iterable[str]) -> str:
    """The board as CSV (UTF-8 with a BOM added by the caller for spreadsheets): one row a delegation,
    its standing as a code and as words, and when its submission came as ISO 8601 in Geneva time, to
    the second, with the offset ("2006-06-26T23:00:00+02:00")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(headers))
    for row in board.rows:
        writer.writerow([row.iso3, names.get(row.iso3, row.iso3), row.standing.value, labels[row.standing],
                         row.receipt_no or "", _iso(row.received_at)])
    return out.getvalue()


def _iso(value: dt.datetime | None) -> str:
    return value.astimezone(GENEVA).isoformat(timespec="seconds") if value is not None else ""
