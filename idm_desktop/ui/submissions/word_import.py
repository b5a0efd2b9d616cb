"""Import a Word draft into the open submission: choose the file, see where each part goes,
then Import (or Cancel, and nothing changed).

The reading and the matching run on the storage lane (app/word_import.py); the preview
dialog shows, for each section that receives text, its title and the incoming text (rendered,
as the editor shows it), and the text that matches no section, which the editor then shows
below the sections until the user has moved it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.app import DesktopApp
from idm_desktop.app.word_import import WordImportPreview, apply_word_draft, preview_word_draft, tables_note
from idm_desktop.core.i18n import _, plural
from idm_desktop.core.templates import TemplateSection
from idm_desktop.core.word_draft import NOT_PLACED_KEY
from idm_desktop.export.context import not_placed_title
from idm_desktop.ui.formatting import TextSize, Tone, set_text_size, tint
from idm_desktop.ui.submissions.rich_text import load_markdown
from idm_desktop.ui.tasks import Lane, TaskManager


def not_placed_section() -> TemplateSection:
    """The editor's last "section": text a Word import could not place, to be distributed."""
    return TemplateSection(
        NOT_PLACED_KEY,
        {lang: not_placed_title(lang) for lang in ("en", "fr", "es")},
        {"en": _("Text imported from Word that matched no section. Move it into the sections "
                 "above (cut and paste), then delete what is not needed: the text cannot be sent "
                 "while any is left here.")},
        False,
    )


class WordImportDialog(QDialog):
    """The preview: what each section will receive, and what is not placed."""

    def __init__(self, preview: WordImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("word_import_dialog")
        self.setWindowTitle(_("Import “{file}”").format(file=preview.filename))
        self.preview = preview
        layout = QVBoxLayout(self)
        intro = QLabel(_(
            "The text of these sections will be replaced by the draft’s (the current text stays "
            "in the history). Sections not listed are left as they are."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tables_label = QLabel(tables_note(preview), self)
        self.tables_label.setObjectName("word_import_tables")
        self.tables_label.setWordWrap(True)
        tint(self.tables_label, Tone.WARNING)
        self.tables_label.setVisible(bool(preview.tables))
        layout.addWidget(self.tables_label)

        body = QWidget(self)
        rows = QVBoxLayout(body)
        self.section_views: dict[str, QTextBrowser] = {}
        for section in preview.sections:
            self._add(rows, section.key, section.title,
                      plural("{n} word", "{n} words", section.words), section.markdown)
        if preview.not_placed:
            self._add(rows, NOT_PLACED_KEY, _("Not placed — you distribute it in the editor"),
                      plural("{n} word", "{n} words", preview.not_placed_words),
                      preview.not_placed, tone=Tone.WARNING)
        rows.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(_("Import"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)  # Enter does not replace text by accident
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(720, 640)

    def _add(self, rows: QVBoxLayout, key: str, title: str, words: str, markdown: str,
             tone: Tone | None = None) -> None:
        label = QLabel(f"{title} — {words}", self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        set_text_size(label, TextSize.SECTION)
        if tone is not None:
            tint(label, tone, bold=True)
        view = QTextBrowser(self)
        view.setObjectName(f"incoming_{key}")
        view.setAccessibleName(title)
        view.setOpenLinks(False)
        load_markdown(view.document(), markdown)
        view.setMinimumHeight(120)
        label.setBuddy(view)
        rows.addWidget(label)
        rows.addWidget(view)
        self.section_views[key] = view


class WordImporter(QObject):
    """Asks for a .docx, reads it off the GUI thread, shows the preview, imports on Import."""

    sig_imported = Signal(object)
    """The draft's text was saved into the submission (the :class:`Submission` as saved)."""

    sig_failed = Signal(object)
    """The file could not be read or the text not saved (the error); nothing changed."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget) -> None:
        super().__init__(parent)
        self._app = app
        self._tasks = tasks
        self._parent = parent
        self._folder: Path | None = None
        self.dialog: WordImportDialog | None = None
        self.choose_path: Callable[[], Path | None] = self._ask_path
        """The .docx to import; None to cancel."""

    def _ask_path(self) -> Path | None:
        folder = self._folder or Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation))
        chosen, _kind = QFileDialog.getOpenFileName(
            self._parent, _("Import a Word draft"), str(folder), _("Word documents (*.docx)"))
        return Path(chosen) if chosen else None

    def start(self, sid: str, save_first: Callable[[], object]) -> None:
        """Ask for the file, save the editor's text, then read the file and show the preview."""
        path = self.choose_path()
        if path is None:
            return
        self._folder = path.parent
        save_first()
        app = self._app
        self._tasks.run(lambda: preview_word_draft(app, sid, path), lane=Lane.STORAGE,
                        name="word import: read", on_done=self._show,
                        on_error=self.sig_failed.emit)

    def _show(self, preview: WordImportPreview) -> None:
        dialog = WordImportDialog(preview, self._parent)
        dialog.accepted.connect(lambda: self._apply(preview))
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def _apply(self, preview: WordImportPreview) -> None:
        app = self._app
        self._tasks.run(lambda: apply_word_draft(app, preview), lane=Lane.STORAGE,
                        name="word import: save", on_done=self.sig_imported.emit,
                        on_error=self.sig_failed.emit)
