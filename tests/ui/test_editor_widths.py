"""The editor at common window sizes (1280×800, 1366×768) in English, French and Spanish: the
title field takes the whole width, the writing column is a comfortable width that grows with the
window up to a reading measure, and the Find bar neither squeezes its buttons nor overflows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QPushButton
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import set_ui_language
from idm_desktop.ui.main_window import PAGE_SUBMISSIONS, MainWindow
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import FIRST, INTEGRATION, open_editor

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(params=["en", "fr", "es"])
def window(request: pytest.FixtureRequest, desktop: DesktopApp, qtbot: QtBot,
           tasks: TaskManager) -> Iterator[MainWindow]:
    set_ui_language(request.param)
    shown = MainWindow(desktop, tasks)
    qtbot.addWidget(shown)
    yield shown
    shown.close()
    qtbot.waitUntil(lambda: tasks.active() == 0, timeout=10_000)
    set_ui_language("en")


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768), (1920, 1080)])
def test_title_column_and_find_bar_fit(qtbot: QtBot, desktop: DesktopApp, window: MainWindow,
                                       size: tuple[int, int]) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", "fr").id
    desktop.edit(sid, {FIRST: "Texte."})
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(PAGE_SUBMISSIONS)
    editor = open_editor(qtbot, window.submissions, sid)
    assert window.review_dock.isVisible()  # the tightest case: the Review pane open beside it
    editor.tools.open_find(True)
    QApplication.processEvents()
    # The title: a line of its own, as wide as the editor.
    assert editor.title_edit.width() >= editor.width() - 40
    # The writing column: at least about 55 characters a line, at most the reading measure, and
    # wider in a wider window.
    edit = editor.sections[FIRST].edit
    x_width = edit.fontMetrics().horizontalAdvance("x")
    assert edit.width() >= 55 * x_width, edit.width()
    assert editor.sections_host.width() <= editor.reading_width()
    # The Find bar: no button below the width its label needs, nothing past the bar's edge.
    bar = editor.tools.find_bar
    for button in bar.findChildren(QAbstractButton):
        if isinstance(button, QPushButton | QCheckBox):  # labels (the arrows are fixed icons)
            assert button.width() >= button.sizeHint().width(), button.text()
        right = button.mapTo(bar, button.rect().topRight()).x()
        assert right <= bar.width(), button.text()
    assert bar.find_edit.width() >= bar.find_edit.minimumWidth()
    assert bar.width() <= editor.width()
