"""Find and replace across the sections of a submission (Ctrl+F, Ctrl+H), as in a word processor.

Every match in every section is marked; the current one is selected, with "3 of 9" beside the
field. Replace changes the current match; Replace all changes every match, one undo step per
section (Ctrl+Z in a section takes back what Replace all did there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextEdit,
    QToolButton,
    QWidget,
)

from idm_desktop.core.find import FindOptions, find_all, utf16_spans
from idm_desktop.core.i18n import _, plural
from idm_desktop.ui.formatting import highlight_colors
from idm_desktop.ui.submissions.text_edit import RichTextEdit


@dataclass(frozen=True, slots=True)
class Hit:
    edit: RichTextEdit
    start: int  # positions in the section's document
    end: int


class FindBar(QFrame):
    """The find (and replace) bar above the sections; ``edits`` gives the sections in order."""

    sig_hit_shown = Signal(object)
    """The current match changed: the section's editor (to scroll it into view)."""

    def __init__(self, edits: Callable[[], list[RichTextEdit]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("find_bar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._edits = edits
        self.hits: list[Hit] = []
        self.current = -1
        self._last_edit: RichTextEdit | None = None
        self._selected_in: list[RichTextEdit] = []  # sections where the bar selected a match
        self._stale = QTimer(self)  # the text changed: find again once typing pauses
        self._stale.setObjectName("find_refresh")
        self._stale.setSingleShot(True)
        self._stale.setInterval(150)
        self._stale.timeout.connect(self.refresh)

        self.find_edit = QLineEdit(self)
        self.find_edit.setObjectName("find_text")
        self.find_edit.setPlaceholderText(_("Find"))
        self.find_edit.setAccessibleName(_("Text to find"))
        self.find_edit.setClearButtonEnabled(True)
        self.replace_edit = QLineEdit(self)
        self.replace_edit.setObjectName("replace_text")
        self.replace_edit.setPlaceholderText(_("Replace with"))
        self.replace_edit.setAccessibleName(_("Replace with"))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("find_count")
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("000 of 000") + 8)
        self.previous_button = self._tool(_("Previous"), Qt.ArrowType.UpArrow, "Shift+F3")
        self.next_button = self._tool(_("Next"), Qt.ArrowType.DownArrow, "F3")
        self.case_box = QCheckBox(_("Match case"), self)
        self.word_box = QCheckBox(_("Whole words"), self)
        self.accents_box = QCheckBox(_("Match accents"), self)
        self.replace_button = QPushButton(_("Replace"), self)
        self.replace_button.setObjectName("replace_one")
        self.replace_all_button = QPushButton(_("Replace all"), self)
        self.replace_all_button.setObjectName("replace_all")
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setToolTip(_("Close (Esc)"))
        self.close_button.setAccessibleName(_("Close the find bar"))

        # Short rows rather than one long one, so the bar never widens the window: each field takes
        # the width its commands leave (the commands beside it, never pushed away), and the
        # options go on two lines where the French or Spanish labels would not fit on one.
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        find_row = QHBoxLayout()
        find_row.setSpacing(4)
        for widget in (self.count_label, self.previous_button, self.next_button):
            find_row.addWidget(widget)
        find_row.addStretch(1)
        find_row.addWidget(self.close_button)
        replace_row = QHBoxLayout()
        replace_row.setSpacing(4)
        replace_row.addWidget(self.replace_button)
        replace_row.addWidget(self.replace_all_button)
        replace_row.addStretch(1)
        grid.addWidget(self.find_edit, 0, 0)
        grid.addLayout(find_row, 0, 1)
        grid.addWidget(self.replace_edit, 1, 0)
        grid.addLayout(replace_row, 1, 1)
        self._options = QGridLayout()
        self._options.setContentsMargins(0, 0, 0, 0)
        self._options.setHorizontalSpacing(12)
        self._options.setColumnStretch(3, 1)
        grid.addLayout(self._options, 2, 0, 1, 2)
        self._options_wide = True
        self._place_options(wide=False)
        grid.setColumnStretch(0, 1)
        width = self.fontMetrics().horizontalAdvance("x" * 14)
        for field in (self.find_edit, self.replace_edit):
            field.setMinimumWidth(width)
            field.setMaximumWidth(self.fontMetrics().horizontalAdvance("x" * 60))

        self.find_edit.textChanged.connect(self._on_find_edit_text_changed)
        self.find_edit.returnPressed.connect(lambda: self.step(1))
        self.replace_edit.returnPressed.connect(self.replace_current)
        for box in (self.case_box, self.word_box, self.accents_box):
            box.toggled.connect(lambda _on: self.refresh())
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.replace_button.clicked.connect(self.replace_current)
        self.replace_all_button.clicked.connect(self.replace_all)
        self.close_button.clicked.connect(self.close_bar)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_bar)
        self.hide()

    def _place_options(self, *, wide: bool) -> None:
        """The three options on one line when they fit, else the third on a second line."""
        if wide == self._options_wide:
            return
        self._options_wide = wide
        boxes = (self.case_box, self.word_box, self.accents_box)
        for box in boxes:
            self._options.removeWidget(box)
        for n, box in enumerate(boxes):
            self._options.addWidget(box, *((0, n) if wide else (n // 2, n % 2)))

    def _options_width(self) -> int:
        spacing = self._options.horizontalSpacing()
        margins = self.contentsMargins()
        return (sum(b.sizeHint().width() for b in (self.case_box, self.word_box, self.accents_box))
                + 2 * spacing + margins.left() + margins.right() + 12)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place_options(wide=self.width() >= self._options_width())
        super().resizeEvent(event)

    def _tool(self, name: str, arrow: Qt.ArrowType, keys: str) -> QToolButton:
        button = QToolButton(self)
        button.setArrowType(arrow)
        button.setAccessibleName(name)
        native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{name} ({native})")
        return button

    # -- opening and closing --------------------------------------------------------------------

    def open_bar(self, replace: bool, read_only: bool = False) -> None:
        """Show the bar (with the replace row for Ctrl+H), the selection as the text to find."""
        for widget in (self.replace_edit, self.replace_button, self.replace_all_button):
            widget.setVisible(replace and not read_only)
        focused = next((e for e in self._edits() if e.hasFocus()), None)
        if focused is not None and focused.textCursor().hasSelection():
            selected = focused.textCursor().selectedText()
            if "\u2029" not in selected:  # one paragraph at most
                self.find_edit.setText(selected)
        self.show()
        self.refresh()
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    def close_bar(self) -> None:
        self._stale.stop()
        self.hide()
        self._mark([])
        hit = self.hits[self.current] if 0 <= self.current < len(self.hits) else None
        self.hits, self.current = [], -1
        self._clear_selections()
        if hit is not None:
            hit.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def text_changed(self) -> None:
        """A section's text changed: matches are found again once typing pauses."""
        if self.isVisible():
            self._stale.start()

    # -- finding ------------------------------------------------------------------------------------

    def options(self) -> FindOptions:
        return FindOptions(match_case=self.case_box.isChecked(),
                           whole_word=self.word_box.isChecked(),
                           match_accents=self.accents_box.isChecked())

    def _on_find_edit_text_changed(self, _text: str) -> None:
        self.current = -1
        self.refresh()
        if self.hits:
            self.step(1, from_cursor=True)

    def refresh(self) -> None:
        """Find every match again, keeping the current one where it still is."""
        self._stale.stop()
        query = self.find_edit.text()
        options = self.options()
        before = self.hits[self.current] if 0 <= self.current < len(self.hits) else None
        hits: list[Hit] = []
        for edit in self._edits():
            text = edit.document().toRawText()
            for start, end in utf16_spans(text, find_all(text, query, options)):
                hits.append(Hit(edit, start, end))
        self.hits = hits
        self.current = -1
        if before is not None:
            self.current = next((i for i, h in enumerate(hits)
                                 if h.edit is before.edit and h.start >= before.start), -1)
        self._mark(hits)
        if not hits:
            self._clear_selections()  # no match: nothing of an earlier one stays selected
        self._show_count()

    def _clear_selections(self, keep: RichTextEdit | None = None) -> None:
        """Take away the selections the bar made (a match shown) in every section but ``keep``;
        a selection the user made stays."""
        for edit in self._edits():
            if edit is keep or edit not in self._selected_in:
                continue
            cursor = edit.textCursor()
            if cursor.hasSelection():
                cursor.clearSelection()
                edit.setTextCursor(cursor)
        self._selected_in = [keep] if keep is not None and keep in self._selected_in else []

    def _mark(self, hits: list[Hit]) -> None:
        background, foreground = highlight_colors()
        fmt = QTextCharFormat()
        fmt.setBackground(background)
        fmt.setForeground(foreground)
        by_edit: dict[int, list[QTextEdit.ExtraSelection]] = {}
        for hit in hits:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(hit.edit.document())
            cursor.setPosition(hit.start)
            cursor.setPosition(hit.end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            by_edit.setdefault(id(hit.edit), []).append(selection)
        for edit in self._edits():
            edit.setExtraSelections(by_edit.get(id(edit), []))

    def _show_count(self) -> None:
        n = len(self.hits)
        if not self.find_edit.text():
            text = ""
        elif n == 0:
            text = _("No matches")
        elif 0 <= self.current < n:
            text = plural("{i} of {n}", "{i} of {n}", n, i=self.current + 1)
        else:
            text = plural("{n} match", "{n} matches", n)
        self.count_label.setText(text)
        has = n > 0
        for widget in (self.previous_button, self.next_button, self.replace_button,
                       self.replace_all_button):
            widget.setEnabled(has)

    def step(self, step: int, from_cursor: bool = False) -> None:
        """Go to the next (1) or previous (-1) match, round the end to the start."""
        if self._stale.isActive():
            self.refresh()
        if not self.hits:
            return
        if from_cursor or self.current < 0:
            self.current = self._first_after_cursor(step)
        else:
            self.current = (self.current + step) % len(self.hits)
        self._show_current()

    def _first_after_cursor(self, step: int) -> int:
        edits = self._edits()
        focused = next((e for e in edits if e.hasFocus()), None) or self._last_edit
        if focused is None or focused not in edits:
            return 0 if step > 0 else len(self.hits) - 1
        order = edits.index(focused)
        position = focused.textCursor().selectionStart()
        for i, hit in enumerate(self.hits):
            rank = edits.index(hit.edit)
            if rank > order or (rank == order and hit.start >= position):
                return i if step > 0 else (i - 1) % len(self.hits)
        return 0 if step > 0 else len(self.hits) - 1

    def _show_current(self) -> None:
        hit = self.hits[self.current]
        self._clear_selections(keep=hit.edit)  # one match selected at a time, in one section
        cursor = hit.edit.textCursor()
        cursor.setPosition(hit.start)
        cursor.setPosition(hit.end, QTextCursor.MoveMode.KeepAnchor)
        hit.edit.setTextCursor(cursor)
        if hit.edit not in self._selected_in:
            self._selected_in.append(hit.edit)
        self._last_edit = hit.edit
        self.sig_hit_shown.emit(hit.edit)
        self._show_count()

    # -- replacing ------------------------------------------------------------------------------

    def replace_current(self) -> None:
        """Replace the current match (found first if none is current), then go to the next."""
        if self._stale.isActive():
            self.refresh()
        if not self.hits:
            return
        if not 0 <= self.current < len(self.hits):
            self.step(1, from_cursor=True)
            return
        hit = self.hits[self.current]
        if hit.edit.isReadOnly():
            return
        hit.edit.replace_range(hit.start, hit.end - hit.start, self.replace_edit.text())
        index = self.current
        self.refresh()
        if self.hits:
            # The next match is the one now at the replaced one's index (or the first).
            self.current = index % len(self.hits)
            self._show_current()

    def replace_all(self) -> int:
        """Replace every match; one undo step per section. Returns how many were replaced."""
        self.refresh()
        replacement = self.replace_edit.text()
        done = 0
        for edit in self._edits():
            hits = [h for h in self.hits if h.edit is edit]
            if not hits or edit.isReadOnly():
                continue
            cursor = QTextCursor(edit.document())
            cursor.beginEditBlock()
            for hit in reversed(hits):  # from the end: earlier positions stay right
                cursor.setPosition(hit.start)
                cursor.setPosition(hit.end, QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(replacement, cursor.charFormat())
                done += 1
            cursor.endEditBlock()
        self.refresh()
        self.count_label.setText(plural("{n} replaced", "{n} replaced", done))
        return done
