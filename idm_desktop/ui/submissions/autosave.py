"""Autosave: the editor's text reaches the disk about a second after the user stops typing.

DESIGN §12: every edit is committed within 2 s of the last keystroke. A save is queued 1 s
after the last change, or at the latest 1.5 s after the first unsaved one (someone typing
without a pause is saved too), on focus changes, on leaving the editor and on close. Saves run
in order on the storage lane and send only what changed since the previous one. A failed save
keeps the text in the editor, says so once, and is tried again with the next change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import partial

from PySide6.QtCore import QObject, QTimer, Signal

from idm_desktop.app import DesktopApp
from idm_desktop.core.submissions import SaveReason, Submission
from idm_desktop.ui.tasks import Lane, TaskManager

log = logging.getLogger(__name__)

IDLE_MS = 1000
MAX_WAIT_MS = 1500


class SaveState(Enum):
    SAVED = "saved"
    SAVING = "saving"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The editor's text: Markdown per section key, and the title."""

    body: Mapping[str, str]
    title: str


@dataclass(slots=True)
class _Pending:
    sections: dict[str, str]
    title: str | None


class Autosaver(QObject):
    """Saves one submission's text; ``collect`` reads the editor's current text."""

    sig_state_changed = Signal(object)
    """Saving started, ended or failed (the new :class:`SaveState`)."""

    sig_saved = Signal(object)
    """A save reached the disk (the :class:`Submission` as saved)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, collect: Callable[[], Snapshot],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._tasks = tasks
        self._collect = collect
        self._sid: str | None = None
        self._saved = Snapshot({}, "")
        self._queued: dict[str, str] = {}
        self._queued_title = ""
        self._in_flight = 0
        self._retry: dict[str, _Pending] = {}  # failed saves of submissions no longer open
        self._error_shown = False
        self.state = SaveState.SAVED
        self.last_error: BaseException | None = None
        self.last_saved: Submission | None = None
        self._idle = self._timer("autosave_idle", IDLE_MS)
        self._max_wait = self._timer("autosave_max_wait", MAX_WAIT_MS)

    def _timer(self, name: str, msecs: int) -> QTimer:
        timer = QTimer(self)
        timer.setObjectName(name)
        timer.setSingleShot(True)
        timer.setInterval(msecs)
        timer.timeout.connect(self._on_timer_timeout)
        return timer

    def start(self, sid: str, saved: Snapshot) -> None:
        """Watch submission ``sid`` whose text on disk is ``saved`` (as the editor writes it)."""
        self._stop_timers()
        self._sid = sid
        self._saved = Snapshot(dict(saved.body), saved.title)
        self._queued = dict(saved.body)
        self._queued_title = saved.title
        self.last_error = None
        self._set_state(SaveState.SAVED)

    def stop(self) -> None:
        """Stop watching (call :meth:`flush` first to keep the last changes)."""
        self._stop_timers()
        self._sid = None

    @property
    def submission_id(self) -> str | None:
        return self._sid

    def changed(self) -> None:
        """The user changed something: save after the pause (or the longest wait)."""
        if self._sid is None:
            return
        self._idle.start()
        if not self._max_wait.isActive():
            self._max_wait.start()

    def has_unsaved(self) -> bool:
        """Whether some text is not on disk yet (waiting, being saved, or failed)."""
        if self._idle.isActive() or self._in_flight or self._retry:
            return True
        if self._sid is None:
            return False
        snap = self._collect()
        return dict(snap.body) != dict(self._saved.body) or snap.title != self._saved.title

    def _on_timer_timeout(self) -> None:
        self.flush(SaveReason.AUTOSAVE)

    def flush(self, reason: SaveReason = SaveReason.AUTOSAVE) -> bool:
        """Queue a save of what changed since the last one queued; False when nothing did."""
        self._stop_timers()
        for sid, pending in list(self._retry.items()):
            del self._retry[sid]
            self._queue(sid, pending, reason)
        if self._sid is None:
            return False
        snap = self._collect()
        changes = {k: v for k, v in snap.body.items() if self._queued.get(k) != v}
        title = snap.title if snap.title != self._queued_title else None
        if not changes and title is None:
            return False
        self._queued.update(changes)
        if title is not None:
            self._queued_title = title
        self._queue(self._sid, _Pending(changes, title), reason)
        return True

    def _queue(self, sid: str, pending: _Pending, reason: SaveReason) -> None:
        app = self._app

        def save() -> Submission:
            return app.edit(sid, sections=pending.sections or None, title=pending.title,
                            reason=reason)

        self._in_flight += 1
        self._set_state(SaveState.SAVING)
        self._tasks.run(save, lane=Lane.STORAGE, name="autosave",
                        on_done=partial(self._on_save_done, sid, pending),
                        on_error=partial(self._on_save_failed, sid, pending))

    def _on_save_done(self, sid: str, pending: _Pending, sub: Submission) -> None:
        self._in_flight -= 1
        if sid == self._sid:
            body = dict(self._saved.body)
            body.update(pending.sections)
            self._saved = Snapshot(body, self._saved.title if pending.title is None
                                   else pending.title)
        self._error_shown = False
        self.last_error = None
        self.last_saved = sub
        if not self._in_flight:
            self._set_state(SaveState.FAILED if self._retry else SaveState.SAVED)
        self.sig_saved.emit(sub)

    def _on_save_failed(self, sid: str, pending: _Pending, exc: BaseException) -> None:
        self._in_flight -= 1
        log.warning("a save of submission %s failed: %s", sid, exc)
        if sid == self._sid:
            # The text stays in the editor; the next flush sends these sections again.
            for key, text in pending.sections.items():
                if self._queued.get(key) == text:
                    self._queued[key] = self._saved.body.get(key, "")
            if pending.title is not None and self._queued_title == pending.title:
                self._queued_title = self._saved.title
        else:
            earlier = self._retry.get(sid)
            if earlier is not None:
                earlier.sections.update(pending.sections)
                pending = _Pending(earlier.sections, pending.title or earlier.title)
            self._retry[sid] = pending
        self.last_error = exc
        self._set_state(SaveState.FAILED)
        if not self._error_shown:
            self._error_shown = True
            self._tasks.default_error(exc)

    def _stop_timers(self) -> None:
        self._idle.stop()
        self._max_wait.stop()

    def _set_state(self, state: SaveState) -> None:
        self.state = state
        self.sig_state_changed.emit(state)
