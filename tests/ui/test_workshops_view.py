"""The Workshops view as a delegate uses it: the programme arrives, the event with the open
deadline is chosen, its details, questions and documents are shown, and the keyboard and the
buttons lead on to a document or a new submission."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QHeaderView, QWidget
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.documents import Document, DocumentKind
from idm_desktop.core.i18n import set_ui_language
from idm_desktop.storage import documents as docs_repo
from idm_desktop.ui.formatting import Tone, tone_color
from idm_desktop.ui.tasks import TaskManager
from idm_desktop.ui.workshops.view import WorkshopsView

INTEGRATION = "idm2006-integration"
HEALTH = "idm2006-health"
JUNE_13 = dt.datetime(2006, 6, 13, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)

MakeView = Callable[..., WorkshopsView]

# The offscreen platform says so each time a window is shown; it is not a fault of ours.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def make_view(tmp_path: Path, qtbot: QtBot, tasks: TaskManager) -> Iterator[MakeView]:
    """A view on a fresh library whose clock says ``now``; the programme already loaded."""
    apps: list[DesktopApp] = []

    def make(now: dt.datetime = JUNE_13, docs: tuple[tuple[str, str], ...] = (),
             load: bool = True) -> WorkshopsView:
        app = DesktopApp.open(tmp_path / f"home{len(apps)}", clock=lambda: now)
        apps.append(app)
        for workshop_id, symbol in docs:
            add_document(app, workshop_id, symbol)
        view = WorkshopsView(app, tasks)
        qtbot.addWidget(view)
        view.resize(1100, 700)
        view.show()
        qtbot.waitExposed(view)
        if load:
            view.refresh()
            qtbot.waitUntil(lambda: view.current_workshop() is not None)
            settle(qtbot, tasks)
        return view

    yield make
    tasks.wait_idle()
    for app in apps:
        app.close()


def add_document(app: DesktopApp, workshop_id: str, symbol: str) -> Document:
    text = f"Notes for {symbol}."
    with app.db.session() as s:
        return docs_repo.add_document(s, docs_repo.NewDocument(
            symbol=symbol, title=f"About {symbol}", workshop_id=workshop_id,
            kind=DocumentKind.DISCUSSION_NOTE, language="en",
            sha256=hashlib.sha256(symbol.encode()).hexdigest(), size=len(text), mime="text/plain",
            filename=f"{symbol.replace('/', '-')}.txt", page_count=1, text=text,
            languages_available=("en",)), JUNE_13)


def settle(qtbot: QtBot, tasks: TaskManager) -> None:
    """Wait until every background task has finished and its result has been delivered."""
    qtbot.waitUntil(lambda: tasks.active() == 0)


def test_the_open_deadline_is_chosen_first_and_counts_down(make_view: MakeView) -> None:
    view = make_view(JUNE_13)
    assert view.current_workshop() is not None
    assert view.current_workshop().id == INTEGRATION
    assert view.selected_workshop_id() == INTEGRATION
    detail = view.detail
    assert detail.title_label.text() == "Migrants and the Host Society: Partnerships for Success"
    assert detail.kind_label.text() == "Workshop"
    assert detail.dates_label.text() == "12–13 Jul 2006"
    assert detail.place_label.text() == "Geneva"
    assert detail.status_label.text() == "Confirmed"
    deadline = detail.deadline_label.text()
    assert "26 June 2006, 23:59" in deadline
    assert "Geneva time (CEST, UTC+2)" in deadline
    assert "Europe/Zurich" not in deadline
    assert deadline.endswith("13 days left")
    assert detail.deadline_label.property("passed") is False
    assert detail.deadline_label.isVisible()
    # Every event of both years is in the expanded tree.
    assert view.model.rowCount() == 2
    assert all(view.tree.isExpanded(view.model.index(r, 0)) for r in range(2))


def test_a_passed_deadline_is_red(make_view: MakeView) -> None:
    view = make_view(LATER)
    view.select_workshop(INTEGRATION)
    label = view.detail.deadline_label
    assert label.text().endswith("deadline passed 20 years ago")
    assert label.property("passed") is True
    assert label.palette().color(QPalette.ColorRole.WindowText) == tone_color(Tone.ERROR)


def test_details_without_a_deadline_hide_the_empty_rows(make_view: MakeView) -> None:
    view = make_view()
    view.select_workshop(HEALTH)
    detail = view.detail
    assert detail.title_label.text() == "Migration and Human Resources for Health: From Awareness to Action"
    assert detail.partners_label.text() == "WHO, ILO"
    assert not detail.deadline_label.isVisible()
    assert not detail.questions_label.isVisible()
    view.select_workshop("idm2005-council-90")
    assert detail.dates_label.text().startswith("Nov")
    assert "without giving the days" in detail.dates_label.text()  # the date note


def test_french_interface_shows_french_titles_dates_and_questions(make_view: MakeView) -> None:
    set_ui_language("fr")
    view = make_view()
    detail = view.detail
    assert detail.title_label.text().startswith("Les migrants et la société d’accueil")
    assert detail.dates_label.text() == "12–13 juil. 2006"
    assert "26 juin 2006" in detail.deadline_label.text()
    questions = view.current_workshop().questions_in("fr")
    assert questions
    assert all(html.escape(q) in detail.questions_label.text() for q in questions)
    view.select_workshop(HEALTH)
    assert detail.partners_label.text() == "OMS, OIT"  # the partners' French names too


def test_the_workshop_documents_are_listed_and_enter_opens_one(
        make_view: MakeView, qtbot: QtBot) -> None:
    view = make_view(docs=((INTEGRATION, "IC/2006/4"), (INTEGRATION, "IC/2006/9"), (HEALTH, "H/1")))
    listing = view.detail.documents_view
    assert listing.isVisible()
    assert [listing.model().index(r, 0).data() for r in range(listing.model().rowCount())] == [
        "IC/2006/4 — About IC/2006/4 (English only)", "IC/2006/9 — About IC/2006/9 (English only)"]
    wanted = view.app.documents(INTEGRATION)[1].id
    listing.setFocus()
    listing.setCurrentIndex(listing.model().index(1, 0))
    with qtbot.waitSignal(view.sig_document_requested, timeout=2000) as blocker:
        qtbot.keyClick(listing, Qt.Key.Key_Return)
    assert blocker.args == [wanted]


def test_a_workshop_without_documents_says_where_they_come_from(make_view: MakeView) -> None:
    view = make_view()
    assert not view.detail.documents_view.isVisible()
    assert view.detail.no_documents_label.isVisible()
    assert "Library" in view.detail.no_documents_label.text()


def test_the_button_starts_a_submission_for_the_chosen_workshop(
        make_view: MakeView, qtbot: QtBot) -> None:
    view = make_view()
    view.select_workshop(HEALTH)
    with qtbot.waitSignal(view.sig_new_submission_requested, timeout=2000) as blocker:
        qtbot.mouseClick(view.detail.start_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [HEALTH]


def test_arrow_keys_move_through_the_events_and_skip_nothing(
        make_view: MakeView, qtbot: QtBot, tasks: TaskManager) -> None:
    view = make_view(docs=((HEALTH, "H/1"),))
    view.tree.setFocus()
    assert view.current_workshop().id == INTEGRATION
    qtbot.keyClick(view.tree, Qt.Key.Key_Down)
    assert view.current_workshop().id == "idm2006-environment"
    qtbot.keyClick(view.tree, Qt.Key.Key_Home)  # onto the IDM 2005 heading: the detail stays
    assert view.current_workshop().id == "idm2006-environment"
    qtbot.keyClick(view.tree, Qt.Key.Key_Down)
    assert view.current_workshop().id == "idm2005-migration-development"
    view.select_workshop(HEALTH)
    settle(qtbot, tasks)
    assert view.detail.documents.rowCount() == 1


def test_refresh_keeps_the_chosen_event_and_picks_up_new_documents(
        make_view: MakeView, qtbot: QtBot, tasks: TaskManager) -> None:
    view = make_view()
    view.select_workshop(HEALTH)
    settle(qtbot, tasks)
    assert view.detail.documents.rowCount() == 0
    add_document(view.app, HEALTH, "H/2")
    view.refresh()
    qtbot.waitUntil(lambda: view.detail.documents.rowCount() == 1)
    settle(qtbot, tasks)
    assert view.current_workshop().id == HEALTH


def test_an_event_asked_for_before_the_programme_arrives_is_shown(
        make_view: MakeView, qtbot: QtBot, tasks: TaskManager) -> None:
    view = make_view(load=False)
    assert view.current_workshop() is None
    assert "Choose an event" in view.detail.title_label.text()
    view.select_workshop("idm2006-environment")
    view.refresh()
    qtbot.waitUntil(lambda: view.current_workshop() is not None)
    settle(qtbot, tasks)
    assert view.current_workshop().id == "idm2006-environment"
    assert view.detail.place_label.text() == "Bangkok"


def test_controls_have_accessible_names_and_tab_reaches_the_button(
        make_view: MakeView, qtbot: QtBot) -> None:
    view = make_view(docs=((INTEGRATION, "IC/2006/4"),))
    for widget in view.findChildren(QWidget):
        if (isinstance(widget, QAbstractItemView | QAbstractButton) and widget.isVisible()
                and not isinstance(widget, QHeaderView)):
            assert widget.accessibleName(), widget.objectName()
    view.tree.setFocus()
    qtbot.waitUntil(view.tree.hasFocus)
    reached = []
    for _ in range(6):
        qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Tab)
        reached.append(view.focusWidget())
    assert view.detail.documents_view in reached
    assert view.detail.start_button in reached


def test_a_document_the_catalog_lists_appears_under_its_workshop_once_imported(
        make_view: MakeView, qtbot: QtBot, tasks: TaskManager, tmp_path: Path) -> None:
    view = make_view()
    view.select_workshop("idm2006-indigenous")
    settle(qtbot, tasks)
    assert view.detail.no_documents_label.isVisible()
    annex = tmp_path / "IC-2006-4-Annex-V.en.txt"
    annex.write_text("Expert workshop on indigenous peoples and migration.\n", encoding="utf-8")
    [result] = view.app.import_documents([annex])  # no workshop named: the catalog knows it
    assert result.document is not None
    view.refresh()
    settle(qtbot, tasks)
    listing = view.detail.documents_view
    assert listing.isVisible()
    assert listing.model().index(0, 0).data().startswith("IC/2006/4 Annex V")
