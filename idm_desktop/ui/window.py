"""Start the window: QApplication, translations, logging of Qt's messages, the main window.

Reached only through :mod:`idm_desktop.ui.run`, which first makes sure Qt can start at all.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEvent, QEventLoop, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QIcon, QWindow
from PySide6.QtWidgets import QApplication

from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import _
from idm_desktop.core.resources import resource
from idm_desktop.ui.main_window import MainWindow, active_window
from idm_desktop.ui.qt_i18n import install_qt_translations, route_qt_messages
from idm_desktop.ui.tasks import TaskManager

log = logging.getLogger(__name__)

QUIT_AFTER_ENV = "IDM_DESKTOP_QUIT_AFTER_MS"
"""Close the window this many milliseconds after it is shown, as the user would: a smoke test of
a built program (packaging/) checks that the window opens and closes cleanly."""

_SIGNAL_POLL_MS = 250
"""Qt's event loop holds the interpreter: a timer this often lets Python see SIGINT and SIGTERM."""


def make_qapplication(argv: Sequence[str], lang: str, *, dress: bool = True) -> QApplication:
    """The QApplication, named, with its icon; ``dress=False`` leaves Qt's own translations to
    :func:`dress_qapplication` (run_window does so once the window's frame is on the screen)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Fractional screen scales are followed as they are (Qt 6's default rounding policy, PassThrough).
    qapp = QApplication(list(argv))
    qapp.setApplicationName("IDM Delegate Desktop")
    qapp.setOrganizationName("IDM")
    qapp.setApplicationDisplayName(_("IDM Delegate Desktop"))
    # Taskbars match the window to packaging/idm-desktop.desktop by this name, and show the icon.
    qapp.setDesktopFileName("idm-desktop")
    # Before the first window: a window manager may read the icon only as the window is mapped.
    qapp.setWindowIcon(QIcon(str(resource("icons", "idm-desktop.png"))))
    if dress:
        dress_qapplication(qapp, lang)
    return qapp


def dress_qapplication(qapp: QApplication, lang: str) -> None:
    """Qt's own words (its dialogs' buttons) in ``lang``; once."""
    if qapp.property(_DRESSED):
        return
    qapp.setProperty(_DRESSED, True)
    install_qt_translations(qapp, lang)


_DRESSED = "idm_dressed"


def run_window(app: DesktopApp, lang: str, argv: Sequence[str] | None = None) -> int:
    """Show the main window until the user closes it (or Ctrl+C / SIGTERM closes it as the user
    would, so the window's size and place are kept); returns the exit code."""
    route_qt_messages()
    qapp = make_qapplication(argv if argv is not None else sys.argv[:1], lang, dress=False)
    tasks = TaskManager()
    # The views ask for their data as they are built; the work starts once the window is on the
    # screen, so that opening the library does not compete with putting the window up.
    tasks.hold()
    window = show_main_window(app, tasks, lang)
    if not window.isVisible():  # closed by the user while it was being made: nothing to wait for
        tasks.shutdown()
        return 0
    # An error in the window's code from now on is shown in a dialog (until here it reaches the
    # command line's handler, which logs it and says so in one line).
    from idm_desktop.ui.errors import install_excepthook

    install_excepthook(active_window, app.paths.logs)
    _release_when_exposed(window, app, tasks)
    _close_on_signals(window)
    if QGuiApplication.platformName() == "offscreen":
        sys.stderr.write("idm-desktop: " + _(
            "the window runs offscreen: nothing is shown on any screen (for tests and pictures); "
            "Ctrl+C closes it.") + "\n")
    quit_after = _quit_after_ms()
    if quit_after is not None:
        def close() -> None:  # logged then, not before the window is up: the log file opens lazily
            log.info("closing the window after %d ms (%s)", quit_after, QUIT_AFTER_ENV)
            window.close()

        QTimer.singleShot(quit_after, close)
    try:
        return qapp.exec()
    finally:
        tasks.shutdown()


def show_main_window(app: DesktopApp, tasks: TaskManager, lang: str,
                     on_shown: Callable[[], None] | None = None) -> MainWindow:
    """The main window put on the screen first, as a frame of its size and place with its title
    (and drawn once, so no stale pixels show), then made: sidebar, first view, menus, status bar.
    The views' modules load while the window is already there, instead of before it appears;
    Qt's translations (:func:`dress_qapplication`) come in between."""
    window = MainWindow(app, tasks, build=False)
    window.show()
    handle = window.windowHandle()
    deadline = QDeadlineTimer(_FIRST_FRAME_WAIT_MS)
    while handle is not None and not handle.isExposed() and not deadline.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 10)
    QCoreApplication.processEvents()  # the first frame, drawn
    if on_shown is not None:
        on_shown()
    qapp = QApplication.instance()
    if isinstance(qapp, QApplication):
        dress_qapplication(qapp, lang)
    # The first view's reads (the programme, the counts) start as it asks for them, while the
    # rest of the window is still being made.
    start_work(tasks)
    window.build()
    if window.start_reads is not None:
        window.start_reads.wait_for_first_data(_FIRST_DATA_WAIT_MS)
    return window


