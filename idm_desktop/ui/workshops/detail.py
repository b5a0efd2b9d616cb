"""The detail pane of the Workshops view: everything known about one event, its documents,
and the way to start a submission for it."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.core.documents import Document
from idm_desktop.core.formatting import (
    city_label,
    countdown,
    deadline_when,
    event_dates,
    kind_label,
    status_label,
)
from idm_desktop.core.i18n import _
from idm_desktop.core.text import pick
from idm_desktop.core.workshops import Workshop
from idm_desktop.ui.formatting import TextSize, Tone, set_text_size, show_focus, tint
from idm_desktop.ui.workshops.model import DOCUMENT_ID_ROLE, WorkshopDocumentsModel


def _value_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class WorkshopDetail(QScrollArea):
    """Title, kind, dates, place, status, partners, note, deadline, guiding questions, documents."""

    sig_document_requested = Signal(str)
    """The user activated one of the event's documents (its id)."""

    sig_new_submission_requested = Signal(str)
    """The user pressed "Start a submission for this workshop" (the workshop id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workshop_detail")
        self.setAccessibleName(_("Event details"))
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        show_focus(self, framed=False)  # a Tab stop (arrows scroll it): it must show when it has the focus
        self._workshop: Workshop | None = None

        body = QWidget(self)
        self.setWidget(body)
        outer = QVBoxLayout(body)
        self.title_label = _value_label(body, "workshop_title")
        self.title_label.setAccessibleName(_("Event title"))
        set_text_size(self.title_label, TextSize.TITLE)
        outer.addWidget(self.title_label)
        columns = QHBoxLayout()
        outer.addLayout(columns, 1)
        # Left: the facts, the documents and the way on; right: the long texts.
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        columns.addLayout(right, 1)

        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind_label = self._add_row(body, "workshop_kind", _("Kind"))
        self.dates_label = self._add_row(body, "workshop_dates", _("Dates"))
        self.place_label = self._add_row(body, "workshop_place", _("Place"))
        self.status_label = self._add_row(body, "workshop_status", _("Status"))
        self.partners_label = self._add_row(body, "workshop_partners", _("Partners"))
        self.deadline_label = self._add_row(body, "workshop_deadline", _("Deadline"))
        left.addLayout(self.form)

        self.documents_heading = self._heading(body, _("Documents of this workshop"))
        left.addWidget(self.documents_heading)
        self.documents = WorkshopDocumentsModel(self)
        self.documents_view = QListView(body)
        self.documents_view.setObjectName("workshop_documents")
        self.documents_view.setAccessibleName(_("Documents of this workshop"))
        self.documents_view.setAccessibleDescription(_("Press Enter to open the selected document."))
        self.documents_view.setModel(self.documents)
        self.documents_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.documents_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.documents_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.documents_view.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.documents_view.activated.connect(self._on_documents_view_activated)
        self.documents_heading.setBuddy(self.documents_view)
        left.addWidget(self.documents_view)
        self.no_documents_label = QLabel(
            _("None in your library yet: import them in the Library."), body)
        self.no_documents_label.setObjectName("workshop_no_documents")
        self.no_documents_label.setWordWrap(True)
        left.addWidget(self.no_documents_label)

        self.start_button = QPushButton(_("&Start a submission for this workshop"), body)
        self.start_button.setObjectName("start_submission")
        self.start_button.setAccessibleName(_("Start a submission for this workshop"))
        self.start_button.clicked.connect(self._on_start_button_clicked)
        left.addSpacing(self.fontMetrics().height() // 2)
        left.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        left.addStretch(1)

        self.note_label = _value_label(body, "workshop_note")
        self.note_label.setAccessibleName(_("Note"))
        right.addWidget(self.note_label)
        self.questions_heading = self._heading(body, _("Guiding questions"))
        right.addWidget(self.questions_heading)
        self.questions_label = QLabel(body)
        self.questions_label.setObjectName("workshop_questions")
        self.questions_label.setAccessibleName(_("Guiding questions"))
        self.questions_label.setWordWrap(True)
        self.questions_label.setTextFormat(Qt.TextFormat.RichText)
        self.questions_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right.addWidget(self.questions_label)
        right.addStretch(1)
        self.clear()

    def _add_row(self, body: QWidget, name: str, label: str) -> QLabel:
        value = _value_label(body, name)
        value.setAccessibleName(label)
        heading = QLabel(label, body)
        heading.setBuddy(value)
        tint(heading, Tone.MUTED)
        self.form.addRow(heading, value)
        return value

    @staticmethod
    def _heading(body: QWidget, text: str) -> QLabel:
        label = QLabel(text, body)
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        return label

    @property
    def workshop(self) -> Workshop | None:
        return self._workshop

    # -- showing ---------------------------------------------------------------------------------

    def clear(self) -> None:
        """Show no event: an invitation to choose one."""
        self._workshop = None
        self.title_label.setText(_("Choose an event in the list to see its details."))
        for i in range(self.form.rowCount()):
            self.form.setRowVisible(i, False)
        for widget in (self.note_label, self.questions_heading, self.questions_label,
                       self.documents_heading, self.documents_view, self.no_documents_label,
                       self.start_button):
            widget.setVisible(False)
        self.documents.set_documents(())

    def show_workshop(self, w: Workshop, now: dt.datetime, lang: str) -> None:
        """Show ``w``, its deadline counted from ``now``; its documents follow with
        :meth:`set_documents`."""
        if self._workshop is None or self._workshop.id != w.id:
            self.documents.set_documents(())
            self.documents_view.setVisible(False)
            self.no_documents_label.setVisible(False)
        self._workshop = w
        self.documents_heading.setVisible(True)
        self.title_label.setText(w.title_in(lang))
        self._set(self.kind_label, kind_label(w.kind))
        dates = event_dates(w, lang)
        note = pick(w.date_note, lang)
        self._set(self.dates_label, f"{dates}\n{note}" if dates and note else dates or note)
        self._set(self.place_label, ", ".join(x for x in (w.venue, city_label(w.city)) if x))
        self._set(self.status_label, _capitalised(status_label(w.status_on(now.date()))))
        self._set(self.partners_label, ", ".join(w.partners_in(lang)))
        self._show_deadline(w, now, lang)
        note_text = pick(w.note, lang)
        self.note_label.setText(note_text)
        self.note_label.setVisible(bool(note_text))
        questions = w.questions_in(lang)
        self.questions_label.setText(
            "<ol style='margin-left:0'>"
            + "".join(f"<li>{html.escape(q)}</li>" for q in questions) + "</ol>")
        self.questions_heading.setVisible(bool(questions))
        self.questions_label.setVisible(bool(questions))
        self.start_button.setVisible(True)

    def _show_deadline(self, w: Workshop, now: dt.datetime, lang: str) -> None:
        label = self.deadline_label
        if w.deadline is None:
            self._set(label, "")
            label.setProperty("passed", False)
            return
        passed = w.deadline.has_passed(now)
        self._set(label, f"{deadline_when(w.deadline, lang)}\n{countdown(w.deadline, now, lang)}")
        label.setProperty("passed", passed)
        tint(label, Tone.ERROR if passed else lambda: "")
        label.setAccessibleDescription(_("The deadline has passed.") if passed else "")

    def _set(self, label: QLabel, text: str) -> None:
        label.setText(text)
        self.form.setRowVisible(label, bool(text))

    def set_documents(self, docs: Sequence[Document]) -> None:
        """List the event's documents (they arrive after the event itself)."""
        self.documents.set_documents(docs)
        has_docs = bool(docs) and self._workshop is not None
        if has_docs:  # as tall as its rows, up to six; it scrolls beyond
            view = self.documents_view
            row = max(view.sizeHintForRow(0), view.fontMetrics().height() + 2)
            view.setFixedHeight(min(len(docs), 6) * row + 2 * view.frameWidth() + 2)
        self.documents_view.setVisible(has_docs)
        self.no_documents_label.setVisible(not has_docs and self._workshop is not None)

    # -- slots -----------------------------------------------------------------------------------

    def _on_documents_view_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        doc_id = index.data(DOCUMENT_ID_ROLE)
        if isinstance(doc_id, str):
            self.sig_document_requested.emit(doc_id)

    def _on_start_button_clicked(self) -> None:
        if self._workshop is not None:
            self.sig_new_submission_requested.emit(self._workshop.id)


def _capitalised(text: str) -> str:
    """"confirmed" -> "Confirmed": a value that starts a line of its own."""
    return text[:1].upper() + text[1:]
