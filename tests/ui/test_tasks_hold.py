"""Work asked for while the window is being put up waits until it is on the screen."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from idm_desktop.ui.tasks import Lane, TaskManager


def test_held_tasks_start_on_release_in_the_order_asked(qtbot: QtBot) -> None:
    tasks = TaskManager()
    ran: list[str] = []
    done: list[str] = []
    started = threading.Event()

    def work(name: str) -> str:
        started.set()
        ran.append(name)
        return name

    try:
        tasks.hold()
        tasks.run(lambda: work("workshops"), name="workshops", on_done=done.append)
        tasks.run(lambda: work("counts"), name="counts", on_done=done.append)
        tasks.run(lambda: work("status"), lane=Lane.NETWORK, name="status", on_done=done.append)
        qtbot.wait(200)
        assert not started.is_set()
        assert ran == []
        assert tasks.active() == 3  # but they are counted as waiting
        tasks.release()
        qtbot.waitUntil(lambda: len(done) == 3, timeout=5000)
        storage = [name for name in ran if name != "status"]
        assert storage == ["workshops", "counts"]  # one storage lane, in order
        tasks.release()  # a second release changes nothing
        tasks.run(lambda: work("later"), name="later", on_done=done.append)
        qtbot.waitUntil(lambda: "later" in done, timeout=5000)
    finally:
        tasks.shutdown()
