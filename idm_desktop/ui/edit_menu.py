"""The Edit menu: undo, redo, cut, copy, paste and select all on whatever text has the focus (a
section of the editor, a search box, a field), and Find… / Replace… on the page shown.

The keys are shown in the menu but handled where they always were: by the text fields themselves
(Ctrl+Z, Ctrl+X, …, and Ctrl+Y in the editor) and by the pages (Ctrl+F, Ctrl+H), so that no key
has two owners.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QPlainTextEdit, QTextEdit

from idm_desktop.core.i18n import _

TextWidget = QLineEdit | QTextEdit | QPlainTextEdit


def focused_text() -> TextWidget | None:
    """The text field with the keyboard focus, if any."""
    widget = QApplication.focusWidget()
    return widget if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit) else None


def _undo_available(widget: TextWidget) -> tuple[bool, bool]:
    if isinstance(widget, QLineEdit):
        return widget.isUndoAvailable(), widget.isRedoAvailable()
    doc = widget.document()
    return doc.isUndoAvailable(), doc.isRedoAvailable()


def _has_selection(widget: TextWidget) -> bool:
    if isinstance(widget, QLineEdit):
        return widget.hasSelectedText()
    return widget.textCursor().hasSelection()


class EditMenu(QObject):
    """Builds the Edit menu; ``find(replace)`` runs Find… or Replace… on the page shown, and
    ``can_find(replace)`` says whether the page has it."""

    def __init__(self, menu: QMenu, find: Callable[[bool], None],
                 can_find: Callable[[bool], bool]) -> None:
        super().__init__(menu)
        self.menu = menu
        self._find = find
        self._can_find = can_find

        def action(text: str, keys: list[QKeySequence], slot: Callable[[], None]) -> QAction:
            act = QAction(text, menu)
            act.setShortcuts(keys)
            # Shown in the menu, owned by the focused field or the page (see the module's note).
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            menu.addAction(act)
            return act

        std = QKeySequence.StandardKey
        self.undo = action(_("&Undo"), QKeySequence.keyBindings(std.Undo),
                           lambda: self._on_text(lambda w: w.undo()))
        self.redo = action(_("&Redo"), [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")],
                           lambda: self._on_text(lambda w: w.redo()))
        menu.addSeparator()
        self.cut = action(_("Cu&t"), QKeySequence.keyBindings(std.Cut),
                          lambda: self._on_text(lambda w: w.cut()))
        self.copy = action(_("&Copy"), QKeySequence.keyBindings(std.Copy),
                           lambda: self._on_text(lambda w: w.copy()))
        self.paste = action(_("&Paste"), QKeySequence.keyBindings(std.Paste),
                            lambda: self._on_text(lambda w: w.paste()))
        self.select_all = action(_("Select &all"), QKeySequence.keyBindings(std.SelectAll),
                                 lambda: self._on_text(lambda w: w.selectAll()))
        menu.addSeparator()
        self.find = action(_("&Find…"), [QKeySequence("Ctrl+F")], lambda: self._find(False))
        self.replace = action(_("R&eplace…"), [QKeySequence("Ctrl+H")], lambda: self._find(True))
        menu.aboutToShow.connect(self.update_actions)

    def _on_text(self, run: Callable[[TextWidget], object]) -> None:
        widget = focused_text()
        if widget is not None:
            run(widget)

    def update_actions(self) -> None:
        """Enable what makes sense for the focused field (the menu is about to show)."""
        widget = focused_text()
        editable = widget is not None and not widget.isReadOnly()
        undo, redo = _undo_available(widget) if editable and widget is not None else (False, False)
        selected = widget is not None and _has_selection(widget)
        self.undo.setEnabled(undo)
        self.redo.setEnabled(redo)
        self.cut.setEnabled(editable and selected)
        self.copy.setEnabled(selected)
        self.paste.setEnabled(editable and bool(QApplication.clipboard().text()))
        self.select_all.setEnabled(widget is not None)
        self.find.setEnabled(self._can_find(False))
        self.replace.setEnabled(self._can_find(True))

