"""The main window's status bar: the sync indicator on the left; on the right what waits for the
user (drafts to review or to send, notices and deadlines) and the library's counts, which it also
puts on the sidebar's entries."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QMainWindow

from idm_desktop.core.i18n import _, ngettext, plural
from idm_desktop.ui.formatting import format_number
from idm_desktop.ui.sync.status_bar import SyncIndicator

if TYPE_CHECKING:
    from idm_desktop.app import DesktopApp
    from idm_desktop.ui.sidebar import Sidebar
    from idm_desktop.ui.tasks import Task, TaskManager

STATUS_GAP = 10  # px on each side of a label in the status bar


class StatusLine:
    """The labels of the status bar, and the reads that fill them (off the window's thread)."""

    def __init__(self, window: QMainWindow, app: DesktopApp, tasks: TaskManager, nav: Sidebar,
                 library_page: int, submissions_page: int) -> None:
        self._app = app
        self._tasks = tasks
        self._nav = nav
        self._pages = library_page, submissions_page
        self.sync_indicator = SyncIndicator(window)
        self.counts_label = QLabel(window)
        self.counts_label.setObjectName("library_counts")
        self.review_label = QLabel(window)
        self.review_label.setObjectName("review_waiting")
        self.notices_label = QLabel(window)
        self.notices_label.setObjectName("notices_status")
        self.notices_label.hide()
        bar = window.statusBar()
        bar.addWidget(self.sync_indicator)
        bar.addPermanentWidget(self.review_label)
        bar.addPermanentWidget(self.notices_label)
        bar.addPermanentWidget(self.counts_label)
        # Side by side, "1 draft waits for your review" and "0 documents" would read as one line.
        for label in (self.review_label, self.notices_label, self.counts_label):
            label.setContentsMargins(STATUS_GAP, 0, STATUS_GAP, 0)

    def refresh(self) -> None:
        """Read the counts, what waits for review, and the notices again."""
        self.refresh_counts()
        self.refresh_waiting()

    def refresh_counts(self, then: Callable[[], None] | None = None) -> Task:
        """Read the library's counts again (the status bar's and the sidebar's); ``then`` is
        called once they are shown."""
        app = self._app
        library_page, submissions_page = self._pages

        def show(counts: tuple[int, int]) -> None:
            docs, subs = counts
            documents = ngettext("{n} document", "{n} documents", docs).format(n=format_number(docs))
            submissions = ngettext("{n} submission", "{n} submissions", subs).format(n=format_number(subs))
            self.counts_label.setText(f"{documents} · {submissions}")
            self._nav.set_count(library_page, docs, spoken=documents)
            self._nav.set_count(submissions_page, subs, spoken=submissions)
            if then is not None:
                then()

        return self._tasks.run(app.counts, name="counts", on_done=show)

    def refresh_waiting(self) -> None:
        """Read what waits for the user again: drafts to review or to send, notices, deadlines."""
        app = self._app
        # app.clearance loads its modules (diff-match-patch…) on first use: on the worker, not
        # before the window is on the screen.
        self._tasks.run(lambda: app.clearance.waiting(), name="review waiting",
                        on_done=lambda counts: self.show_review_waiting(*counts))

        def notices() -> tuple[int, int]:
            return len(app.notices()), len(app.reminders())

        def show_notices(counts: tuple[int, int]) -> None:
            unread, due = counts
            parts = []
            if unread:
                parts.append(plural("{n} notice", "{n} notices", unread))
            if due:
                parts.append(plural("{n} deadline this week", "{n} deadlines this week", due))
            self.notices_label.setText(" · ".join(parts))
            self.notices_label.setToolTip(_("See them in Workshops"))
            self.notices_label.setVisible(bool(parts))

        self._tasks.run(notices, name="notices", on_done=show_notices)

    def show_review_waiting(self, n: int, to_send: int = 0) -> None:
        """ "2 drafts wait for your review" (reviewers) and "1 cleared draft waits to be sent"
        (submitters); nothing when none waits."""
        parts = []
        if n:
            parts.append(plural("{n} draft waits for your review", "{n} drafts wait for your review", n))
        if to_send:
            parts.append(plural("{n} cleared draft waits to be sent", "{n} cleared drafts wait to be sent",
                                to_send))
        self.review_label.setText(" · ".join(parts))
