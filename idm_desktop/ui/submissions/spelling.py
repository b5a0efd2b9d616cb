"""Spell check as you type: a red wavy line under unknown words, suggestions on right-click.

The window's thread only splits text into words and looks them up in a cache; words not seen
yet go, in one batch, to the spelling process (``app/spelling.py``) through a task, and the
paragraphs that hold them are drawn again when the answer comes. Nothing here waits on Hunspell.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QPalette,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu

from idm_desktop.app.spelling import Spelling, words_in
from idm_desktop.core.i18n import _
from idm_desktop.ui.formatting import Tone, tone_color
from idm_desktop.ui.tasks import Lane, Task, TaskManager

log = logging.getLogger(__name__)


class SpellSession(QObject):
    """The spell check of one open submission: its language, what is known, what is ignored.

    Shared by the highlighters of all its sections, so a word is checked once.
    """

    sig_checked = Signal()
    """New words were checked: highlighters draw the paragraphs that waited for them."""

    sig_words_changed = Signal()
    """A word was ignored or added to the dictionary: highlighters draw every paragraph again."""

    sig_suggested = Signal(str, list)
    """Suggestions for a word arrived: (word, suggestions)."""

    def __init__(self, spelling: Spelling, tasks: TaskManager, language: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spelling = spelling
        self.language = language
        self._tasks = tasks
        self._known: dict[str, bool] = {}
        self._ignored: set[str] = set()
        self._asked: set[str] = set()  # sent to the spelling process, answer not back yet
        self._waiting: set[str] = set()  # not yet sent
        self._suggestions: dict[str, list[str]] = {}
        self._suggesting: set[str] = set()
        self._flush = QTimer(self)
        self._flush.setObjectName("spell_flush")
        self._flush.setSingleShot(True)
        self._flush.setInterval(0)
        self._flush.timeout.connect(self._on_flush_timeout)
        self.enabled = True
        self._running: set[Task] = set()

    def stop(self) -> None:
        """The editor closes this session: answers still to come are dropped."""
        self.enabled = False
        self._flush.stop()
        for task in self._running:
            task.cancel_now()
        self._running.clear()

    def _run(self, fn: Callable[[], Any], name: str, on_done: Callable[[Any], None],
             on_error: Callable[[BaseException], None]) -> None:
        holder: list[Task] = []

        def done(result: Any) -> None:
            self._running.difference_update(holder)
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._running.difference_update(holder)
            on_error(exc)

        task = self._tasks.run(fn, lane=Lane.WORK, name=name, on_done=done, on_error=failed)
        holder.append(task)
        self._running.add(task)

    def is_wrong(self, word: str) -> bool | None:
        """Whether ``word`` is misspelt: True, False, or None while it is being checked."""
        if word in self._ignored:
            return False
        known = self._known.get(word)
        if known is None:
            if word not in self._asked and word not in self._waiting:
                self._waiting.add(word)
                if not self._flush.isActive():
                    self._flush.start()
            return None
        return not known

    def pending(self) -> bool:
        """Whether words are still waiting for an answer."""
        return bool(self._asked or self._waiting)

    def _on_flush_timeout(self) -> None:
        batch = sorted(self._waiting)
        self._waiting.clear()
        if not batch:
            return
        self._asked.update(batch)
        spelling, language = self.spelling, self.language
        self._run(lambda: spelling.check(language, batch), "spell check", self._on_checked,
                  functools.partial(self._on_check_failed, batch))

    def _on_checked(self, result: dict[str, bool]) -> None:
        self._known.update(result)
        self._asked.difference_update(result)
        self.sig_checked.emit()

    def _on_check_failed(self, batch: list[str], exc: BaseException) -> None:
        # No dictionary, or the process died: the text is shown without underlines.
        log.warning("spell check failed: %s", exc)
        self._asked.difference_update(batch)
        self._known.update(dict.fromkeys(batch, True))
        self.sig_checked.emit()

    def ignore(self, word: str) -> None:
        """Stop marking ``word`` until the editor is closed."""
        self._ignored.add(word)
        self.sig_words_changed.emit()

    def add_to_dictionary(self, word: str) -> None:
        """Add ``word`` to the user's own words (kept across runs)."""
        self._known[word] = True
        self.sig_words_changed.emit()
        spelling, language = self.spelling, self.language
        self._run(lambda: spelling.add_word(language, word), "add to dictionary",
                  lambda _none: None, functools.partial(self._on_add_failed, word))

    def _on_add_failed(self, word: str, exc: BaseException) -> None:
        # The word stays known in this session; the list on disk could not take it.
        log.warning("could not add %r to the personal word list: %s", word, exc)

    def suggestions(self, word: str) -> list[str] | None:
        """The suggestions for ``word`` if they have come (asked for on first call)."""
        found = self._suggestions.get(word)
        if found is None and word not in self._suggesting:
            self._suggesting.add(word)
            spelling, language = self.spelling, self.language
            self._run(lambda: spelling.suggest(language, word), "spelling suggestions",
                      functools.partial(self._on_suggested, word),
                      functools.partial(self._on_suggestions_failed, word))
        return found

    def _on_suggestions_failed(self, word: str, exc: BaseException) -> None:
        log.warning("spelling suggestions failed: %s", exc)
        self._on_suggested(word, [])

    def _on_suggested(self, word: str, found: list[str]) -> None:
        self._suggesting.discard(word)
        self._suggestions[word] = found
        self.sig_suggested.emit(word, found)


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines the misspelt words of one section's text.

    Drawing a paragraph again costs its layout (a millisecond or two), so after an answer only
    the paragraphs where a word turned out misspelt are drawn again, a slice of them per turn of
    the event loop (:data:`SLICE_MS`): a 3-page paste never holds the window up.
    """

    SLICE_MS = 12

    def __init__(self, document: QTextDocument, session: SpellSession,
                 palette: QPalette) -> None:
        super().__init__(document)
        self.session = session
        self._waiting: list[tuple[QTextBlock, list[str]]] = []
        self._redraw: list[QTextBlock] = []
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(tone_color(Tone.ERROR, (QPalette.ColorRole.Base,), palette))
        self._slice = QTimer(self)
        self._slice.setObjectName("spell_redraw")
        self._slice.setSingleShot(True)
        self._slice.setInterval(0)
        self._slice.timeout.connect(self._on_slice_timeout)
        self.drawing = False
        """True while this highlighter draws: the document's change signals are not edits then."""
        session.sig_checked.connect(self._on_session_checked)
        session.sig_words_changed.connect(self.redraw_all)

    def highlightBlock(self, text: str) -> None:
        if not self.session.enabled:
            return
        unknown: list[str] = []
        for start, length, word in words_in(text):
            wrong = self.session.is_wrong(word)
            if wrong is None:
                unknown.append(word)
            elif wrong:
                self.setFormat(start, length, self._format)
        if unknown:
            self._waiting.append((self.currentBlock(), unknown))

    def busy(self) -> bool:
        """Whether paragraphs are waiting for an answer or to be drawn again."""
        return bool(self._waiting or self._redraw or self.session.pending())

    def _on_session_checked(self) -> None:
        waiting, self._waiting = self._waiting, []
        for block, words in waiting:
            if any(self.session.is_wrong(w) is not False for w in words):
                self._redraw.append(block)
        if self._redraw:
            self._on_slice_timeout()

    def start(self) -> None:
        """The first pass, at once (and not Qt's own, later, which would look like an edit)."""
        self.drawing = True
        try:
            self.rehighlight()
        finally:
            self.drawing = False

    def redraw_all(self) -> None:
        """Check every paragraph again (a word was ignored or added), a slice at a time."""
        block = self.document().begin()
        while block.isValid():
            self._redraw.append(block)
            block = block.next()
        self._on_slice_timeout()

    def _on_slice_timeout(self) -> None:
        clock = QElapsedTimer()
        clock.start()
        seen: set[int] = set()
        self.drawing = True
        try:
            while self._redraw and clock.elapsed() < self.SLICE_MS:
                block = self._redraw.pop(0)
                if block.isValid() and block.blockNumber() not in seen:
                    seen.add(block.blockNumber())
                    self.rehighlightBlock(block)
        finally:
            self.drawing = False
        if self._redraw:
            self._slice.start()

    def misspelt_at(self, position: int) -> tuple[int, int, str] | None:
        """The misspelt word at ``position`` in the document: (start, length, word), or None."""
        block = self.document().findBlock(position)
        offset = position - block.position()
        for start, length, word in words_in(block.text()):
            if start <= offset <= start + length:
                if self.session.is_wrong(word):
                    return block.position() + start, length, word
                return None
        return None


