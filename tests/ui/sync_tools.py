"""What the window's sync tests share: a real idm-server (the server tests' fixtures), a library
signed in to it, the main window on that library, and ways to read what the server holds.

Test modules import the fixtures they use and list them in ``__all__`` (as tests/sync/conftest.py
does), and run on SQLite only: ``pytestmark = pytest.mark.parametrize("db_url", ["sqlite"],
indirect=True)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QMessageBox
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.sync.transport import Backoff
from idm_desktop.ui.main_window import PAGE_SUBMISSIONS, MainWindow
from idm_desktop.ui.submissions.editor import SubmissionEditor
from idm_desktop.ui.sync.state import SyncState, status_text
from idm_desktop.ui.tasks import TaskManager
from tests.server.conftest import PASSWORD, LiveServer, Service, db_url, server_settings, service
from tests.support.faultproxy import FaultProxy

__all__ = ["PASSWORD", "db_url", "server_settings", "service"]

INTEGRATION = "idm2006-integration"
FIRST, SECOND = "national_context", "policy_framework"

MakeWindow = Callable[..., MainWindow]


def open_home(tmp_path: Path, name: str) -> DesktopApp:
    return DesktopApp.open(tmp_path / name)


def sign_in(app: DesktopApp, url: str, user: str) -> None:
    app.sync.login(url, user, PASSWORD, device_name="tests")


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server out of reach is known after six quick attempts, not after the real backoff."""
    monkeypatch.setattr(Backoff, "delay", lambda _self, _attempt, _rng: 0.0)


@pytest.fixture
def proxy(service: Service) -> Iterator[FaultProxy]:
    """A TCP proxy in front of the service: the link the tests slow down or cut."""
    with FaultProxy(service.live.port) as p:
        yield p


@pytest.fixture
def make_window(qtbot: QtBot, tasks: TaskManager) -> Iterator[MakeWindow]:
    """A shown main window on a library (its first work done unless ``wait=False``); closed at
    the end, its work finished."""
    windows: list[MainWindow] = []

    def make(app: DesktopApp, *, wait: bool = True) -> MainWindow:
        window = MainWindow(app, tasks)
        windows.append(window)  # not qtbot.addWidget: pytest-qt would delete it before its work ends
        window.resize(1280, 860)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        if wait:  # for the first sync too
            qtbot.waitUntil(lambda: window.start_reads is not None and window.start_reads.started,
                            timeout=20_000)
            settle(qtbot, tasks)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            window.close()
    settle(qtbot, tasks)
    for window in windows:
        window.deleteLater()
    settle(qtbot, tasks)


def settle(qtbot: QtBot, tasks: TaskManager, timeout: int = 20_000) -> None:
    """Wait until every background task has finished and its result has been delivered."""
    qtbot.waitUntil(lambda: tasks.active() == 0, timeout=timeout)


def record_states(window: MainWindow) -> list[str]:
    """Every status bar text the window shows from now on."""
    seen: list[str] = []

    def note(state: SyncState) -> None:
        seen.append(status_text(state))

    window.sync.sig_state_changed.connect(note)
    return seen


def wait_up_to_date(qtbot: QtBot, window: MainWindow, timeout: int = 20_000) -> None:
    qtbot.waitUntil(lambda: window.connection_label.text().startswith("Up to date at "), timeout=timeout)


def open_in_editor(qtbot: QtBot, window: MainWindow, sid: str) -> SubmissionEditor:
    """Open submission ``sid`` in the window's editor, as a double-click in the list would."""
    window.show_page(PAGE_SUBMISSIONS)
    window.submissions.open_submission(sid)
    editor = window.submissions.editor
    qtbot.waitUntil(lambda: editor.submission_id == sid and editor.isVisible(), timeout=10_000)
    return editor


def server_submission(service: Service, sid: str, url: str | None = None) -> dict[str, Any] | None:
    """The submission as the server holds it now (read by a reviewer of the same delegation,
    through ``url`` if given: the proxy, when the service was restarted behind it)."""
    name = f"reader{len(service.clients)}"
    service.add_user(name, "reviewer", "MEX")
    client = service.client()
    base = url or service.url
    token = client.post(f"{base}/api/v1/auth/token", json={
        "username": name, "password": PASSWORD, "device_name": "tests"}).json()["token"]
    found: dict[str, Any] | None = None
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 200} if cursor is None else {"cursor": cursor, "limit": 200}
        page = client.get(f"{base}/api/v1/changes", params=params,
                          headers={"Authorization": f"Bearer {token}"}).json()
        for change in page["changes"]:
            if change["entity"] == "submission" and change["id"] == sid:
                found = change["data"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return found


def restart_behind(proxy: FaultProxy, service: Service) -> LiveServer:
    """The service again, on a new socket over the same database, where the proxy forwards."""
    live = LiveServer(service.ctx).start()
    proxy.upstream = ("127.0.0.1", live.port)
    return live


def click_box_button(qtbot: QtBot, box: QMessageBox | None, text: str) -> None:
    """Click the button labelled ``text`` of a message box on screen."""
    assert box is not None, "no question on screen"
    qtbot.waitExposed(box)
    buttons: list[QAbstractButton] = [b for b in box.buttons() if b.text().replace("&", "") == text]
    assert buttons, [b.text() for b in box.buttons()]
    buttons[0].click()
