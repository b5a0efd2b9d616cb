"""The Workshops view: the IDM programme as a tree with deadlines counting down, and the
details of the chosen event beside it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QTreeView, QVBoxLayout, QWidget

from idm_desktop.app import DesktopApp
from idm_desktop.core.documents import Document
from idm_desktop.core.i18n import _, ui_language
from idm_desktop.core.notices import Notice, Reminder, reminders
from idm_desktop.core.workshops import Workshop
from idm_desktop.ui.tasks import Lane, Task, TaskManager
from idm_desktop.ui.workshops.detail import WorkshopDetail
from idm_desktop.ui.workshops.model import (
    WORKSHOP_ID_ROLE,
    Column,
    ProgrammeGroup,
    WorkshopTreeModel,
    build_programme,
)
from idm_desktop.ui.workshops.notices import NoticesPanel

log = logging.getLogger(__name__)


class WorkshopsView(QWidget):
    """The programme by year and theme; choosing an event shows its details and documents."""

    sig_new_submission_requested = Signal(str)
    """The user asked to start a submission for this workshop id."""

    sig_document_requested = Signal(str)
    """The user asked to open this document id."""

    sig_notices_read = Signal()
    """Notices were marked as read (the status bar counts them)."""

    sig_programme_shown = Signal()
    """The programme read at start (or again) is shown."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workshops_view")
        self.setAccessibleName(_("Workshops"))
        self.app = app
        self.tasks = tasks
        self._lang = ui_language()
        self._now = app.clock()
        self._wanted_id: str | None = None  # the event to show once the list has arrived
        self._workshops_task: Task | None = None
        self._documents_task: Task | None = None

        self.model = WorkshopTreeModel(self)
        self.tree = _ProgrammeTree(self)
        self.tree.setObjectName("workshops_tree")
        self.tree.setAccessibleName(_("Workshops and other events"))
        self.tree.setAccessibleDescription(
            _("IDM events by year and theme, with their dates, city, status and deadline."))
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QTreeView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QTreeView.SelectionMode.SingleSelection)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        self.tree.selectionModel().currentRowChanged.connect(self._on_tree_current_row_changed)

        self.empty_label = QLabel(_("Loading the programme…"), self)
        self.empty_label.setObjectName("workshops_loading")

        self.notices = NoticesPanel(self)
        self.notices.sig_read.connect(self._on_notice_read)

        self.detail = WorkshopDetail(self)
        self.detail.sig_document_requested.connect(self.sig_document_requested)
        self.detail.sig_new_submission_requested.connect(self.sig_new_submission_requested)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.empty_label)
        top_layout.addWidget(self.tree)

        # The programme above (as tall as its rows), the chosen event below: both get the full
        # width, so titles and guiding questions read in long lines.
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._fitted = False  # the programme's height is fitted once; then it is the user's
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notices)
        layout.addWidget(self.splitter)
        self.setFocusProxy(self.tree)

    # -- public ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the programme (and the chosen event's documents) off the UI thread."""
        if self._workshops_task is not None:
            self._workshops_task.cancel_now()
        app, lang = self.app, self._lang  # the worker gets the library, never the widget

        def load() -> _Loaded:
            workshops = app.workshops()
            now = app.clock()
            return _Loaded(now, tuple(workshops), tuple(build_programme(workshops, now, lang)),
                           tuple(reminders(workshops, now)), tuple(app.notices()))

        self._workshops_task = self.tasks.run(load, lane=Lane.STORAGE, name="workshops",
                                              on_done=self._on_workshops_loaded)

    def select_workshop(self, workshop_id: str) -> None:
        """Show the event ``workshop_id`` (now, or as soon as the programme has loaded)."""
        index = self.model.index_of(workshop_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:
            self._wanted_id = workshop_id

    def waiting_for_library(self, message: str) -> None:
        """The programme could not be read yet (another program holds the file): says so where
        the programme goes, until it is read."""
        if self.model.rowCount() == 0:
            self.empty_label.setText(message)
            self.empty_label.setVisible(True)

    @property
    def loading(self) -> Task | None:
        """The programme's read while it runs (None once it is shown)."""
        return self._workshops_task

    def current_workshop(self) -> Workshop | None:
        return self.detail.workshop

    def _on_notice_read(self, ident: str) -> None:
        app = self.app

        def done(_n: int) -> None:
            self.sig_notices_read.emit()
            self.refresh()

        self.tasks.run(lambda: app.mark_notices_read(ident or None), name="notice read", on_done=done)

    # -- loading ---------------------------------------------------------------------------------

    def _on_workshops_loaded(self, loaded: _Loaded) -> None:
        self._workshops_task = None
        self._now = loaded.now
        current = self.detail.workshop
        wanted = self._wanted_id or (current.id if current else None) or _first_choice(
            loaded.workshops, self._now)
        self._wanted_id = None
        self.notices.show_items(loaded.reminders, loaded.notices,
                                {w.id: w.title_in(self._lang) for w in loaded.workshops}, self._lang)
        self.model.set_programme(loaded.programme)
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        self.tree.expandAll()
        for column in Column:  # once per load: a mode that re-measures on every change is slow
            if column != Column.TITLE:
                self.tree.resizeColumnToContents(column)
        self.empty_label.setVisible(not loaded.workshops)
        self.empty_label.setText(_("The programme is empty."))
        self._fit_programme()
        index = self.model.index_of(wanted) if wanted else QModelIndex()
        if index.isValid():
            # The reset cleared the selection: choosing the row again reloads its documents.
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:
            self.detail.clear()
        self.sig_programme_shown.emit()

    def _fit_programme(self) -> None:
        """Give the programme the height of its rows, once, and the details the rest."""
        self.tree.updateGeometry()
        sizes = self.splitter.sizes()
        if self._fitted or sum(sizes) == 0:
            return  # not laid out yet: the tree's size hint does it when the view is shown
        self._fitted = True
        wanted = min(self.tree.sizeHint().height(), sum(sizes) // 2)
        self.splitter.setSizes([wanted, sum(sizes) - wanted])

    def _on_tree_current_row_changed(self, current: QModelIndex | QPersistentModelIndex,
                                     _previous: QModelIndex | QPersistentModelIndex) -> None:
        workshop = self.model.workshop_at(current)
        if workshop is None:
            return  # a programme heading: keep showing the event chosen last
        self.detail.show_workshop(workshop, self._now, self._lang)
        self._load_documents(workshop.id)

    def _load_documents(self, workshop_id: str) -> None:
        if self._documents_task is not None:
            self._documents_task.cancel_now()

        app = self.app  # the worker gets the library, never the widget

        def load() -> list[Document]:
            return app.documents(workshop_id)

        def show(docs: list[Document]) -> None:
            self._documents_task = None
            current = self.detail.workshop
            if current is not None and current.id == workshop_id:
                self.detail.set_documents(docs)

        self._documents_task = self.tasks.run(load, lane=Lane.STORAGE, name="workshop documents",
                                              on_done=show)

    def selected_workshop_id(self) -> str | None:
        value = self.tree.currentIndex().data(WORKSHOP_ID_ROLE)
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class _Loaded:
    """What the worker hands back: the time it was, the events, and their rows."""

    now: dt.datetime
    workshops: tuple[Workshop, ...]
    programme: tuple[ProgrammeGroup, ...]
    reminders: tuple[Reminder, ...] = ()
    notices: tuple[Notice, ...] = ()


def _first_choice(workshops: Sequence[Workshop], now: dt.datetime) -> str | None:
    """The event a delegate most likely wants first: the nearest deadline still open, else the
    next event, else the one whose deadline passed last, else the latest event."""
    open_deadlines = [w for w in workshops if w.deadline and not w.deadline.has_passed(now)]
    if open_deadlines:
        return min(open_deadlines, key=lambda w: w.deadline.instant if w.deadline else now).id
    today = now.date()
    upcoming = [w for w in workshops if w.start and w.start >= today]
    if upcoming:
        return min(upcoming, key=lambda w: w.start or today).id
    with_deadline = [w for w in workshops if w.deadline]
    if with_deadline:
        return max(with_deadline, key=lambda w: w.deadline.instant if w.deadline else now).id
    return workshops[-1].id if workshops else None


class _ProgrammeTree(QTreeView):
    """A tree that asks for the height of its rows (up to a screenful), not a fixed default."""

    MAX_ROWS = 24

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        model = self.model()
        rows = 0
        if model is not None:
            rows = model.rowCount()
            rows += sum(model.rowCount(model.index(r, 0)) for r in range(model.rowCount()))
        row_height = max(self.sizeHintForRow(0), self.fontMetrics().height() + 2)
        height = (self.header().sizeHint().height() + min(max(rows, 4), self.MAX_ROWS) * row_height
                  + 2 * self.frameWidth() + 4)
        return QSize(hint.width(), height)
