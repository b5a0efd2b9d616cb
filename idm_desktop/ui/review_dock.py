"""The Review pane's dock beside the editor (DESIGN §13): the main window builds it when the first
submission opens, and it joins the pane to the Submissions view and to the sync."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from idm_desktop.core.i18n import _
from idm_desktop.ui.review.pane import ReviewPane

if TYPE_CHECKING:
    from idm_desktop.app import DesktopApp
    from idm_desktop.ui.submissions.view import SubmissionsView
    from idm_desktop.ui.sync.controller import SyncController
    from idm_desktop.ui.tasks import TaskManager


class ReviewDock(QDockWidget):
    """The dock on the window's right holding the :class:`ReviewPane` (hidden until shown)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, submissions: SubmissionsView,
                 sync: SyncController, window: QMainWindow) -> None:
        super().__init__(_("Review"), window)
        self.setObjectName("review_dock")
        self._window = window
        self._submissions = submissions
        self.pane = pane = ReviewPane(app, tasks, self)
        self.setWidget(pane)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        window.resizeDocks([self], [320], Qt.Orientation.Horizontal)
        self.hide()
        pane.sig_highlights_changed.connect(submissions.set_highlights)
        pane.sig_comment_chosen.connect(submissions.show_words)
        pane.sig_text_will_change.connect(submissions.save_now)
        pane.sig_comment_requested.connect(self._on_pane_comment_requested)
        pane.sig_text_changed.connect(submissions.reload_if_open)
        pane.sig_review_changed.connect(lambda _sid: sync.local_change())
        pane.sig_review_changed.connect(lambda _sid: submissions.refresh())
        pane.sig_review_changed.connect(submissions.reload_if_open)

    def _on_pane_comment_requested(self) -> None:
        chosen = self._submissions.selection()
        if chosen is None:
            self._window.statusBar().showMessage(_("Select the words to comment on in the text first."), 5000)
            return
        self._submissions.save_now()  # the comment quotes the text as saved
        self.pane.add_comment(*chosen)
