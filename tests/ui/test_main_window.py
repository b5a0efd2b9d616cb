"""The main window as a delegate meets it: moving between the views with the mouse and the
keyboard, the status bar, the language menu, the window's size kept across runs, and Qt's
own dialogs in the interface language."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.documents import DocumentKind
from idm_desktop.storage import documents as docs_repo
from idm_desktop.ui.main_window import PAGE_LIBRARY, PAGE_SUBMISSIONS, PAGE_WORKSHOPS, MainWindow
from idm_desktop.ui.qt_i18n import install_qt_translations
from idm_desktop.ui.tasks import TaskManager

# The offscreen platform says so each time a window is shown; it is not a fault of ours.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

JUNE_13 = dt.datetime(2006, 6, 13, 9, 0, tzinfo=dt.UTC)

MakeWindow = Callable[[], MainWindow]


@pytest.fixture
def library(tmp_path: Path) -> Iterator[DesktopApp]:
    app = DesktopApp.open(tmp_path / "home", clock=lambda: JUNE_13)
    yield app
    app.close()


@pytest.fixture
def make_window(library: DesktopApp, qtbot: QtBot, tasks: TaskManager) -> Iterator[MakeWindow]:
    """A shown main window on ``library``, its first view loaded; closed at the end."""
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(library, tasks)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.start_reads is not None and window.start_reads.started,
                        timeout=10_000)
        settle(qtbot, tasks)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            window.close()
    settle(qtbot, tasks)


def settle(qtbot: QtBot, tasks: TaskManager) -> None:
    """Wait until every background task has finished and its result has been delivered."""
    qtbot.waitUntil(lambda: tasks.active() == 0, timeout=10_000)


def add_document(app: DesktopApp, symbol: str) -> None:
    with app.db.session() as s:
        docs_repo.add_document(s, docs_repo.NewDocument(
            symbol=symbol, title=f"About {symbol}", workshop_id="idm2006-integration",
            kind=DocumentKind.DISCUSSION_NOTE, language="en",
            sha256=hashlib.sha256(symbol.encode()).hexdigest(), size=10, mime="text/plain",
            filename="x.txt", page_count=1, text="Some text."), JUNE_13)


def test_the_window_opens_on_the_workshops_with_the_open_deadline(make_window: MakeWindow) -> None:
    window = make_window()
    assert window.stack.currentWidget() is window.workshops
    assert window.nav.currentRow() == PAGE_WORKSHOPS
    current = window.workshops.current_workshop()
    assert current is not None
    assert current.id == "idm2006-integration"


def test_clicking_the_navigation_list_changes_the_view(
        make_window: MakeWindow, qtbot: QtBot, tasks: TaskManager) -> None:
    window = make_window()
    for page, view in ((PAGE_LIBRARY, window.library), (PAGE_SUBMISSIONS, window.submissions),
                       (PAGE_WORKSHOPS, window.workshops)):
        rect = window.nav.visualItemRect(window.nav.item(page))
        qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.stack.currentWidget() is view
        settle(qtbot, tasks)


def test_ctrl_1_2_3_change_the_view(make_window: MakeWindow, qtbot: QtBot, tasks: TaskManager) -> None:
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for key, view in ((Qt.Key.Key_2, window.library), (Qt.Key.Key_3, window.submissions),
                      (Qt.Key.Key_1, window.workshops)):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentWidget() is view
        settle(qtbot, tasks)


def test_the_status_bar_says_offline_and_counts_what_is_in_the_library(
        make_window: MakeWindow, library: DesktopApp, qtbot: QtBot) -> None:
    add_document(library, "IC/2006/1")
    add_document(library, "IC/2006/4")
    library.new_submission("idm2006-integration", "FRA", "fr")
    window = make_window()
    assert window.connection_label.text() == "Offline — local only"
    assert window.connection_label.isVisible()
    qtbot.waitUntil(lambda: window.counts_label.text() == "2 documents · 1 submission")
    assert window.counts_label.isVisible()


def test_the_language_menu_saves_the_choice_and_says_it_applies_on_restart(
        make_window: MakeWindow, library: DesktopApp, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []

    def information(_parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        told.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", information)
    window = make_window()
    actions = {a.text(): a for a in window.findChildren(QAction)}
    with qtbot.waitSignal(window.sig_language_chosen, timeout=2000) as blocker:
        actions["Français"].trigger()
    assert blocker.args == ["fr"]
    saved = json.loads(library.paths.settings.read_text(encoding="utf-8"))
    assert saved["ui_language"] == "fr"
    assert len(told) == 1
    assert "next time you start" in told[0]
    assert "Français" in told[0]


def test_closing_saves_the_geometry_and_the_next_window_restores_it(
        make_window: MakeWindow, library: DesktopApp, qtbot: QtBot) -> None:
    window = make_window()
    # A size the screen can hold (the offscreen screen is 800×800): a restored window is kept
    # on its screen, and never made smaller than its content allows.
    screen = window.screen().availableGeometry()
    target = QSize(min(screen.width(), max(window.minimumSizeHint().width(), 640)), 560)
    window.resize(target)
    window.move(screen.topLeft())
    qtbot.waitUntil(lambda: window.size() == target)
    window.close()
    ini = library.paths.home / "window.ini"
    assert ini.is_file()
    assert "geometry" in ini.read_text(encoding="utf-8")
    again = make_window()
    assert again.size() == target


def test_the_window_is_on_the_screen_before_it_is_made(library: DesktopApp, qtbot: QtBot,
                                                       tasks: TaskManager) -> None:
    """As the program starts it: the frame first (exposed, at its kept size), then its parts."""
    from idm_desktop.ui.window import show_main_window

    seen: list[tuple[bool, bool]] = []
    holder: dict[str, MainWindow] = {}

    def on_shown() -> None:
        frame = next(w for w in QApplication.topLevelWidgets()
                     if isinstance(w, MainWindow) and w.isVisible())
        holder["frame"] = frame
        seen.append((frame.windowHandle().isExposed(), frame.built))

    window = show_main_window(library, tasks, "en", on_shown=on_shown)
    qtbot.addWidget(window)
    assert holder["frame"] is window
    assert seen == [(True, False)]
    assert window.built
    assert window.stack.currentWidget() is window.workshops
    qtbot.waitUntil(lambda: bool(window.counts_label.text()), timeout=10_000)
    window.close()
    settle(qtbot, tasks)


def test_the_first_view_s_data_is_read_before_the_rest(library: DesktopApp, qtbot: QtBot,
                                                       tasks: TaskManager) -> None:
    """The programme and the counts are read first, and are in when the window is next drawn;
    what waits for the user and the sync's status are read only once they are shown."""
    from idm_desktop.ui.window import show_main_window

    asked: list[tuple[str, bool]] = []
    holder: dict[str, MainWindow] = {}
    run = tasks.run

    def recording_run(fn: Callable[..., Any], **kwargs: Any) -> Any:
        window = holder.get("window")
        shown = window is not None and window.workshops.model.rowCount() > 0 and bool(
            window.counts_label.text())
        asked.append((kwargs.get("name", ""), shown))
        return run(fn, **kwargs)

    tasks.run = recording_run  # type: ignore[method-assign]  # records the order work is asked for
    window = holder["window"] = show_main_window(library, tasks, "en")
    qtbot.addWidget(window)
    assert [name for name, _shown in asked] == ["workshops", "counts"]
    QCoreApplication.processEvents()  # one turn of the event loop: the reads were waited for
    assert window.workshops.model.rowCount() > 0
    assert window.counts_label.text() == "0 documents · 0 submissions"
    qtbot.waitUntil(lambda: any(name == "sync status" for name, _shown in asked), timeout=10_000)
    later = {name: shown for name, shown in asked[2:]}  # also the chosen event's documents
    rest = ("review waiting", "notices", "sync status")
    assert all(later[name] for name in rest)  # each asked for once the first view's data is shown
    window.close()
    settle(qtbot, tasks)


