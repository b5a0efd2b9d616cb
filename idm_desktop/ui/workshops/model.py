"""Qt models of the Workshops view: the programme as a tree, and a workshop's documents.

Both hold plain immutable objects (never ORM rows) and compute their display texts once, when
they are given new data, so painting never formats a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from idm_desktop.core.documents import Document
from idm_desktop.core.formatting import city_label, countdown, deadline_time, event_dates, status_label
from idm_desktop.core.i18n import _
from idm_desktop.core.text import pick
from idm_desktop.core.workshops import Workshop
from idm_desktop.ui.formatting import TABLE_BACKGROUND, Tone, tone_color

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root, as a default argument

WORKSHOP_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The workshop id of an event row (None on a programme row)."""

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The document id of a row of :class:`WorkshopDocumentsModel`."""

"""Deadlines that have passed are written in this red (contrast ≥ 4.5:1 on white)."""


class Column(IntEnum):
    TITLE = 0
    DATES = 1
    CITY = 2
    STATUS = 3
    DEADLINE = 4


def _headers() -> tuple[str, ...]:
    return (_("Event"), _("Dates"), _("City"), _("Status"), _("Deadline"))


def group_label(year: int, programme: str) -> str:
    """"IDM 2006 — Partnerships in Migration: …", the heading of one year's programme."""
    if programme:
        return _("IDM {year} — {programme}").format(year=year, programme=programme)
    return _("IDM {year}").format(year=year)


@dataclass(frozen=True, slots=True)
class ProgrammeEvent:
    """One event row, its texts formatted once."""

    workshop: Workshop
    cells: tuple[str, ...]
    passed: bool  # its deadline has passed


@dataclass(frozen=True, slots=True)
class ProgrammeGroup:
    """One year's programme: its heading and its events."""

    label: str
    events: tuple[ProgrammeEvent, ...]


def build_programme(workshops: Sequence[Workshop], now: dt.datetime,
                    lang: str) -> list[ProgrammeGroup]:
    """The rows of the tree for ``workshops`` (in their order), with countdowns as of ``now``.

    Plain Python, no Qt: it may run on a worker thread (formatting loads Babel's locale data).
    """
    groups: dict[tuple[int, str], tuple[str, list[ProgrammeEvent]]] = {}
    for w in workshops:
        programme = pick(w.programme, lang)
        _label, events = groups.setdefault((w.year, programme), (group_label(w.year, programme), []))
        deadline = countdown(w.deadline, now, lang) if w.deadline else ""
        at = deadline_time(w.deadline, lang) if w.deadline else None
        if at is not None:  # a deadline before the end of its day says its hour
            deadline = _("{countdown}, until {time}").format(countdown=deadline, time=at)
        cells = (w.title_in(lang), event_dates(w, lang), city_label(w.city),
                 status_label(w.status_on(now.date())), deadline)
        passed = w.deadline is not None and w.deadline.has_passed(now)
        events.append(ProgrammeEvent(w, cells, passed))
    return [ProgrammeGroup(label, tuple(events)) for label, events in groups.values()]


class WorkshopTreeModel(QAbstractItemModel):
    """Programmes (year and theme) at the top level, their events below, in date order.

    An index's internal id tells its level: 0 for a programme row, ``group row + 1`` for an
    event row (so no Python object has to be kept alive behind a pointer).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[ProgrammeGroup] = []
        self._headers = _headers()
        self._bold = QFont()
        self._bold.setBold(True)

    # -- data in -------------------------------------------------------------------------------

    def set_programme(self, groups: Sequence[ProgrammeGroup]) -> None:
        """Show rows made by :func:`build_programme`."""
        self.beginResetModel()
        self._headers = _headers()
        self._groups = list(groups)
        self.endResetModel()

    def set_workshops(self, workshops: Sequence[Workshop], now: dt.datetime, lang: str) -> None:
        """Show ``workshops`` (in their order), with countdowns as of ``now``, in ``lang``."""
        self.set_programme(build_programme(workshops, now, lang))

    # -- lookups for the view --------------------------------------------------------------------

    def workshop_at(self, index: Index) -> Workshop | None:
        event = self._event(index)
        return event.workshop if event else None

    def index_of(self, workshop_id: str) -> QModelIndex:
        """The title cell of the event ``workshop_id`` (invalid if it is not shown)."""
        for g, group in enumerate(self._groups):
            for r, event in enumerate(group.events):
                if event.workshop.id == workshop_id:
                    return self.createIndex(r, 0, g + 1)
        return QModelIndex()

    def workshop_ids(self) -> list[str]:
        return [e.workshop.id for g in self._groups for e in g.events]

    def _event(self, index: Index) -> ProgrammeEvent | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        group = self._groups[index.internalId() - 1]
        return group.events[index.row()]

    # -- QAbstractItemModel ----------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].events)
        return 0

    def columnCount(self, parent: Index = _ROOT) -> int:
        return len(Column)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:  # a heading: shown, not chosen
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._group_data(index, role)
        event = self._event(index)
        if event is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleTextRole):
            text = event.cells[index.column()]
            if role == Qt.ItemDataRole.ToolTipRole:
                return text or None
            return text
        if role == WORKSHOP_ID_ROLE:
            return event.workshop.id
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == Column.DEADLINE and event.passed:
            return tone_color(Tone.ERROR, TABLE_BACKGROUND)
        return None

    def _group_data(self, index: Index, role: int) -> Any:
        if index.column() != 0:
            return None
        label = self._groups[index.row()].label
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleTextRole):
            return label
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._headers)):
            return self._headers[section]
        return None


class WorkshopDocumentsModel(QAbstractListModel):
    """The documents of one workshop in the local library: symbol, title, "English only"."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._docs: list[Document] = []
        self._texts: list[str] = []

    def set_documents(self, docs: Sequence[Document]) -> None:
        self.beginResetModel()
        self._docs = list(docs)
        self._texts = [_document_text(d) for d in self._docs]
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._docs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._docs):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleTextRole):
            return self._texts[index.row()]
        if role == DOCUMENT_ID_ROLE:
            return self._docs[index.row()].id
        return None


def _document_text(doc: Document) -> str:
    text = doc.symbol if doc.title in ("", doc.symbol) else f"{doc.symbol} — {doc.title}"
    if doc.english_only:
        text += " " + _("(English only)")
    return text
