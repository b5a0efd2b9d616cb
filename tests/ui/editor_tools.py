"""What the submissions and editor tests share: typing as a keyboard does, a shown view,
and a second connection to the library that reads what is really on disk."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.ui.submissions.editor import SubmissionEditor
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.tasks import TaskManager

INTEGRATION = "idm2006-integration"
FIRST = "national_context"
SECOND = "policy_framework"


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key. Characters beyond ASCII arrive as a keyboard layout or an
    input method sends them: a key event carrying the character (QTest.keyClicks cannot)."""
    for ch in text:
        if ch == "\n":
            QTest.keyClick(widget, Qt.Key.Key_Return)
        elif ch.isascii() and ch.isprintable():
            QTest.keyClick(widget, ch)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                               Qt.KeyboardModifier.NoModifier)


def shown_view(qtbot: QtBot, app: DesktopApp, tasks: TaskManager) -> SubmissionsView:
    view = SubmissionsView(app, tasks)
    qtbot.addWidget(view)
    view.resize(1280, 860)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    return view


def open_editor(qtbot: QtBot, view: SubmissionsView, sid: str) -> SubmissionEditor:
    """Open ``sid`` as a double-click would, and wait until its first measure is shown."""
    editor = view.editor
    with qtbot.waitSignal(editor.sig_opened, timeout=5000):
        view.open_submission(sid)
    qtbot.waitUntil(lambda: editor.live.last is not None, timeout=10_000)
    return editor


def close_view(qtbot: QtBot, view: SubmissionsView, tasks: TaskManager) -> None:
    """Close the view as the window does (saving), and let every task finish."""
    view.save_now()
    view.close()
    assert tasks.wait_idle(10_000)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: tasks.active() == 0, timeout=5000)


@contextmanager
def on_disk(app: DesktopApp) -> Iterator[DesktopApp]:
    """The same library opened again, as another process would see it."""
    other = DesktopApp.open(app.paths.home)
    try:
        yield other
    finally:
        other.close()
