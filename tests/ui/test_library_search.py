"""Search as you type in the Library: ranked hits with the words highlighted, stale answers
dropped, a bad query explained beside the box, Escape and Ctrl+F, Enter opens a hit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.storage.search import HL_END, HL_START
from idm_desktop.ui.library.hits import HIGHLIGHT_STYLE, HTML_ROLE
from idm_desktop.ui.library.terms import Term, find_spans, highlight_pattern, query_terms
from idm_desktop.ui.library.view import LibraryView
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


@pytest.fixture
def view(qtbot: QtBot, tmp_path: Path, desktop: DesktopApp, tasks: TaskManager) -> LibraryView:
    files = tmp_path / "files"
    import_now(desktop, [write_text(files, "IC-2006-4.en.txt", INTEGRATION_EN),
                         write_text(files, "IC-2006-9.en.txt", LABOUR_EN),
                         write_text(files, "IC-2006-5.fr.txt", ETAT_FR)])
    return library_view(qtbot, desktop, tasks)


def _symbols(view: LibraryView) -> list[str]:
    return [h.symbol for h in view.hits_model.hits()]


def test_typing_shows_ranked_hits_with_the_words_highlighted(
        qtbot: QtBot, qtmodeltester: ModelTester, view: LibraryView) -> None:
    with qtbot.waitSignal(view.search.sig_hits_found,
                          check_params_cb=lambda query, hits: query == "integration") as found:
        qtbot.keyClicks(view.search_edit, "integration")
    hits = found.args[1]
    # Both documents hold the word; the English one, with it four times, ranks first.
    assert _symbols(view) == ["IC/2006/4", "IC/2006/5"]
    assert [h.score for h in hits] == sorted(h.score for h in hits)
    assert view.lists.currentWidget() is view.results_list.parentWidget()
    html = view.hits_model.data(view.hits_model.index(0, 0), HTML_ROLE)
    assert f'<span style="{HIGHLIGHT_STYLE}">integration</span>' in html.lower()
    assert HL_START not in html
    assert HL_END not in html
    assert "2 documents match" in view.results_label.text()
    qtmodeltester.check(view.hits_model)
    settle(qtbot, view)


def test_a_markdown_documents_hit_shows_its_text_not_its_marks(
        qtbot: QtBot, tmp_path: Path, desktop: DesktopApp, tasks: TaskManager) -> None:
    import_now(desktop, [write_text(tmp_path / "files", "IC-2006-7.en.md",
                                    "## Circular **remittance** corridors\n\n- *Lower* remittance costs\n")])
    view = library_view(qtbot, desktop, tasks)
    with qtbot.waitSignal(view.search.sig_hits_found,
                          check_params_cb=lambda query, hits: query == "remittance"):
        qtbot.keyClicks(view.search_edit, "remittance")
    html = view.hits_model.data(view.hits_model.index(0, 0), HTML_ROLE)
    snippet = html.split("<br/>", 1)[1]
    assert snippet == (f'Circular <span style="{HIGHLIGHT_STYLE}">remittance</span> corridors · Lower '
                       f'<span style="{HIGHLIGHT_STYLE}">remittance</span> costs')
    settle(qtbot, view)


def test_an_answer_to_an_older_query_is_dropped(qtbot: QtBot, view: LibraryView) -> None:
    seen: list[str] = []
    view.search.sig_hits_found.connect(lambda query, _hits: seen.append(query))
    view.search.set_query("labour")
    view.search.search_now()  # answered first (one storage worker, in order) ...
    view.search.set_query("society")
    with qtbot.waitSignal(view.search.sig_hits_found,
                          check_params_cb=lambda query, hits: query == "society"):
        view.search.search_now()
    settle(qtbot, view)
    assert seen == ["society"]  # ... but never shown
    assert "IC/2006/9" not in _symbols(view)


def test_a_bad_query_is_explained_beside_the_box(qtbot: QtBot, view: LibraryView) -> None:
    view.search_edit.setText("-migration")
    qtbot.waitUntil(lambda: view.search_message.isVisibleTo(view))
    assert view.search_message.text() == "Add a word to search for, not only words to leave out."
    assert view.hits_model.rowCount() == 0
    assert QApplication.activeModalWidget() is None

    with qtbot.waitSignal(view.search.sig_hits_found):
        view.search_edit.setText("labour")
    assert not view.search_message.isVisibleTo(view)
    assert _symbols(view)[0] == "IC/2006/9"


def test_filters_narrow_the_hits_too(qtbot: QtBot, view: LibraryView) -> None:
    bar = view.filter_bar
    with qtbot.waitSignal(view.sig_documents_listed):
        bar.language_combo.setCurrentIndex(bar.language_combo.findData("fr"))
    with qtbot.waitSignal(view.search.sig_hits_found):
        view.search_edit.setText("integration")
    assert _symbols(view) == ["IC/2006/5"]


# Showing a window on the offscreen platform logs this harmless warning.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_keyboard_ctrl_f_escape_and_enter(qtbot: QtBot, view: LibraryView) -> None:
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)

    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search_edit.hasFocus()

    with qtbot.waitSignal(view.search.sig_hits_found):
        qtbot.keyClicks(view.search_edit, "labour")
        qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)  # no wait for the pause
    qtbot.waitUntil(view.results_list.hasFocus)
    assert view.results_list.currentIndex().row() == 0
    hit = view.hits_model.hit_at(0)

    qtbot.waitUntil(lambda: view.viewer.current_id() == hit.id and not view.viewer.loading())
    qtbot.keyClick(view.results_list, Qt.Key.Key_Return)
    qtbot.waitUntil(view.viewer.text_view.hasFocus)
    assert view.viewer.highlights()

    view.results_list.setFocus()
    with qtbot.waitSignal(view.search.sig_hits_found, check_params_cb=lambda q, h: q == ""):
        qtbot.keyClick(view.results_list, Qt.Key.Key_Escape)
    assert view.search_edit.text() == ""
    assert view.search_edit.hasFocus()
    assert view.lists.currentWidget() is view.table
    settle(qtbot, view)


# -- which words are highlighted (plain Python) ------------------------------------------------------


def test_query_terms_leave_out_operators_and_excluded_words() -> None:
    assert query_terms('labour "host society" -agencies NOT welfare OR migra*') == [
        Term("labour"), Term("host"), Term("society"), Term("migra", prefix=True)]


def test_highlights_ignore_case_and_accents() -> None:
    text = "L'État et l'etat; ETAT. Les migrants, la migration, migratoire."
    pattern = highlight_pattern([Term("etat"), Term("migra", prefix=True)])
    found = [text[start:start + length] for start, length in find_spans(text, pattern)]
    assert found == ["État", "etat", "ETAT", "migrants", "migration", "migratoire"]
    assert find_spans(text, highlight_pattern([Term("eta")])) == []  # whole words only


def test_highlight_offsets_count_as_qt_does() -> None:
    text = "🌍 migration 🌍🌍 migration"
    spans = find_spans(text, highlight_pattern([Term("migration")]))
    utf16 = text.encode("utf-16-le")
    assert [utf16[2 * s:2 * (s + n)].decode("utf-16-le") for s, n in spans] == ["migration"] * 2
    assert spans[0][0] == 3
