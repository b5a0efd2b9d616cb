"""The window as a keyboard and a screen reader meet it: Tab leaves every table, each filter is
announced with its label, every Tab stop shows the focus, and a PDF's text is there for
assistive technology. What is checked is what Qt's accessibility tree exposes, not the names set
in code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QImage
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QTableView, QWidget
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.ui.main_window import PAGE_LIBRARY, PAGE_SUBMISSIONS, PAGE_SYNC, PAGE_WORKSHOPS, MainWindow
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import INTEGRATION, open_editor
from tests.ui.library_support import import_now, library_view, settle, write_pdf

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    r"This plugin does not support raise\(\)",
)


@pytest.fixture
def window(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[MainWindow]:
    desktop.new_submission(INTEGRATION, "CHE", "fr", "Aperçu")
    shown = MainWindow(desktop, tasks)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(lambda: tasks.active() == 0, timeout=10_000)
    yield shown
    shown.close()
    qtbot.waitUntil(lambda: tasks.active() == 0, timeout=10_000)


def _focused() -> QWidget | None:
    return QApplication.focusWidget()


def test_tab_leaves_the_submissions_table(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page(PAGE_SUBMISSIONS)
    table = window.submissions.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.waitUntil(lambda: table.hasFocus())
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus(), "Tab moved from cell to cell instead of leaving the table"
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Backtab)
    assert not table.hasFocus(), "Shift+Tab stayed in the table"


def test_no_table_of_the_window_or_the_history_traps_tab(
        qtbot: QtBot, window: MainWindow, desktop: DesktopApp) -> None:
    for page in (PAGE_WORKSHOPS, PAGE_LIBRARY, PAGE_SUBMISSIONS, PAGE_SYNC):
        window.show_page(page)
    views = window.findChildren(QAbstractItemView)
    names = {v.objectName() for v in views}
    assert {"submissions_table", "conflicts_table", "outbox_table"} <= names
    sid = desktop.submissions()[0].id
    window.show_page(PAGE_SUBMISSIONS)
    editor = open_editor(qtbot, window.submissions, sid)
    qtbot.keyClick(editor.sections[next(iter(editor.sections))].edit, Qt.Key.Key_H,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: editor.history_dialog is not None and editor.history_dialog.isVisible(),
                    timeout=5000)
    dialog = editor.history_dialog
    assert dialog is not None
    views.append(dialog.table)
    trapping = [v.objectName() for v in views if isinstance(v, QTableView) and v.tabKeyNavigation()]
    assert not trapping, f"Tab cycles through the cells of {trapping}"
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.model.index(0, 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Tab)
    assert not dialog.table.hasFocus()
    dialog.reject()


def _label_of(widget: QWidget) -> str:
    """The text of the label assistive technology reads with ``widget`` (its Label relation)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None
    labels = [other.text(QAccessible.Text.Name)
              for other, _relation in iface.relations(QAccessible.RelationFlag.Label)]
    return " ".join(labels)


def test_every_filter_is_announced_with_its_label(window: MainWindow) -> None:
    combos = [*window.library.findChildren(QComboBox),
              *window.submissions.list_page.findChildren(QComboBox)]
    assert len(combos) == 5
    for combo in combos:
        label = _label_of(combo)
        assert label.strip(" :"), f"{combo.objectName() or combo.currentText()} has no linked label"
        assert label != combo.currentText()


def _looks(widget: QWidget) -> QImage:
    return widget.grab().toImage()


@pytest.mark.parametrize("where", ["workshop_detail", "editor_side_panel", "outbox_table"])
def test_each_tab_stop_shows_the_focus(qtbot: QtBot, window: MainWindow, where: str) -> None:
    if where == "editor_side_panel":
        window.show_page(PAGE_SUBMISSIONS)
        open_editor(qtbot, window.submissions, window.app.submissions()[0].id)
    else:
        window.show_page(PAGE_WORKSHOPS if where == "workshop_detail" else PAGE_SYNC)
    widget = window.findChild(QWidget, where)
    assert widget is not None
    assert widget.isVisible()
    assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, "not a Tab stop (the test is moot)"
    window.activateWindow()
    window.setFocus()
    qtbot.waitUntil(lambda: not widget.hasFocus())
    without = _looks(widget)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    assert _looks(widget) != without, f"{where} looks the same with and without the focus"


def test_a_pdf_offers_its_text_to_assistive_technology(
        qtbot: QtBot, tmp_path: Path, desktop: DesktopApp, tasks: TaskManager) -> None:
    pdf = write_pdf(tmp_path / "files" / "IC-2006-7.en.pdf", [
        "Discussion note on migration and development.",
        "Remittances sent home by migrant workers are private funds.",
    ])
    [doc] = import_now(desktop, [pdf])
    view = library_view(qtbot, desktop, tasks)
    view.show()
    with qtbot.waitSignal(view.viewer.sig_document_shown):
        view.open_document(doc.id)
    viewer = view.viewer
    assert viewer.stack.currentWidget() is viewer.pdf_view
    pages = QAccessible.queryAccessibleInterface(viewer.pdf_view)
    assert pages is not None
    assert "Text" in pages.text(QAccessible.Text.Description)  # says where the text is
    assert viewer.text_toggle.isVisible()
    toggle = QAccessible.queryAccessibleInterface(viewer.text_toggle)
    assert toggle is not None
    assert toggle.text(QAccessible.Text.Name)
    qtbot.mouseClick(viewer.text_toggle, Qt.MouseButton.LeftButton)
    assert viewer.stack.currentWidget() is viewer.text_view
    text = QAccessible.queryAccessibleInterface(viewer.text_view)
    assert text is not None
    assert text.textInterface() is not None
    exposed = text.textInterface().text(0, text.textInterface().characterCount())
    assert "Remittances sent home by migrant workers" in exposed
    qtbot.mouseClick(viewer.text_toggle, Qt.MouseButton.LeftButton)  # and back to the pages
    assert viewer.stack.currentWidget() is viewer.pdf_view
    settle(qtbot, view)