def test_a_library_held_by_another_program_does_not_hold_the_window(
        tmp_path: Path, qtbot: QtBot, tasks: TaskManager) -> None:
    """Another program holds the library's file: the window is made at once, its first view
    empty, and filled when the file is free again."""
    import sqlite3
    import time

    from idm_desktop.ui.window import show_main_window

    DesktopApp.open(tmp_path / "home").close()  # made once, as on a first start
    app = DesktopApp.open(tmp_path / "home", lazy=True, clock=lambda: JUNE_13)
    holder = sqlite3.connect(app.library.paths.database, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM meta WHERE key = 'no such key'")  # takes the file for itself
    try:
        start = time.monotonic()
        window = show_main_window(app, tasks, "en")
        qtbot.addWidget(window)
        assert time.monotonic() - start < 3.0  # the reads' busy wait is 5 s: not on this thread
        QCoreApplication.processEvents()
        assert window.workshops.model.rowCount() == 0
        assert window.workshops.empty_label.text() == "Loading the programme…"
    finally:
        holder.execute("COMMIT")
        holder.close()
    qtbot.waitUntil(lambda: window.workshops.model.rowCount() > 0, timeout=20_000)
    qtbot.waitUntil(lambda: bool(window.counts_label.text()), timeout=20_000)
    window.close()
    settle(qtbot, tasks)
    app.close()


def test_a_library_held_past_the_reads_patience_is_read_again_when_free(
        tmp_path: Path, qtbot: QtBot, tasks: TaskManager) -> None:
    """Held longer than a read waits (5 s): no dialog, the status bar and the programme's place
    say so, and the window reads its data again by itself once the file is free."""
    import sqlite3

    from idm_desktop.ui.window import show_main_window

    DesktopApp.open(tmp_path / "home").close()
    app = DesktopApp.open(tmp_path / "home", lazy=True, clock=lambda: JUNE_13)
    holder = sqlite3.connect(app.library.paths.database, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM meta WHERE key = 'no such key'")
    busy = "The library is in use by another program: it is read again in a few seconds."
    try:
        window = show_main_window(app, tasks, "en")
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() == busy, timeout=30_000)
        assert window.workshops.empty_label.text() == busy
        assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    finally:
        holder.execute("COMMIT")
        holder.close()
    qtbot.waitUntil(lambda: window.workshops.model.rowCount() > 0, timeout=30_000)
    qtbot.waitUntil(lambda: window.counts_label.text() == "0 documents · 0 submissions", timeout=30_000)
    assert window.workshops.empty_label.isHidden()
    window.close()
    settle(qtbot, tasks)
    app.close()


def test_a_frame_closed_before_it_is_made_keeps_its_place(library: DesktopApp, qtbot: QtBot,
                                                         tasks: TaskManager) -> None:
    frame = MainWindow(library, tasks, build=False)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    assert frame.close()
    assert "geometry" in (library.paths.home / "window.ini").read_text(encoding="utf-8")


@pytest.fixture
def french_qt(qapp: QApplication) -> Iterator[None]:
    translators = install_qt_translations(qapp, "fr")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale("en"))


@pytest.mark.usefixtures("french_qt")
def test_qt_own_dialogs_speak_french_when_the_interface_is_french() -> None:
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuler"
    box.deleteLater()


def test_qt_own_dialogs_stay_english_in_english(qapp: QApplication) -> None:
    assert install_qt_translations(qapp, "en") == []
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
