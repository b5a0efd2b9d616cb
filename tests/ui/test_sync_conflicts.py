"""Two computers edit the same sections of a submission; the window shows the conflict in the
status bar and the editor, and the side-by-side resolver settles it by clicks: the server ends
with the text the user chose, section by section."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.merge import TITLE_KEY
from idm_desktop.ui.main_window import MainWindow
from idm_desktop.ui.tasks import TaskManager
from tests.server.conftest import Service
from tests.ui.editor_tools import type_text
from tests.ui.sync_tools import (
    FIRST,
    INTEGRATION,
    SECOND,
    MakeWindow,
    db_url,
    make_window,
    open_home,
    open_in_editor,
    server_settings,
    server_submission,
    service,
    settle,
    sign_in,
    wait_up_to_date,
)

__all__ = ["db_url", "make_window", "server_settings", "service"]

pytestmark = [pytest.mark.parametrize("db_url", ["sqlite"], indirect=True),
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def other(service: Service, tmp_path: Path) -> Iterator[DesktopApp]:
    """The second computer: a colleague's library, used through the app directly."""
    service.add_user("luis", "drafter", "MEX")
    app = open_home(tmp_path, "luis")
    sign_in(app, service.url, "luis")
    yield app
    app.close()


def conflicting_window(service: Service, other: DesktopApp, tmp_path: Path, make_window: MakeWindow,
                       qtbot: QtBot, mine: dict[str, str], theirs: dict[str, str],
                       title: tuple[str, str] | None = None) -> tuple[MainWindow, DesktopApp, str]:
    """A window on Ana's library, whose submission Luis changed in the same places meanwhile."""
    service.add_user("ana", "drafter", "MEX")
    app = open_home(tmp_path, "ana")
    sign_in(app, service.url, "ana")
    sub = app.new_submission(INTEGRATION, "MEX", "en", "Integration in Mexico")
    app.edit(sub.id, {FIRST: "Context as agreed.", SECOND: "Framework as agreed."})
    window = make_window(app)
    wait_up_to_date(qtbot, window)
    other.sync.run()
    other.edit(sub.id, theirs, title=title[1] if title else None)
    other.sync.run()
    app.edit(sub.id, mine, title=title[0] if title else None)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    qtbot.keyClick(window, Qt.Key.Key_F5)
    return window, app, sub.id


def test_the_editor_banner_leads_to_the_resolver_which_settles_by_clicks(
        service: Service, other: DesktopApp, make_window: MakeWindow, tmp_path: Path, qtbot: QtBot,
        tasks: TaskManager) -> None:
    window, app, sid = conflicting_window(
        service, other, tmp_path, make_window, qtbot,
        mine={FIRST: "Context, Ana's words.", SECOND: "Framework, Ana's words."},
        theirs={FIRST: "Context, Luis's words.", SECOND: "Framework, Luis's words."})
    qtbot.waitUntil(lambda: window.sync_indicator.attention_button.text() == "1 conflict", timeout=20_000)
    assert window.sync_indicator.attention_button.isVisible()
    settle(qtbot, tasks)

    editor = open_in_editor(qtbot, window, sid)
    assert editor.conflict_banner.isVisible()
    assert editor.conflict_label.text().startswith("Conflicts wait in 2 sections: ")
    assert not editor.submit_button.isEnabled()  # settle first, then submit
    assert editor.sections[FIRST].edit.toPlainText() == "Context, Ana's words."  # nothing lost

    qtbot.mouseClick(editor.resolve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.sync_view.resolver is not None, timeout=10_000)
    resolver = window.sync_view.resolver
    assert resolver is not None
    qtbot.waitExposed(resolver)
    first, second = resolver.panels[FIRST], resolver.panels[SECOND]
    assert first.mine_view.toPlainText() == "Context, Ana's words."
    assert first.theirs_view.toPlainText() == "Context, Luis's words."
    assert first.merged_edit.toPlainText() == "Context, Ana's words."  # the text to keep starts as mine
    assert not first.base_view.isVisible()
    qtbot.mouseClick(first.base_toggle, Qt.MouseButton.LeftButton)
    assert first.base_view.isVisible()
    assert first.base_view.toPlainText() == "Context as agreed."
    assert first.mine_view.isReadOnly()
    assert first.theirs_view.isReadOnly()
    name = "Take the server’s text for National context and priorities"
    assert first.theirs_button.accessibleName() == name

    qtbot.mouseClick(first.theirs_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.done_label.isVisible(), timeout=10_000)
    assert resolver.left_label.text() == "1 section left to settle."
    assert resolver.isVisible()

    second.merged_edit.setFocus()
    second.merged_edit.selectAll()
    type_text(second.merged_edit, "Framework, agreed by both.")
    qtbot.mouseClick(second.edited_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.sync_view.resolver is None, timeout=10_000)

    # The editor shows the settled text, and the sync after it sends the text to the server.
    qtbot.waitUntil(lambda: editor.sections[FIRST].edit.toPlainText() == "Context, Luis's words.",
                    timeout=10_000)
    assert editor.sections[SECOND].edit.toPlainText() == "Framework, agreed by both."
    assert not editor.conflict_banner.isVisible()
    assert editor.submit_button.isEnabled()
    qtbot.waitUntil(lambda: not window.sync_indicator.attention_button.isVisible(), timeout=10_000)
    wait_up_to_date(qtbot, window)
    body = (server_submission(service, sid) or {})["body"]
    assert (body[FIRST], body[SECOND]) == ("Context, Luis's words.", "Framework, agreed by both.")
    assert app.sync.conflicts(sid) == []
    other.sync.run()
    assert other.submission(sid).text_of(SECOND) == "Framework, agreed by both."
    settle(qtbot, tasks)


