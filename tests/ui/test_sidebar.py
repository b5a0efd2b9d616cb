"""The sidebar: an icon for each view, counts where they help (and said to a screen reader),
names that fit in every language, icons that follow the theme; and one type scale in the window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import _, set_ui_language
from idm_desktop.ui.formatting import TextSize, luminance
from idm_desktop.ui.main_window import PAGE_LIBRARY, PAGE_SUBMISSIONS, PAGE_SYNC, MainWindow
from idm_desktop.ui.sidebar import Sidebar, draw_icon
from idm_desktop.ui.sync.state import SyncState
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import open_editor
from tests.ui.library_support import import_now, write_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

JUNE_13 = dt.datetime(2006, 6, 13, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, tasks: TaskManager) -> Iterator[MainWindow]:
    app = DesktopApp.open(tmp_path / "home", clock=lambda: JUNE_13)
    import_now(app, [write_text(tmp_path / "files", f"note{n}.txt", f"Note {n} on migration.\n")
                     for n in (1, 2)])
    app.new_submission("idm2006-integration", "CHE", "fr", "Aperçu")
    shown = MainWindow(app, tasks)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    qtbot.waitUntil(lambda: tasks.active() == 0, timeout=10_000)
    yield shown
    shown.close()
    qtbot.waitUntil(lambda: tasks.active() == 0, timeout=10_000)
    app.close()


def _spoken(window: MainWindow) -> list[str]:
    """What the accessibility tree says for each entry of the navigation."""
    iface = QAccessible.queryAccessibleInterface(window.nav)
    assert iface is not None
    names = []
    for i in range(iface.childCount()):
        child = iface.child(i)
        if child is not None and child.role() == QAccessible.Role.ListItem:
            names.append(child.text(QAccessible.Text.Name))
    return names


def test_each_view_has_an_icon(window: MainWindow) -> None:
    for row in range(window.nav.count()):
        assert not window.nav.item(row).icon().isNull(), window.nav.item(row).text()


def test_the_sidebar_counts_documents_submissions_and_what_waits(window: MainWindow) -> None:
    nav = window.nav
    assert isinstance(nav, Sidebar)
    assert nav.count_of(PAGE_LIBRARY) == 2
    assert nav.count_of(PAGE_SUBMISSIONS) == 1
    spoken = _spoken(window)
    assert spoken[PAGE_LIBRARY] == "Library, 2 documents"
    assert spoken[PAGE_SUBMISSIONS] == "Submissions, 1 submission"
    window.sync.sig_state_changed.emit(SyncState(signed_in=True, waiting=3))
    assert nav.count_of(PAGE_SYNC) == 3
    assert _spoken(window)[PAGE_SYNC] == "Sync, 3 waiting"
    window.sync.sig_state_changed.emit(SyncState(signed_in=True, waiting=3, conflicts=1))
    assert nav.count_of(PAGE_SYNC) == 1  # what needs the user comes first
    assert _spoken(window)[PAGE_SYNC] == "Sync, 1 conflict"
    window.sync.sig_state_changed.emit(SyncState(signed_in=True))
    assert nav.count_of(PAGE_SYNC) == 0
    assert _spoken(window)[PAGE_SYNC] == "Sync"


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_names_fit_with_their_counts_in_every_language(qtbot: QtBot, lang: str) -> None:
    set_ui_language(lang)
    nav = Sidebar((("workshops", _("Workshops")), ("library", _("Library")),
                   ("submissions", _("Submissions")), ("sync", _("Sync"))))
    qtbot.addWidget(nav)
    for row in range(nav.count()):
        nav.set_count(row, 999)
    nav.show()
    assert nav.sizeHintForColumn(0) <= nav.viewport().width(), [nav.item(r).text() for r in range(4)]
    assert nav.width() <= 240  # compact: the views keep the room


def _brightest_stroke(kind: str, palette: QPalette) -> float:
    image = draw_icon(kind, palette.color(QPalette.ColorRole.WindowText)).toImage()
    strokes = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    return max(luminance(QColor(c.red(), c.green(), c.blue())) for c in strokes if c.alpha() > 200)


def test_the_icons_are_drawn_in_the_themes_text_colour(qapp: QApplication) -> None:
    light = qapp.style().standardPalette()
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8e8e8"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    for kind in ("workshops", "library", "submissions", "sync"):
        assert _brightest_stroke(kind, dark) > 0.6 > _brightest_stroke(kind, light)


def test_the_window_keeps_to_one_type_scale(qtbot: QtBot, window: MainWindow) -> None:
    """Headings, titles and figures in a few steps of one scale, the same in every view."""
    base = QApplication.font().pointSizeF()
    steps = {1.0} | {size.value for size in TextSize}
    window.show_page(PAGE_SUBMISSIONS)
    open_editor(qtbot, window.submissions, window.app.submissions()[0].id)
    sizes: dict[float, list[str]] = {}
    for widget in window.findChildren(QWidget):
        if isinstance(widget, (QLabel, QLineEdit)) and widget.font().pointSizeF() > 0:
            ratio = round(widget.font().pointSizeF() / base, 2)
            sizes.setdefault(ratio, []).append(widget.objectName() or type(widget).__name__)
    assert set(sizes) <= steps, {r: names[:3] for r, names in sizes.items() if r not in steps}
    assert len(sizes) >= 4  # the scale is used: page heading, titles, sections, the gauge
