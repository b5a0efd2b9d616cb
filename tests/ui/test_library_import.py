"""Importing in the Library: drop files or choose them, see "n of m", cancel, read the summary."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp, ImportResult, importing
from idm_desktop.ui.library.importer import ImportOutcome
from idm_desktop.ui.library.view import LibraryView
from idm_desktop.ui.tasks import TaskManager
from tests.ui.library_support import INTEGRATION_EN, LABOUR_EN, library_view, settle, write_text


def _drop(view: LibraryView, paths: list[Path]) -> bool:
    """Drag ``paths`` from a file manager onto the view; True if the view accepted the drag."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(600, 400), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(600, 400), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, drop)
    return drop.isAccepted()


def test_dropped_files_are_imported(qtbot: QtBot, tmp_path: Path, desktop: DesktopApp,
                                    tasks: TaskManager) -> None:
    files = [write_text(tmp_path / "in", "IC-2006-4.en.txt", INTEGRATION_EN),
             write_text(tmp_path / "in", "IC-2006-9.en.txt", LABOUR_EN)]
    view = library_view(qtbot, desktop, tasks)
    assert view.model.rowCount() == 0
    with qtbot.waitSignals([view.sig_library_changed, view.sig_documents_listed],
                           timeout=20_000):
        assert _drop(view, files)
    assert sorted(d.symbol for d in desktop.documents()) == ["IC/2006/4", "IC/2006/9"]
    assert view.model.rowCount() == 2
    assert view.importer.summary_label.text() == "2 documents imported."
    assert not view.importer.failures_view.isVisibleTo(view)
    assert not view.importer.progress_frame.isVisibleTo(view)
    view.importer.close_button.click()
    assert not view.importer.isVisibleTo(view)
    settle(qtbot, view)


def test_a_drag_without_files_is_refused(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> None:
    view = library_view(qtbot, desktop, tasks)
    mime = QMimeData()
    mime.setText("just words")
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, enter)
    assert not enter.isAccepted()


def test_a_hostile_file_is_reported_and_nothing_is_imported(qtbot: QtBot, tmp_path: Path,
                                                            desktop: DesktopApp,
                                                            tasks: TaskManager) -> None:
    empty = tmp_path / "in" / "IC-2006-3.pdf"
    empty.parent.mkdir()
    empty.write_bytes(b"")
    view = library_view(qtbot, desktop, tasks)
    changed: list[bool] = []
    view.sig_library_changed.connect(lambda: changed.append(True))
    with qtbot.waitSignal(view.importer.sig_import_finished, timeout=20_000) as finished:
        view.import_files([empty])
    outcome: ImportOutcome = finished.args[0]
    assert not outcome.imported
    [failure] = outcome.failed
    assert failure.error is not None
    assert "IC-2006-3.pdf" in failure.error
    assert "empty" in failure.error
    assert "\n" not in failure.error
    assert view.importer.summary_label.text() == (
        "0 documents imported. 1 file could not be imported:")
    assert view.importer.failures_view.toPlainText() == failure.error
    assert view.importer.failures_view.isVisibleTo(view)
    assert desktop.documents() == []
    assert not changed
    assert QApplication.activeModalWidget() is None
    settle(qtbot, view)


def test_cancel_stops_a_multi_file_import(qtbot: QtBot, tmp_path: Path, desktop: DesktopApp,
                                          tasks: TaskManager, monkeypatch: pytest.MonkeyPatch) -> None:
    files = [write_text(tmp_path / "in", f"IC-2006-{n}.en.txt", f"Document {n}. " + LABOUR_EN)
             for n in range(1, 13)]
    # The import waits after its first file until the test has pressed Cancel, so the test
    # does not race the import.
    pressed = threading.Event()
    real_read_one = importing._read_one
    calls = [0]

    def read_one(*args: Any) -> ImportResult | None:
        calls[0] += 1
        if calls[0] == 2:
            assert pressed.wait(60)  # generous: a loaded machine is slow to press
        return real_read_one(*args)

    monkeypatch.setattr(importing, "_read_one", read_one)
    monkeypatch.setattr(importing, "IMPORT_BATCH", 1)  # each file written as soon as it is read
    view = library_view(qtbot, desktop, tasks)
    importer = view.importer
    view.import_files(files)
    assert importer.isVisibleTo(view)
    qtbot.waitUntil(lambda: importer.progress_bar.value() == 1)
    assert importer.progress_bar.format() == "1 of 12"
    assert importer.progress_bar.maximum() == 12
    with qtbot.waitSignal(importer.sig_import_finished, timeout=20_000) as finished:
        qtbot.mouseClick(importer.cancel_button, Qt.MouseButton.LeftButton)
        pressed.set()
    outcome: ImportOutcome = finished.args[0]
    assert outcome.cancelled
    assert calls[0] == 2  # no file after the one being read when Cancel was pressed
    # The file being read then is written (or reported, if it failed): what was imported stays.
    assert [r.path.name for r in outcome.results] == ["IC-2006-1.en.txt", "IC-2006-2.en.txt"], [
        (r.path.name, r.error) for r in outcome.results]
    n = len(outcome.imported)
    assert n >= 1
    assert len(desktop.documents()) == n
    documents = "1 document imported." if n == 1 else f"{n} documents imported."
    assert importer.summary_label.text().startswith(f"Import cancelled. {documents}")
    assert "10 files were not read." in importer.summary_label.text()
    qtbot.waitUntil(lambda: view.model.rowCount() == n)
    settle(qtbot, view)


def test_chosen_files_are_imported_and_duplicates_skipped(qtbot: QtBot, tmp_path: Path,
                                                          desktop: DesktopApp, tasks: TaskManager,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first = write_text(tmp_path / "in", "IC-2006-4.en.txt", INTEGRATION_EN)
    copy = write_text(tmp_path / "other", "copy.txt", INTEGRATION_EN)
    asked: list[str] = []

    def choose(_parent: object, _caption: str, _folder: str, filters: str) -> tuple[list[str], str]:
        asked.append(filters)
        return [str(first), str(copy)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    view = library_view(qtbot, desktop, tasks)
    with qtbot.waitSignal(view.sig_library_changed, timeout=20_000):
        view.choose_files_to_import()
    assert "*.pdf" in asked[0]
    assert "*.docx" in asked[0]
    assert "*.txt" in asked[0]
    assert "*.md" in asked[0]
    assert view.importer.summary_label.text() == (
        "1 document imported. 1 file was already in the library and was skipped.")
    assert len(desktop.documents()) == 1
    settle(qtbot, view)


def test_files_dropped_during_an_import_follow_it(qtbot: QtBot, tmp_path: Path, desktop: DesktopApp,
                                                  tasks: TaskManager) -> None:
    first = write_text(tmp_path / "in", "IC-2006-4.en.txt", INTEGRATION_EN)
    second = write_text(tmp_path / "in", "IC-2006-9.en.txt", LABOUR_EN)
    view = library_view(qtbot, desktop, tasks)
    with qtbot.waitSignal(view.importer.sig_import_finished, timeout=20_000) as finished:
        view.import_files([first])
        view.import_files([second])
    outcome: ImportOutcome = finished.args[0]
    assert len(outcome.imported) == 2
    assert len(desktop.documents()) == 2
    settle(qtbot, view)
