"""``submission check``: what stands between a draft and a good submission."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

from idm_desktop.core.formatting import decimal, long_date
from idm_desktop.core.i18n import _, ngettext, ui_language
from idm_desktop.core.languages import LANGUAGES
from idm_desktop.core.submissions import Submission
from idm_desktop.core.templates import Template
from idm_desktop.core.text import word_count
from idm_desktop.core.word_draft import NOT_PLACED_KEY
from idm_desktop.core.workshops import Workshop


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    code: str
    message: str
    section: str | None = None


def shown_extent(extent: float) -> float:
    """The length shown and judged everywhere (gauge, check, command line): the pages the
    export fills, rounded UP to a tenth, so "3.0" is never said of a text that spills onto
    a fourth page and "2.0" never of one that does not fill its second."""
    return math.ceil(extent * 10 - 1e-9) / 10


@dataclass(frozen=True, slots=True)
class CheckReport:
    submission_id: str
    page_count: int  # pages printed
    extent: float  # pages filled, as :func:`shown_extent` gives it (1.8: the second is 80% full)
    min_pages: int
    max_pages: int
    words: int
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors


def check(
    submission: Submission,
    template: Template,
    workshop: Workshop | None,
    extent: float,
    now: dt.datetime,
) -> CheckReport:
    """Check ``submission`` against its template; ``extent`` is how many pages its PDF fills
    (``export.page_extent``: 1.8 is one full page and 80% of the second)."""
    problems: list[Problem] = []
    shown = shown_extent(extent)
    page_count = math.ceil(shown)
    lang = submission.language
    if lang not in LANGUAGES:
        problems.append(
            Problem(Severity.ERROR, "language", _("Set the submission's language to en, fr or es."))
        )
    if not submission.title.strip():
        problems.append(
            Problem(Severity.WARNING, "title", _("The submission has no title; add one."))
        )
    for section in template.sections:
        if section.required and not submission.text_of(section.key).strip():
            problems.append(
                Problem(
                    Severity.ERROR,
                    "section_missing",
                    _("Required section “{title}” is empty: write it before submitting.").format(
                        title=section.title_in(lang)
                    ),
                    section.key,
                )
            )
    if submission.text_of(NOT_PLACED_KEY).strip():
        problems.append(
            Problem(
                Severity.ERROR,
                "not_placed",
                _("Text imported from Word is not placed in a section yet, and is not in the exported "
                  "file: move it into the sections, or delete what is not needed."),
                NOT_PLACED_KEY,
            )
        )
    if page_count > template.max_pages:
        problems.append(
            Problem(
                Severity.ERROR,
                "too_long",
                ngettext(
                    "The export is {n} page long; the template allows at most {max}: shorten it.",
                    "The export is {n} pages long; the template allows at most {max}: shorten it.",
                    page_count,
                ).format(n=page_count, max=template.max_pages),
            )
        )
    elif shown < template.min_pages:  # 1.8 of 2–3: two pages printed, the second not full
        problems.append(
            Problem(
                Severity.WARNING,
                "too_short",
                _("Shorter than the {min}–{max} pages the template asks for: the export fills "
                  "{pages}.").format(min=template.min_pages, max=template.max_pages,
                                     pages=decimal(shown, ui_language())),
            )
        )
    if workshop is not None and workshop.deadline is not None and workshop.deadline.has_passed(now):
        days = -workshop.deadline.days_left(now)
        if days <= 60:
            message = ngettext(
                "The deadline passed {n} day ago; check with the secretariat before sending.",
                "The deadline passed {n} days ago; check with the secretariat before sending.",
                days,
            ).format(n=days)
        else:  # "7,454 days ago" says less than the date itself
            message = _(
                "The deadline of {date} has passed; check with the secretariat before sending."
            ).format(date=long_date(workshop.deadline.date, ui_language()))
        problems.append(Problem(Severity.WARNING, "deadline_passed", message))
    return CheckReport(
        submission_id=submission.id,
        page_count=page_count,
        extent=shown,
        min_pages=template.min_pages,
        max_pages=template.max_pages,
        words=sum(word_count(t) for t in submission.body.values()),
        problems=tuple(problems),
    )
