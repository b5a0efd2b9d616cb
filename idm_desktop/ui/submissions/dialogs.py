"""Small dialogs of the submissions slice: a new submission, and a link in the text."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.app import DesktopApp
from idm_desktop.core.countries import all_countries
from idm_desktop.core.formatting import month_year, short_date
from idm_desktop.core.i18n import _, ui_language
from idm_desktop.core.languages import LANGUAGES, language_name
from idm_desktop.core.workshops import Workshop
from idm_desktop.ui.formatting import Tone, tint


@dataclass(frozen=True, slots=True)
class NewSubmissionChoices:
    """What the new-submission dialog offers, loaded off the GUI thread."""

    workshops: tuple[tuple[str, str], ...]  # (id, label), in the order shown
    countries: tuple[tuple[str, str], ...]  # (alpha-3 code, name in the UI language), by name
    default_country: str | None = None
    default_language: str = "en"


@dataclass(frozen=True, slots=True)
class NewSubmissionRequest:
    """What the user chose in the dialog."""

    workshop_id: str
    country: str
    language: str
    title: str | None


def load_choices(app: DesktopApp) -> NewSubmissionChoices:
    """Workshops (upcoming deadlines first, then the most recent), countries by name, and the
    country and language of the user's latest submission as defaults. Runs in a worker."""
    lang = ui_language()
    now = app.clock()
    today = now.date()

    def order(w: Workshop) -> tuple[int, float]:
        if w.deadline is not None and not w.deadline.has_passed(now):
            return (0, (w.deadline.date - today).days)
        return (1, -(w.start or dt.date.min).toordinal())

    workshops = []
    for w in sorted(app.workshops(), key=order):
        label = w.title_in(lang)
        if w.deadline is not None and not w.deadline.has_passed(now):
            label += " — " + _("due {date}").format(
                date=short_date(w.deadline.date, lang))
        elif w.start is not None:
            label += f" ({month_year(w.start, lang)})"
        workshops.append((w.id, label))
    countries = sorted(((c.alpha3, c.name(lang)) for c in all_countries()),
                       key=lambda item: _sort_key(item[1]))
    latest = app.submissions()
    return NewSubmissionChoices(
        workshops=tuple(workshops),
        countries=tuple(countries),
        default_country=latest[0].country if latest else None,
        default_language=latest[0].language if latest else lang,
    )


def _sort_key(name: str) -> str:
    """Names sorted as a reader expects: "Égypte" with the E's, not after Z."""
    return "".join(c for c in unicodedata.normalize("NFD", name.casefold())
                   if not unicodedata.combining(c))


