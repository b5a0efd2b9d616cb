"""The documents table: a lazy model over ids, its columns, and the filters above it."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp, ImportOptions
from idm_desktop.core.documents import DocumentKind
from idm_desktop.core.i18n import set_ui_language
from idm_desktop.storage.documents import NewDocument, add_document
from idm_desktop.ui.library.columns import MIN_TITLE
from idm_desktop.ui.library.model import (
    DOCUMENT_ID_ROLE,
    PAGE_SIZE,
    PLACEHOLDER,
    Column,
    DocumentTableModel,
)
from idm_desktop.ui.library.terms import query_terms
from idm_desktop.ui.tasks import TaskManager
from tests.ui.library_support import (
    ETAT_FR,
    INTEGRATION_EN,
    LABOUR_EN,
    import_now,
    library_view,
    settle,
    write_text,
)

NOW = dt.datetime(2006, 6, 1, 9, 0, tzinfo=dt.UTC)


def _add_many(desktop: DesktopApp, count: int) -> list[str]:
    """``count`` documents straight into the database, in one session (quick)."""
    with desktop.db.session() as s:
        for n in range(count):
            digest = hashlib.sha256(f"doc {n}".encode()).hexdigest()
            add_document(s, NewDocument(
                symbol=f"MC/INF/{n:05d}", title=f"Information note {n}", workshop_id=None,
                kind=DocumentKind.BACKGROUND, language="en", sha256=digest, size=10,
                mime="text/plain", filename=f"note-{n}.txt", page_count=1 + n % 7,
                text=f"note number {n} about migration"), NOW)
    return desktop.document_ids()


def _cell(model: DocumentTableModel, row: int, column: Column) -> object:
    return model.data(model.index(row, column))


def test_an_empty_library_passes_the_model_tester(qtmodeltester: ModelTester, desktop: DesktopApp,
                                                  tasks: TaskManager) -> None:
    model = DocumentTableModel(desktop, tasks)
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    assert model.columnCount() == len(Column)


def test_rows_show_the_documents_facts(qtbot: QtBot, qtmodeltester: ModelTester, tmp_path: Path,
                                       desktop: DesktopApp, tasks: TaskManager) -> None:
    files = tmp_path / "files"
    [en] = import_now(desktop, [write_text(files, "IC-2006-4.en.txt", INTEGRATION_EN)],
                      ImportOptions(workshop_id="idm2006-integration", available=("en",)))
    [fr] = import_now(desktop, [write_text(files, "IC-2006-5.fr.txt", ETAT_FR)])
    model = DocumentTableModel(desktop, tasks)
    model.set_ids(desktop.document_ids())
    model.set_workshop_titles({"idm2006-integration": "Migrants and the Host Society"})

    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: not model.loading())
    qtmodeltester.check(model)

    row_en, row_fr = model.row_of(en.id), model.row_of(fr.id)
    assert row_en is not None
    assert row_fr is not None
    assert _cell(model, row_en, Column.SYMBOL) == "IC/2006/4"
    assert _cell(model, row_en, Column.WORKSHOP) == "Migrants and the Host Society"
    assert _cell(model, row_en, Column.LANGUAGE) == "English only"  # published in no other
    assert _cell(model, row_en, Column.PAGES) == en.page_count
    assert _cell(model, row_fr, Column.LANGUAGE) == "French"
    assert model.data(model.index(row_fr, Column.TITLE), DOCUMENT_ID_ROLE) == fr.id
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in Column] == [
        "Symbol", "Title", "Workshop", "Kind", "Language", "Pages"]


def test_many_rows_are_read_a_page_at_a_time(qtbot: QtBot, qtmodeltester: ModelTester,
                                             desktop: DesktopApp, tasks: TaskManager) -> None:
    ids = _add_many(desktop, 2000)
    model = DocumentTableModel(desktop, tasks)
    model.set_ids(ids)
    assert model.rowCount() == 2000

    # A row far down shows a placeholder until its page (and only its page) arrives.
    row = 1234
    assert _cell(model, row, Column.SYMBOL) == PLACEHOLDER
    assert model.document_at(row) is None
    with qtbot.waitSignal(model.sig_page_loaded) as blocker:
        pass
    assert blocker.args == [row // PAGE_SIZE]
    assert _cell(model, row, Column.SYMBOL) == f"MC/INF/{row:05d}"
    assert model.document_at(0) is None  # the first page was never asked for

    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: not model.loading(), timeout=20_000)
    _cell(model, 1999, Column.TITLE)  # the last page, read on demand
    qtbot.waitUntil(lambda: model.document_at(1999) is not None)
    assert _cell(model, 1999, Column.TITLE) == "Information note 1999"


def test_the_same_list_again_keeps_the_rows_read(qtbot: QtBot, desktop: DesktopApp,
                                                 tasks: TaskManager) -> None:
    ids = _add_many(desktop, 5)
    model = DocumentTableModel(desktop, tasks)
    model.set_ids(ids)
    _cell(model, 0, Column.SYMBOL)
    qtbot.waitUntil(lambda: not model.loading())
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_ids(list(ids))
    assert model.document_at(0) is not None
    with qtbot.waitSignal(model.modelReset):
        model.set_ids(ids[:2])
    assert model.rowCount() == 2


def test_filters_narrow_the_table(qtbot: QtBot, tmp_path: Path, desktop: DesktopApp,
                                  tasks: TaskManager) -> None:
    files = tmp_path / "files"
    import_now(desktop, [write_text(files, "IC-2006-4.en.txt", INTEGRATION_EN)],
               ImportOptions(workshop_id="idm2006-integration", kind=DocumentKind.DISCUSSION_NOTE))
    import_now(desktop, [write_text(files, "IC-2006-9.en.txt", LABOUR_EN)],
               ImportOptions(kind=DocumentKind.REPORT))
    import_now(desktop, [write_text(files, "IC-2006-5.fr.txt", ETAT_FR)])
    view = library_view(qtbot, desktop, tasks)
    bar = view.filter_bar
    assert view.model.rowCount() == 3

    with qtbot.waitSignal(view.sig_documents_listed):
        bar.language_combo.setCurrentIndex(bar.language_combo.findData("fr"))
    assert view.model.rowCount() == 1

    bar.reset()
    with qtbot.waitSignal(view.sig_documents_listed):
        bar.kind_combo.setCurrentIndex(bar.kind_combo.findData(DocumentKind.REPORT.value))
    assert view.model.rowCount() == 1
    assert desktop.document(view.model.id_at(0)).symbol == "IC/2006/9"

    bar.reset()
    workshop = bar.workshop_combo.findData("idm2006-integration")
    assert workshop > 0
    assert "Migrants and the Host Society" in bar.workshop_combo.itemText(workshop)
    with qtbot.waitSignal(view.sig_documents_listed):
        bar.workshop_combo.setCurrentIndex(workshop)
    assert [desktop.document(i).symbol for i in view.model.ids()] == ["IC/2006/4"]
    settle(qtbot, view)


def test_every_control_has_an_accessible_name(qtbot: QtBot, desktop: DesktopApp,
                                              tasks: TaskManager) -> None:
    view = library_view(qtbot, desktop, tasks)
    # Everything Tab can reach inside the page (popups of combo boxes are windows of their own).
    controls = [w for w in view.findChildren(QWidget)
                if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.window() is view]
    names = {w.objectName() for w in controls}
    assert {"library_search", "library_table", "library_results", "document_text", "document_pdf",
            "library_import", "import_cancel"} <= names
    unnamed = [f"{type(w).__name__} {w.objectName()}" for w in controls if not w.accessibleName()]
    assert not unnamed


def test_answers_arriving_after_the_view_is_gone_are_dropped(desktop: DesktopApp,
                                                             tasks: TaskManager) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from idm_desktop.ui.library.view import LibraryView

    _add_many(desktop, 300)
    view = LibraryView(desktop, tasks)
    view.refresh()
    view.model.set_ids(desktop.document_ids())
    for row in (0, 150, 299):
        view.model.data(view.model.index(row, 0))
    view.search.set_query("migration")
    view.search.search_now()
    gone: list[bool] = []
    view.destroyed.connect(lambda: gone.append(True))
    view.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert gone
    assert tasks.wait_idle(10_000)
    QApplication.processEvents()  # delivered to nobody, and no error


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_title_keeps_room_and_every_header_fits(qtbot: QtBot, tmp_path: Path, desktop: DesktopApp,
                                                    tasks: TaskManager, lang: str) -> None:
    set_ui_language(lang)
    import_now(desktop, [write_text(tmp_path / "files", "IC-2006-4-Annex-V.txt", INTEGRATION_EN)],
               ImportOptions(workshop_id="idm2006-indigenous", available=("en",)))
    view = library_view(qtbot, desktop, tasks)
    view.resize(1070, 760)  # the Library page of a 1280×800 window
    view.show()
    qtbot.waitExposed(view)
    settle(qtbot, view)
    table, header = view.table, view.table.horizontalHeader()
    assert table.columnWidth(Column.TITLE) >= MIN_TITLE
    assert not table.horizontalScrollBar().isVisible()  # every column on screen
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for column in Column:
        text = str(view.model.headerData(column, Qt.Orientation.Horizontal))
        need = header.fontMetrics().horizontalAdvance(text) + 2 * margin
        assert need <= header.sectionSize(column), (text, need, header.sectionSize(column))
    # A document open in the viewer, its hits counted, leaves the table its room too.
    with qtbot.waitSignal(view.viewer.sig_document_shown):
        view.viewer.show_document(view.model.id_at(0), query_terms("integration"))
    settle(qtbot, view)
    assert view.viewer.matches_label.isVisible()
    assert table.columnWidth(Column.TITLE) >= MIN_TITLE
    assert not table.horizontalScrollBar().isVisible()
    symbol = view.model.index(0, Column.SYMBOL)
    assert table.fontMetrics().horizontalAdvance(str(symbol.data())) < table.columnWidth(Column.SYMBOL)
