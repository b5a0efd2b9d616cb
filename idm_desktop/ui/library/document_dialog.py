"""Correcting what is known about a document: its title, workshop, kind and the languages the
organisation published it in. The dialog asks; :class:`DocumentEditing` saves through the app
on the storage lane and says when it is done."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.app import DesktopApp
from idm_desktop.core.documents import Document, DocumentKind, kind_label
from idm_desktop.core.errors import IdmError
from idm_desktop.core.i18n import _, ui_language
from idm_desktop.core.workshops import Workshop
from idm_desktop.ui.library.model import language_label
from idm_desktop.ui.library.scope import TaskScope
from idm_desktop.ui.tasks import Lane, TaskManager

LANGUAGES = ("en", "fr", "es")
"""The languages the organisation publishes in, as the dialog offers them."""


class DocumentDialog(QDialog):
    """The facts of one document, to correct; its symbol and file are shown, not changed."""

    sig_save_requested = Signal()
    """The user asked to save what the dialog shows."""

    def __init__(self, doc: Document, workshops: Sequence[Workshop], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("document_dialog")
        self.setWindowTitle(_("Document details"))
        self.document = doc
        symbol = QLabel(doc.symbol, self)
        symbol.setObjectName("document_dialog_symbol")
        self.title_edit = QLineEdit(doc.title, self)
        self.title_edit.setObjectName("document_dialog_title")
        self.title_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.workshop_combo = QComboBox(self)
        self.workshop_combo.setObjectName("document_dialog_workshop")
        self.workshop_combo.addItem(_("No workshop"), None)
        lang = ui_language()
        for workshop in workshops:
            self.workshop_combo.addItem(f"{workshop.year} — {workshop.title_in(lang)}", workshop.id)
        self.workshop_combo.setCurrentIndex(max(0, self.workshop_combo.findData(doc.workshop_id)))
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("document_dialog_kind")
        for kind in DocumentKind:
            self.kind_combo.addItem(kind_label(kind), kind.value)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(doc.kind.value))
        self.language_boxes: dict[str, QCheckBox] = {}
        languages = QHBoxLayout()
        for code in LANGUAGES:
            box = QCheckBox(language_label(code), self)
            box.setChecked(code in doc.languages_available)
            self.language_boxes[code] = box
            languages.addWidget(box)
        languages.addStretch(1)
        hint = QLabel(_("Only English ticked: the library shows it as “English only”. None ticked: "
                        "not known."), self)
        hint.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("document_dialog_message")
        self.message.setWordWrap(True)
        self.message.hide()

        form = QFormLayout()
        form.addRow(_("Symbol:"), symbol)
        for label, field in ((_("&Title:"), self.title_edit), (_("&Workshop:"), self.workshop_combo),
                             (_("&Kind:"), self.kind_combo)):
            form.addRow(label, field)
            buddy = form.labelForField(field)
            if isinstance(buddy, QLabel):
                buddy.setBuddy(field)
        form.addRow(_("Published in:"), languages)
        self.title_edit.setAccessibleName(_("Document title"))
        self.workshop_combo.setAccessibleName(_("Workshop of the document"))
        self.kind_combo.setAccessibleName(_("Kind of document"))
        for code, box in self.language_boxes.items():
            box.setAccessibleName(_("Published in {language}").format(language=language_label(code)))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.title_edit.textChanged.connect(self._on_title_edit_text_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def title(self) -> str:
        return self.title_edit.text().strip()

    def workshop_id(self) -> str | None:
        data = self.workshop_combo.currentData()
        return str(data) if data else None

    def kind(self) -> DocumentKind:
        return DocumentKind(self.kind_combo.currentData())

    def languages_available(self) -> tuple[str, ...]:
        return tuple(code for code, box in self.language_boxes.items() if box.isChecked())

    def show_error(self, message: str) -> None:
        self.message.setText(message)
        self.message.show()
        self.buttons.setEnabled(True)

    def _on_title_edit_text_changed(self, _text: str) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(bool(self.title()))

    def _on_buttons_accepted(self) -> None:
        self.buttons.setEnabled(False)  # accepted once saved (see DocumentEditing)
        self.message.hide()
        self.sig_save_requested.emit()


class DocumentEditing(QObject):
    """Opens the dialog for a document and saves the corrections off the UI thread."""

    sig_document_edited = Signal(object)
    """A document's facts were saved (the :class:`Document` as it is now)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget) -> None:
        super().__init__(parent)
        self._app = app
        self._scope = TaskScope(tasks, self)
        self._parent = parent
        self.dialog: DocumentDialog | None = None

    def edit(self, document_id: str) -> None:
        """Read the document and the workshops, then open the dialog."""
        if self.dialog is not None:
            self.dialog.raise_()
            return
        app = self._app
        self._scope.run(lambda: (app.document(document_id), app.workshops()), lane=Lane.STORAGE,
                        name="read a document's details",
                        on_done=lambda found: self._open(*found))

    def _open(self, doc: Document, workshops: list[Workshop]) -> None:
        dialog = DocumentDialog(doc, workshops, self._parent)
        dialog.sig_save_requested.connect(lambda: self._save(dialog))
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog))
        self.dialog = dialog
        dialog.open()

    def _save(self, dialog: DocumentDialog) -> None:
        app = self._app
        ident = dialog.document.id
        title, workshop_id = dialog.title(), dialog.workshop_id()
        kind, available = dialog.kind(), dialog.languages_available()

        def save() -> Document:
            return app.edit_document(ident, title=title, workshop_id=workshop_id, kind=kind,
                                     languages_available=available)

        self._scope.run(save, lane=Lane.STORAGE, name="save a document's details",
                        on_done=lambda doc: self._on_saved(dialog, doc),
                        on_error=lambda exc: self._on_save_failed(dialog, exc))

    def _on_save_failed(self, dialog: DocumentDialog, exc: BaseException) -> None:
        if isinstance(exc, IdmError):  # the user can fix it: said in the dialog, kept open
            dialog.show_error(str(exc))
            return
        dialog.buttons.setEnabled(True)
        self._scope.tasks.default_error(exc)

    def _on_saved(self, dialog: DocumentDialog, doc: Document) -> None:
        dialog.accept()
        self.sig_document_edited.emit(doc)

    def _on_dialog_finished(self, dialog: DocumentDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
