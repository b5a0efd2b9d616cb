"""The list of submissions as a Qt table model, and the filter by workshop and status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from idm_desktop.app import DesktopApp
from idm_desktop.core.countries import country_name
from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import _, ui_language
from idm_desktop.core.languages import language_name
from idm_desktop.core.submissions import SubmissionStatus, state_label
from idm_desktop.ui.formatting import format_datetime, format_number
from idm_desktop.ui.rows_model import RowsModel

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
WORKSHOP_ROLE = Qt.ItemDataRole.UserRole + 3
STATUS_ROLE = Qt.ItemDataRole.UserRole + 4
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    """One line of the list, with every name already in the UI language."""

    id: str
    title: str
    workshop_id: str
    workshop: str
    country: str
    language: str
    status: SubmissionStatus
    words: int
    updated_at: dt.datetime
    returned: bool = False  # a reviewer returned the draft to its drafters


@dataclass(frozen=True, slots=True)
class Listing:
    """The rows, and the workshops for the filter (id, title), by date."""

    rows: tuple[SubmissionRow, ...]
    workshops: tuple[tuple[str, str], ...]


def ball_label(status: SubmissionStatus) -> str:
    """Who has the ball (DESIGN §13): who the next step of a submission waits for."""
    return {
        SubmissionStatus.DRAFT: _("the drafters"),
        SubmissionStatus.IN_REVIEW: _("the reviewers"),
        SubmissionStatus.CLEARED: _("a submitter"),
        SubmissionStatus.SUBMITTED: _("the next sync"),
        SubmissionStatus.RECEIVED: _("the secretariat"),
        SubmissionStatus.RETURNED: _("the drafters"),  # a correction to prepare
        SubmissionStatus.PUBLISHED: "—",
        SubmissionStatus.WITHDRAWN: "—",
    }[status]


def load_listing(app: DesktopApp) -> Listing:
    """Everything the list shows. Runs on the storage lane (names come from CLDR files)."""
    lang = ui_language()
    workshops = sorted(app.workshops(), key=lambda w: w.start or dt.date.min, reverse=True)
    titles = {w.id: w.title_in(lang) for w in workshops}
    rows = []
    returned = app.clearance.returned_ids()
    for sub in app.submissions():
        try:
            country = country_name(sub.country, lang)
        except InvalidInputError:  # a code this version of the ISO tables does not know
            country = sub.country
        rows.append(SubmissionRow(
            id=sub.id, title=sub.title, workshop_id=sub.workshop_id,
            workshop=titles.get(sub.workshop_id, sub.workshop_id), country=country,
            language=language_name(sub.language, lang), status=sub.status, words=sub.words,
            updated_at=sub.updated_at, returned=sub.id in returned,
        ))
    return Listing(rows=tuple(rows), workshops=tuple((w.id, titles[w.id]) for w in workshops))


class SubmissionsModel(RowsModel):
    """Title, workshop, country, language, status, words, last saved, who has the ball."""

    COLUMNS = ("title", "workshop", "country", "language", "status", "words", "saved", "ball")

    def row_of(self, sid: str) -> int:
        return next((n for n, r in enumerate(self._rows) if r.id == sid), -1)

    def submission_row(self, row: int) -> SubmissionRow:
        row_data: SubmissionRow = self.row_at(row)
        return row_data

    def header_labels(self) -> tuple[str, ...]:
        return (_("Title"), _("Workshop"), _("Country"), _("Language"), _("Status"), _("Words"),
                _("Last saved"), _("Next step with"))

    def cell(self, row: int, column: str, role: int) -> Any:
        r: SubmissionRow = self._rows[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return {
                "title": r.title or _("(untitled)"),
                "workshop": r.workshop,
                "country": r.country,
                "language": r.language,
                "status": state_label(r.status, returned=r.returned),
                "ball": ball_label(r.status),
                "words": format_number(r.words),
                "saved": format_datetime(r.updated_at),
            }[column]
        if role == SORT_ROLE:
            return {
                "title": r.title.casefold(),
                "workshop": r.workshop.casefold(),
                "country": r.country.casefold(),
                "language": r.language,
                "status": list(SubmissionStatus).index(r.status),
                "ball": list(SubmissionStatus).index(r.status),
                "words": r.words,
                "saved": r.updated_at.timestamp(),
            }[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "words":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return r.id
        if role == WORKSHOP_ROLE:
            return r.workshop_id
        if role == STATUS_ROLE:
            return r.status.value
        return None


class SubmissionsFilter(QSortFilterProxyModel):
    """Shows the submissions of one workshop and/or one status (None: all)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workshop: str | None = None
        self._status: str | None = None
        self.setSortRole(SORT_ROLE)

    def set_filter(self, workshop_id: str | None, status: str | None) -> None:
        self.beginFilterChange()
        self._workshop = workshop_id
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._workshop and model.data(index, WORKSHOP_ROLE) != self._workshop:
            return False
        return not (self._status and model.data(index, STATUS_ROLE) != self._status)
