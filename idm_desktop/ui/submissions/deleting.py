"""Deleting a draft from the list of submissions, with Undo for as long as the window is open.

Only a draft that never left this computer can be deleted (``storage/drafts.py`` checks);
there is no "are you sure?": the banner's Undo brings it back with its whole history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from idm_desktop.app import DesktopApp
from idm_desktop.core.errors import IdmError
from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import Submission

if TYPE_CHECKING:  # the storage layer (and SQLAlchemy) loads with the library, not with the window
    from idm_desktop.storage.drafts import DeletedDraft
from idm_desktop.ui.formatting import Tone, banner_style
from idm_desktop.ui.tasks import Lane, TaskManager


class DraftDeleter(QObject):
    """The Delete draft button, and the banner that offers Undo."""

    sig_changed = Signal()
    """A draft was deleted or brought back: the list must be read again."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, selected: Callable[[], str | None],
                 parent: QWidget) -> None:
        super().__init__(parent)
        self._app = app
        self._tasks = tasks
        self._selected = selected
        self.deleted: list[DeletedDraft] = []  # this session's, the last one first to undo
        self.restored_id: str | None = None
        self.button = QPushButton(_("Delete draft"), parent)
        self.button.setObjectName("delete_draft")
        self.button.setToolTip(_("Delete the selected draft (Del); Undo brings it back"))
        self.button.clicked.connect(self.delete_selected)
        self.banner = QFrame(parent)
        self.banner.setObjectName("deleted_banner")
        self.label = QLabel(self.banner)
        self.label.setWordWrap(True)
        self.undo_button = QPushButton(_("&Undo"), self.banner)
        self.undo_button.setObjectName("undo_delete")
        self.undo_button.clicked.connect(self.undo)
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.undo_button)
        self.banner.hide()

    def set_enabled_for(self, is_draft: bool) -> None:
        self.button.setEnabled(is_draft)

    def delete_selected(self) -> None:
        sid = self._selected()
        if sid is None:
            return
        app = self._app
        self._tasks.run(lambda: app.delete_draft(sid), lane=Lane.STORAGE, name="delete draft",
                        on_done=self._on_deleted, on_error=self._on_failed)

    def _on_deleted(self, draft: DeletedDraft) -> None:
        self.deleted.insert(0, draft)
        title = draft.submission.title or _("Untitled")
        self._show(_("Draft “{title}” deleted.").format(title=title), Tone.WARNING, undo=True)
        self.sig_changed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, IdmError):
            self._tasks.default_error(exc)
            return
        self._show(str(exc), Tone.ERROR, undo=False)

    def undo(self) -> None:
        """Bring back the draft deleted last."""
        if not self.deleted:
            return
        draft = self.deleted.pop(0)
        app = self._app
        self._tasks.run(lambda: app.undelete_draft(draft), lane=Lane.STORAGE,
                        name="undo delete draft", on_done=self._on_restored)

    def _on_restored(self, sub: Submission) -> None:
        if self.deleted:
            title = self.deleted[0].submission.title or _("Untitled")
            self._show(_("Draft “{title}” deleted.").format(title=title), Tone.WARNING, undo=True)
        else:
            self.banner.hide()
        self.restored_id = sub.id
        self.sig_changed.emit()

    def _show(self, text: str, tone: Tone, undo: bool) -> None:
        self.label.setText(text)
        self.banner.setStyleSheet(banner_style(tone, "QFrame#deleted_banner"))
        self.undo_button.setVisible(undo)
        self.banner.show()
