"""Export the open submission to PDF or DOCX, after its last changes are saved."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel, QWidget

from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import _
from idm_desktop.ui.tasks import Lane, TaskManager

FORMATS = ("pdf", "docx")
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')


def default_filename(title: str, fmt: str) -> str:
    """A file name made from the title: "Politique d’intégration.pdf"."""
    name = _UNSAFE.sub(" ", title)
    name = re.sub(r"\s+", " ", name).strip(" .")[:80].rstrip(" .")
    fallback = _("submission")  # not inside the f-string: the message extractor skips those
    return f"{name or fallback}.{fmt}"


class Exporter(QObject):
    """Asks where to write, saves, then exports on the export lane."""

    sig_started = Signal(str)
    """An export started (its format)."""

    sig_finished = Signal(object)
    """An export was written (its Path)."""

    sig_failed = Signal(object)
    """An export failed (the error); nothing was written."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget) -> None:
        super().__init__(parent)
        self._app = app
        self._tasks = tasks
        self._parent = parent
        self._folder: Path | None = None
        self.running = False
        self.choose_path: Callable[[str, str], Path | None] = self._ask_path
        """Where to write an export of a format, given a suggested name; None to cancel."""

    def _ask_path(self, fmt: str, suggested: str) -> Path | None:
        folder = self._folder or Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation))
        caption = _("Export as PDF") if fmt == "pdf" else _("Export as Word document")
        kinds = _("PDF documents (*.pdf)") if fmt == "pdf" else _("Word documents (*.docx)")
        chosen, _kind = QFileDialog.getSaveFileName(self._parent, caption,
                                                    str(folder / suggested), kinds)
        return Path(chosen) if chosen else None

    def export(self, sid: str, fmt: str, title: str, save_first: Callable[[], object],
               blocked: Callable[[], BaseException | None]) -> None:
        """Ask for a file, save the editor's text, then write the export.

        ``blocked`` is asked once the saves are done: an error there stops the export (the
        file would miss text the user sees).
        """
        if self.running:
            return
        path = self.choose_path(fmt, default_filename(title, fmt))
        if path is None:
            return
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(f"{path.name}.{fmt}")
        self._folder = path.parent
        self.running = True
        save_first()
        self.sig_started.emit(fmt)
        app = self._app

        def write() -> Path:
            app.export(sid, fmt, path)
            return path

        def after_saves(_result: object) -> None:
            problem = blocked()
            if problem is not None:
                self._on_export_failed(problem)
                return
            self._tasks.run(write, lane=Lane.EXPORT, name="export",
                            on_done=self._on_export_done, on_error=self._on_export_failed)

        # The storage lane runs in order: once this no-op is done, the saves above are on disk.
        self._tasks.run(lambda: None, lane=Lane.STORAGE, name="export: wait for saves",
                        on_done=after_saves, on_error=self._on_export_failed)

    def _on_export_done(self, path: Path) -> None:
        self.running = False
        self.sig_finished.emit(path)

    def _on_export_failed(self, exc: BaseException) -> None:
        self.running = False
        self.sig_failed.emit(exc)


class ExportStatus(QObject):
    """The editor's line about its last export ("Exported to …", with Open), kept about the
    submission it was asked for: once another text is open, a late answer says nothing."""

    def __init__(self, exporter: Exporter, label: QLabel, open_button: QAbstractButton,
                 current_id: Callable[[], str | None], failed: Callable[[BaseException], None]) -> None:
        super().__init__(label)
        self._label, self._open, self._current_id, self._failed = label, open_button, current_id, failed
        self.path: Path | None = None
        self._sid: str | None = None  # the submission of the last export asked for
        exporter.sig_started.connect(self._on_started)
        exporter.sig_finished.connect(self._on_finished)
        exporter.sig_failed.connect(self._on_failed)
        open_button.clicked.connect(self._on_open_clicked)

    def asked(self, sid: str) -> None:
        self._sid = sid

    def clear(self) -> None:
        self.path = None
        self._label.clear()
        self._label.setToolTip("")
        self._open.hide()

    def _on_started(self, fmt: str) -> None:
        self._open.hide()
        self._label.setText(_("Exporting PDF…") if fmt == "pdf" else _("Exporting DOCX…"))

    def _on_finished(self, path: Path) -> None:
        if self._sid != self._current_id():
            return  # another submission is open now: its status line is not about this file
        self.path = path
        self._label.setText(_("Exported to {name}").format(name=path.name))
        self._label.setToolTip(str(path))
        self._open.show()

    def _on_failed(self, exc: BaseException) -> None:
        if self._sid == self._current_id():
            self._label.setText(_("Not exported."))
        self._failed(exc)

    def _on_open_clicked(self) -> None:
        if self.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))