def test_text_from_another_computer_appears_in_the_open_editor_where_the_cursor_was(
        service: Service, other: DesktopApp, make_window: MakeWindow, tmp_path: Path, qtbot: QtBot,
        tasks: TaskManager) -> None:
    service.add_user("ana", "drafter", "MEX")
    app = open_home(tmp_path, "ana")
    sign_in(app, service.url, "ana")
    sub = app.new_submission(INTEGRATION, "MEX", "en", "Integration in Mexico")
    app.edit(sub.id, {FIRST: "Ana's context."})
    window = make_window(app)
    wait_up_to_date(qtbot, window)
    editor = open_in_editor(qtbot, window, sub.id)
    edit = editor.sections[FIRST].edit
    edit.setFocus()
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    other.sync.run()
    other.edit(sub.id, {SECOND: "Luis's framework."})
    other.sync.run()

    qtbot.keyClick(edit, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: editor.sections[SECOND].edit.toPlainText() == "Luis's framework.", timeout=20_000)
    edit = editor.sections[FIRST].edit
    assert edit.toPlainText() == "Ana's context."
    assert edit.hasFocus()
    assert edit.textCursor().position() == len("Ana's context.")
    assert not editor.conflict_banner.isVisible()
    settle(qtbot, tasks)


def test_the_status_bar_leads_to_the_sync_view_and_its_conflicts(
        service: Service, other: DesktopApp, make_window: MakeWindow, tmp_path: Path, qtbot: QtBot,
        tasks: TaskManager) -> None:
    window, _app, sid = conflicting_window(
        service, other, tmp_path, make_window, qtbot, mine={}, theirs={},
        title=("Ana's title", "Luis's title"))
    indicator = window.sync_indicator
    qtbot.waitUntil(lambda: indicator.attention_button.text() == "1 conflict", timeout=20_000)
    qtbot.mouseClick(indicator.attention_button, Qt.MouseButton.LeftButton)
    view = window.sync_view
    assert window.stack.currentWidget() is view
    qtbot.waitUntil(lambda: view.conflicts_model.rowCount() == 1, timeout=10_000)
    assert view.conflicts_table.isVisible()
    assert view.conflicts_model.index(0, 0).data() == "Ana's title"
    assert view.conflicts_model.index(0, 1).data() == "Title"

    qtbot.mouseClick(view.resolve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.resolver is not None, timeout=10_000)
    resolver = view.resolver
    assert resolver is not None
    panel = resolver.panels[TITLE_KEY]
    assert panel.heading.text() == "Title"
    qtbot.waitUntil(lambda: panel.mine_button.hasFocus())  # the keyboard starts on the first choice
    qtbot.keyClick(panel.mine_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.resolver is None, timeout=10_000)
    qtbot.waitUntil(lambda: view.no_conflicts_label.isVisible(), timeout=10_000)
    wait_up_to_date(qtbot, window)
    assert (server_submission(service, sid) or {})["title"] == "Ana's title"
    settle(qtbot, tasks)
