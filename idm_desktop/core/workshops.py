"""Workshops and other IDM events, and their submission deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from idm_desktop.core.text import LocalText, pick


class EventKind(StrEnum):
    COUNCIL_SESSION = "council_session"
    WORKSHOP = "workshop"
    EXPERT_WORKSHOP = "expert_workshop"
    TRAINING = "training"
    BRIEFING = "briefing"


class EventStatus(StrEnum):
    PLANNED = "planned"
    TENTATIVE = "tentative"
    CONFIRMED = "confirmed"
    HELD = "held"


class DatePrecision(StrEnum):
    """How much of an event's date is known: the day, or only the month."""

    DAY = "day"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class Deadline:
    """A submission deadline: the end of a day in a time zone (the secretariat's)."""

    date: dt.date
    time: dt.time = dt.time(23, 59, 59)
    tz: str = "Europe/Zurich"

    @property
    def instant(self) -> dt.datetime:
        """The deadline as an aware datetime."""
        from zoneinfo import ZoneInfo  # here: reading a workshop needs no time zone data

        return dt.datetime.combine(self.date, self.time, tzinfo=ZoneInfo(self.tz))

    def days_left(self, now: dt.datetime) -> int:
        """Whole days from ``now`` to the deadline's date (negative once it has passed),
        counted in the deadline's time zone."""
        from zoneinfo import ZoneInfo

        today = now.astimezone(ZoneInfo(self.tz)).date()
        return (self.date - today).days

    def has_passed(self, now: dt.datetime) -> bool:
        return now >= self.instant


@dataclass(frozen=True, slots=True)
class Workshop:
    """One IDM event (workshop, Council session, training, briefing)."""

    id: str
    kind: EventKind
    year: int
    title: LocalText
    status: EventStatus
    start: dt.date | None = None
    end: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.DAY
    date_note: LocalText = field(default_factory=dict)
    note: LocalText = field(default_factory=dict)
    programme: LocalText = field(default_factory=dict)
    theme: LocalText = field(default_factory=dict)
    city: str = ""
    venue: str = ""
    partners: tuple[LocalText, ...] = ()
    """Each partner's name in the languages it has one in ({"en": "WHO", "fr": "OMS"})."""
    deadline: Deadline | None = None
    guiding_questions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    documents: tuple[str, ...] = ()
    """Symbols of the documents prepared for or issued by the event ("IC/2006/4 Annex V"): an
    imported document with one of them belongs to this workshop."""
    template: tuple[str, int] | None = None
    """The template (id, version) the secretariat made current for this event; None: the newest."""

    def status_on(self, today: dt.date) -> EventStatus:
        """The status as it reads on ``today``: an event whose last day is past was held, whatever
        a catalog written before it still says ("planned", "tentative")."""
        last = self.end or self.start
        if last is not None and self.date_precision is DatePrecision.MONTH:
            following = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            last = following - dt.timedelta(days=1)  # the month's last day
        if last is not None and last < today:
            return EventStatus.HELD
        return self.status

    def title_in(self, lang: str) -> str:
        return pick(self.title, lang)

    def partners_in(self, lang: str) -> tuple[str, ...]:
        """The partners' names in ``lang`` (in English where they have none of their own)."""
        return tuple(pick(p, lang) for p in self.partners)

    def questions_in(self, lang: str) -> tuple[str, ...]:
        return self.guiding_questions.get(lang) or self.guiding_questions.get("en") or ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Workshop:
        """Build from the catalog's JSON form (see resources/catalog)."""
        deadline = data.get("deadline")
        return cls(
            id=data["id"],
            kind=EventKind(data["kind"]),
            year=int(data["year"]),
            title=dict(data["title"]),
            status=EventStatus(data["status"]),
            start=_date(data.get("start")),
            end=_date(data.get("end")),
            date_precision=DatePrecision(data.get("date_precision", "day")),
            date_note=dict(data.get("date_note") or {}),
            note=dict(data.get("note") or {}),
            programme=dict(data.get("programme") or {}),
            theme=dict(data.get("theme") or {}),
            city=data.get("city") or "",
            venue=data.get("venue") or "",
            # A name alone (catalogs before version 3) is the English one.
            partners=tuple({"en": p} if isinstance(p, str) else dict(p) for p in data.get("partners") or ()),
            deadline=(
                Deadline(
                    date=dt.date.fromisoformat(deadline["date"]),
                    time=dt.time.fromisoformat(deadline.get("time", "23:59:59")),
                    tz=deadline.get("tz", "Europe/Zurich"),
                )
                if deadline
                else None
            ),
            guiding_questions={k: tuple(v) for k, v in (data.get("guiding_questions") or {}).items()},
            documents=tuple(data.get("documents") or ()),
            template=_template_ref(data.get("template")),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, the inverse of :meth:`from_dict`."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "year": self.year,
            "title": dict(self.title),
            "status": self.status.value,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "date_precision": self.date_precision.value,
            "date_note": dict(self.date_note),
            "note": dict(self.note),
            "programme": dict(self.programme),
            "theme": dict(self.theme),
            "city": self.city,
            "venue": self.venue,
            "partners": [dict(p) for p in self.partners],
            "deadline": (
                {
                    "date": self.deadline.date.isoformat(),
                    "time": self.deadline.time.isoformat(),
                    "tz": self.deadline.tz,
                }
                if self.deadline
                else None
            ),
            "guiding_questions": {k: list(v) for k, v in self.guiding_questions.items()},
            "documents": list(self.documents),
            **({"template": {"id": self.template[0], "version": self.template[1]}}
               if self.template else {}),
        }


def _template_ref(value: Any) -> tuple[str, int] | None:
    if isinstance(value, Mapping):
        ident, version = value.get("id"), value.get("version")
        if isinstance(ident, str) and isinstance(version, int):
            return ident, version
    return None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