class CountryFilter(QSortFilterProxyModel):
    """The countries whose name holds what was typed, accents and case aside ("etats" finds
    "États-Unis d’Amérique"), or whose alpha-3 code starts with it ("DEU" finds "Allemagne")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wanted = ""

    def set_wanted(self, text: str) -> None:
        self.beginFilterChange()
        self._wanted = _sort_key(text.strip())
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._wanted:
            return True
        index = self.sourceModel().index(row, 0, parent)
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        code = str(index.data(Qt.ItemDataRole.UserRole) or "")
        return self._wanted in _sort_key(name) or code.casefold().startswith(self._wanted)


class NewSubmissionDialog(QDialog):
    """Workshop, country, language and an optional title; mistakes are shown in the dialog."""

    def __init__(self, choices: NewSubmissionChoices, workshop_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New submission"))
        self.setAccessibleName(_("New submission"))
        self.request: NewSubmissionRequest | None = None
        self._choices = choices

        self.workshop_combo = QComboBox(self)
        self.workshop_combo.setAccessibleName(_("Workshop"))
        for wid, label in choices.workshops:
            self.workshop_combo.addItem(label, wid)
        if workshop_id is not None:
            self.workshop_combo.setCurrentIndex(max(self.workshop_combo.findData(workshop_id), 0))
        self.workshop_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.workshop_combo.setMinimumContentsLength(40)

        self.country_combo = QComboBox(self)
        self.country_combo.setAccessibleName(_("Country"))
        self.country_combo.setEditable(True)
        self.country_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code, name in choices.countries:
            self.country_combo.addItem(name, code)
        # The completer shows what CountryFilter keeps: names without their accents, and codes.
        self.country_filter = CountryFilter(self)
        self.country_filter.setSourceModel(self.country_combo.model())
        completer = QCompleter(self.country_filter, self.country_combo)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.country_combo.setCompleter(completer)
        index = self.country_combo.findData(choices.default_country) if choices.default_country else -1
        self.country_combo.setCurrentIndex(index)
        if index < 0:
            self.country_combo.setEditText("")
        line = self.country_combo.lineEdit()
        if line is not None:
            line.textEdited.connect(self.country_filter.set_wanted)
            line.setPlaceholderText(_("Type to search, e.g. Mexico or MEX"))
            line.setAccessibleName(_("Country"))

        self.language_combo = QComboBox(self)
        self.language_combo.setAccessibleName(_("Language of the submission"))
        for code in LANGUAGES:
            self.language_combo.addItem(language_name(code), code)
        self.language_combo.setCurrentIndex(
            max(self.language_combo.findData(choices.default_language), 0))

        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName(_("Title"))
        self.title_edit.setPlaceholderText(_("Optional: the workshop’s title if left empty"))

        self.error_label = QLabel(self)
        self.error_label.setObjectName("new_submission_error")
        tint(self.error_label, Tone.ERROR)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(_("Problem"))
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(_("&Workshop:"), self.workshop_combo)
        form.addRow(_("&Country:"), self.country_combo)
        form.addRow(_("&Language:"), self.language_combo)
        form.addRow(_("&Title:"), self.title_edit)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText(_("Create and open"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        (self.workshop_combo if workshop_id is None else self.country_combo).setFocus()

    def country_code(self) -> str | None:
        """The alpha-3 code of what the country field holds (a name or a code), or None."""
        text = self.country_combo.currentText().strip()
        if not text:
            return None
        wanted = _sort_key(text)
        for code, name in self._choices.countries:
            if _sort_key(name) == wanted or code == text.upper():
                return code
        return None

    def accept(self) -> None:
        workshop = self.workshop_combo.currentData()
        code = self.country_code()
        if not workshop:
            self._show_error(_("Choose the workshop this submission is for."), self.workshop_combo)
            return
        if code is None:
            text = self.country_combo.currentText().strip()
            message = (_("Choose a country from the list.") if not text
                       else _("“{text}” is not a country in the list: pick one of the suggestions.")
                       .format(text=text))
            self._show_error(message, self.country_combo)
            return
        title = self.title_edit.text().strip()
        self.request = NewSubmissionRequest(
            workshop_id=str(workshop), country=code,
            language=str(self.language_combo.currentData()), title=title or None)
        super().accept()

    def _show_error(self, message: str, field: QWidget) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        field.setFocus()


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


class LinkDialog(QDialog):
    """The text and address of a link; an empty address removes the link."""

    def __init__(self, text: str, address: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Link"))
        self.setAccessibleName(_("Link"))
        self.text_edit = QLineEdit(text.replace("\u2029", " ").replace("\u2028", " "), self)
        self.text_edit.setAccessibleName(_("Text of the link"))
        self.address_edit = QLineEdit(address, self)
        self.address_edit.setAccessibleName(_("Address of the link"))
        self.address_edit.setPlaceholderText("https://")
        self.error_label = QLabel(self)
        tint(self.error_label, Tone.ERROR)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        hint = QLabel(_("Leave the address empty to remove the link."), self)
        hint.setWordWrap(True)
        hint.setEnabled(False)
        form = QFormLayout()
        form.addRow(_("&Text:"), self.text_edit)
        form.addRow(_("&Address:"), self.address_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        (self.address_edit if text else self.text_edit).setFocus()

    def link_text(self) -> str:
        return self.text_edit.text().strip()

    def address(self) -> str:
        """The address as typed, with https:// (or mailto:) added when it has no scheme."""
        value = self.address_edit.text().strip()
        if not value or _SCHEME.match(value):
            return value
        if "@" in value and "/" not in value:
            return "mailto:" + value
        return "https://" + value

    def accept(self) -> None:
        if not self.link_text() and not self.address():
            self.error_label.setText(_("Type the text and the address of the link."))
            self.error_label.show()
            self.text_edit.setFocus()
            return
        if " " in self.address():
            self.error_label.setText(_("An address has no spaces: check what you typed."))
            self.error_label.show()
            self.address_edit.setFocus()
            return
        super().accept()
