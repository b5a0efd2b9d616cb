"""Find in the open document (Ctrl+F in the viewer): its text and a PDF's pages, "3 of 9"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.ui.tasks import TaskManager
from tests.ui.library_support import ETAT_FR, import_now, library_view, settle, write_pdf, write_text

CTRL = Qt.KeyboardModifier.ControlModifier


def test_ctrl_f_in_a_text_document_finds_in_it_accents_ignored(
        qtbot: QtBot, tmp_path: Path, desktop: DesktopApp, tasks: TaskManager) -> None:
    [doc] = import_now(desktop, [write_text(tmp_path / "files", "IC-2006-5.fr.txt", ETAT_FR)])
    view = library_view(qtbot, desktop, tasks)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    viewer = view.viewer
    with qtbot.waitSignal(viewer.sig_document_shown):
        view.open_document(doc.id)
    viewer.text_view.setFocus()
    qtbot.waitUntil(viewer.text_view.hasFocus)
    qtbot.keyClick(viewer.text_view, Qt.Key.Key_F, CTRL)
    assert viewer.find_edit.hasFocus()  # not the library's search box
    qtbot.keyClicks(viewer.find_edit, "etat")
    text = viewer.text_view.toPlainText()
    marked = [text[s:s + n] for s, n in viewer.highlights()]
    assert marked
    assert all(m.lower() in {"état", "etat", "états", "etats"} or m.lower().startswith("état")
               for m in marked)
    n = len(marked)
    assert viewer.matches_label.text().startswith(f"1 of {n}")
    assert viewer.text_view.textCursor().selectedText() == marked[0]  # the current one selected
    if n > 1:
        qtbot.keyClick(viewer.find_edit, Qt.Key.Key_Return)
        assert viewer.matches_label.text().startswith(f"2 of {n}")
    viewer.find_edit.clear()
    assert viewer.highlights() == []
    settle(qtbot, view)


def test_find_in_a_pdf_goes_to_the_page_of_the_match(
        qtbot: QtBot, tmp_path: Path, desktop: DesktopApp, tasks: TaskManager) -> None:
    pdf = write_pdf(tmp_path / "files" / "IC-2006-7.en.pdf", [
        "Discussion note on migration.",
        "Remittances sent home by migrant workers.",
        "Annex: list of participants. More participants.",
    ])
    [doc] = import_now(desktop, [pdf])
    view = library_view(qtbot, desktop, tasks)
    viewer = view.viewer
    with qtbot.waitSignal(viewer.sig_document_shown):
        view.open_document(doc.id)
    assert viewer.stack.currentWidget() is viewer.pdf_view
    viewer.find_edit.setText("participants")
    qtbot.waitUntil(lambda: viewer.pdf_search.count() == 2)
    qtbot.waitUntil(lambda: viewer.pdf_view.pageNavigator().currentPage() == 2)
    assert viewer.matches_label.text().startswith("1 of 2")
    assert viewer.pdf_view.currentSearchResultIndex() == 0  # the current hit is marked
    qtbot.keyClick(viewer.find_edit, Qt.Key.Key_Return)
    assert viewer.matches_label.text().startswith("2 of 2")
    assert viewer.pdf_view.currentSearchResultIndex() == 1
    settle(qtbot, view)


pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
