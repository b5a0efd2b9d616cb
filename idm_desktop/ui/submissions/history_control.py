"""The editor's history: load the versions off the interface thread, show them, name one, and
restore one (the editor takes the restored text in through ``sig_restored``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from idm_desktop.app import DesktopApp
from idm_desktop.core.submissions import Submission
from idm_desktop.core.templates import Template
from idm_desktop.ui.submissions.autosave import Snapshot
from idm_desktop.ui.submissions.history import HistoryDialog, Version, load_versions
from idm_desktop.ui.tasks import Lane, TaskManager


class HistoryControl(QObject):
    """Opens the history of the editor's submission; ``dialog`` while it is shown."""

    sig_restored = Signal(object)
    """A version was restored (the :class:`Submission` as it is now)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, editor: QWidget) -> None:
        super().__init__(editor)
        self._app = app
        self._tasks = tasks
        self._editor = editor
        self.dialog: HistoryDialog | None = None

    def open(self, sid: str, template: Template, language: str, snapshot: Callable[[], Snapshot],
             editable: bool, flush: Callable[[], object]) -> None:
        """Save what is typed (it becomes a version too), then show every version."""
        flush()
        app = self._app

        def show(versions: list[Version]) -> None:
            snap = snapshot()
            dialog = HistoryDialog(versions, template, language, snap.title, snap.body, editable,
                                   self._editor)
            dialog.sig_restore_requested.connect(lambda seq: self._restore(sid, seq, flush))
            dialog.sig_name_requested.connect(lambda seq, name: self._name(sid, seq, name))
            dialog.finished.connect(dialog.deleteLater)
            dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
            self.dialog = dialog
            dialog.open()

        self._tasks.run(lambda: load_versions(app, sid), lane=Lane.STORAGE, name="history",
                        on_done=show)

    def _name(self, sid: str, seq: int, name: str) -> None:
        app = self._app

        def name_and_reload() -> list[Version]:
            app.name_version(sid, seq, name)
            return load_versions(app, sid)

        def renamed(versions: list[Version]) -> None:
            if self.dialog is not None:
                self.dialog.set_versions(versions)

        self._tasks.run(name_and_reload, lane=Lane.STORAGE, name="name version", on_done=renamed)

    def _restore(self, sid: str, seq: int, flush: Callable[[], object]) -> None:
        flush()  # the current text becomes a version too: nothing is lost
        app = self._app
        self._tasks.run(lambda: app.restore(sid, seq), lane=Lane.STORAGE, name="restore",
                        on_done=self._restored)

    def _restored(self, sub: Submission) -> None:
        if self.dialog is not None:
            self.dialog.accept()
        self.sig_restored.emit(sub)