def add_spelling_actions(menu: QMenu, highlighter: SpellHighlighter, cursor_at: QTextCursor,
                         replace: Callable[[int, int, str], None]) -> None:
    """Put the suggestions, "Add to my dictionary" and "Ignore" at the top of ``menu`` when a
    misspelt word is under ``cursor_at``. Suggestions still being looked for appear when they come."""
    found = highlighter.misspelt_at(cursor_at.position())
    if found is None:
        return
    start, length, word = found
    session = highlighter.session
    first = menu.actions()[0] if menu.actions() else None
    actions: list[QAction] = []

    def suggestion_action(text: str) -> QAction:
        act = QAction(text, menu)
        font = act.font()
        font.setBold(True)
        act.setFont(font)
        act.triggered.connect(lambda _c=False, t=text: replace(start, length, t))
        return act

    def show(suggested: list[str]) -> None:
        menu.removeAction(looking)
        if not suggested:
            none = QAction(_("No suggestions"), menu)
            none.setEnabled(False)
            menu.insertAction(add_act, none)
        for text in suggested:
            menu.insertAction(add_act, suggestion_action(text))

    looking = QAction(_("Looking for suggestions…"), menu)
    looking.setEnabled(False)
    actions.append(looking)
    add_act = QAction(_("Add “{word}” to my dictionary").format(word=word), menu)
    add_act.setObjectName("spell_add")
    add_act.triggered.connect(lambda: session.add_to_dictionary(word))
    ignore_act = QAction(_("Ignore “{word}”").format(word=word), menu)
    ignore_act.setObjectName("spell_ignore")
    ignore_act.triggered.connect(lambda: session.ignore(word))
    actions += [add_act, ignore_act]
    if first is None:
        menu.addActions(actions)
    else:
        menu.insertActions(first, actions)
        menu.insertSeparator(first)
    ready = session.suggestions(word)
    if ready is not None:
        show(ready)
    else:
        # A child of the menu: closed before the suggestions come, it takes the link with it.
        _SuggestionsWaiter(word, show, menu).connect_to(session)


class _SuggestionsWaiter(QObject):
    def __init__(self, word: str, show: Callable[[list[str]], None], parent: QObject) -> None:
        super().__init__(parent)
        self._word = word
        self._show = show
        self._done = False

    def connect_to(self, session: SpellSession) -> None:
        session.sig_suggested.connect(self._on_session_suggested)

    def _on_session_suggested(self, word: str, suggested: list[str]) -> None:
        if word == self._word and not self._done:
            self._done = True
            self._show(suggested)
