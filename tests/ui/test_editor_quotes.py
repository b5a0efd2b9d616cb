"""Typographic apostrophes and quotes as the delegate types, as Word's autocorrect puts them: in
the text's language, and one Ctrl+Z gives the straight mark back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import FIRST, INTEGRATION, close_view, open_editor, shown_view, type_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
NBSP = "\u00a0"


@pytest.fixture
def view(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[SubmissionsView]:
    shown = shown_view(qtbot, desktop, tasks)
    yield shown
    close_view(qtbot, shown, tasks)


@pytest.mark.parametrize(("lang", "typed", "shown"), [
    ("en", 'The State\'s "whole-of-government" approach', "The State’s “whole-of-government” approach"),
    ("fr", 'L\'État dit "oui" et "non "', f"L’État dit «{NBSP}oui{NBSP}» et «{NBSP}non{NBSP}»"),
    ("es", 'El "enfoque" del Estado', "El «enfoque» del Estado"),
])
def test_straight_marks_become_the_language_s(qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView,
                                              lang: str, typed: str, shown: str) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", lang, "Overview").id
    edit = open_editor(qtbot, view, sid).sections[FIRST].edit
    edit.setFocus()
    type_text(edit, typed)
    assert edit.markdown() == shown  # saved as shown: the no-break spaces too


def test_one_ctrl_z_gives_the_straight_mark_back(qtbot: QtBot, desktop: DesktopApp,
                                                 view: SubmissionsView) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", "en", "Overview").id
    editor = open_editor(qtbot, view, sid)
    edit = editor.sections[FIRST].edit
    edit.setFocus()
    type_text(edit, "It's")
    assert edit.toPlainText() == "It’s"
    type_text(edit, " 5'")
    assert edit.toPlainText() == "It’s 5’"
    QTest.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert edit.toPlainText() == "It’s 5'"  # the autocorrection undone, the typing kept
    # What is saved is what is shown.
    editor.saver.flush()
    qtbot.waitUntil(lambda: desktop.submission(sid).text_of(FIRST) == "It’s 5'", timeout=10_000)


def test_french_punctuation_after_a_space_gets_a_no_break_space_one_ctrl_z_undoes_it(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", "fr", "Aperçu").id
    edit = open_editor(qtbot, view, sid).sections[FIRST].edit
    edit.setFocus()
    type_text(edit, "Pourquoi ? Oui ; voici : http://x.org !")
    text = edit.document().toRawText  # toPlainText() would turn U+00A0 into a space
    assert text() == "Pourquoi\u202f? Oui\u202f; voici\u00a0: http://x.org\u202f!"
    QTest.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert text() == "Pourquoi\u202f? Oui\u202f; voici\u00a0: http://x.org !"


def test_english_punctuation_is_left_as_typed(qtbot: QtBot, desktop: DesktopApp,
                                              view: SubmissionsView) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", "en", "Overview").id
    edit = open_editor(qtbot, view, sid).sections[FIRST].edit
    edit.setFocus()
    type_text(edit, "Why ? Yes : no")
    assert edit.toPlainText() == "Why ? Yes : no"
