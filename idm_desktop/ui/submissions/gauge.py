"""The live page gauge ("2.4 of 2–3 pages") and the check of the text being edited.

Both come from one layout of the export, run on the export lane a moment after the user
stops typing, from the text in memory (no database read).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from idm_desktop.core.i18n import _, ngettext
from idm_desktop.core.validation import CheckReport, check
from idm_desktop.export import ExportContext, page_extent
from idm_desktop.ui.formatting import TextSize, Tone, format_decimal, set_text_size, tint, tone_color, untint
from idm_desktop.ui.tasks import Lane, Task, TaskManager

log = logging.getLogger(__name__)

DELAY_MS = 700


@dataclass(frozen=True, slots=True)
class Measure:
    """How long the export of the text is, and what the check finds in it."""

    extent: float  # pages, with the fill of the last one (2.4)
    pages: int  # the exact page count
    report: CheckReport


def measure(ctx: ExportContext, now: dt.datetime) -> Measure:
    """Lay the text out as the PDF export does and check it. Runs on the export lane."""
    extent = page_extent(ctx)
    report = check(ctx.submission, ctx.template, ctx.workshop, extent, now)
    return Measure(extent, report.page_count, report)


class LiveMeasure(QObject):
    """Measures the editor's text after each pause, one layout at a time."""

    sig_measured = Signal(object)
    """A new :class:`Measure` of the text being edited."""

    def __init__(self, tasks: TaskManager,
                 context: Callable[[], tuple[ExportContext, dt.datetime] | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._context = context
        self._task: Task | None = None
        self._again = False
        self._error_shown = False
        self.last: Measure | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("page_gauge")
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.now)

    def schedule(self) -> None:
        """Measure again once the user pauses."""
        self._timer.start()

    def now(self) -> None:
        """Measure again as soon as the export lane is free."""
        self._timer.stop()
        if self._task is not None:
            self._again = True  # the text changed while a layout ran: one more after it
            return
        job = self._context()
        if job is None:
            return
        ctx, when = job
        self._task = self._tasks.run(lambda: measure(ctx, when), lane=Lane.EXPORT,
                                     name="page gauge", on_done=self._on_task_done,
                                     on_error=self._on_task_failed)

    def idle(self) -> bool:
        """Whether nothing is measured nor waiting to be (after :meth:`stop`)."""
        return self.last is None and self._task is None and not self._timer.isActive()

    def stop(self) -> None:
        """Forget the text: a layout still running is dropped."""
        self._timer.stop()
        if self._task is not None:
            self._task.cancel_now()
        self._task = None
        self._again = False
        self.last = None

    def _on_task_done(self, result: Measure) -> None:
        self._task = None
        self.last = result
        self.sig_measured.emit(result)
        if self._again:
            self._again = False
            self.now()

    def _on_task_failed(self, exc: BaseException) -> None:
        self._task = None
        self._again = False
        log.error("the page gauge could not lay the text out", exc_info=exc)
        if not self._error_shown:  # typing on would show it again after every pause
            self._error_shown = True
            self._tasks.default_error(exc)


class GaugeLevel(Enum):
    SHORT = "short"
    OK = "ok"
    OVER = "over"


class PageGauge(QWidget):
    """"2.4 of 2–3 pages", a bar, and a line saying what it means; red when too long."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level: GaugeLevel | None = None
        self.figure_label = QLabel(_("Measuring…"), self)
        self.figure_label.setObjectName("page_gauge_figure")
        set_text_size(self.figure_label, TextSize.FIGURE)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.bar.setAccessibleName(_("Length of the export"))
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.figure_label)
        layout.addWidget(self.bar)
        layout.addWidget(self.note_label)
        self.setAccessibleName(_("Page gauge"))

    def show_measure(self, m: Measure) -> None:
        low, high = m.report.min_pages, m.report.max_pages
        # The check's own figure and verdict: the gauge and the check never disagree.
        shown = m.report.extent
        codes = {p.code for p in m.report.problems}
        self.figure_label.setText(_("{pages} of {min}–{max} pages").format(
            pages=format_decimal(shown), min=low, max=high))
        if "too_long" in codes:
            self.level, tone = GaugeLevel.OVER, Tone.ERROR
            note = ngettext("Longer than {max} page: shorten the text.",
                            "Longer than {max} pages: shorten the text.", high).format(max=high)
        elif "too_short" in codes:  # "1.8 of 2–3": two pages printed, but short of the minimum
            self.level, tone = GaugeLevel.SHORT, Tone.WARNING
            note = _("Shorter than the {min}–{max} pages the template asks for.").format(
                min=low, max=high)
        else:
            self.level, tone = GaugeLevel.OK, Tone.SUCCESS
            note = _("Within the {min}–{max} pages the template asks for.").format(
                min=low, max=high)
        tint(self.figure_label, tone)
        tint(self.bar, lambda: f"QProgressBar::chunk {{ background: {tone_color(tone).name()}; }}")
        self.bar.setRange(0, (high + 1) * 10)
        self.bar.setValue(min(int(shown * 10), (high + 1) * 10))
        self.note_label.setText(note)
        self.setAccessibleDescription(f"{self.figure_label.text()}. {note}")

    def clear(self) -> None:
        self.level = None
        self.figure_label.setText(_("Measuring…"))
        untint(self.figure_label)
        self.note_label.clear()
        self.bar.setValue(0)
