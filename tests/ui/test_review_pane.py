"""The Review pane beside the editor (DESIGN §13), as a drafter and a reviewer meet it: anchored
highlights, reply, resolve, accept, ask for review, the warning before an edit voids the review,
clear, "who has the ball" in the list and the status bar's count for reviewers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.submissions import SaveReason, SubmissionStatus
from idm_desktop.server import accounts
from idm_desktop.ui.main_window import PAGE_LIBRARY, PAGE_SUBMISSIONS, MainWindow
from idm_desktop.ui.submissions.model import SubmissionsModel
from idm_desktop.ui.tasks import TaskManager
from tests.server.conftest import PASSWORD, Service, db_url, server_settings, service

__all__ = ["db_url", "server_settings", "service"]

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
TEXT = "Mexico offers language courses in every city. Employers sign a charter against discrimination."


def settle(qtbot: QtBot, tasks: TaskManager) -> None:
    qtbot.waitUntil(lambda: tasks.active() == 0, timeout=10_000)


@pytest.fixture
def window_on(qtbot: QtBot, tasks: TaskManager) -> Iterator[Any]:
    windows: list[MainWindow] = []

    def make(app: DesktopApp) -> MainWindow:
        window = MainWindow(app, tasks)
        qtbot.addWidget(window)
        windows.append(window)
        window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        settle(qtbot, tasks)
        return window

    yield make
    for window in windows:
        window.close()
    settle(qtbot, tasks)


def open_in_editor(qtbot: QtBot, tasks: TaskManager, window: MainWindow, sid: str) -> None:
    window.show_page(PAGE_SUBMISSIONS)
    with qtbot.waitSignal(window.submissions.sig_editor_opened, timeout=10_000):
        window.submissions.open_submission(sid)
    qtbot.waitUntil(lambda: window.review.data is not None and window.review.data.submission_id == sid,
                    timeout=10_000)
    settle(qtbot, tasks)


def highlighted(window: MainWindow, key: str) -> list[str]:
    edit = window.submissions.editor.sections[key].edit
    return [sel.cursor.selectedText() for sel in edit.extraSelections()]


def test_a_drafter_replies_resolves_accepts_and_is_warned_before_voiding_the_review(
        qtbot: QtBot, tasks: TaskManager, window_on: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = DesktopApp.open(tmp_path / "ana")
    try:
        sub = app.new_submission("idm2006-integration", "MEX", "en", "Integration")
        app.edit(sub.id, {"national_context": TEXT})
        suggestion = app.clearance.add_comment(sub.id, "national_context", "language courses", "Free?",
                                               suggestion="free language courses")
        remark = app.clearance.add_comment(sub.id, "national_context", "a charter", "Which one?")
        window = window_on(app)
        open_in_editor(qtbot, tasks, window, sub.id)
        pane = window.review
        assert window.review_dock.isVisible()
        # Beside the open submission only: not over the other views, and hidden on request.
        window.show_page(PAGE_LIBRARY)
        assert not window.review_dock.isVisible()
        window.show_page(PAGE_SUBMISSIONS)
        assert window.review_dock.isVisible()
        window.review_pane_action.setChecked(False)
        assert not window.review_dock.isVisible()
        window.review_pane_action.setChecked(True)
        assert window.review_dock.isVisible()
        assert sorted(highlighted(window, "national_context")) == ["a charter", "language courses"]
        assert pane.comment_button.isEnabled()

        # a comment on the words selected in the text
        edit = window.submissions.editor.sections["national_context"].edit
        edit.setFocus()
        qtbot.waitUntil(edit.hasFocus, timeout=5000)
        edit.moveCursor(QTextCursor.MoveOperation.Start)
        assert edit.find("every city")
        answers = iter([("All of them?", True), ("", True)])
        monkeypatch.setattr(pane, "ask_text", lambda *_a: next(answers))
        pane.comment_button.click()
        qtbot.waitUntil(lambda: any(c.text == "All of them?" for c in pane.data.comments), timeout=10_000)
        (added,) = [c for c in pane.data.comments if c.text == "All of them?"]
        assert (added.quote, added.suggestion, added.section) == ("every city", None, "national_context")
        settle(qtbot, tasks)

        # reply
        pane.select_comment(remark)
        assert highlighted(window, "national_context")[0] == "a charter"  # the chosen one first
        monkeypatch.setattr(pane, "ask_text", lambda *_a: ("The 2005 charter.", True))
        pane.reply_button.click()
        qtbot.waitUntil(lambda: any(c.replies for c in pane.data.comments if c.id == remark), timeout=10_000)
        # resolve
        pane.select_comment(remark)
        pane.resolve_button.click()
        qtbot.waitUntil(lambda: all(c.resolved for c in pane.data.comments if c.id == remark), timeout=10_000)
        settle(qtbot, tasks)
        # accept
        pane.select_comment(suggestion)
        assert sorted(highlighted(window, "national_context")) == ["every city", "language courses"]
        assert pane.accept_button.isEnabled()
        pane.accept_button.click()
        editor = window.submissions.editor
        def shown_text() -> str:
            return editor.sections["national_context"].edit.toPlainText()  # remade on each reload

        qtbot.waitUntil(lambda: "free language courses" in shown_text(), timeout=10_000)
        settle(qtbot, tasks)
        last = app.history(sub.id)[-1]
        assert (last.author, last.reason) == (app.clearance.me(), SaveReason.SUGGESTION)

        # ask for review: the list shows who has the ball
        monkeypatch.setattr(pane, "ask_text", lambda *_a: ("Ready.", True))
        pane.ask_button.click()
        qtbot.waitUntil(lambda: app.submission(sub.id).status is SubmissionStatus.IN_REVIEW, timeout=10_000)
        qtbot.waitUntil(lambda: editor.void_guard.status is SubmissionStatus.IN_REVIEW, timeout=10_000)
        settle(qtbot, tasks)
        assert "the reviewers have it" in pane.state_label.text()
        model = window.submissions.model
        row = model.row_of(sub.id)
        ball = model.index(row, SubmissionsModel.COLUMNS.index("ball")).data()
        assert ball == "the reviewers"

        # the first keystroke is held until the user says yes
        asked: list[SubmissionStatus] = []
        edit = editor.sections["national_context"].edit
        before = edit.toPlainText()
        editor.void_guard.ask = lambda _w, status: asked.append(status) or False
        edit.setFocus()
        QTest.keyClick(edit, Qt.Key.Key_X)
        assert edit.toPlainText() == before
        assert asked == [SubmissionStatus.IN_REVIEW]
        editor.void_guard.ask = lambda _w, status: asked.append(status) or True
        QTest.keyClick(edit, Qt.Key.Key_X)
        QTest.keyClick(edit, Qt.Key.Key_Y)  # asked once only
        assert len(asked) == 2
        assert edit.toPlainText() != before
        editor.save_now()
        settle(qtbot, tasks)
        assert app.submission(sub.id).status is SubmissionStatus.DRAFT
    finally:
        app.close()


def test_a_reviewer_clears_from_the_pane(qtbot: QtBot, tasks: TaskManager, window_on: Any, tmp_path: Path,
                                         service: Service) -> None:
    with service.ctx.db.write() as session:
        accounts.add_user(session, "ana", PASSWORD, ["drafter"], "MEX")
        accounts.add_user(session, "rita", PASSWORD, ["reviewer"], "MEX")
    ana = DesktopApp.open(tmp_path / "ana")
    rita = DesktopApp.open(tmp_path / "rita")
    try:
        ana.sync.login(service.url, "ana", PASSWORD, device_name="ana")
        rita.sync.login(service.url, "rita", PASSWORD, device_name="rita")
        sub = ana.new_submission("idm2006-integration", "MEX", "en", "Integration")
        ana.edit(sub.id, {"national_context": TEXT})
        ana.clearance.request_review(sub.id, "Please clear")
        ana.sync.run()
        rita.sync.run()
        window = window_on(rita)
        qtbot.waitUntil(lambda: window.review_label.text() == "1 draft waits for your review", timeout=10_000)
        open_in_editor(qtbot, tasks, window, sub.id)
        pane = window.review
        assert not pane.ask_button.isEnabled()
        assert not pane.accept_button.isEnabled()
        assert pane.clear_button.isEnabled()
        pane.clear_button.click()
        qtbot.waitUntil(lambda: "Cleared by rita" in pane.state_label.text(), timeout=10_000)
        settle(qtbot, tasks)
        assert rita.sync.run().failures == []
        ana.sync.run()
        assert ana.submission(sub.id).status is SubmissionStatus.CLEARED
        window.close()
        settle(qtbot, tasks)
    finally:
        ana.close()
        rita.close()


def test_a_withdrawn_text_shows_its_state_and_offers_no_review_action(
        qtbot: QtBot, tasks: TaskManager, window_on: Any, tmp_path: Path, service: Service) -> None:
    with service.ctx.db.write() as session:
        accounts.add_user(session, "ana", PASSWORD, ["drafter"], "MEX")
    ana = DesktopApp.open(tmp_path / "ana")
    try:
        ana.sync.login(service.url, "ana", PASSWORD, device_name="ana")
        sub = ana.new_submission("idm2006-integration", "MEX", "en", "Integration")
        ana.edit(sub.id, {"national_context": TEXT})
        ana.sync.submit(sub.id, force=True)
        ana.sync.run()
        ana.sync.withdraw(sub.id, "The ministry revises it.")
        assert ana.sync.run().failures == []
        assert ana.submission(sub.id).status is SubmissionStatus.WITHDRAWN
        window = window_on(ana)
        open_in_editor(qtbot, tasks, window, sub.id)
        pane = window.review
        assert "withdrawn" in pane.state_label.text()
        assert "drafters have it" not in pane.state_label.text()
        buttons = (pane.ask_button, pane.clear_button, pane.return_button, pane.comment_button,
                   pane.reply_button, pane.resolve_button, pane.reopen_button, pane.accept_button,
                   pane.reject_button)
        assert [b.isEnabled() for b in buttons] == [False] * len(buttons)
        window.close()
        settle(qtbot, tasks)
    finally:
        ana.close()
