"""What the public pages and the public JSON API read: published submissions only.

Every query here carries ``status = 'published'``; a submission in any other state (draft,
received, unpublished, withdrawn) is indistinguishable from one that never existed. Listing
queries select narrow columns and load the text of one page of rows only, so a page stays fast
with thousands of published submissions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, Select, Subquery, and_, bindparam, false, func, select
from sqlalchemy.orm import Session, aliased

from idm_desktop.core.languages import LANGUAGES
from idm_desktop.core.submissions import Submission as CoreSubmission
from idm_desktop.core.templates import Template as CoreTemplate
from idm_desktop.core.workshops import Workshop as CoreWorkshop
from idm_desktop.export import ExportContext
from idm_desktop.export.context import Section, sections
from idm_desktop.server.models import FeedState, Submission, Workshop
from idm_desktop.server.printable import printable
from idm_desktop.server.search.index import Match
from idm_desktop.server.search.text import Query, Segment, mark, parse_query, quick_text, snippet

PUBLISHED = "published"
PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
SEAT = ZoneInfo("Europe/Zurich")
"""Dates are the organisation's, in Geneva (as the workshops' deadlines are)."""

_ISO3 = re.compile(r"^[A-Z]{3}$")


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back; they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def local_date(value: dt.datetime) -> dt.date:
    """The date of ``value`` in Geneva."""
    return aware(value).astimezone(SEAT).date()


@dataclass(frozen=True, slots=True)
class Filters:
    """What a reader narrows the list with; values that cannot match anything are dropped
    by :meth:`clean`, so a bad link shows everything rather than an error."""

    q: str = ""
    workshop: str | None = None
    country: str | None = None
    language: str | None = None
    year: int | None = None

    @classmethod
    def clean(cls, q: str | None = None, workshop: str | None = None, country: str | None = None,
              language: str | None = None, year: str | int | None = None) -> Filters:
        country = (country or "").strip().upper() or None
        language = (language or "").strip().lower() or None
        year_value: int | None = None
        if isinstance(year, int):
            year_value = year
        elif year and year.strip().isdigit() and len(year.strip()) <= 4:
            year_value = int(year.strip())
        return cls(
            q=(q or "").strip(),
            workshop=(workshop or "").strip()[:100] or None,
            country=country if country and _ISO3.match(country) else None,
            language=language if language in LANGUAGES else None,
            year=year_value,
        )

    @property
    def narrowed(self) -> bool:
        return any(v is not None for v in (self.workshop, self.country, self.language, self.year))


@dataclass(frozen=True, slots=True)
class Listed:
    """One published submission in a list: enough to show and link it, and a snippet."""

    receipt_no: str
    title: str
    country: str
    workshop_id: str
    language: str
    received_at: dt.datetime
    published_at: dt.datetime | None
    superseded_by: str | None  # the receipt number of its published successor
    snippet: tuple[Segment, ...]
    marked_title: tuple[Segment, ...] = ()  # the title, the query's hits marked

    @property
    def received_on(self) -> dt.date:
        return local_date(self.received_at)


@dataclass(frozen=True, slots=True)
class ResultPage:
    items: tuple[Listed, ...]
    total: int
    page: int
    per_page: int
    query: Query

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def no_words(self) -> bool:
        """The reader typed a query with no word in it (only punctuation)."""
        return self.query.typed and self.query.empty


@dataclass(frozen=True, slots=True)
class Catalog:
    """The workshops, as core objects, by id."""

    workshops: dict[str, CoreWorkshop]

    def ids_of_year(self, year: int) -> list[str]:
        return [w.id for w in self.workshops.values() if w.year == year]


@dataclass(frozen=True, slots=True)
class Facets:
    """How many published submissions there are per workshop, country, language and year."""

    workshops: dict[str, int] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.languages.values())


@dataclass(frozen=True, slots=True)
class Detail:
    """A published submission with everything its page and its PDF show."""

    listed: Listed
    supersedes: str | None  # the receipt number of the published submission it replaces
    template: CoreTemplate
    workshop: CoreWorkshop | None
    submission: CoreSubmission
    sections: tuple[Section, ...]
    receipt_signature: tuple[str, str] | None = None  # (key_id, base64 signature) over the receipt

    @property
    def export_context(self) -> ExportContext:
        """The desktop's export input; the date printed is the date of receipt."""
        return ExportContext(submission=self.submission, template=self.template, workshop=self.workshop,
                             date=self.listed.received_on)

    @property
    def cache_key(self) -> tuple[str, int]:
        return (self.submission.id, self.submission.rev or 0)


