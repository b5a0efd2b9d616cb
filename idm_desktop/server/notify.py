"""Replicas hear of each other's writes: PostgreSQL LISTEN/NOTIFY on the feed's channel.

Every transaction that moves the feed sends ``NOTIFY idm_feed`` (feed.next_seq), which PostgreSQL
delivers at commit to every session listening. Each replica keeps one such session, on a thread
of its own, and clears its quiet-poll answers (polls.py) when a notification comes, so that a
change written through one replica is not answered "nothing new" by another. The listener is an
optimisation of freshness, not of correctness: while it reconnects (the database restarted), the
quiet polls still expire within their second, and it clears them again once connected.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.engine import URL

from idm_desktop.server.feed import FEED_CHANNEL

log = logging.getLogger(__name__)


class FeedListener:
    """``LISTEN idm_feed`` on one connection; ``on_change()`` on each notification."""

    def __init__(self, url: URL, on_change: Callable[[], None]) -> None:
        self.dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.on_change = on_change
        self._stop = threading.Event()
        self.connected = threading.Event()
        self._thread = threading.Thread(target=self._run, name="idm-listen", daemon=True)

    def start(self) -> FeedListener:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg  # here: a service on SQLite never needs it (some 9 MB)

        wait = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True, connect_timeout=10) as conn:
                    conn.execute(f"LISTEN {FEED_CHANNEL}")
                    self.connected.set()
                    self.on_change()  # anything missed while not listening
                    wait = 0.5
                    while not self._stop.is_set():
                        for _note in conn.notifies(timeout=0.5, stop_after=1):
                            self.on_change()
            except psycopg.Error as err:
                self.connected.clear()
                log.warning("not hearing other replicas' writes (%s); trying again in %.0f s", err, wait)
                self._stop.wait(wait)
                wait = min(wait * 2, 30.0)
