"""What the check finds in the text being edited: errors in red, warnings in amber."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QLabel, QListView, QPushButton, QVBoxLayout, QWidget

from idm_desktop.core.i18n import _
from idm_desktop.core.validation import Problem, Severity
from idm_desktop.ui.formatting import TABLE_BACKGROUND, Tone, tone_color

SECTION_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class ProblemsModel(QAbstractListModel):
    """The problems of one check, errors first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problems: list[Problem] = []

    def set_problems(self, problems: tuple[Problem, ...]) -> None:
        self.beginResetModel()
        self._problems = sorted(problems, key=lambda p: p.severity is not Severity.ERROR)
        self.endResetModel()

    def problem(self, row: int) -> Problem:
        return self._problems[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._problems)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._problems):
            return None
        p = self._problems[index.row()]
        error = p.severity is Severity.ERROR
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            line = _("Error: {message}") if error else _("Warning: {message}")
            return line.format(message=p.message)
        if role == Qt.ItemDataRole.ForegroundRole:
            return tone_color(Tone.ERROR if error else Tone.WARNING, TABLE_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (_("Go to the section") if p.section else None)
        if role == SECTION_ROLE:
            return p.section
        return None


class CheckPanel(QWidget):
    """The list of problems; activating one that names a section asks to go there."""

    sig_section_requested = Signal(str)
    """The user picked a problem of this section (its key)."""

    sig_check_requested = Signal()
    """The user asked to check the text now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProblemsModel(self)
        self.view = QListView(self)
        self.view.setObjectName("check_problems")
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setSpacing(2)
        self.view.setAccessibleName(_("Problems found by the check"))
        self.view.activated.connect(self._on_view_activated)
        self.view.clicked.connect(self._on_view_activated)
        self.summary_label = QLabel(_("Checking…"), self)
        self.summary_label.setWordWrap(True)
        self.check_button = QPushButton(_("Check now"), self)
        self.check_button.setAccessibleName(_("Check now"))
        self.check_button.clicked.connect(self.sig_check_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.check_button)

    def show_problems(self, problems: tuple[Problem, ...]) -> None:
        self.model.set_problems(problems)
        errors = sum(p.severity is Severity.ERROR for p in problems)
        if not problems:
            self.summary_label.setText(_("No problems found: the submission is ready to send."))
        elif errors:
            self.summary_label.setText(_("Fix the errors before you submit."))
        else:
            self.summary_label.setText(_("Only warnings: worth a look before you submit."))

    def _on_view_activated(self, index: QModelIndex) -> None:
        key = self.model.data(index, SECTION_ROLE)
        if key:
            self.sig_section_requested.emit(str(key))
