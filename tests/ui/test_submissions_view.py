"""The Submissions page: the list by workshop and status, starting a new submission, and
moving between the list and the editor with the mouse and the keyboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.submissions import SubmissionStatus
from idm_desktop.core.validation import Problem, Severity
from idm_desktop.ui.submissions.check_panel import ProblemsModel
from idm_desktop.ui.submissions.dialogs import load_choices
from idm_desktop.ui.submissions.history import HistoryModel, load_versions
from idm_desktop.ui.submissions.model import (
    SubmissionsFilter,
    SubmissionsModel,
    load_listing,
)
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import FIRST, INTEGRATION, close_view, shown_view, type_text

# The offscreen platform says so when a window, a dialog or the country completer shows.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    r"This plugin does not support raise\(\)",
    "This plugin does not support grabbing the keyboard",
)

HEALTH = "idm2006-health"


@pytest.fixture
def view(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[SubmissionsView]:
    shown = shown_view(qtbot, desktop, tasks)
    yield shown
    close_view(qtbot, shown, tasks)


def _texts(view: SubmissionsView, column: int) -> list[str]:
    proxy = view.proxy
    return [str(proxy.index(r, column).data()) for r in range(proxy.rowCount())]


def test_the_models_pass_the_model_tester(qtmodeltester: ModelTester, desktop: DesktopApp) -> None:
    first = desktop.new_submission(INTEGRATION, "MEX", "es", "Integración")
    desktop.new_submission(HEALTH, "CHE", "fr")
    desktop.edit(first.id, sections={FIRST: "Uno dos tres"})
    model = SubmissionsModel()
    model.set_rows(load_listing(desktop).rows)
    qtmodeltester.check(model)
    proxy = SubmissionsFilter()
    proxy.setSourceModel(model)
    proxy.set_filter(INTEGRATION, None)
    qtmodeltester.check(proxy)
    history = HistoryModel(load_versions(desktop, first.id))
    qtmodeltester.check(history)
    problems = ProblemsModel()
    problems.set_problems((Problem(Severity.WARNING, "title", "No title"),
                           Problem(Severity.ERROR, "section_missing", "Empty", "context")))
    qtmodeltester.check(problems)
    assert problems.index(0, 0).data().startswith("Error: ")


def test_the_list_shows_each_submission_and_filters_by_workshop_and_status(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    mexico = desktop.new_submission(INTEGRATION, "MEX", "es", "Integración")
    desktop.new_submission(HEALTH, "CHE", "fr", "Santé")
    desktop.edit(mexico.id, sections={FIRST: "Uno dos tres"})
    view.refresh()
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 2)
    assert _texts(view, 0) == ["Integración", "Santé"]  # the last saved first
    assert _texts(view, 2) == ["Mexico", "Switzerland"]
    assert _texts(view, 3) == ["Spanish", "French"]
    assert _texts(view, 4) == ["draft", "draft"]
    assert _texts(view, 5) == ["3", "0"]
    view.workshop_filter.setCurrentIndex(view.workshop_filter.findData(HEALTH))
    assert _texts(view, 0) == ["Santé"]
    view.workshop_filter.setCurrentIndex(0)
    view.status_filter.setCurrentIndex(view.status_filter.findData(SubmissionStatus.SUBMITTED.value))
    assert _texts(view, 0) == []


def test_a_new_submission_is_created_from_the_dialog_and_opened(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    view.start_new(INTEGRATION)
    qtbot.waitUntil(lambda: view.new_dialog is not None and view.new_dialog.isVisible())
    dialog = view.new_dialog
    assert dialog is not None
    assert dialog.workshop_combo.currentData() == INTEGRATION
    assert dialog.country_combo.hasFocus()
    type_text(dialog.country_combo, "switzerland")
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("fr"))
    dialog.title_edit.setFocus()
    type_text(dialog.title_edit, "Politique d’intégration")
    with qtbot.waitSignal(view.editor.sig_opened, timeout=5000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    [sub] = desktop.submissions()
    assert (sub.workshop_id, sub.country, sub.language, sub.title) == (
        INTEGRATION, "CHE", "fr", "Politique d’intégration")
    assert view.stack.currentWidget() is view.editor
    assert view.editor.title_edit.text() == "Politique d’intégration"
    # Section titles are in the submission's language, the guidance in the interface's.
    section = view.editor.sections[FIRST]
    assert section.title_label.text() == "1. Contexte national et priorités"
    assert section.guidance_label.text().startswith("Describe in a few lines")
    assert view.focusWidget() is section.edit  # typing goes to the first section


def test_the_dialog_says_what_is_wrong_and_stays_open(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    view.start_new(None)
    qtbot.waitUntil(lambda: view.new_dialog is not None and view.new_dialog.isVisible())
    dialog = view.new_dialog
    assert dialog is not None
    dialog.country_combo.setFocus()
    dialog.country_combo.setEditText("")
    type_text(dialog.country_combo, "Atlantis")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert "“Atlantis” is not a country in the list" in dialog.error_label.text()
    dialog.country_combo.setEditText("")
    type_text(dialog.country_combo, "MEX")  # a code is understood too
    with qtbot.waitSignal(view.editor.sig_opened, timeout=5000):
        qtbot.keyClick(dialog.country_combo, Qt.Key.Key_Return)
    assert desktop.submissions()[0].country == "MEX"


def test_choices_put_open_deadlines_first_and_default_to_the_last_country(
        desktop: DesktopApp) -> None:
    desktop.new_submission(HEALTH, "MEX", "es")
    choices = load_choices(desktop)
    ids = [wid for wid, _label in choices.workshops]
    assert ids.index("idm2006-environment") < ids.index("idm2005-migration-development")
    assert choices.default_country == "MEX"
    assert choices.default_language == "es"
    names = [name for _code, name in choices.countries]
    assert names.index("Côte d’Ivoire") < names.index("Croatia")  # accents sort in place


def test_enter_opens_the_editor_and_back_returns_to_the_list(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    sid = desktop.new_submission(INTEGRATION, "MEX", "es").id
    view.refresh()
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 1)
    view.table.setFocus()
    with qtbot.waitSignal(view.editor.sig_opened, timeout=5000) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [sid]
    edit = view.editor.sections[FIRST].edit
    type_text(edit, "Hola")
    with qtbot.waitSignal(view.sig_submissions_changed, timeout=3000):
        qtbot.keyClick(edit, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # Back
    assert view.stack.currentWidget() is view.list_page
    qtbot.waitUntil(lambda: _texts(view, 5) == ["1"])


def test_ctrl_i_in_the_text_is_italic_not_the_window_s_import(
        qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> None:
    from idm_desktop.ui.main_window import PAGE_LIBRARY, PAGE_SUBMISSIONS, MainWindow

    sid = desktop.new_submission(INTEGRATION, "MEX", "es").id
    window = MainWindow(desktop, tasks)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(PAGE_SUBMISSIONS)
    view = window.submissions
    with qtbot.waitSignal(view.editor.sig_opened, timeout=5000):
        view.open_submission(sid)
    edit = view.editor.sections[FIRST].edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    type_text(edit, "cursiva")
    assert edit.markdown() == "*cursiva*"
    assert window.stack.currentIndex() == PAGE_SUBMISSIONS != PAGE_LIBRARY
    window.close()  # saves, and waits for the save
    QApplication.processEvents()
    assert desktop.submission(sid).text_of(FIRST) == "*cursiva*"
    qtbot.waitUntil(lambda: tasks.active() == 0, timeout=5000)


@pytest.mark.parametrize(("typed", "expected"), [
    ("DEU", ["Germany"]),  # by code, though no name starts with it
    ("usa", ["United States of America"]),
    ("cote", ["Côte d’Ivoire"]),  # accents aside
    ("iran", ["Iran (Islamic Republic of)"]),
])
def test_the_country_field_finds_names_without_accents_and_codes(
        qtbot: QtBot, view: SubmissionsView, typed: str, expected: list[str]) -> None:
    view.start_new(INTEGRATION)
    qtbot.waitUntil(lambda: view.new_dialog is not None and view.new_dialog.isVisible())
    dialog = view.new_dialog
    assert dialog is not None
    dialog.country_combo.setFocus()
    type_text(dialog.country_combo, typed)
    model = dialog.country_filter
    shown = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert shown == expected
    dialog.reject()
