"""The Library's viewer: text with the search hits highlighted, PDFs in QPdfView, the facts above."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp, ImportOptions
from idm_desktop.core.documents import Document
from idm_desktop.ui.library.view import LibraryView
from idm_desktop.ui.tasks import TaskManager
from tests.ui.library_support import (
    ETAT_FR,
    INTEGRATION_EN,
    LABOUR_EN,
    import_now,
    library_view,
    settle,
    write_pdf,
    write_text,
)


@pytest.fixture
def docs(tmp_path: Path, desktop: DesktopApp) -> dict[str, Document]:
    files = tmp_path / "files"
    [en] = import_now(desktop, [write_text(files, "IC-2006-4.en.txt", INTEGRATION_EN)],
                      ImportOptions(available=("en",)))
    labour, fr = import_now(desktop, [write_text(files, "IC-2006-9.en.txt", LABOUR_EN),
                                      write_text(files, "IC-2006-5.fr.txt", ETAT_FR)])
    return {"en": en, "labour": labour, "fr": fr}


def _search(qtbot: QtBot, view: LibraryView, query: str) -> None:
    with qtbot.waitSignal(view.search.sig_hits_found, check_params_cb=lambda q, _h: q == query):
        view.search_edit.setText(query)


def _marked(view: LibraryView) -> list[str]:
    text = view.viewer.text_view.toPlainText()
    return [text[start:start + length] for start, length in view.viewer.highlights()]


def test_open_document_shows_its_text_at_the_first_hit(qtbot: QtBot, desktop: DesktopApp,
                                                       tasks: TaskManager,
                                                       docs: dict[str, Document]) -> None:
    view = library_view(qtbot, desktop, tasks)
    _search(qtbot, view, "integration")
    en = docs["en"]
    with qtbot.waitSignal(view.viewer.sig_document_shown) as shown:
        view.open_document(en.id)
    assert shown.args == [en.id]
    viewer = view.viewer
    assert viewer.stack.currentWidget() is viewer.text_view
    assert viewer.text_view.toPlainText() == desktop.document_text(en.id)
    assert [w.lower() for w in _marked(view)] == ["integration"] * 4
    assert viewer.text_view.textCursor().position() == viewer.highlights()[0][0]
    assert viewer.text_view.isReadOnly()
    assert "4 matches" in viewer.matches_label.text()
    # The document is selected in the table too.
    assert view.model.id_at(view.table.currentIndex().row()) == en.id

    assert viewer.symbol_label.text() == "IC/2006/4"
    assert viewer.title_label.text() == "Migrants and the Host Society"
    facts = viewer.facts_label.text()
    assert "Language: English" in facts
    assert "English only" in facts
    assert "1 page" in facts
    assert "Imported " in facts

    # F3 goes to the next hit.
    viewer.next_button.click()
    assert viewer.text_view.textCursor().position() == viewer.highlights()[1][0]
    settle(qtbot, view)


def test_a_hit_opens_with_accented_words_highlighted(qtbot: QtBot, desktop: DesktopApp,
                                                     tasks: TaskManager,
                                                     docs: dict[str, Document]) -> None:
    view = library_view(qtbot, desktop, tasks)
    _search(qtbot, view, "etat")  # typed without the accent
    assert [h.id for h in view.hits_model.hits()] == [docs["fr"].id]
    with qtbot.waitSignal(view.viewer.sig_document_shown):
        view.results_list.setCurrentIndex(view.hits_model.index(0, 0))
    assert _marked(view) == ["État", "État", "État"]
    assert "Language: French" in view.viewer.facts_label.text()
    assert "English only" not in view.viewer.facts_label.text()
    settle(qtbot, view)


def test_without_a_search_nothing_is_highlighted(qtbot: QtBot, desktop: DesktopApp,
                                                 tasks: TaskManager, docs: dict[str, Document]) -> None:
    view = library_view(qtbot, desktop, tasks)
    row = view.model.row_of(docs["labour"].id)
    assert row is not None
    with qtbot.waitSignal(view.viewer.sig_document_shown):
        view.table.selectRow(row)
    assert view.viewer.highlights() == []
    assert view.viewer.text_view.textCursor().position() == 0
    assert not view.viewer.matches_label.isVisibleTo(view)
    settle(qtbot, view)


def test_opening_a_filtered_out_document_shows_all_again(qtbot: QtBot, desktop: DesktopApp,
                                                         tasks: TaskManager,
                                                         docs: dict[str, Document]) -> None:
    view = library_view(qtbot, desktop, tasks)
    bar = view.filter_bar
    with qtbot.waitSignal(view.sig_documents_listed):
        bar.language_combo.setCurrentIndex(bar.language_combo.findData("fr"))
    with qtbot.waitSignal(view.sig_documents_listed):
        view.open_document(docs["labour"].id)
    assert not bar.active()
    assert view.model.rowCount() == 3
    assert view.model.id_at(view.table.currentIndex().row()) == docs["labour"].id
    qtbot.waitUntil(lambda: view.viewer.current_id() == docs["labour"].id)
    settle(qtbot, view)


def test_a_pdf_opens_in_the_pdf_view_at_the_first_hit(qtbot: QtBot, tmp_path: Path,
                                                       desktop: DesktopApp, tasks: TaskManager) -> None:
    pdf = write_pdf(tmp_path / "files" / "IC-2006-7.en.pdf", [
        "Discussion note on migration and development.",
        "Remittances sent home by migrant workers are private funds.",
        "Annex: list of participants.",
    ])
    [doc] = import_now(desktop, [pdf])
    assert doc.page_count == 3
    view = library_view(qtbot, desktop, tasks)
    _search(qtbot, view, "remittances")
    with qtbot.waitSignal(view.viewer.sig_document_shown):
        view.open_document(doc.id)
    viewer = view.viewer
    assert viewer.stack.currentWidget() is viewer.pdf_view
    assert viewer.pdf_document.status() == QPdfDocument.Status.Ready
    assert viewer.pdf_document.pageCount() == 3
    assert "3 pages" in viewer.facts_label.text()
    # QtPdf searches the pages in the background, then the view jumps to the first result.
    qtbot.waitUntil(lambda: viewer.pdf_search.count() > 0)
    qtbot.waitUntil(lambda: viewer.pdf_view.pageNavigator().currentPage() == 1)
    assert "1 match" in viewer.matches_label.text()
    settle(qtbot, view)


def test_a_pdf_without_a_search_opens_at_page_one(qtbot: QtBot, tmp_path: Path,
                                                  desktop: DesktopApp, tasks: TaskManager) -> None:
    pdf = write_pdf(tmp_path / "files" / "IC-2006-8.en.pdf", ["First page.", "Second page."])
    [doc] = import_now(desktop, [pdf])
    view = library_view(qtbot, desktop, tasks)
    with qtbot.waitSignal(view.viewer.sig_document_shown):
        view.open_document(doc.id)
    assert view.viewer.pdf_document.pageCount() == 2
    assert view.viewer.pdf_view.pageNavigator().currentPage() == 0
    settle(qtbot, view)


def test_a_pdf_whose_original_is_gone_shows_its_text(qtbot: QtBot, tmp_path: Path,
                                                     desktop: DesktopApp, tasks: TaskManager) -> None:
    pdf = write_pdf(tmp_path / "files" / "IC-2006-6.en.pdf", ["Return and reintegration."])
    [doc] = import_now(desktop, [pdf])
    desktop.blob_path(doc).unlink()
    view = library_view(qtbot, desktop, tasks)
    with qtbot.waitSignal(view.viewer.sig_document_shown):
        view.open_document(doc.id)
    assert view.viewer.stack.currentWidget() is view.viewer.text_view
    assert "reintegration" in view.viewer.text_view.toPlainText()
    assert view.viewer.notice_label.isVisibleTo(view)
    settle(qtbot, view)


def test_the_last_of_several_quick_requests_wins(qtbot: QtBot, desktop: DesktopApp,
                                                 tasks: TaskManager, docs: dict[str, Document]) -> None:
    view = library_view(qtbot, desktop, tasks)
    shown: list[str] = []
    view.viewer.sig_document_shown.connect(shown.append)
    for key in ("en", "labour", "fr"):
        view.viewer.show_document(docs[key].id)
    qtbot.waitUntil(lambda: docs["fr"].id in shown)
    settle(qtbot, view)
    assert docs["labour"].id not in shown
    assert view.viewer.symbol_label.text() == "IC/2006/5"


def test_reading_the_list_again_keeps_the_hit_on_screen(qtbot: QtBot, desktop: DesktopApp,
                                                        tasks: TaskManager,
                                                        docs: dict[str, Document]) -> None:
    view = library_view(qtbot, desktop, tasks)
    _search(qtbot, view, "etat")
    with qtbot.waitSignal(view.viewer.sig_document_shown):
        view.results_list.setCurrentIndex(view.hits_model.index(0, 0))
    marked = _marked(view)
    with (qtbot.assertNotEmitted(view.viewer.sig_document_shown, wait=100),
          qtbot.waitSignal(view.sig_documents_listed)):
        view.refresh()
    assert _marked(view) == marked
    settle(qtbot, view)


def test_f3_and_shift_f3_step_through_the_hits_saying_where(qtbot: QtBot, desktop: DesktopApp,
                                                             tasks: TaskManager,
                                                             docs: dict[str, Document]) -> None:
    from PySide6.QtCore import Qt

    view = library_view(qtbot, desktop, tasks)
    view.show()
    qtbot.waitExposed(view)
    _search(qtbot, view, "integration")
    with qtbot.waitSignal(view.viewer.sig_document_shown):
        view.open_document(docs["en"].id)
    viewer = view.viewer
    text_view = viewer.text_view
    text = text_view.toPlainText()

    def current() -> tuple[str, str]:
        cursor = text_view.textCursor()
        return cursor.selectedText(), viewer.matches_label.text()

    spans = viewer.highlights()
    assert current() == (text[spans[0][0]:sum(spans[0])], "1 of 4 matches for the search")
    text_view.setFocus()
    qtbot.keyClick(text_view, Qt.Key.Key_F3)
    assert current()[1] == "2 of 4 matches for the search"
    assert text_view.textCursor().selectionStart() == spans[1][0]
    assert current()[0].lower() == "integration"
    qtbot.keyClick(text_view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(text_view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert current()[1] == "4 of 4 matches for the search"  # back past the first: the last
    assert text_view.textCursor().selectionStart() == spans[3][0]
    # From where one searched, too: the search box and the list of results.
    for widget in (view.search_edit, view.results_list):
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_F3)
    assert current()[1] == "2 of 4 matches for the search"
    qtbot.keyClick(view.search_edit, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert current()[1] == "1 of 4 matches for the search"
    settle(qtbot, view)
