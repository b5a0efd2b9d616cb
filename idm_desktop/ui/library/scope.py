"""Background work that belongs to one Qt object: its results are dropped once that object is gone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from idm_desktop.ui.tasks import Lane, Task, TaskManager


class TaskScope:
    """Runs tasks through the shared :class:`TaskManager` for ``owner``.

    A result that arrives after ``owner`` was destroyed would call into a deleted widget;
    the scope cancels its tasks on ``destroyed``, so their callbacks are dropped.
    """

    def __init__(self, tasks: TaskManager, owner: QObject) -> None:
        self.tasks = tasks
        running: set[Task] = set()
        self._running = running

        def cancel_all() -> None:  # must not refer to owner: it runs while owner is destroyed
            for task in list(running):
                task.cancel_now()

        owner.destroyed.connect(cancel_all)

    def run(self, fn: Callable[..., Any], *, lane: Lane = Lane.STORAGE, name: str = "",
            on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[Any], None] | None = None) -> Task:
        """Like :meth:`TaskManager.run`; errors without a handler go to the manager's default."""
        holder: list[Task] = []

        def done(result: Any) -> None:
            self._running.difference_update(holder)
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self._running.difference_update(holder)
            (on_error or self.tasks.default_error)(exc)

        task = self.tasks.run(fn, lane=lane, name=name, on_done=done, on_error=failed,
                              on_progress=on_progress)
        holder.append(task)
        self._running.add(task)
        return task

    def busy(self) -> bool:
        """Whether any task of this scope has not delivered its result yet."""
        return bool(self._running)