def catalog(session: Session) -> Catalog:
    return Catalog({row.id: CoreWorkshop.from_dict(row.data) for row in session.scalars(select(Workshop))})


@dataclass(frozen=True, slots=True)
class Overview:
    """The workshops and the counts of published submissions, as of change ``seq`` of the feed."""

    seq: int
    epoch: str
    catalog: Catalog
    facets: Facets
    memo: dict[tuple[str, str], Any] = field(default_factory=dict)  # lists derived per language


FEED_HEAD = select(FeedState.last_seq, FeedState.epoch).where(FeedState.id == 1)
"""The feed's last sequence number and epoch: every publish, unpublish and catalog change moves
it (built once: :meth:`Database.fetch_one` compiles a statement once)."""


class OverviewCache:
    """The latest :class:`Overview`, made again only when the feed has moved.

    Every publish, unpublish and catalog change is recorded in the feed (and so is every other
    change), so the feed's last sequence number read in the same transaction says whether the
    cached counts are still those of the database."""

    def __init__(self) -> None:
        self._current: Overview | None = None

    def get(self, session: Session) -> Overview:
        row = session.connection().execute(FEED_HEAD).first()
        seq, epoch = (int(row[0]), str(row[1])) if row else (0, "")
        current = self._current
        if current is None or current.seq != seq or current.epoch != epoch:
            cat = catalog(session)
            current = self._current = Overview(seq, epoch, cat, facets(session, cat))
        return current


def facets(session: Session, cat: Catalog) -> Facets:
    """The counts the home page and the search filters show (one grouped query)."""
    rows = session.execute(
        select(Submission.workshop_id, Submission.delegation, Submission.language, func.count())
        .where(Submission.status == PUBLISHED)
        .group_by(Submission.workshop_id, Submission.delegation, Submission.language)
    ).all()
    out = Facets()
    for workshop_id, country, language, n in rows:
        out.workshops[workshop_id] = out.workshops.get(workshop_id, 0) + n
        out.countries[country] = out.countries.get(country, 0) + n
        out.languages[language] = out.languages.get(language, 0) + n
        w = cat.workshops.get(workshop_id)
        if w is not None:
            out.years[w.year] = out.years.get(w.year, 0) + n
    return out


def search(
    session: Session, cat: Catalog, filters: Filters, *, sqlite: bool, page: int = 1,
    per_page: int = PER_PAGE,
) -> ResultPage:
    """One page of published submissions matching ``filters``: best match first when there
    is a query, newest first otherwise."""
    query = parse_query(filters.q)
    page = min(max(page, 1), MAX_PAGE)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    if query.typed and query.empty:
        return ResultPage((), 0, page, per_page, query)
    s = Submission
    conditions = [s.status == PUBLISHED]
    if filters.workshop:
        conditions.append(s.workshop_id == filters.workshop)
    if filters.country:
        conditions.append(s.delegation == filters.country)
    if filters.language:
        conditions.append(s.language == filters.language)
    if filters.year is not None:
        ids = cat.ids_of_year(filters.year)
        conditions.append(s.workshop_id.in_(ids) if ids else false())
    offset = (page - 1) * per_page
    if query.empty:  # newest first, straight from the index of published submissions by date
        stmt = select(s.id).where(*conditions)
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        ids = list(session.scalars(
            stmt.order_by(s.received_at.desc(), s.receipt_no.desc()).limit(per_page).offset(offset)))
        return ResultPage(tuple(_listed(session, ids, query)), total, page, per_page, query)
    # Best match first, in one pass over the matches: each row of the page carries their count.
    best_first, ranked, match = (_ranked(sqlite) if len(conditions) == 1 else
                                 _ranked_statement(sqlite, conditions))
    params = {**match.params(query), "per_page": per_page, "offset": offset}
    # Columns only, no entity to load: run on the session's connection, without the ORM's steps.
    rows = session.connection().execute(best_first, params).all()
    # Past the last page there is no row to carry the count: ask for it.
    total = (int(rows[0].total) if rows else
             session.connection().execute(select(func.count()).select_from(ranked), params).scalar() or 0)
    ids = [row.id for row in rows]
    return ResultPage(tuple(_listed(session, ids, query)), total, page, per_page, query)


