"""Export the open submission to PDF or DOCX, after its last changes are saved."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

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
