"""Spell check in the editor: misspelt words underlined in the submission's language, the
right-click menu (suggestions, add to my dictionary, ignore), and typing that never waits for it."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QElapsedTimer, QMimeData, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.ui.submissions.editor import SubmissionEditor
from idm_desktop.ui.submissions.text_edit import RichTextEdit
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import FIRST, INTEGRATION, close_view, open_editor, shown_view, type_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SPELL = QTextCharFormat.UnderlineStyle.SpellCheckUnderline

# One misspelt word among correct ones, accented words among them, per language.
SENTENCES = {
    "en": ("The organisation recieves the delegates.", "recieves",
           ["organisation", "The", "delegates"]),
    "fr": ("Le résumé de la politique d’intégration migratoin.", "migratoin",
           ["résumé", "d’intégration", "politique"]),
    "es": ("La población migrante aumenta cada anyo.", "anyo",
           ["población", "migrante", "aumenta"]),
}


@pytest.fixture
def view(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[SubmissionsView]:
    shown = shown_view(qtbot, desktop, tasks)
    yield shown
    close_view(qtbot, shown, tasks)


def underlined(edit: RichTextEdit) -> list[str]:
    """The words drawn with the wavy spelling line, as a user sees them."""
    words = []
    block = edit.document().begin()
    while block.isValid():
        layout: QTextLayout = block.layout()
        for rng in layout.formats():
            if rng.format.underlineStyle() == SPELL:
                words.append(block.text()[rng.start:rng.start + rng.length])
        block = block.next()
    return words


def settled(edit: RichTextEdit) -> bool:
    return edit.spell is not None and not edit.spell.busy()


def open_in(qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView,
            language: str) -> SubmissionEditor:
    sid = desktop.new_submission(INTEGRATION, "CHE", language, "Spelling").id
    return open_editor(qtbot, view, sid)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_misspelt_word_is_underlined_and_accented_words_are_not(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView, language: str) -> None:
    editor = open_in(qtbot, desktop, view, language)
    edit = editor.sections[FIRST].edit
    sentence, wrong, right = SENTENCES[language]
    type_text(edit, sentence)
    edits: list[None] = []
    edit.sig_edited.connect(lambda: edits.append(None))
    qtbot.waitUntil(lambda: underlined(edit) == [wrong], timeout=15_000)
    assert edits == []  # drawing the line is not an edit: nothing to save
    assert not set(right) & set(underlined(edit))
    assert edit.markdown() == sentence  # the underline is drawn, never part of the text


def _menu_for(qtbot: QtBot, edit: RichTextEdit, word: str) -> list[str]:
    """Right-click on ``word``; the menu's entries once its suggestions have come."""
    start = edit.toPlainText().index(word)
    cursor = edit.textCursor()
    cursor.setPosition(start + 2)
    point = edit.cursorRect(cursor).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, edit.mapToGlobal(point))
    QApplication.sendEvent(edit.viewport(), event)
    menu = edit.context_menu
    assert menu is not None
    qtbot.waitUntil(lambda: not any(a.text().startswith("Looking") for a in menu.actions()),
                    timeout=15_000)
    return [a.text() for a in menu.actions()]


