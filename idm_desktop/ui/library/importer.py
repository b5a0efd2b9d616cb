"""Importing files into the library, inline in the view: a progress bar with Cancel while it
runs, then a short summary that stays until the user closes it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.app import DesktopApp, ImportResult
from idm_desktop.core.errors import IdmError
from idm_desktop.core.i18n import _, plural
from idm_desktop.ui.library.scope import TaskScope
from idm_desktop.ui.tasks import Lane, TaskManager

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Sent from the import after each file: ``done`` of ``total``, and what became of it."""

    done: int
    total: int
    result: ImportResult | None = None


@dataclass(slots=True)
class ImportOutcome:
    """Everything an import did (files already imported stay imported after a cancel)."""

    total: int = 0
    results: list[ImportResult] = field(default_factory=list)
    cancelled: bool = False

    @property
    def imported(self) -> list[ImportResult]:
        return [r for r in self.results if r.document is not None]

    @property
    def duplicates(self) -> list[ImportResult]:
        return [r for r in self.results if r.duplicate_of is not None]

    @property
    def failed(self) -> list[ImportResult]:
        return [r for r in self.results if r.error is not None]


def expand_paths(paths: Sequence[Path], suffixes: Sequence[str]) -> list[Path]:
    """The files to import: folders are replaced by the supported files inside them."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def summary_text(outcome: ImportOutcome) -> str:
    """One or two sentences: what was imported, skipped, not imported."""
    parts = []
    n = len(outcome.imported)
    if outcome.cancelled:
        parts.append(_("Import cancelled."))
    parts.append(plural("{n} document imported.", "{n} documents imported.", n))
    m = len(outcome.duplicates)
    if m:
        parts.append(plural("{n} file was already in the library and was skipped.",
                              "{n} files were already in the library and were skipped.", m))
    left = outcome.total - len(outcome.results)
    if outcome.cancelled and left > 0:
        parts.append(plural("{n} file was not read.", "{n} files were not read.", left))
    k = len(outcome.failed)
    if k:
        parts.append(plural("{n} file could not be imported:", "{n} files could not be imported:", k))
    return " ".join(parts)


class ImportPanel(QWidget):
    """Runs imports on the work lane and shows how they go. Hidden when there is nothing to say."""

    sig_import_finished = Signal(object)
    """An import ended, finished or cancelled (its :class:`ImportOutcome`)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._scope = TaskScope(tasks, self)
        self._stop: threading.Event | None = None
        self._waiting: list[Path] = []
        self._outcome = ImportOutcome()
        self._build()
        running: list[threading.Event] = []
        self._running = running

        def stop_all() -> None:  # an import still running when the view goes stops at the next file
            for stop in running:
                stop.set()

        self.destroyed.connect(stop_all)
        self.hide()

    def _build(self) -> None:
        self.progress_frame = QFrame(self)
        self.progress_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.progress_label = QLabel(self.progress_frame)
        self.progress_label.setObjectName("import_status")
        self.progress_label.setAccessibleName(_("Import status"))
        self.progress_bar = QProgressBar(self.progress_frame)
        self.progress_bar.setObjectName("import_progress")
        self.progress_bar.setAccessibleName(_("Import progress"))
        self.cancel_button = QPushButton(_("Cancel"), self.progress_frame)
        self.cancel_button.setObjectName("import_cancel")
        self.cancel_button.setAccessibleName(_("Cancel the import"))
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        row = QHBoxLayout(self.progress_frame)
        row.addWidget(self.progress_label)
        row.addWidget(self.progress_bar, 1)
        row.addWidget(self.cancel_button)

        self.summary_frame = QFrame(self)
        self.summary_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.summary_label = QLabel(self.summary_frame)
        self.summary_label.setObjectName("import_summary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName(_("Import summary"))
        self.failures_view = QPlainTextEdit(self.summary_frame)
        self.failures_view.setObjectName("import_failures")
        self.failures_view.setReadOnly(True)
        self.failures_view.setAccessibleName(_("Files that could not be imported"))
        self.failures_view.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.close_button = QPushButton(_("Close"), self.summary_frame)
        self.close_button.setObjectName("import_summary_close")
        self.close_button.setAccessibleName(_("Close the import summary"))
        self.close_button.clicked.connect(self._on_close_button_clicked)
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.close_button)
        column = QVBoxLayout(self.summary_frame)
        column.addLayout(top)
        column.addWidget(self.failures_view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress_frame)
        layout.addWidget(self.summary_frame)
        self.progress_frame.hide()
        self.summary_frame.hide()

    # -- public ----------------------------------------------------------------------------------

    def busy(self) -> bool:
        """Whether an import is running."""
        return self._stop is not None

    def import_files(self, paths: Sequence[Path]) -> None:
        """Import ``paths`` (files or folders); while an import runs, they wait for it."""
        if not paths:
            return
        if self.busy():
            self._waiting += paths
            return
        self._outcome = ImportOutcome()
        self._start(list(paths))

    def cancel(self) -> None:
        """Stop after the file being read now; what was imported stays."""
        self._waiting.clear()
        if self._stop is not None:
            self._stop.set()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(_("Cancelling…"))

    # -- running ---------------------------------------------------------------------------------

    def _start(self, paths: list[Path]) -> None:
        # Our own stop event, not the task's: a cancelled task's callbacks are dropped, and the
        # summary of what was imported before the cancel must still be shown.
        stop = threading.Event()
        self._stop = stop
        self._running.append(stop)
        app = self._app

        def work(progress: Callable[[object], None]) -> ImportOutcome:
            from idm_desktop.ingest import SUPPORTED_SUFFIXES  # loaded here, off the UI thread

            files = expand_paths(paths, SUPPORTED_SUFFIXES)
            progress(ImportProgress(0, len(files)))
            done = [0]

            def step(result: ImportResult) -> None:
                done[0] += 1
                progress(ImportProgress(done[0], len(files), result))

            results = app.import_documents(files, on_progress=step, cancel=stop)
            return ImportOutcome(len(files), results, stop.is_set() and len(results) < len(files))

        self.summary_frame.hide()
        self.progress_frame.show()
        self.cancel_button.setEnabled(True)
        self.progress_bar.setRange(0, 0)  # busy until the files are counted
        self.progress_label.setText(_("Importing…"))
        self.show()
        self._scope.run(work, lane=Lane.WORK, name="import documents",
                        on_progress=self._on_import_progress,
                        on_done=self._on_import_done, on_error=self._on_import_failed)

    def _on_import_progress(self, value: object) -> None:
        if not isinstance(value, ImportProgress) or self._stop is None or self._stop.is_set():
            return
        self.progress_bar.setRange(0, max(value.total, 1))
        self.progress_bar.setValue(value.done)
        counted = _("{done} of {total}").format(done=value.done, total=value.total)
        self.progress_bar.setFormat(counted)
        self.progress_bar.setAccessibleDescription(counted)
        if value.result is not None:
            self.progress_label.setText(
                _("Importing “{name}”…").format(name=value.result.path.name))

    def _on_import_done(self, outcome: ImportOutcome) -> None:
        self._running.clear()
        self._outcome.total += outcome.total
        self._outcome.results += outcome.results
        self._outcome.cancelled = self._outcome.cancelled or outcome.cancelled
        self._stop = None
        if self._waiting and not outcome.cancelled:
            waiting, self._waiting = self._waiting, []
            self._start(waiting)
            return
        self._show_summary(self._outcome)

    def _on_import_failed(self, exc: BaseException) -> None:
        self._running.clear()
        self._stop = None
        self._waiting.clear()
        if not isinstance(exc, IdmError):
            self.progress_frame.hide()
            self.setVisible(False)
            self._scope.tasks.default_error(exc)
            return
        self._outcome.results.append(ImportResult(path=Path(), error=str(exc)))
        self._show_summary(self._outcome)

    def _show_summary(self, outcome: ImportOutcome) -> None:
        self.progress_frame.hide()
        self.summary_label.setText(summary_text(outcome))
        failures = [r.error or "" for r in outcome.failed]
        self.failures_view.setPlainText("\n".join(failures))
        self.failures_view.setVisible(bool(failures))
        self.summary_frame.show()
        self.show()
        self.sig_import_finished.emit(outcome)

    def _on_cancel_button_clicked(self) -> None:
        self.cancel()

    def _on_close_button_clicked(self) -> None:
        self.summary_frame.hide()
        self.hide()
