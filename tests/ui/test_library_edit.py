"""Correcting a document's details from the Library: F2 (or Details…) opens them, Save writes
them through the app, and the table, the viewer and the workshop's list follow."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.documents import DocumentKind
from idm_desktop.core.i18n import set_ui_language
from idm_desktop.ui.library.model import Column
from idm_desktop.ui.tasks import TaskManager
from tests.ui.library_support import import_now, library_view, settle, write_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_f2_opens_the_details_and_save_corrects_them(qtbot: QtBot, tmp_path: Path,
                                                       desktop: DesktopApp, tasks: TaskManager) -> None:
    [doc] = import_now(desktop, [write_text(tmp_path / "files", "IC-2006-4-Annex-II.en.txt",
                                            "Terms of reference of the Business Advisory Board.")])
    assert doc.workshop_id is None
    view = library_view(qtbot, desktop, tasks)
    view.show()
    qtbot.waitExposed(view)
    assert not view.edit_button.isEnabled()
    with qtbot.waitSignal(view.viewer.sig_document_shown):
        view.table.selectRow(0)
    assert view.edit_button.isEnabled()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: view.editing.dialog is not None and view.editing.dialog.isVisible())
    dialog = view.editing.dialog
    assert dialog is not None
    assert dialog.title_edit.text() == doc.title
    assert dialog.workshop_combo.currentData() is None

    dialog.title_edit.setText("Business Advisory Board: terms of reference")
    dialog.workshop_combo.setCurrentIndex(dialog.workshop_combo.findData("idm2006-integration"))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(DocumentKind.ANNEX.value))
    dialog.language_boxes["en"].setChecked(True)
    with qtbot.waitSignal(view.editing.sig_document_edited, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    settle(qtbot, view)
    qtbot.waitUntil(lambda: view.editing.dialog is None)

    saved = desktop.document(doc.id)
    assert (saved.title, saved.workshop_id, saved.kind, saved.languages_available) == (
        "Business Advisory Board: terms of reference", "idm2006-integration", DocumentKind.ANNEX,
        ("en",))
    row = view.model.row_of(doc.id)
    assert row is not None
    cells = [view.model.index(row, c).data() for c in Column]
    assert cells[Column.TITLE] == "Business Advisory Board: terms of reference"
    assert cells[Column.KIND] == "Annex"
    assert cells[Column.LANGUAGE] == "English only"
    assert cells[Column.WORKSHOP]  # the workshop's title
    assert "English only" in view.viewer.facts_label.text()
    assert view.viewer.title_label.text() == "Business Advisory Board: terms of reference"


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_an_empty_title_cannot_be_saved(qtbot: QtBot, tmp_path: Path, desktop: DesktopApp,
                                        tasks: TaskManager, lang: str) -> None:
    set_ui_language(lang)
    import_now(desktop, [write_text(tmp_path / "files", "IC-2006-4-Annex-II.en.txt", "Terms.")])
    view = library_view(qtbot, desktop, tasks)
    with qtbot.waitSignal(view.viewer.sig_document_shown):
        view.table.selectRow(0)
    view.edit_document()
    qtbot.waitUntil(lambda: view.editing.dialog is not None)
    dialog = view.editing.dialog
    assert dialog is not None
    dialog.title_edit.setText("   ")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    dialog.reject()
    qtbot.waitUntil(lambda: view.editing.dialog is None)
    settle(qtbot, view)
