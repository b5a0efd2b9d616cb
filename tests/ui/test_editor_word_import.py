"""Importing a Word draft from the editor: a preview before anything is replaced, Import or
Cancel, and the text not placed shown below the sections."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.word_draft import NOT_PLACED_KEY
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.tasks import TaskManager
from tests.support.word_drafts import write_draft
from tests.ui.editor_tools import INTEGRATION, close_view, on_disk, open_editor, shown_view

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def view(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[SubmissionsView]:
    shown = shown_view(qtbot, desktop, tasks)
    yield shown
    close_view(qtbot, shown, tasks)


def test_the_preview_shows_each_section_and_cancel_changes_nothing(
    qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView, tmp_path: Path
) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", "fr", "Politique d’intégration").id
    desktop.edit(sid, sections={"national_context": "Texte d’avant."})
    editor = open_editor(qtbot, view, sid)
    draft = write_draft("fr", tmp_path / "projet.docx")
    editor.word_importer.choose_path = lambda: draft
    qtbot.mouseClick(editor.import_docx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.word_importer.dialog is not None, timeout=10_000)
    dialog = editor.word_importer.dialog
    assert dialog is not None
    assert set(dialog.section_views) == {"national_context", "policy_framework", "partnerships",
                                         NOT_PLACED_KEY}
    incoming = dialog.section_views["national_context"].toPlainText()
    assert "Suisse accueille" in incoming
    assert "Projet à l’intention" in dialog.section_views[NOT_PLACED_KEY].toPlainText()
    assert dialog.cancel_button.isDefault()
    # The draft's table is not flattened silently.
    assert dialog.tables_label.isVisible()
    assert dialog.tables_label.text().startswith("1 table became lines of text")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.word_importer.dialog is None, timeout=5000)
    assert editor.sections["national_context"].markdown() == "Texte d’avant."
    assert NOT_PLACED_KEY not in editor.sections
    with on_disk(desktop) as other:
        assert other.submission(sid).text_of("national_context") == "Texte d’avant."


def test_import_replaces_the_sections_and_shows_the_text_not_placed(
    qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView, tmp_path: Path
) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", "es", "Política").id
    editor = open_editor(qtbot, view, sid)
    editor.word_importer.choose_path = lambda: write_draft("es", tmp_path / "borrador.docx")
    editor.import_docx_action.trigger()
    qtbot.waitUntil(lambda: editor.word_importer.dialog is not None, timeout=10_000)
    dialog = editor.word_importer.dialog
    assert dialog is not None
    with qtbot.waitSignal(editor.word_importer.sig_imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: NOT_PLACED_KEY in editor.sections, timeout=5000)
    assert "México acoge" in editor.sections["national_context"].edit.toPlainText()
    framework = editor.sections["policy_framework"].edit
    assert framework.document().findBlockByNumber(0).textList() is not None  # a real list
    waiting = editor.sections[NOT_PLACED_KEY]
    assert waiting.title == "Texto sin ubicar"
    # Not an optional section: the area to empty before the text can be sent.
    assert waiting.mark_label.text() == "to empty before sending"
    assert editor.sections["national_context"].mark_label.text() in ("required", "optional")
    assert "Borrador para el ministerio" in waiting.edit.toPlainText()
    with on_disk(desktop) as other:
        saved = other.submission(sid)
        assert "Monterrey" in saved.text_of("partnerships")
        assert "Anexo" in saved.text_of(NOT_PLACED_KEY)


def test_a_bad_file_is_refused_with_a_clear_message(
    qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView, tmp_path: Path
) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", "en", "Policy").id
    editor = open_editor(qtbot, view, sid)
    bad = tmp_path / "notes.docx"
    bad.write_text("not a Word file", encoding="utf-8")
    editor.word_importer.choose_path = lambda: bad
    with qtbot.waitSignal(editor.word_importer.sig_failed, timeout=10_000) as failed:
        editor.import_word_draft()
    assert "notes.docx" in str(failed.args[0])
    assert editor.word_importer.dialog is None
