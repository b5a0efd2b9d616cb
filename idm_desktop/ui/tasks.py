"""The one way to run work off the GUI thread (STYLE habit 3).

- the window's own storage work (loading a view, a save, an autosave, a restore) runs on the
  STORAGE lane: one serial worker, in the order it was queued, so a read queued after a save
  sees that save;
- other slow work (file imports) runs on a small pool; reportlab layout (page gauge,
  exports) on a lane of its own, one at a time;
- network work (sign-in, sync) on a lane of its own, never on the storage lane: a slow link
  must not hold up a save;
- callbacks always run on the GUI thread, as ``on_done(result)`` or ``on_error(exc)``;
- a task can be cancelled: its callbacks are then dropped, and long work that accepts a
  ``cancel`` argument sees ``cancel.is_set()`` and stops at the next safe point.

Work on the other lanes opens database sessions too (a sync writes what it pulls, an export
reads the submission, an import adds documents), so the storage lane orders the window's work
but does not serialise the database: :class:`~idm_desktop.storage.database.Database` does, by
running one unit of work (one session) at a time within the process, whatever thread opens it.

Never touch a widget from inside the function given to a task.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class Lane(Enum):
    STORAGE = "storage"  # the window's database work, one at a time, in order
    WORK = "work"  # other slow work (imports, file reads)
    EXPORT = "export"  # reportlab layout (page gauge, exports): its font registry is process-wide
    NETWORK = "network"  # the server (sign-in, sync): waits on the link, not on the disk


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from a worker reaches its slots there."""

    sig_finished = Signal(object, object)
    """The task ended: (result, error) — exactly one of them is not None (or both None)."""

    sig_progress = Signal(object)
    """The task reported progress (any object the caller understands)."""


class Task:
    """Handle of one submitted piece of work."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cancel = threading.Event()
        self.done = threading.Event()

    def cancel_now(self) -> None:
        self.cancel.set()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[..., Any], task: Task, relay: _Relay,
                 kwargs: dict[str, Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._task = task
        self._relay = relay
        self._kwargs = kwargs

    def run(self) -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            try:
                result = self._fn(**self._kwargs)
            except Exception as exc:  # noqa: BLE001 - a thread boundary: all goes to the GUI thread
                error = exc
            self._relay.sig_finished.emit(result, error)
        finally:  # after the result is on its way: whoever waits on it finds it when it wakes
            self._task.done.set()


class TaskManager(QObject):
    """Owns the worker threads. Created once when the window starts (``ui/window.py``); shut down on exit."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools = {lane: QThreadPool(self) for lane in Lane}
        self._pools[Lane.STORAGE].setMaxThreadCount(1)
        self._pools[Lane.WORK].setMaxThreadCount(2)
        self._pools[Lane.EXPORT].setMaxThreadCount(1)
        # Two: signing out need not wait behind a sync that is retrying on a dead link.
        self._pools[Lane.NETWORK].setMaxThreadCount(2)
        self._relays: set[_Relay] = set()
        self._held: list[tuple[Lane, _Runnable]] | None = None
        self.default_error: Callable[[BaseException], None] = self._log_error

    @staticmethod
    def _log_error(exc: BaseException) -> None:
        log.error("background task failed", exc_info=exc)

    def run(self, fn: Callable[..., Any], *, lane: Lane = Lane.STORAGE, name: str = "",
            on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[Any], None] | None = None) -> Task:
        """Run ``fn`` off the GUI thread. If ``fn`` takes ``cancel`` or ``progress`` keyword
        arguments, it gets the task's cancel event and a thread-safe progress reporter."""
        task = Task(name or getattr(fn, "__name__", "task"))
        relay = _Relay()
        self._relays.add(relay)

        def finished(result: Any, error: BaseException | None) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            if task.cancel.is_set():
                return
            if error is not None:
                (on_error or self.default_error)(error)
            elif on_done is not None:
                on_done(result)

        relay.sig_finished.connect(finished)
        kwargs: dict[str, Any] = {}
        params = _parameters(fn)
        if "cancel" in params:
            kwargs["cancel"] = task.cancel
        if "progress" in params:
            if on_progress is not None:
                relay.sig_progress.connect(
                    lambda value: None if task.cancel.is_set() else on_progress(value))
            kwargs["progress"] = relay.sig_progress.emit
        runnable = _Runnable(fn, task, relay, kwargs)
        if self._held is not None:
            self._held.append((lane, runnable))
        else:
            self._pools[lane].start(runnable)
        return task

    def hold(self) -> None:
        """Queue the tasks asked for from now on, without starting them, until :meth:`release`:
        the window's start-up keeps its one core to itself until the window is on the screen."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Start the tasks queued since :meth:`hold`, in the order they were asked for."""
        held, self._held = self._held, None
        for lane, runnable in held or ():
            self._pools[lane].start(runnable)

    def active(self) -> int:
        """How many tasks are running or waiting."""
        return sum(p.activeThreadCount() for p in self._pools.values()) + len(self._relays)

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until every pool is idle (for shutdown and tests)."""
        return all(p.waitForDone(msecs) for p in self._pools.values())

    def shutdown(self) -> None:
        self._held = None
        for pool in self._pools.values():
            pool.clear()
        self.wait_idle()


def _parameters(fn: Callable[..., Any]) -> set[str]:
    try:
        return set(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return set()