def start_work(tasks: TaskManager) -> None:
    """Let the held tasks run (the window is on the screen)."""
    tasks.release()


_FIRST_DATA_WAIT_MS = 100
"""How long the made window waits for the first view's data before it is drawn (a library whose
file is busy or slow to read shows the view empty, then its data as it comes)."""
_FIRST_FRAME_WAIT_MS = 500
"""How long the first frame waits for the screen to show the window (a window manager may take
its time, or never say so: the window is made all the same)."""


class _ExposeWatch(QObject):
    """Starts the held tasks once the window is first exposed (its first frame is drawn in the
    same turn of the event loop), or after :data:`_RELEASE_AFTER_MS` at the latest; then, once
    the first view has had :data:`_OPEN_LIBRARY_AFTER_MS` to itself, opens the library the full
    way (SQLAlchemy, migrations) before the user's first click on another view needs it."""

    def __init__(self, window: MainWindow, app: DesktopApp, tasks: TaskManager) -> None:
        super().__init__(window)
        self._app = app
        self._tasks = tasks
        self._released = False
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():  # shown first, then made: already on screen
            QTimer.singleShot(0, self.release)
        elif handle is not None:
            handle.installEventFilter(self)
        QTimer.singleShot(_RELEASE_AFTER_MS, self.release)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and isinstance(watched, QWindow) and watched.isExposed():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.release)
        return False

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        start_work(self._tasks)
        QTimer.singleShot(_OPEN_LIBRARY_AFTER_MS, self._open_library)

    def _open_library(self) -> None:
        importlib.import_module("pydantic")  # once open, the sync status reads the pinned keys
        app = self._app
        self._tasks.run(lambda: app.db, name="open library")


_RELEASE_AFTER_MS = 1000
_OPEN_LIBRARY_AFTER_MS = 1500


def _release_when_exposed(window: MainWindow, app: DesktopApp, tasks: TaskManager) -> None:
    _ExposeWatch(window, app, tasks)


def _close_on_signals(window: MainWindow) -> None:
    """Ctrl+C and SIGTERM close the window as its close button does (text saved, window.ini
    written), instead of killing the process mid-way."""
    def close(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, window.close)

    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(signum, close)
        except ValueError:  # not the main thread (tests drive the window from elsewhere)
            return
    poll = QTimer(window)
    poll.setObjectName("signal_poll")
    poll.start(_SIGNAL_POLL_MS)  # gives Python a moment to run the handlers above


def _quit_after_ms() -> int | None:
    value = os.environ.get(QUIT_AFTER_ENV, "").strip()
    if not value:
        return None
    try:
        return max(0, int(value))
    except ValueError:
        log.warning("%s=%r is not a number of milliseconds: ignored", QUIT_AFTER_ENV, value)
        return None
