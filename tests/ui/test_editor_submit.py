"""Submitting from the editor, and what the page gauge says about the length: a text the check
refuses is never sent by a reflex key, and a text under the template's minimum is not "within"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.validation import CheckReport, check
from idm_desktop.ui.formatting import Tone, tone_color
from idm_desktop.ui.submissions.editor import SubmissionEditor
from idm_desktop.ui.submissions.gauge import GaugeLevel, Measure, PageGauge
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import FIRST, INTEGRATION, close_view, open_editor, shown_view

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def view(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[SubmissionsView]:
    shown = shown_view(qtbot, desktop, tasks)
    yield shown
    close_view(qtbot, shown, tasks)


def _failed_check_box(qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView
                      ) -> tuple[SubmissionEditor, str, QMessageBox]:
    """Open a short draft and ask to submit it: the check runs first, and the question says
    what it found, with "Submit anyway"."""
    sid = desktop.new_submission(INTEGRATION, "MEX", "es", "Integración").id
    desktop.edit(sid, {FIRST: "Nuestro contexto."})
    editor = open_editor(qtbot, view, sid)
    editor.submit()
    qtbot.waitUntil(lambda: editor.submitter.box is not None, timeout=20_000)
    box = editor.submitter.box
    assert box is not None
    assert box.text().startswith("Submit “Integración” to the secretariat? The check found problems:")
    assert "Required section" in box.informativeText() or "required" in box.informativeText().lower()
    assert any(b.text().replace("&", "") == "Submit anyway" for b in box.buttons())
    qtbot.waitExposed(box)
    return editor, sid, box


def test_a_draft_that_passes_asks_too_and_enter_cancels(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even with nothing wrong, a submitted text is final: Enter (the default) cancels."""
    sid = desktop.new_submission(INTEGRATION, "MEX", "es", "Integración").id
    editor = open_editor(qtbot, view, sid)
    passing = CheckReport(sid, 2, 2.4, 2, 3, 900, ())
    monkeypatch.setattr(desktop, "check", lambda _sid: passing)
    editor.submit()
    qtbot.waitUntil(lambda: editor.submitter.box is not None, timeout=20_000)
    box = editor.submitter.box
    assert box is not None
    assert box.text() == "Submit “Integración” to the secretariat?"
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    qtbot.waitExposed(box)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.submitter.box is None, timeout=5000)
    assert desktop.submission(sid).status.value == "draft"


def test_enter_on_a_failed_check_cancels_and_sends_nothing(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    editor, sid, box = _failed_check_box(qtbot, desktop, view)
    default = box.defaultButton()
    assert default is box.button(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.submitter.box is None, timeout=5000)
    assert desktop.submission(sid).status.value == "draft"
    assert editor.submit_button.isEnabled()


def test_escape_on_a_failed_check_cancels(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    editor, sid, box = _failed_check_box(qtbot, desktop, view)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: editor.submitter.box is None, timeout=5000)
    assert desktop.submission(sid).status.value == "draft"


def _measure(desktop: DesktopApp, extent: float) -> Measure:
    """What the editor's layout would give for a text ``extent`` pages long: the real check."""
    sid = desktop.new_submission(INTEGRATION, "MEX", "es", "Integración").id
    template = desktop.latest_template()
    assert (template.min_pages, template.max_pages) == (2, 3)
    report = check(desktop.submission(sid), template, None, extent, NOW)
    return Measure(extent, report.page_count, report)


@pytest.mark.parametrize(("extent", "level", "tone", "words"), [
    (1.8, GaugeLevel.SHORT, Tone.WARNING, "Shorter than"),
    (1.95, GaugeLevel.OK, Tone.SUCCESS, "Within"),
    (1.0, GaugeLevel.SHORT, Tone.WARNING, "Shorter than"),
    (2.0, GaugeLevel.OK, Tone.SUCCESS, "Within"),
    (2.6, GaugeLevel.OK, Tone.SUCCESS, "Within"),
    (3.0, GaugeLevel.OK, Tone.SUCCESS, "Within"),
    (3.2, GaugeLevel.OVER, Tone.ERROR, "Longer than"),
])
def test_the_gauge_says_within_only_between_the_minimum_and_the_maximum(
        qtbot: QtBot, desktop: DesktopApp, extent: float, level: GaugeLevel, tone: Tone,
        words: str) -> None:
    gauge = PageGauge()
    qtbot.addWidget(gauge)
    measure = _measure(desktop, extent)
    gauge.show_measure(measure)
    # The check warns exactly when the gauge does (the window's Check and `submission check`).
    assert ("too_short" in {p.code for p in measure.report.problems}) is (level is GaugeLevel.SHORT)
    assert gauge.level is level
    assert tone_color(tone).name() in gauge.figure_label.styleSheet()
    assert gauge.note_label.text().startswith(words), gauge.note_label.text()
