"""The main window's reads at start, in the order a delegate sees them (ui.window puts the frame
on the screen first): the first view's data (the programme, the counts), waited for briefly
before the window is drawn again; then, once that is painted, what waits for the user (drafts to
review or to send, notices, deadlines) and the sync's status and first sync. And a library
another program holds: said in the status bar, and read again until it is free."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDeadlineTimer, QEvent, QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QWidget

from idm_desktop.core.i18n import _

if TYPE_CHECKING:
    from idm_desktop.app import DesktopApp
    from idm_desktop.ui.status_line import StatusLine
    from idm_desktop.ui.sync.controller import SyncController
    from idm_desktop.ui.tasks import Task
    from idm_desktop.ui.workshops.view import WorkshopsView

REST_AFTER_MS = 1000
"""How long the reads after the first view's wait for it at most: a programme that cannot be
read must not keep the sync from starting."""
BUSY_RETRY_MS = 3000
"""How soon the window's data is read again when another program held the library's file."""


class StartReads(QObject):
    """Asks for the window's data at start, first view first; reads it again while the library's
    file is held by another program."""

    def __init__(self, window: QMainWindow, app: DesktopApp, workshops: WorkshopsView,
                 status_line: StatusLine, sync: SyncController, read_again: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._app, self._workshops, self._status_line, self._sync = app, workshops, status_line, sync
        self._first_parts = {"programme", "counts"}  # the first view's data, still being read
        self._first_tasks: tuple[Task | None, ...] = ()
        self.started = False
        """Whether the start's reads have all been asked for (the first view's, then the rest)."""
        self._rest_timer = _timer(self, "start_rest", REST_AFTER_MS, self._start_rest)
        self._busy_timer = _timer(self, "read_again", BUSY_RETRY_MS, read_again)

    def begin(self) -> None:
        """Ask for the first view's data (the programme's read is under way already)."""
        counts = self._status_line.refresh_counts(then=lambda: self._shown("counts"))
        self._first_tasks = (self._workshops.loading, counts)
        self._workshops.sig_programme_shown.connect(lambda: self._shown("programme"))
        self._rest_timer.start()

    def wait_for_first_data(self, msecs: int) -> None:
        """Let the first view's reads finish for up to ``msecs``, the window's thread asleep: they
        run unhindered, and their data is then shown before the window is drawn again, instead of
        the empty view first. Only at start, and briefly: a read that takes longer arrives as it
        would have."""
        deadline = QDeadlineTimer(msecs)
        for task in self._first_tasks:
            if task is not None and not task.done.wait(max(deadline.remainingTime(), 0) / 1000):
                return

    def _shown(self, part: str) -> None:
        self._first_parts.discard(part)
        if not self._first_parts and not self.started:  # after the programme's next paint
            _AfterPaint(self._workshops.tree.viewport(), self._start_rest)

    def _start_rest(self) -> None:
        """Once the first view shows its data (or after :data:`REST_AFTER_MS` at the latest): what
        waits for the user, and the sync's status and first sync."""
        if self.started:
            return
        self.started = True
        self._rest_timer.stop()
        # pydantic is first imported on this thread, before any worker may need it: imported by
        # two of them at once, with PySide6's import hook inspecting each new module, its lazy
        # module attributes met a half-made module and the sync status failed at start. The
        # workers need it now only for a library that signed in to a server (its sync, its pinned
        # keys); else it loads before the library opens the full way (ui.window._ExposeWatch).
        if self._app.server_recorded():
            importlib.import_module("pydantic")
        self._status_line.refresh_waiting()
        self._sync.start()

    def library_busy(self) -> None:
        """Another program holds the library's file (another copy of the program, a backup): said
        in the status bar and where the programme goes, and what the window shows is read again
        in a few seconds, and again until it is free."""
        message = _("The library is in use by another program: it is read again in a few seconds.")
        self._window.statusBar().showMessage(message, BUSY_RETRY_MS + 2000)
        self._workshops.waiting_for_library(message)
        if not self._busy_timer.isActive():
            self._busy_timer.start()

    def stop(self) -> None:
        """The window closes: nothing more is asked for (it would answer a closed window)."""
        self.started = True
        self._rest_timer.stop()
        self._busy_timer.stop()


def _timer(parent: QObject, name: str, msecs: int, then: Callable[[], None]) -> QTimer:
    timer = QTimer(parent)
    timer.setObjectName(name)
    timer.setSingleShot(True)
    timer.setInterval(msecs)
    timer.timeout.connect(then)
    return timer


class _AfterPaint(QObject):
    """Calls ``then`` once, right after ``widget`` is next painted (the turn of the event loop
    after its paint event), and goes."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._done)
        return False

    def _done(self) -> None:
        self._then()
        self.deleteLater()
