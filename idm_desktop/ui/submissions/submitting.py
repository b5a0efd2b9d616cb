"""Submit the open submission: confirm, save, check, freeze and queue it for the secretariat.

The text is frozen here at once (``app.sync.submit``); the receipt comes with the sync that
sends it. The check runs the export layout to count pages, so the submit runs on the export
lane, after the storage lane has written the editor's last changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from idm_desktop.app import DesktopApp
from idm_desktop.core.errors import CheckFailedError
from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import Submission
from idm_desktop.core.validation import CheckReport
from idm_desktop.ui.tasks import Lane, TaskManager


class Submitter(QObject):
    """Asks, then submits; a check that finds errors is shown, with "Submit anyway"."""

    sig_submitted = Signal(object)
    """The submission was frozen and queued (the :class:`Submission` as it is now)."""

    sig_failed = Signal(object)
    """Submitting failed or was refused (the error); the text is unchanged and editable."""

    sig_cancelled = Signal()
    """The user said no to the question: nothing was sent, the text is editable again."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget) -> None:
        super().__init__(parent)
        self._app = app
        self._tasks = tasks
        self._parent = parent
        self.box: QMessageBox | None = None  # the question on screen, if any
        self.running = False

    def submit(self, sid: str, title: str, save_first: Callable[[], object],
               blocked: Callable[[], BaseException | None]) -> None:
        """Save, check, then ask the user to confirm with what the check found; submit ``sid``
        only on a deliberate click (Enter and Escape cancel: a submitted text is final)."""
        if self.running or self.box is not None:
            return
        self.running = True
        save_first()
        app = self._app

        def ask(report: CheckReport) -> None:
            self.running = False
            question = _("Submit “{title}” to the secretariat?").format(title=title or _("(untitled)"))
            details = _("Its text is then frozen: a correction is a new submission that supersedes it. It is "
                        "sent with the next sync, and the receipt shows here.")
            found = [p.message for p in (*report.errors, *report.warnings)]
            if found:
                details = "\n".join(f"• {m}" for m in found) + "\n\n" + details
            if report.errors:
                go = _("Submit anyway")
                question += " " + _("The check found problems:")
            else:
                go = _("Submit")
                if report.warnings:
                    question += " " + _("Look at these first:")
            self._ask(question, details, go,
                      lambda: self._send(sid, save_first, blocked, force=bool(report.errors)),
                      safe_default=True)

        def failed(exc: BaseException) -> None:
            self.running = False
            self.sig_failed.emit(exc)
            self._tasks.default_error(exc)

        def after_saves(_result: object) -> None:
            problem = blocked()
            if problem is not None:
                failed(problem)
                return
            self._tasks.run(lambda: app.check(sid), lane=Lane.EXPORT, name="check before submit",
                            on_done=ask, on_error=failed)

        # The storage lane runs in order: once this no-op is done, the saves above are on disk.
        self._tasks.run(lambda: None, lane=Lane.STORAGE, name="submit: wait for saves",
                        on_done=after_saves, on_error=failed)

    def _ask(self, text: str, details: str, go: str, then: Callable[[], None], *,
             safe_default: bool = False) -> None:
        """Ask, and ``then()`` if the user chose ``go``. With ``safe_default``, Enter (the
        default button) cancels, as Escape does: going ahead must be a deliberate click."""
        box = QMessageBox(QMessageBox.Icon.Question, _("Submit to the secretariat"), text,
                          QMessageBox.StandardButton.NoButton, self._parent)
        box.setObjectName("submit_question")
        box.setInformativeText(details)
        go_button = box.addButton(go, QMessageBox.ButtonRole.AcceptRole)
        cancel_button = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(cancel_button)
        box.setDefaultButton(cancel_button if safe_default else go_button)
        box.setAccessibleName(_("Submit to the secretariat"))

        def finished(_result: int) -> None:
            self.box = None
            box.deleteLater()
            if box.clickedButton() is go_button:
                then()
            else:
                self.sig_cancelled.emit()

        box.finished.connect(finished)
        self.box = box
        box.open()

    def _send(self, sid: str, save_first: Callable[[], object],
              blocked: Callable[[], BaseException | None], *, force: bool) -> None:
        self.running = True
        save_first()
        app = self._app

        def submit() -> Submission:
            app.sync.submit(sid, force=force)
            return app.submission(sid)

        def after_saves(_result: object) -> None:
            problem = blocked()
            if problem is not None:
                self._on_failed(sid, save_first, blocked, problem)
                return
            self._tasks.run(submit, lane=Lane.EXPORT, name="submit", on_done=self._on_submitted,
                            on_error=lambda exc: self._on_failed(sid, save_first, blocked, exc))

        # The storage lane runs in order: once this no-op is done, the saves above are on disk.
        self._tasks.run(lambda: None, lane=Lane.STORAGE, name="submit: wait for saves",
                        on_done=after_saves,
                        on_error=lambda exc: self._on_failed(sid, save_first, blocked, exc))

    def _on_submitted(self, sub: Submission) -> None:
        self.running = False
        self.sig_submitted.emit(sub)

    def _on_failed(self, sid: str, save_first: Callable[[], object],
                   blocked: Callable[[], BaseException | None], exc: BaseException) -> None:
        self.running = False
        self.sig_failed.emit(exc)
        if isinstance(exc, CheckFailedError):
            self._ask(str(exc), _("You can still submit it as it is, if the secretariat agreed."),
                      _("Submit anyway"), lambda: self._send(sid, save_first, blocked, force=True),
                      safe_default=True)
            return
        self._tasks.default_error(exc)
