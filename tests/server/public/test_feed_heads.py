"""The feed's head read once for the requests that ask together, and never older than a request."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from idm_desktop.protocol import Entity
from idm_desktop.server import feed
from idm_desktop.server.config import Settings
from idm_desktop.server.context import ServerContext
from idm_desktop.server.public.site import FeedHeads


class CountedReads:
    """The database's own read of the feed's head, counted, and held back while ``hold`` is clear."""

    def __init__(self, ctx: ServerContext) -> None:
        self.real = ctx.db.fetch_one
        self.calls = 0
        self.hold = threading.Event()
        self.hold.set()

    def __call__(self, *args: Any) -> tuple[Any, ...] | None:
        self.calls += 1
        self.hold.wait(timeout=30)
        return self.real(*args)


def _move_feed(ctx: ServerContext) -> int:
    with ctx.db.write() as session:
        feed.ensure_state(session)
        return feed.record(session, Entity.SUBMISSION, "x", 1)


def test_requests_together_share_a_read_that_started_after_each_came(tmp_path: Path) -> None:
    ctx = ServerContext.open(Settings(home=tmp_path, database_url=""))
    try:
        _move_feed(ctx)
        reads = CountedReads(ctx)
        ctx.db.fetch_one = reads  # type: ignore[method-assign,assignment]
        heads = FeedHeads()

        async def scenario() -> None:
            reads.hold.clear()
            first = asyncio.ensure_future(heads.read(ctx))  # its read starts, and is held
            while reads.calls == 0:
                await asyncio.sleep(0.005)
            # The database moves while that read is under way: whoever asks now must see it.
            moved = await asyncio.get_running_loop().run_in_executor(None, _move_feed, ctx)
            later = [asyncio.ensure_future(heads.read(ctx)) for _ in range(20)]
            await asyncio.sleep(0.05)
            assert reads.calls == 1  # the twenty wait for the read after the one under way
            reads.hold.set()
            await first
            news = await asyncio.gather(*later)
            assert reads.calls == 2  # one read for the twenty
            assert {row[0] for row in news} == {moved}  # type: ignore[index]
            alone = await heads.read(ctx)
            assert alone == news[0]
            assert reads.calls == 3

        asyncio.run(scenario())
    finally:
        ctx.close()


def test_a_failed_read_fails_every_request_that_shared_it(tmp_path: Path) -> None:
    ctx = ServerContext.open(Settings(home=tmp_path, database_url=""))
    try:
        def broken(*_args: Any) -> None:
            raise OSError("disk unreadable")

        ctx.db.fetch_one = broken  # type: ignore[method-assign,assignment]
        heads = FeedHeads()

        async def scenario() -> list[BaseException | tuple[Any, ...] | None]:
            return await asyncio.gather(*(heads.read(ctx) for _ in range(5)), return_exceptions=True)

        got = asyncio.run(scenario())
        assert all(isinstance(g, OSError) and str(g) == "disk unreadable" for g in got)
    finally:
        ctx.close()
