"""The File menu: import documents, a new submission, print, and the open submission's own Word
and PDF commands (its buttons and keys), where a Word user looks for them.

The editor's keys stay the editor's (``WidgetShortcut``: shown in the menu, taken by the editor),
so that no key has two owners.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from idm_desktop.core.i18n import _

if TYPE_CHECKING:
    from idm_desktop.ui.submissions.editor import SubmissionEditor


class FileMenu:
    """The File menu's actions; ``shown_editor`` gives the submission on screen, if any."""

    def __init__(self, menu: QMenu, parent: QObject, *, on_import: Callable[[], object],
                 on_new: Callable[[], object], on_quit: Callable[[], object],
                 shown_editor: Callable[[], SubmissionEditor | None]) -> None:
        self._parent = parent
        self._shown_editor = shown_editor
        self.action_import = QAction(_("&Import documents…"), parent)
        # Ctrl+O, the "open a file" key of every desktop: Ctrl+I is italic in the editor.
        self.action_import.setShortcut(QKeySequence.StandardKey.Open)
        self.action_import.triggered.connect(on_import)
        menu.addAction(self.action_import)
        self.action_new = QAction(_("&New submission…"), parent)
        self.action_new.setShortcut(QKeySequence.StandardKey.New)
        self.action_new.triggered.connect(on_new)
        menu.addAction(self.action_new)
        self.action_print = self._editor_action(menu, _("&Print…"), "Ctrl+P", lambda e: e.print_now())
        menu.addSeparator()
        self.action_import_word = self._editor_action(
            menu, _("Import a &Word draft…"), "Ctrl+Shift+I", lambda e: e.import_word_draft())
        self.action_export_word = self._editor_action(
            menu, _("&Export to Word…"), "Ctrl+Shift+E", lambda e: e.export("docx"))
        self.action_export_pdf = self._editor_action(
            menu, _("Export to PD&F…"), "Ctrl+E", lambda e: e.export("pdf"))
        menu.aboutToShow.connect(self._on_about_to_show)
        menu.addSeparator()
        self.action_quit = QAction(_("&Quit"), parent)
        self.action_quit.setShortcut(QKeySequence("Ctrl+Q"))  # the standard key is none on Windows
        self.action_quit.triggered.connect(on_quit)
        menu.addAction(self.action_quit)

    def _editor_action(self, menu: QMenu, text: str, keys: str,
                       run: Callable[[SubmissionEditor], object]) -> QAction:
        action = QAction(text, self._parent)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the editor's key
        action.triggered.connect(lambda: (editor := self._shown_editor()) is not None and run(editor))
        menu.addAction(action)
        return action

    def _on_about_to_show(self) -> None:
        editor = self._shown_editor()
        for action in (self.action_print, self.action_export_word, self.action_export_pdf):
            action.setEnabled(editor is not None)
        self.action_import_word.setEnabled(editor is not None and not editor.read_only)
