"""The Edit menu of the main window acting on the focused section, and Find…/Replace…, zoom and
print reached from the menus, as a user who looks for them there would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.ui.edit_menu import EditMenu
from idm_desktop.ui.main_window import PAGE_LIBRARY, PAGE_SUBMISSIONS, MainWindow
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import FIRST, INTEGRATION, open_editor, type_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def choose(menu: EditMenu, action: QAction) -> None:
    """Open the menu (its entries are enabled for the focused field) and click ``action``."""
    menu.update_actions()
    assert action.isEnabled()
    action.trigger()


@pytest.fixture
def window(desktop: DesktopApp, qtbot: QtBot, tasks: TaskManager) -> Iterator[MainWindow]:
    shown = MainWindow(desktop, tasks)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    yield shown
    shown.close()
    qtbot.waitUntil(lambda: tasks.active() == 0, timeout=10_000)


def test_edit_menu_acts_on_the_focused_section(qtbot: QtBot, desktop: DesktopApp,
                                               window: MainWindow, tmp_path: Path) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", "en", "Integration").id
    window.show_page(PAGE_SUBMISSIONS)
    editor = open_editor(qtbot, window.submissions, sid)
    edit = editor.sections[FIRST].edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    type_text(edit, "Host society")
    menu = window.edit_menu
    menu.update_actions()
    assert menu.undo.isEnabled()
    assert not menu.cut.isEnabled()  # nothing selected yet
    assert [k.toString() for k in menu.redo.shortcuts()] == ["Ctrl+Y", "Ctrl+Shift+Z"]
    choose(menu, menu.select_all)
    menu.update_actions()
    assert menu.cut.isEnabled()
    choose(menu, menu.copy)
    assert QApplication.clipboard().text() == "Host society"
    choose(menu, menu.cut)
    assert edit.markdown() == ""
    choose(menu, menu.paste)
    choose(menu, menu.paste)
    assert edit.markdown() == "Host societyHost society"
    choose(menu, menu.undo)
    assert edit.markdown() == "Host society"
    choose(menu, menu.redo)
    assert edit.markdown() == "Host societyHost society"
    # Find… and Replace… open the editor's bar; zoom from the View menu.
    assert menu.find.isEnabled()
    assert menu.replace.isEnabled()
    menu.replace.trigger()
    assert editor.tools.find_bar.isVisible()
    assert editor.tools.find_bar.replace_edit.isVisible()
    size = edit.font().pointSizeF()
    window.zoom_actions[0].trigger()
    assert edit.font().pointSizeF() == size + 1
    window.zoom_actions[2].trigger()
    assert edit.font().pointSizeF() == size


def test_find_in_the_library_goes_to_its_search_and_replace_is_off(
        qtbot: QtBot, window: MainWindow) -> None:
    window.show_page(PAGE_LIBRARY)
    menu = window.edit_menu
    menu.update_actions()
    assert menu.find.isEnabled()
    assert not menu.replace.isEnabled()
    menu.find.trigger()
    qtbot.waitUntil(window.library.search_edit.hasFocus)


def test_the_file_menu_exports_to_word_and_imports_a_word_draft(
        qtbot: QtBot, desktop: DesktopApp, window: MainWindow, tmp_path: Path) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", "fr", "Intégration").id
    desktop.edit(sid, {FIRST: "Notre contexte national."})
    window.show_page(PAGE_LIBRARY)
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.aboutToShow.emit()
    assert not window.action_export_word.isEnabled()  # no submission open
    assert not window.action_import_word.isEnabled()
    window.show_page(PAGE_SUBMISSIONS)
    editor = open_editor(qtbot, window.submissions, sid)
    file_menu.aboutToShow.emit()
    texts = [a.text() for a in file_menu.actions()]
    assert "&Export to Word…" in texts
    assert "Import a &Word draft…" in texts
    assert window.action_export_word.shortcut().toString() == "Ctrl+Shift+E"  # the editor's key
    assert window.action_quit.shortcut().toString() == "Ctrl+Q"  # Windows has no standard key
    # The editor's button says what the menu says (not "Export DOCX…").
    assert editor.export_docx_button.text() == window.action_export_word.text().replace("&", "")
    assert editor.data is not None
    assert editor.data.deadline.startswith("Due\u00a0")
    assert " " not in editor.data.deadline  # "Due 26 June 2006" never wraps inside
    assert window.action_export_word.isEnabled()
    out = tmp_path / "overview.docx"
    editor.exporter.choose_path = lambda _fmt, _suggested: out
    window.action_export_word.trigger()
    qtbot.waitUntil(out.exists, timeout=30_000)
    assert out.read_bytes()[:2] == b"PK"
    asked: list[str] = []
    editor.word_importer.choose_path = lambda: asked.append("asked") or None  # the user cancels
    assert window.action_import_word.isEnabled()
    window.action_import_word.trigger()
    assert asked == ["asked"]