def test_right_click_suggests_and_a_suggestion_replaces_the_word(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    editor = open_in(qtbot, desktop, view, "en")
    edit = editor.sections[FIRST].edit
    type_text(edit, "The organisation recieves delegates.")
    qtbot.waitUntil(lambda: underlined(edit) == ["recieves"], timeout=15_000)
    entries = _menu_for(qtbot, edit, "recieves")
    assert entries[0] == "receives"
    assert "Add “recieves” to my dictionary" in entries
    assert "Ignore “recieves”" in entries
    assert edit.context_menu is not None
    first = edit.context_menu.actions()[0]
    first.trigger()
    edit.context_menu.close()
    assert edit.markdown() == "The organisation receives delegates."
    qtbot.waitUntil(lambda: underlined(edit) == [], timeout=15_000)
    edit.undo()  # the replacement is one undo step
    assert edit.markdown() == "The organisation recieves delegates."


def test_ignore_lasts_for_the_session_only(qtbot: QtBot, desktop: DesktopApp,
                                           view: SubmissionsView) -> None:
    editor = open_in(qtbot, desktop, view, "fr")
    edit = editor.sections[FIRST].edit
    type_text(edit, "Le programme Rapidintegra fonctionne.")
    qtbot.waitUntil(lambda: underlined(edit) == ["Rapidintegra"], timeout=15_000)
    _menu_for(qtbot, edit, "Rapidintegra")
    menu = edit.context_menu
    assert menu is not None
    next(a for a in menu.actions() if a.objectName() == "spell_ignore").trigger()
    menu.close()
    assert underlined(edit) == []
    type_text(editor.sections["policy_framework"].edit, "Rapidintegra encore.")
    qtbot.waitUntil(lambda: settled(editor.sections["policy_framework"].edit), timeout=15_000)
    assert underlined(editor.sections["policy_framework"].edit) == []
    # Opened again (a new session), the word is marked again: ignoring is not adding.
    other = desktop.new_submission(INTEGRATION, "FRA", "fr", "Autre").id
    editor = open_editor(qtbot, view, other)
    edit = editor.sections[FIRST].edit
    type_text(edit, "Rapidintegra.")
    qtbot.waitUntil(lambda: underlined(edit) == ["Rapidintegra"], timeout=15_000)


def test_add_to_my_dictionary_is_kept_across_runs(qtbot: QtBot, desktop: DesktopApp,
                                                  view: SubmissionsView, tasks: TaskManager) -> None:
    editor = open_in(qtbot, desktop, view, "es")
    edit = editor.sections[FIRST].edit
    type_text(edit, "El programa Integrasuiza funciona.")
    qtbot.waitUntil(lambda: underlined(edit) == ["Integrasuiza"], timeout=15_000)
    _menu_for(qtbot, edit, "Integrasuiza")
    menu = edit.context_menu
    assert menu is not None
    next(a for a in menu.actions() if a.objectName() == "spell_add").trigger()
    menu.close()
    assert underlined(edit) == []
    assert tasks.wait_idle(10_000)
    QApplication.processEvents()
    words = desktop.paths.personal_words("es").read_text(encoding="utf-8").splitlines()
    assert words == ["Integrasuiza"]
    # Another run of the program: the spelling process starts again and reads the word list.
    again = DesktopApp.open(desktop.paths.home)
    try:
        assert again.spelling.check("es", ["Integrasuiza", "Integrasuisa"]) == {
            "Integrasuiza": True, "Integrasuisa": False}
    finally:
        again.close()


class LatencyProbe:
    """A timer that should fire every ``interval`` ms: the longest gap between two firings is
    the longest time the window's thread could not answer the user."""

    def __init__(self, interval: int = 5) -> None:
        self.timer = QTimer()
        self.timer.setObjectName("latency_probe")
        self.timer.setInterval(interval)
        self.clock = QElapsedTimer()
        self.worst = 0
        self.timer.timeout.connect(self._on_timeout)

    def _on_timeout(self) -> None:
        self.worst = max(self.worst, self.clock.restart())

    def __enter__(self) -> LatencyProbe:
        self.clock.start()
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.stop()


def three_pages() -> str:
    """About three pages of French text: 1,500 words in 30 paragraphs, some of them misspelt."""
    sentence = ("La politique d’intégration de la Suisse repose sur des partenariats avec les "
                "cantons, les communes, les employeurs et la société civile, migratoin comprise. ")
    return "\n\n".join(sentence * 2 for _ in range(30))


def test_typing_and_a_three_page_paste_never_block_the_window(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    editor = open_in(qtbot, desktop, view, "fr")
    edit = editor.sections[FIRST].edit
    qtbot.waitUntil(lambda: editor.tools.spell_session is not None, timeout=5000)
    type_text(edit, "Premier mot ")  # starts the spelling process
    qtbot.waitUntil(lambda: settled(edit), timeout=15_000)

    with LatencyProbe() as typing:
        started = time.perf_counter()
        words = ["chaque", "nouveau", "terme", "tapé", "est", "vérifié", "sans", "attendre",
                 "le", "dictionnaire"]
        for word in words:
            type_text(edit, word + " ")
            qtbot.wait(10)  # a fast typist: a word every few tens of milliseconds
        qtbot.waitUntil(lambda: settled(edit), timeout=15_000)
        per_word_ms = (time.perf_counter() - started) * 1000 / len(words)
    print(f"typing: worst gap {typing.worst} ms, {per_word_ms:.1f} ms a word until checked")

    mime = QMimeData()
    mime.setText(three_pages())
    with LatencyProbe() as paste:
        QApplication.clipboard().setMimeData(mime)
        started = time.perf_counter()
        QTimer.singleShot(0, lambda: qtbot.keyClick(edit, Qt.Key.Key_V,
                                                    Qt.KeyboardModifier.ControlModifier))
        qtbot.waitUntil(lambda: "migratoin" in underlined(edit), timeout=15_000)
        qtbot.waitUntil(lambda: settled(edit), timeout=15_000)
        checked_ms = (time.perf_counter() - started) * 1000
    marked = underlined(edit)
    print(f"3-page paste: worst gap {paste.worst} ms, all checked in {checked_ms:.0f} ms, "
          f"{len(marked)} marked")
    assert marked.count("migratoin") == 60
    assert typing.worst <= 50
    assert paste.worst <= 50
