"""Sync as a delegate meets it in the window, against a real idm-server: signing in through the
dialog, text sent in the background while typing, the status bar's states, a server that goes
away and comes back, cancelling, and submitting with a receipt shown in the editor."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from idm_desktop.storage import outbox
from idm_desktop.ui.main_window import PAGE_SYNC
from idm_desktop.ui.tasks import TaskManager
from tests.server.conftest import Service
from tests.support.faultproxy import FaultProxy
from tests.ui.editor_tools import on_disk, type_text
from tests.ui.sync_tools import (
    FIRST,
    INTEGRATION,
    PASSWORD,
    MakeWindow,
    click_box_button,
    db_url,
    fast_retries,
    make_window,
    open_home,
    open_in_editor,
    proxy,
    record_states,
    restart_behind,
    server_settings,
    server_submission,
    service,
    settle,
    sign_in,
    wait_up_to_date,
)

__all__ = ["db_url", "fast_retries", "make_window", "proxy", "server_settings", "service"]

pytestmark = [pytest.mark.parametrize("db_url", ["sqlite"], indirect=True),
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

UP_TO_DATE = re.compile(r"Up to date at \d\d:\d\d")


def test_signing_in_through_the_dialog(
        service: Service, make_window: MakeWindow, tmp_path: Path, qtbot: QtBot, tasks: TaskManager) -> None:
    service.add_user("ana", "drafter", "MEX")
    app = open_home(tmp_path, "home")
    window = make_window(app)
    assert window.connection_label.text() == "Offline — local only"
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.sync_view
    assert window.sync_view.sign_in_button.isVisible()
    assert not window.sync_view.sync_button.isEnabled()

    window.action_sign_in.trigger()
    dialog = window.sync_view.sign_in_dialog
    assert dialog is not None
    assert window.stack.currentWidget() is window.sync_view
    qtbot.waitExposed(dialog)
    assert not dialog.sign_in_button.isEnabled()
    qtbot.keyClicks(dialog.server_edit, service.url)
    qtbot.keyClicks(dialog.user_edit, "ana")
    qtbot.keyClicks(dialog.password_edit, "not the password")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Wrong user name or password" in dialog.message.text(), timeout=10_000)
    assert dialog.isVisible()
    assert not dialog.token_file_box.isVisible()  # a keyring exists: no file is offered

    dialog.password_edit.selectAll()
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.sync_view.sign_in_dialog is None, timeout=10_000)
    wait_up_to_date(qtbot, window)
    assert UP_TO_DATE.fullmatch(window.connection_label.text())
    assert window.sync_view.account_label.text() == f"Signed in to {service.url} as ana."
    assert window.sync_view.sign_out_button.isVisible()
    assert "Last sync: " in window.sync_view.last_label.text()
    assert window.sync.periodic.isActive()  # every five minutes from now on
    settle(qtbot, tasks)

    window.sync_view.sign_out_button.click()
    qtbot.waitUntil(lambda: window.connection_label.text() == "Offline — local only", timeout=10_000)
    assert not window.sync.periodic.isActive()
    assert window.sync_view.sign_in_button.isVisible()


def test_the_dialog_checks_the_fingerprint_and_refuses_http_like_the_command_line(
        service: Service, make_window: MakeWindow, tmp_path: Path, qtbot: QtBot, tasks: TaskManager,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from idm_desktop.cli import main

    service.add_user("ana", "drafter", "MEX")
    app = open_home(tmp_path, "home")
    window = make_window(app)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # the sync page
    window.sync_view.open_sign_in()
    dialog = window.sync_view.sign_in_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    # http:// to another computer: the command line's one line, and the lab opt-in offered
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["--home", str(tmp_path / "cli"), "login", "--server", "http://idm.example.org",
                 "--user", "ana", "--password-stdin"]) == 2  # a usage error
    cli_line = capsys.readouterr().err.strip()
    assert not dialog.insecure_box.isVisible()
    qtbot.keyClicks(dialog.server_edit, "http://idm.example.org")
    qtbot.keyClicks(dialog.user_edit, "ana")
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    dialog.sign_in_button.click()
    assert dialog.message.text() in cli_line
    assert "https://" in dialog.message.text()
    assert dialog.insecure_box.isVisible()
    assert not dialog.insecure_box.isChecked()
    assert dialog.sign_in_button.isEnabled()  # nothing was sent: the dialog waits for a change

    # a fingerprint that is not the server's: refused before the password is sent
    dialog.server_edit.selectAll()
    qtbot.keyClicks(dialog.server_edit, service.url)
    qtbot.keyClicks(dialog.fingerprint_edit, "0000-1111-2222-3333-4444-5555-6666-7777-8888-9999")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: "not 0000-1111" in dialog.message.text(), timeout=10_000)
    assert dialog.isVisible()
    assert not app.sync.status().signed_in
    # the one the secretariat publishes, pasted as it comes (capitals, spaces)
    expected = service.ctx.keys.current.key_id
    dialog.fingerprint_edit.selectAll()
    qtbot.keyClicks(dialog.fingerprint_edit, expected.upper().replace("-", " "))
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: window.sync_view.sign_in_dialog is None, timeout=10_000)
    wait_up_to_date(qtbot, window)
    key_label = window.sync_view.key_label
    assert key_label.isVisible()
    assert expected in key_label.text()
    settle(qtbot, tasks)


def test_without_a_keyring_the_token_file_is_an_explicit_choice(
        service: Service, make_window: MakeWindow, tmp_path: Path, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring.core

    service.add_user("ana", "drafter", "MEX")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    keyring.core._keyring_backend = None
    app = open_home(tmp_path, "home")
    window = make_window(app)
    window.sync_view.open_sign_in()
    dialog = window.sync_view.sign_in_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.server_edit, service.url)
    qtbot.keyClicks(dialog.user_edit, "ana")
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.token_file_box.isVisible(), timeout=10_000)
    assert "no keyring" in dialog.message.text()
    assert not dialog.token_file_box.isChecked()
    assert not app.paths.token_file.exists()

    dialog.token_file_box.click()
    dialog.sign_in_button.click()
    wait_up_to_date(qtbot, window)
    assert stat.S_IMODE(os.stat(app.paths.token_file).st_mode) == 0o600


def test_typed_text_reaches_the_server_in_the_background(
        service: Service, make_window: MakeWindow, tmp_path: Path, qtbot: QtBot, tasks: TaskManager) -> None:
    service.add_user("ana", "drafter", "MEX")
    app = open_home(tmp_path, "home")
    sign_in(app, service.url, "ana")
    sub = app.new_submission(INTEGRATION, "MEX", "en", "Integration in Mexico")
    window = make_window(app)
    wait_up_to_date(qtbot, window)  # the sync at start sent the new submission
    assert server_submission(service, sub.id) is not None
    seen = record_states(window)

    window.sync.debounce.setInterval(600_000)  # hold the sync after the save, to see "waiting"
    editor = open_in_editor(qtbot, window, sub.id)
    edit = editor.sections[FIRST].edit
    edit.setFocus()
    type_text(edit, "Typed offline-first.")
    qtbot.waitUntil(lambda: window.connection_label.text() == "1 waiting", timeout=10_000)
    assert window.sync.debounce.isActive()
    assert window.connection_label.toolTip() == f"Signed in to {service.url} as ana."

    window.sync.debounce.start(0)  # the few seconds after the save are over
    qtbot.waitUntil(lambda: (server_submission(service, sub.id) or {}).get("body", {}).get(FIRST)
                    == "Typed offline-first.", timeout=20_000)
    wait_up_to_date(qtbot, window)
    assert any(text.startswith("Syncing…") for text in seen)
    assert seen.index("1 waiting") < max(i for i, t in enumerate(seen) if t.startswith("Syncing…"))
    settle(qtbot, tasks)


def test_the_status_bar_shows_the_progress_of_a_slow_sync(
        service: Service, proxy: FaultProxy, make_window: MakeWindow, tmp_path: Path, qtbot: QtBot,
        tasks: TaskManager) -> None:
    service.add_user("ana", "drafter", "MEX")
    app = open_home(tmp_path, "home")
    sign_in(app, proxy.url, "ana")
    app.new_submission(INTEGRATION, "MEX", "en", "Slow link")
    proxy.latency = 0.3
    window = make_window(app, wait=False)
    qtbot.waitUntil(lambda: window.connection_label.text().startswith("Syncing…"), timeout=10_000)
    assert window.sync_indicator.progress.isVisible()
    assert window.sync_indicator.cancel_button.isVisible()
    qtbot.waitUntil(lambda: re.fullmatch(r"Syncing… \d+%", window.connection_label.text()) is not None,
                    timeout=10_000)
    proxy.latency = 0.0
    wait_up_to_date(qtbot, window)
    assert not window.sync_indicator.progress.isVisible()
    settle(qtbot, tasks)


def test_cancel_stops_the_sync_and_keeps_the_work(
        service: Service, proxy: FaultProxy, make_window: MakeWindow, tmp_path: Path, qtbot: QtBot,
        tasks: TaskManager) -> None:
    service.add_user("ana", "drafter", "MEX")
    app = open_home(tmp_path, "home")
    sign_in(app, proxy.url, "ana")
    sub = app.new_submission(INTEGRATION, "MEX", "en", "To be cancelled")
    proxy.latency = 0.5
    window = make_window(app, wait=False)
    qtbot.waitUntil(lambda: window.sync_indicator.cancel_button.isVisible(), timeout=10_000)
    window.sync_indicator.cancel_button.click()
    qtbot.waitUntil(lambda: not window.sync.running, timeout=20_000)
    settle(qtbot, tasks)
    assert window.connection_label.text() == "1 waiting"
    assert window.sync.state.problem is None
    proxy.latency = 0.0
    qtbot.keyClick(window, Qt.Key.Key_F5)
    wait_up_to_date(qtbot, window)
    assert server_submission(service, sub.id) is not None


@pytest.mark.usefixtures("fast_retries")
def test_a_server_that_stops_leaves_the_work_waiting_and_a_later_sync_sends_it(
        service: Service, proxy: FaultProxy, make_window: MakeWindow, tmp_path: Path, qtbot: QtBot,
        tasks: TaskManager) -> None:
    service.add_user("ana", "drafter", "MEX")
    app = open_home(tmp_path, "home")
    sign_in(app, proxy.url, "ana")
    sub = app.new_submission(INTEGRATION, "MEX", "en", "Field office")
    window = make_window(app)
    wait_up_to_date(qtbot, window)

    service.live.stop()
    app.edit(sub.id, {FIRST: "Written while the server was down."})
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.connection_label.text() == "Offline — 1 waiting", timeout=30_000)
    assert "Cannot reach the server" in window.connection_label.toolTip()
    assert window.sync.periodic.isActive()  # it tries again by itself
    with on_disk(app) as again:
        assert again.submission(sub.id).text_of(FIRST) == "Written while the server was down."
        assert again.sync.status().summary.waiting == 1

    window.show_page(PAGE_SYNC)
    view = window.sync_view
    qtbot.waitUntil(lambda: view.unqueued_label.text().startswith("1 submission has changes"), timeout=10_000)
    assert view.reason_label.isVisible()
    assert "Cannot reach the server" in view.reason_label.text()

    live = restart_behind(proxy, service)
    try:
        qtbot.mouseClick(window.sync_view.sync_button, Qt.MouseButton.LeftButton)
        wait_up_to_date(qtbot, window)
        body = (server_submission(service, sub.id, proxy.url) or {})["body"]
        assert body[FIRST] == "Written while the server was down."
        qtbot.waitUntil(lambda: view.unqueued_label.text() == "Nothing waits to be sent.", timeout=10_000)
        assert view.outbox_model.rowCount() == 0
        settle(qtbot, tasks)
    finally:
        live.stop()


def test_refused_changes_show_their_reason_and_try_again(
        service: Service, make_window: MakeWindow, tmp_path: Path, qtbot: QtBot, tasks: TaskManager) -> None:
    service.add_user("ana", "drafter", "MEX")
    app = open_home(tmp_path, "home")
    sign_in(app, service.url, "ana")
    sub = app.new_submission(INTEGRATION, "MEX", "en", "Refused once")
    with app.db.session() as s:  # an op the server refused (its cause since fixed)
        outbox.prepare_saves(s, app.clock())
        (op,) = outbox.sendable_saves(s)
        outbox.on_refused(s, op.op_id, "invalid",
                          "The server refused the request: bad section" + " and more" * 30)
    window = make_window(app)
    qtbot.waitUntil(lambda: window.sync_indicator.attention_button.text() == "1 not accepted",
                    timeout=10_000)
    qtbot.mouseClick(window.sync_indicator.attention_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.sync_view
    view = window.sync_view
    qtbot.waitUntil(lambda: view.retry_button.isVisible(), timeout=10_000)
    model = view.outbox_model
    error = model.index(0, model.COLUMNS.index("error")).data()
    assert error.startswith("The server refused the request: bad section and more")
    assert model.index(0, model.COLUMNS.index("sent")).data() == "Refused"
    assert "did not accept 1 change" in view.failed_label.text()
    # At 1366 px a long reason wraps inside the table: the Problem column ends within the view.
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366, timeout=5_000)
    header = view.outbox_table.horizontalHeader()
    last = model.COLUMNS.index("error")
    assert header.sectionPosition(last) + header.sectionSize(last) <= view.outbox_table.viewport().width()
    assert view.outbox_table.rowHeight(0) > header.height()  # wrapped on more than one line

    qtbot.mouseClick(view.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: server_submission(service, sub.id) is not None, timeout=20_000)
    qtbot.waitUntil(lambda: not view.retry_button.isVisible(), timeout=10_000)
    wait_up_to_date(qtbot, window)
    assert not window.sync_indicator.attention_button.isVisible()
    settle(qtbot, tasks)


def test_submitting_freezes_the_text_and_shows_the_receipt(
        service: Service, make_window: MakeWindow, tmp_path: Path, qtbot: QtBot, tasks: TaskManager) -> None:
    service.add_user("ana", "drafter", "MEX")
    app = open_home(tmp_path, "home")
    sign_in(app, service.url, "ana")
    sub = app.new_submission(INTEGRATION, "MEX", "en", "Integration in Mexico")
    app.edit(sub.id, {FIRST: "Our context."})
    window = make_window(app)
    wait_up_to_date(qtbot, window)
    editor = open_in_editor(qtbot, window, sub.id)
    assert editor.submit_button.isEnabled()

    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    # The check runs first: the text is short of the template's pages and sections, and the
    # question says so before anything is sent.
    qtbot.waitUntil(lambda: editor.submitter.box is not None, timeout=20_000)
    assert editor.submitter.box is not None
    assert editor.submitter.box.text().startswith(
        "Submit “Integration in Mexico” to the secretariat? The check found problems:")
    assert app.submission(sub.id).status.value == "draft"
    click_box_button(qtbot, editor.submitter.box, "Submit anyway")

    qtbot.waitUntil(lambda: "receipt IDM-" in editor.banner.text(), timeout=20_000)
    received = app.submission(sub.id)
    assert received.status.value == "received"
    assert editor.banner.text().startswith(f"Submitted — receipt {received.receipt_no} received ")
    assert editor.banner.isVisible()
    assert editor.read_only
    assert not editor.submit_button.isEnabled()
    assert (server_submission(service, sub.id) or {})["status"] == "received"
    wait_up_to_date(qtbot, window)
    settle(qtbot, tasks)
