"""The programme tree and the words and dates it shows: dates in the UI language, deadlines
counting down, the tree passing Qt's own model checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from idm_desktop.core import catalog
from idm_desktop.core.documents import Document, DocumentKind
from idm_desktop.core.formatting import countdown, deadline_when, event_dates, long_date
from idm_desktop.core.i18n import set_ui_language
from idm_desktop.core.workshops import DatePrecision, Deadline, EventKind, EventStatus, Workshop
from idm_desktop.ui.formatting import TABLE_BACKGROUND, Tone, tone_color
from idm_desktop.ui.workshops.model import (
    DOCUMENT_ID_ROLE,
    WORKSHOP_ID_ROLE,
    Column,
    WorkshopDocumentsModel,
    WorkshopTreeModel,
    build_programme,
)

UTC = dt.UTC
DEADLINE = Deadline(dt.date(2006, 6, 26))  # the integration workshop's: 23:59:59 in Geneva


def _workshop(**changes: Any) -> Workshop:
    base: dict[str, Any] = {
        "id": "w", "kind": EventKind.WORKSHOP, "year": 2006, "title": {"en": "Integration"},
        "status": EventStatus.CONFIRMED, "start": dt.date(2006, 7, 12), "end": dt.date(2006, 7, 13),
    }
    return Workshop(**(base | changes))


# -- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "12–13 Jul 2006"), ("fr", "12–13 juil. 2006"), ("es", "12–13 jul 2006"),
])
def test_event_dates_follow_the_ui_language(lang: str, expected: str) -> None:
    assert event_dates(_workshop(), lang) == expected


def test_month_precision_shows_only_the_month() -> None:
    w = _workshop(start=dt.date(2006, 7, 1), end=None, date_precision=DatePrecision.MONTH)
    assert event_dates(w, "en") == "Jul 2006"
    assert event_dates(w, "fr") == "juil. 2006"


def test_a_span_of_months_and_a_single_day() -> None:
    council = _workshop(start=dt.date(2005, 11, 1), end=dt.date(2005, 12, 1),
                        date_precision=DatePrecision.MONTH)
    assert "Nov" in event_dates(council, "en")
    assert "Dec 2005" in event_dates(council, "en")
    assert event_dates(_workshop(start=dt.date(2006, 3, 8), end=dt.date(2006, 3, 8)), "en") == "8 Mar 2006"
    assert event_dates(_workshop(start=None, end=None), "en") == ""


def test_long_dates_are_written_as_the_organisation_writes_them() -> None:
    assert long_date(dt.date(2006, 6, 26), "en") == "26 June 2006"
    assert long_date(dt.date(2006, 6, 26), "fr") == "26 juin 2006"
    assert long_date(dt.date(2006, 6, 26), "es") == "26 de junio de 2006"
    assert long_date(dt.date(2006, 6, 1), "fr") == "1er juin 2006"


def test_the_deadline_says_its_time_zone() -> None:
    assert deadline_when(DEADLINE, "en") == "26 June 2006, 23:59 Geneva time (CEST, UTC+2)"
    # A deadline in winter falls in the other offset; no raw zone name is shown in any case.
    winter = Deadline(dt.date(2006, 1, 26))
    assert deadline_when(winter, "en") == "26 January 2006, 23:59 Geneva time (CET, UTC+1)"
    set_ui_language("fr")
    assert deadline_when(DEADLINE, "fr") == "26 juin 2006 à 23\u00a0h\u00a059 heure de Genève (CEST, UTC+2)"
    set_ui_language("es")
    assert deadline_when(DEADLINE, "es") == "26 de junio de 2006, a las 23:59 hora de Ginebra (CEST, UTC+2)"


# -- countdowns ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("now", "expected"), [
    (dt.datetime(2006, 6, 13, 9, 0, tzinfo=UTC), "13 days left"),
    (dt.datetime(2006, 6, 25, 9, 0, tzinfo=UTC), "1 day left"),
    (dt.datetime(2006, 6, 26, 20, 0, tzinfo=UTC), "due today"),  # 22:00 in Geneva
    (dt.datetime(2006, 6, 28, 9, 0, tzinfo=UTC), "deadline passed 2 days ago"),
    (dt.datetime(2006, 6, 27, 9, 0, tzinfo=UTC), "deadline passed 1 day ago"),
    (dt.datetime(2026, 11, 22, 9, 0, tzinfo=UTC), "deadline passed 20 years ago"),
    (dt.datetime(2006, 3, 1, 9, 0, tzinfo=UTC), "due in 4 months"),
])
def test_countdown_in_english(now: dt.datetime, expected: str) -> None:
    assert countdown(DEADLINE, now, "en") == expected


def test_a_deadline_at_noon_can_pass_today() -> None:
    noon = Deadline(dt.date(2006, 6, 26), dt.time(12, 0))
    assert countdown(noon, dt.datetime(2006, 6, 26, 9, 0, tzinfo=UTC), "en") == "due today"
    assert countdown(noon, dt.datetime(2006, 6, 26, 13, 0, tzinfo=UTC), "en") == "deadline passed today"


def test_countdown_days_are_counted_in_geneva() -> None:
    # 23:30 UTC on the 25th is already the 26th in Geneva (summer time, UTC+2).
    assert countdown(DEADLINE, dt.datetime(2006, 6, 25, 23, 30, tzinfo=UTC), "en") == "due today"


def test_long_spans_use_babel_words_in_the_ui_language() -> None:
    now = dt.datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    assert "il y a 20 ans" in countdown(DEADLINE, now, "fr")
    assert "hace 20 años" in countdown(DEADLINE, now, "es")


# -- the tree model ------------------------------------------------------------------------------

@pytest.fixture
def programme() -> list[Workshop]:
    return list(catalog.load_catalog())


def _titles(model: WorkshopTreeModel, parent: QModelIndex) -> list[str]:
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def test_tree_passes_qt_model_checks(qtmodeltester: Any, programme: list[Workshop]) -> None:
    model = WorkshopTreeModel()
    model.set_workshops(programme, dt.datetime(2006, 6, 13, tzinfo=UTC), "en")
    qtmodeltester.check(model, force_py=True)
    model.set_workshops(programme[:3], dt.datetime(2006, 6, 13, tzinfo=UTC), "en")
    qtmodeltester.check(model, force_py=True)


def test_documents_list_passes_qt_model_checks(qtmodeltester: Any) -> None:
    model = WorkshopDocumentsModel()
    model.set_documents([_document("a", "IC/2006/4", "Update", ("en",)), _document("b", "IC/2006/1", "")])
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 0).data() == "IC/2006/4 — Update (English only)"
    assert model.index(1, 0).data() == "IC/2006/1"
    assert model.index(1, 0).data(DOCUMENT_ID_ROLE) == "b"


def test_events_are_grouped_by_year_and_programme(programme: list[Workshop]) -> None:
    model = WorkshopTreeModel()
    model.set_workshops(programme, dt.datetime(2006, 6, 13, tzinfo=UTC), "en")
    groups = _titles(model, QModelIndex())
    assert groups == [
        "IDM 2005 — Toward Policy Coherence on Migration",
        "IDM 2006 — Partnerships in Migration: Engaging Business and Civil Society",
    ]
    in_2006 = _titles(model, model.index(1, 0))
    assert "Migrants and the Host Society: Partnerships for Success" in in_2006
    assert "The Environment and Migration" in in_2006
    assert model.index(0, 0).flags() & Qt.ItemFlag.ItemIsSelectable == Qt.ItemFlag.NoItemFlags


def test_each_event_row_shows_dates_city_status_and_countdown(programme: list[Workshop]) -> None:
    model = WorkshopTreeModel()
    model.set_workshops(programme, dt.datetime(2006, 6, 13, tzinfo=UTC), "en")
    index = model.index_of("idm2006-integration")
    row = [index.siblingAtColumn(c).data() for c in Column]
    assert row == ["Migrants and the Host Society: Partnerships for Success", "12–13 Jul 2006",
                   "Geneva", "confirmed", "13 days left"]
    assert index.data(WORKSHOP_ID_ROLE) == "idm2006-integration"
    assert index.siblingAtColumn(Column.DEADLINE).data(Qt.ItemDataRole.ForegroundRole) is None
    training = model.index_of("idm2006-training-cooperation")
    assert training.siblingAtColumn(Column.DATES).data() == "Jul 2006"
    assert training.siblingAtColumn(Column.DEADLINE).data() == ""


def test_a_deadline_before_the_end_of_its_day_says_its_hour() -> None:
    afternoon = _workshop(deadline=Deadline(dt.date(2027, 1, 15), dt.time(17, 0)))
    (group,) = build_programme([afternoon], dt.datetime(2026, 12, 7, tzinfo=UTC), "en")
    assert group.events[0].cells[-1] == "39 days left, until 17:00 Geneva time (CET)"
    (group,) = build_programme([_workshop(deadline=DEADLINE)], dt.datetime(2006, 6, 13, tzinfo=UTC), "en")
    assert group.events[0].cells[-1] == "13 days left"  # the end of the day goes without saying


def test_a_passed_deadline_is_red_in_the_tree(programme: list[Workshop]) -> None:
    model = WorkshopTreeModel()
    model.set_workshops(programme, dt.datetime(2026, 11, 22, tzinfo=UTC), "en")
    cell = model.index_of("idm2006-integration").siblingAtColumn(Column.DEADLINE)
    assert cell.data() == "deadline passed 20 years ago"
    assert QColor(cell.data(Qt.ItemDataRole.ForegroundRole)) == tone_color(Tone.ERROR, TABLE_BACKGROUND)


def test_titles_in_the_ui_language_fall_back_to_english(programme: list[Workshop]) -> None:
    set_ui_language("fr")
    model = WorkshopTreeModel()
    only_english = _workshop(id="new", title={"en": "A workshop announced in English"})
    model.set_workshops([*programme, only_english], dt.datetime(2006, 6, 13, tzinfo=UTC), "fr")
    assert model.index_of("idm2006-integration").data().startswith("Les migrants et la société d’accueil")
    assert model.index_of("idm2006-integration").siblingAtColumn(Column.DATES).data() == "12–13 juil. 2006"
    assert model.index_of("new").data() == "A workshop announced in English"


def _document(ident: str, symbol: str, title: str, available: tuple[str, ...] = ()) -> Document:
    return Document(
        id=ident, symbol=symbol, title=title, workshop_id="w", kind=DocumentKind.DISCUSSION_NOTE,
        language="en", original_language="en", languages_available=available, date=None,
        sha256="0" * 64, size=1, mime="text/plain", filename="x.txt", page_count=1,
        imported_at=dt.datetime(2006, 6, 1, tzinfo=UTC))
