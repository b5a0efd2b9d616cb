"""Find and replace across the sections (Ctrl+F, Ctrl+H), zoom (remembered), and print through
the PDF, as a delegate uses them."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.config.settings import load_settings
from idm_desktop.ui.submissions.editor import SubmissionEditor
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import FIRST, INTEGRATION, SECOND, close_view, open_editor, shown_view

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def view(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[SubmissionsView]:
    shown = shown_view(qtbot, desktop, tasks)
    yield shown
    close_view(qtbot, shown, tasks)


@pytest.fixture
def editor(qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> SubmissionEditor:
    sub = desktop.new_submission(INTEGRATION, "CHE", "fr", "Intégration")
    desktop.edit(sub.id, {FIRST: "L’État soutient l’intégration. Les États cantonaux aussi.",
                          SECOND: "Etat de droit ; l’état des lieux ; étatique."})
    return open_editor(qtbot, view, sub.id)


def test_ctrl_f_finds_across_sections_accents_ignored_with_3_of_n(
        qtbot: QtBot, editor: SubmissionEditor) -> None:
    first = editor.sections[FIRST].edit
    bar = editor.tools.find_bar
    qtbot.keyClick(first, Qt.Key.Key_F, CTRL)
    assert bar.isVisible()
    assert bar.find_edit.hasFocus()
    assert not bar.replace_edit.isVisible()  # Ctrl+F: find only
    qtbot.keyClicks(bar.find_edit, "etat")
    assert len(bar.hits) == 5  # État, États; Etat, état, étatique: in both sections
    assert bar.count_label.text() == "1 of 5"
    assert first.textCursor().selectedText() == "État"  # the current match is selected
    assert len(first.extraSelections()) == 2  # and every match is marked
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)
    assert bar.count_label.text() == "3 of 5"
    second = editor.sections[SECOND].edit
    assert second.textCursor().selectedText() == "Etat"
    bar.previous_button.click()
    assert bar.count_label.text() == "2 of 5"
    bar.word_box.setChecked(True)
    assert len(bar.hits) == 3  # "États" and "étatique" are other words
    bar.accents_box.setChecked(True)
    bar.case_box.setChecked(True)
    assert [h.edit.toPlainText()[h.start:h.end] for h in bar.hits] == []  # "etat" nowhere as is
    bar.find_edit.setText("État")
    assert bar.count_label.text() == "1 of 1"
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert first.extraSelections() == []
    assert not first.textCursor().hasSelection()


def test_no_match_and_closing_leave_nothing_selected_or_marked(
        qtbot: QtBot, editor: SubmissionEditor) -> None:
    edits = [editor.sections[FIRST].edit, editor.sections[SECOND].edit]
    bar = editor.tools.find_bar
    qtbot.keyClick(edits[0], Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(bar.find_edit, "etat")
    for _ in range(3):  # a match shown in each section
        qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)
    assert edits[1].textCursor().hasSelection()
    assert not edits[0].textCursor().hasSelection()  # one match selected at a time
    bar.find_edit.setText("dakx")
    assert bar.count_label.text() == "No matches"
    assert [e.textCursor().hasSelection() for e in edits] == [False, False]
    assert [e.extraSelections() for e in edits] == [[], []]
    bar.find_edit.setText("lieux")
    assert edits[1].textCursor().selectedText() == "lieux"
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Escape)
    assert [e.textCursor().hasSelection() for e in edits] == [False, False]
    assert [e.extraSelections() for e in edits] == [[], []]


def test_replace_and_replace_all_one_undo_step_per_section(
        qtbot: QtBot, editor: SubmissionEditor, desktop: DesktopApp) -> None:
    first = editor.sections[FIRST].edit
    second = editor.sections[SECOND].edit
    bar = editor.tools.find_bar
    qtbot.keyClick(first, Qt.Key.Key_H, CTRL)
    assert bar.replace_edit.isVisible()
    bar.word_box.setChecked(True)
    bar.find_edit.setText("état")
    assert bar.count_label.text() == "1 of 3"
    bar.replace_edit.setText("Canton")
    bar.replace_button.click()  # replaces "État" in the first section, goes to the next
    assert first.markdown().startswith("L’Canton soutient")
    assert bar.count_label.text() == "1 of 2"
    assert second.textCursor().selectedText() == "Etat"
    assert bar.replace_all() == 2
    assert second.markdown() == "Canton de droit ; l’Canton des lieux ; étatique."
    assert bar.count_label.text() == "2 replaced"
    second.undo()  # Replace all was one step in this section
    assert second.markdown() == "Etat de droit ; l’état des lieux ; étatique."
    editor.save_now()
    qtbot.waitUntil(lambda: desktop.submission(editor.submission_id or "").text_of(FIRST)
                    .startswith("L’Canton"), timeout=5000)


def test_zoom_is_applied_to_every_section_and_remembered(
        qtbot: QtBot, editor: SubmissionEditor, desktop: DesktopApp, tasks: TaskManager) -> None:
    first = editor.sections[FIRST].edit
    size = first.font().pointSizeF()
    qtbot.keyClick(first, Qt.Key.Key_Plus, CTRL)
    qtbot.keyClick(first, Qt.Key.Key_Plus, CTRL)
    assert first.font().pointSizeF() == size + 2
    assert editor.sections[SECOND].edit.font().pointSizeF() == size + 2
    assert tasks.wait_idle(5000)
    assert load_settings(desktop.paths.settings).editor_zoom == 2
    qtbot.keyClick(first, Qt.Key.Key_Minus, CTRL)
    assert first.font().pointSizeF() == size + 1
    qtbot.keyClick(first, Qt.Key.Key_0, CTRL)
    assert first.font().pointSizeF() == size
    assert first.markdown().startswith("L’État")  # zoom is not an edit of the text


class _Opened(QObject):
    """Stands in for the desktop's PDF viewer: records what would be opened."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_print_writes_the_pdf_of_the_text_as_typed_and_opens_it(
        qtbot: QtBot, editor: SubmissionEditor) -> None:
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        first = editor.sections[FIRST].edit
        first.moveCursor(first.textCursor().MoveOperation.End)
        qtbot.keyClicks(first, " Imprimer")
        with qtbot.waitSignal(editor.tools.sig_printed, timeout=20_000) as printed:
            qtbot.keyClick(first, Qt.Key.Key_P, CTRL)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    path = Path(printed.args[0])
    assert [u.toLocalFile() for u in opened.urls] == [str(path)]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Imprimer" in text  # the text as typed, saved first
