"""Exporting from the editor: what was typed a moment ago is in the file, the work runs off
the GUI thread, and the file can be opened from the status line."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.ui.submissions.exporting import default_filename
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import FIRST, INTEGRATION, close_view, open_editor, shown_view, type_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def view(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[SubmissionsView]:
    shown = shown_view(qtbot, desktop, tasks)
    yield shown
    close_view(qtbot, shown, tasks)


def _pdf_text(path: Path) -> str:
    pdf = pypdfium2.PdfDocument(path)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def test_ctrl_e_exports_a_pdf_with_what_was_just_typed(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView, tmp_path: Path) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", "fr", "Politique d’intégration").id
    editor = open_editor(qtbot, view, sid)
    asked: list[tuple[str, str]] = []

    def choose(fmt: str, suggested: str) -> Path:
        asked.append((fmt, suggested))
        return tmp_path / "sortie"  # the extension is added

    editor.exporter.choose_path = choose
    edit = editor.sections[FIRST].edit
    type_text(edit, "Un texte tapé à l’instant.")
    with qtbot.waitSignal(editor.exporter.sig_finished, timeout=15_000) as done:
        qtbot.keyClick(edit, Qt.Key.Key_E, CTRL)  # no pause: the save goes first
    assert asked == [("pdf", "Politique d’intégration.pdf")]
    path = done.args[0]
    assert path == tmp_path / "sortie.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    assert "Un texte tapé à l’instant." in _pdf_text(path)
    assert editor.open_button.isVisible()
    assert editor.export_label.text() == "Exported to sortie.pdf"


def test_the_docx_button_exports_a_word_document(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView, tmp_path: Path) -> None:
    sid = desktop.new_submission(INTEGRATION, "MEX", "es", "Integración").id
    editor = open_editor(qtbot, view, sid)
    editor.exporter.choose_path = lambda fmt, suggested: tmp_path / suggested
    type_text(editor.sections[FIRST].edit, "¿Cómo acompañar?")
    with qtbot.waitSignal(editor.exporter.sig_finished, timeout=15_000) as done:
        qtbot.mouseClick(editor.export_docx_button, Qt.MouseButton.LeftButton)
    path = done.args[0]
    assert path.name == "Integración.docx"
    with zipfile.ZipFile(path) as docx:
        assert "¿Cómo acompañar?" in docx.read("word/document.xml").decode("utf-8")


def test_a_cancelled_file_choice_exports_nothing(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    sid = desktop.new_submission(INTEGRATION, "MEX", "es").id
    editor = open_editor(qtbot, view, sid)
    editor.exporter.choose_path = lambda fmt, suggested: None
    with qtbot.assertNotEmitted(editor.exporter.sig_started):
        editor.export("pdf")
    assert not editor.open_button.isVisible()


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Politique d’intégration", "Politique d’intégration.pdf"),
        ('Plan 2006/2007: "draft"?', "Plan 2006 2007 draft.pdf"),
        ("   ", "submission.pdf"),
        ("...", "submission.pdf"),
    ],
)
def test_default_file_name_comes_from_the_title(title: str, name: str) -> None:
    assert default_filename(title, "pdf") == name


def test_the_export_line_is_cleared_when_another_submission_opens(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView, tmp_path: Path) -> None:
    first = desktop.new_submission(INTEGRATION, "MEX", "es", "Integración").id
    second = desktop.new_submission(INTEGRATION, "CHE", "fr", "Intégration").id
    editor = open_editor(qtbot, view, first)
    editor.exporter.choose_path = lambda fmt, suggested: tmp_path / suggested
    with qtbot.waitSignal(editor.exporter.sig_finished, timeout=15_000):
        editor.export("pdf")
    assert editor.export_label.text() == "Exported to Integración.pdf"
    assert editor.open_button.isVisible()

    open_editor(qtbot, view, second)
    assert editor.export_label.text() == ""
    assert not editor.open_button.isVisible()


def test_an_export_finishing_after_another_submission_opened_is_not_shown(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView, tmp_path: Path) -> None:
    first = desktop.new_submission(INTEGRATION, "MEX", "es", "Integración").id
    second = desktop.new_submission(INTEGRATION, "CHE", "fr", "Intégration").id
    editor = open_editor(qtbot, view, first)
    editor.exporter.choose_path = lambda fmt, suggested: tmp_path / suggested
    with qtbot.waitSignal(editor.exporter.sig_finished, timeout=15_000):
        editor.export("pdf")
        open_editor(qtbot, view, second)  # while the file is written
    assert (tmp_path / "Integración.pdf").is_file()
    assert editor.submission_id == second
    assert not editor.export_label.text().startswith("Exported to")
    assert not editor.open_button.isVisible()
