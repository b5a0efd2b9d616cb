"""Keys in the editor and the window: undo and redo as each platform's users press them, and no
key of the window taken from the text (Ctrl+I is italic, not Import)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from idm_desktop.ui.submissions.text_edit import RichTextEdit
from tests.ui.editor_tools import type_text
from tests.ui.test_main_window import library, make_window

__all__ = ["library", "make_window"]

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
# The keys the text editor uses for itself (see RichTextEdit._command_for).
EDITOR_KEYS = ("Ctrl+B", "Ctrl+I", "Ctrl+K", "Ctrl+Z", "Ctrl+Y", "Ctrl+Shift+Z")


@pytest.fixture
def edit(qtbot: QtBot) -> RichTextEdit:
    widget = RichTextEdit()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setFocus()
    return widget


@pytest.mark.parametrize(("key", "mods"), [(Qt.Key.Key_Y, CTRL), (Qt.Key.Key_Z, CTRL | SHIFT)])
def test_ctrl_y_and_ctrl_shift_z_redo(qtbot: QtBot, edit: RichTextEdit,
                                      key: Qt.Key, mods: Qt.KeyboardModifier) -> None:
    type_text(edit, "Texto")
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)
    assert edit.markdown() == ""
    qtbot.keyClick(edit, key, mods)
    assert edit.markdown() == "Texto"


def test_no_window_shortcut_takes_a_key_of_the_text(make_window: Callable[[], object]) -> None:
    from PySide6.QtGui import QAction

    from idm_desktop.ui.main_window import MainWindow

    window = make_window()
    assert isinstance(window, MainWindow)
    assert window.action_import.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.action_import.shortcut().toString() == "Ctrl+O"
    # The Edit menu shows Ctrl+Z, Ctrl+Y, … beside its entries, but as widget shortcuts of the
    # menu itself: the keys stay the text's.
    taken = {s.toString() for a in window.findChildren(QAction) for s in a.shortcuts()
             if a.shortcutContext() != Qt.ShortcutContext.WidgetShortcut}
    assert not taken & set(EDITOR_KEYS), taken & set(EDITOR_KEYS)
    shown = {s.toString() for a in window.edit_menu.menu.actions() for s in a.shortcuts()}
    assert {"Ctrl+Z", "Ctrl+Y", "Ctrl+Shift+Z"} <= shown