RankedStatement = tuple[Select[tuple[str, int]], Subquery, Match]


def _ranked_statement(sqlite: bool, conditions: list[ColumnElement[bool]]) -> RankedStatement:
    """The ids of the published submissions matching a query, best first, with their count (the
    query, the page's size and its offset bound at execution)."""
    # (FTS5's bm25 cannot sit beside a window function, hence the inner query.)
    s = Submission
    match = Match(sqlite=sqlite)
    ranked = (select(s.id.label("id"), match.score.label("score"), s.received_at.label("received_at"))
              .join(match.table, match.table.c.submission_id == s.id)
              .where(match.where, *conditions)
              .subquery())
    best = ranked.c.score.asc() if match.lower_is_better else ranked.c.score.desc()
    stmt = (select(ranked.c.id, func.count().over().label("total"))
            .order_by(best, ranked.c.received_at.desc())
            .limit(bindparam("per_page", type_=Integer)).offset(bindparam("offset", type_=Integer)))
    return stmt, ranked, match


@cache
def _ranked(sqlite: bool) -> RankedStatement:
    """:func:`_ranked_statement` without a filter, built once (building it cost more than
    running it)."""
    return _ranked_statement(sqlite, [Submission.status == PUBLISHED])


_SUCCESSOR = aliased(Submission)
_LISTED = (
    select(Submission.id, Submission.receipt_no, Submission.title, Submission.delegation,
           Submission.workshop_id, Submission.language, Submission.received_at, Submission.published_at,
           Submission.body, _SUCCESSOR.receipt_no)
    .outerjoin(_SUCCESSOR, and_(_SUCCESSOR.id == Submission.superseded_by, _SUCCESSOR.status == PUBLISHED))
    .where(Submission.id.in_(bindparam("ids", expanding=True)), Submission.status == PUBLISHED)
)
"""A page of rows by id (built once: building it costs more than running it)."""


def _listed(session: Session, ids: list[str], query: Query) -> list[Listed]:
    if not ids:
        return []
    rows = session.connection().execute(_LISTED, {"ids": ids}).all()
    by_id = {row[0]: row for row in rows}
    out = []
    for ident in ids:
        row = by_id.get(ident)
        if row is None:
            continue
        _, receipt_no, title, country, workshop_id, language, received_at, published_at, body, succ = row
        out.append(Listed(
            receipt_no=receipt_no, title=title, country=country, workshop_id=workshop_id,
            language=language, received_at=aware(received_at),
            published_at=aware(published_at) if published_at else None,
            superseded_by=succ, snippet=snippet(quick_text(body), query), marked_title=mark(title, query),
        ))
    return out


def _published_receipt(session: Session, submission_id: str | None) -> str | None:
    if submission_id is None:
        return None
    found: str | None = session.scalar(select(Submission.receipt_no).where(
        Submission.id == submission_id, Submission.status == PUBLISHED))
    return found


def detail(session: Session, receipt_no: str) -> Detail | None:
    """The published submission with this receipt number, or None (for any other reason)."""
    if not receipt_no or len(receipt_no) > 40:
        return None
    sub = session.scalars(
        select(Submission).where(Submission.receipt_no == receipt_no, Submission.status == PUBLISHED)
    ).first()
    if sub is None or sub.received_at is None:
        return None
    received = aware(sub.received_at)
    printed = printable(session, sub, local_date(received))
    listed = Listed(
        receipt_no=receipt_no, title=sub.title, country=sub.delegation, workshop_id=sub.workshop_id,
        language=sub.language, received_at=received,
        published_at=aware(sub.published_at) if sub.published_at else None,
        superseded_by=_published_receipt(session, sub.superseded_by), snippet=(),
    )
    signed = ((sub.receipt_key_id, sub.receipt_signature) if sub.receipt_key_id and sub.receipt_signature
              else None)
    return Detail(listed=listed, supersedes=_published_receipt(session, sub.supersedes),
                  template=printed.template, workshop=printed.workshop, submission=printed.submission,
                  sections=tuple(sections(printed)),
                  receipt_signature=signed)
