"""IDM events as the secretariat edits them: dates, venue, status, deadline (Europe/Zurich),
guiding questions per language, and the template current for the event. Each change reaches the
desktops through the changes feed, where a server's event overrides the bundled catalog's.

An edited event is marked (``edited_at`` in its data), so that the bundled catalog seeded at
start-up never writes over what the secretariat decided."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from idm_desktop.core.i18n import N_
from idm_desktop.core.workshops import DatePrecision, Deadline, EventKind, EventStatus
from idm_desktop.core.workshops import Workshop as CoreWorkshop
from idm_desktop.protocol import Entity
from idm_desktop.server import audit, feed
from idm_desktop.server.errors import AdminError, AdminNotFound
from idm_desktop.server.models import Template, Workshop, utcnow

EDITED = "edited_at"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_QUESTIONS = 20
MAX_TEXT = 2000


@dataclasses.dataclass(frozen=True, slots=True)
class EventForm:
    """What the desk's event form sends (all text; checked here)."""

    start: str = ""
    end: str = ""
    city: str = ""
    venue: str = ""
    status: str = "planned"
    deadline_date: str = ""
    deadline_time: str = ""
    questions_en: str = ""
    questions_fr: str = ""
    questions_es: str = ""


_MONTH = re.compile(r"^\d{4}-\d{2}$")


_NOT_A_DATE = {
    "start": N_("The first day is not a date: write it as YYYY-MM-DD, or YYYY-MM when only the month is "
                "known."),
    "end": N_("The last day is not a date: write it as YYYY-MM-DD, or YYYY-MM when only the month is "
              "known."),
    "deadline_date": N_("The deadline is not a date: write it as YYYY-MM-DD."),
}


