"""Search as you type: a short pause after the last keystroke, the query on the storage lane,
and only the answer to the latest query shown."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from idm_desktop.app import DesktopApp
from idm_desktop.core.errors import SearchQueryError
from idm_desktop.core.search_results import HitKind, SearchHit
from idm_desktop.ui.library.scope import TaskScope
from idm_desktop.ui.tasks import Lane, TaskManager

log = logging.getLogger(__name__)

DEBOUNCE_MS = 300
"""Pause after the last keystroke before searching: one query per word typed, not per letter."""

RESULT_LIMIT = 50
"""Hits asked for; submissions among them are left out here (the library lists documents)."""


class SearchController(QObject):
    """Turns the text of a search box into ranked document hits."""

    sig_hits_found = Signal(str, list)
    """The search for a query finished: (query, hits best first); ("", []) when cleared."""

    sig_query_refused = Signal(str, str)
    """The query cannot be searched: (query, a one-line reason to show beside the box)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._scope = TaskScope(tasks, self)
        self._query = ""
        self._sequence = 0  # the number of the latest search asked for; older answers are stale
        self._timer = QTimer(self)
        self._timer.setObjectName("library_search_debounce")
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def query(self) -> str:
        return self._query

    def set_query(self, text: str) -> None:
        """The text in the box changed: search it once the user pauses."""
        self._query = text.strip()
        if not self._query:
            self.clear()
            return
        self._timer.start()

    def search_now(self) -> None:
        """Search the current text without waiting (Enter in the box)."""
        self._timer.stop()
        if self._query:
            self._start(self._query)

    def clear(self) -> None:
        """No search: nothing pending, and any answer still on its way is dropped."""
        self._query = ""
        self._timer.stop()
        self._sequence += 1
        self.sig_hits_found.emit("", [])

    def pending(self) -> bool:
        """Whether a search is waiting for the pause or for its answer."""
        return self._timer.isActive() or self._scope.busy()

    def _on_timer_timeout(self) -> None:
        self._start(self._query)

    def _start(self, query: str) -> None:
        self._sequence += 1
        sequence = self._sequence
        app = self._app

        def search() -> list[SearchHit]:
            return app.search(query, RESULT_LIMIT, kinds=(HitKind.DOCUMENT,))

        self._scope.run(search, lane=Lane.STORAGE, name="library search",
                        on_done=lambda hits: self._on_search_done(sequence, query, hits),
                        on_error=lambda exc: self._on_search_failed(sequence, query, exc))

    def _on_search_done(self, sequence: int, query: str, hits: list[SearchHit]) -> None:
        if sequence == self._sequence:
            self.sig_hits_found.emit(query, hits)

    def _on_search_failed(self, sequence: int, query: str, exc: BaseException) -> None:
        if sequence != self._sequence:
            return
        if isinstance(exc, SearchQueryError):
            self.sig_query_refused.emit(query, str(exc))
        else:
            self._scope.tasks.default_error(exc)
