"""Polls that find nothing new, answered without a database trip.

Most requests a service gets are clients asking ``/changes`` with the cursor of the feed's head
(DESIGN §11). Each full poll notes the head it saw and the token it accepted; for a second
afterwards, the same token asking with exactly that head's cursor gets the same empty page
straight from memory. Only empty pages come from here: any answer that carries data goes the
full way (token checked in the database, rows read), so a revoked token never reads anything; at
worst it hears "nothing new" for a second. A change written by this process clears it at once
(Database.after_write); one written by another process (a replica, an admin command) is seen by
polls at most a second late.
Each process keeps its own; replicas share nothing through it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from idm_desktop.protocol import ChangesPage
from idm_desktop.server import feed

TTL_SECONDS = 1.0
_MAX_TOKENS = 10_000


@dataclass(frozen=True, slots=True)
class _Head:
    cursor: str
    body: bytes
    until: float


class QuietPolls:
    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._head: _Head | None = None
        self._tokens: dict[bytes, tuple[str, float]] = {}  # sha256 of the token -> (user, until)

    def forget(self) -> None:
        """Something was written here: the next poll goes the full way."""
        self._head = None

    def answer(self, token: str, cursor: str | None) -> tuple[bytes, str] | None:
        """The empty page and the user's name, when ``token`` polled the current head lately."""
        head = self._head
        now = time.monotonic()
        if head is None or cursor != head.cursor or head.until < now:
            return None
        known = self._tokens.get(hashlib.sha256(token.encode()).digest())
        if known is None or known[1] < now:
            return None
        return head.body, known[0]

    def remember(self, token: str, user: str, head: int, epoch: str) -> None:
        """A full poll accepted ``token`` and saw the feed's head ``head``."""
        until = time.monotonic() + self.ttl
        cursor = feed.Cursor(epoch, head).encode()
        with self._lock:
            if self._head is None or self._head.cursor != cursor or self._head.until < until - self.ttl / 2:
                body = ChangesPage(changes=[], next_cursor=cursor, has_more=False).model_dump_json().encode()
                self._head = _Head(cursor, body, until)
            if len(self._tokens) >= _MAX_TOKENS:
                self._tokens.clear()
            self._tokens[hashlib.sha256(token.encode()).digest()] = (user, until)