def _day(value: str, field: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise AdminError(_NOT_A_DATE[field], field=field) from None


def _meeting_day(value: str, field: str) -> tuple[dt.date | None, bool]:
    """A meeting's first or last day as typed: "2027-03-15", or "2027-03" when only the month is
    known (kept as the 1st with the month's precision); whether only the month was given."""
    value = value.strip()
    if _MONTH.fullmatch(value):
        try:
            return dt.date.fromisoformat(f"{value}-01"), True
        except ValueError:
            raise AdminError(_NOT_A_DATE[field], field=field) from None
    return _day(value, field), False


def form_date(day: dt.date | None, precision: DatePrecision) -> str:
    """How the event form shows a stored first or last day: the month alone when only it is known."""
    if day is None:
        return ""
    return day.isoformat()[:7] if precision is DatePrecision.MONTH else day.isoformat()


def _lines(text: str) -> tuple[str, ...]:
    found = tuple(line.strip() for line in text.splitlines() if line.strip())
    if len(found) > MAX_QUESTIONS or any(len(q) > MAX_TEXT for q in found):
        raise AdminError(N_("At most {n} guiding questions of {chars} characters each."),
                         params={"n": MAX_QUESTIONS, "chars": MAX_TEXT})
    return found


def changed(event: CoreWorkshop, form: EventForm) -> CoreWorkshop:
    """``event`` with the form's values, or a clear AdminError."""
    start, start_month = _meeting_day(form.start, "start")
    end, end_month = _meeting_day(form.end, "end")
    if start is None and end is not None:
        raise AdminError(N_("Give the first day too, or leave the last day empty."), field="start")
    if start and end and start_month != end_month:
        raise AdminError(N_("Give both dates to the day (YYYY-MM-DD), or both to the month only (YYYY-MM)."),
                         field="end")
    if start and end and end < start:
        raise AdminError(N_("The last day is before the first day."), field="end")
    # Only a month typed keeps only a month; a day typed is a day known (never the other way).
    precision = DatePrecision.MONTH if start_month else DatePrecision.DAY
    try:
        status = EventStatus(form.status)
    except ValueError:
        raise AdminError(N_("Unknown status: planned, tentative, confirmed or held."),
                         field="status") from None
    deadline = None
    day = _day(form.deadline_date, "deadline_date")
    if day is not None:
        try:
            at = dt.time.fromisoformat(form.deadline_time.strip()) if form.deadline_time.strip() else \
                dt.time(23, 59, 59)
        except ValueError:
            raise AdminError(N_("The deadline's time is not a time: write it as HH:MM."),
                             field="deadline_time") from None
        deadline = Deadline(date=day, time=at, tz="Europe/Zurich")
    if len(form.city) > 200 or len(form.venue) > 300:
        raise AdminError(N_("The city or the venue is too long."), field="venue")
    questions = {lang: q for lang, q in (("en", _lines(form.questions_en)), ("fr", _lines(form.questions_fr)),
                                          ("es", _lines(form.questions_es))) if q}
    return dataclasses.replace(event, start=start, end=end, city=form.city.strip(), venue=form.venue.strip(),
                               date_precision=precision, status=status, deadline=deadline,
                               guiding_questions=questions,
                               year=start.year if start else event.year)


def _store(session: Session, row: Workshop, event: CoreWorkshop, actor: str, action: str,
           before: dict[str, Any] | None) -> None:
    data = {**event.to_dict(), EDITED: utcnow().isoformat()}
    row.data = data
    row.rev += 1
    session.flush()
    feed.record(session, Entity.WORKSHOP, row.id, row.rev)
    after = {k: v for k, v in event.to_dict().items() if before is None or before.get(k) != v}
    earlier = None if before is None else {k: before.get(k) for k in after}
    audit.record(session, actor, action, row.id,
                 None if before is None else _as_entered(earlier, str(before.get("date_precision", "day"))),
                 _as_entered(after, event.date_precision.value))


def _as_entered(values: dict[str, Any] | None, precision: str) -> dict[str, Any] | None:
    """The dates of an event known only to the month recorded as typed ("2006-07"), not as the day
    the catalog stores for them."""
    if values is None or precision != "month":
        return values
    return {k: v[:7] if k in ("start", "end") and isinstance(v, str) and len(v) == 10 else v
            for k, v in values.items()}


def edit(session: Session, workshop_id: str, form: EventForm, actor: str) -> CoreWorkshop:
    row = session.get(Workshop, workshop_id)
    if row is None:
        raise AdminNotFound(N_("No event “{workshop_id}”."), params={"workshop_id": workshop_id})
    old = CoreWorkshop.from_dict(row.data)
    new = changed(old, form)
    _store(session, row, new, actor, "event.edit", old.to_dict())
    return new


def add(session: Session, ident: str, kind: str, titles: dict[str, str], form: EventForm,
        actor: str) -> CoreWorkshop:
    ident = ident.strip().lower()
    if not (_SLUG.fullmatch(ident) and len(ident) <= 100):
        raise AdminError(N_("The event's id is a slug: a-z, 0-9 and hyphens, e.g. idm2007-labour-mobility."),
                         field="ident")
    if session.get(Workshop, ident) is not None:
        raise AdminError(N_("An event “{ident}” already exists."), params={"ident": ident}, field="ident")
    try:
        the_kind = EventKind(kind)
    except ValueError:
        raise AdminError(N_("Unknown kind of event."), field="kind") from None
    clean = {k: v.strip() for k, v in titles.items() if v.strip()}
    if "en" not in clean:
        raise AdminError(N_("Give the event's title in English at least."), field="title_en")
    base = CoreWorkshop(id=ident, kind=the_kind, year=utcnow().year, title=clean, status=EventStatus.PLANNED)
    event = changed(base, form)
    row = Workshop(id=ident, rev=0, data={})
    session.add(row)
    _store(session, row, event, actor, "event.add", None)
    return event


def make_current(session: Session, workshop_id: str, template_key: str, actor: str) -> None:
    """Make the template version ``template_key`` ("id@version") current for the event."""
    row = session.get(Workshop, workshop_id)
    template = session.get(Template, template_key)
    if row is None or template is None:
        raise AdminNotFound(N_("No such event or template version."), field="template")
    old = CoreWorkshop.from_dict(row.data)
    new = dataclasses.replace(old, template=(template.template_id, template.version))
    _store(session, row, new, actor, "template.make_current", old.to_dict())


def templates(session: Session) -> list[tuple[str, str, int, dict[str, str]]]:
    """Every template version: (key, id, version, title), newest first."""
    rows = session.execute(select(Template.id, Template.template_id, Template.version, Template.data)
                           .order_by(Template.template_id, Template.version.desc()))
    return [(key, tid, version, dict(data.get("title") or {})) for key, tid, version, data in rows]
