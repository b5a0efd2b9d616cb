"""``submission check``: required sections, page limits, language, deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

import pytest

from idm_desktop.core.catalog import load_bundled_templates, load_catalog
from idm_desktop.core.submissions import Submission, SubmissionStatus
from idm_desktop.core.templates import Template, TemplateSection
from idm_desktop.core.validation import Severity, check
from idm_desktop.core.workshops import Deadline, EventKind, EventStatus, Workshop

ZURICH = ZoneInfo("Europe/Zurich")
BEFORE_DEADLINE = dt.datetime(2006, 6, 20, 10, 0, tzinfo=ZURICH)

TEMPLATE = Template(
    id="test-template",
    version=1,
    title={"en": "Overview", "fr": "Aperçu"},
    intro={"en": "Write it."},
    sections=(
        TemplateSection("context", {"en": "Context", "fr": "Contexte"}, {"en": "Say it."}),
        TemplateSection("policy", {"en": "Policy", "fr": "Politique"}, {"en": "Say it."}),
        TemplateSection("contact", {"en": "Contact"}, {"en": "Optional."}, required=False),
    ),
    min_pages=2,
    max_pages=3,
)

WORKSHOP = Workshop(
    id="test-integration",
    kind=EventKind.WORKSHOP,
    year=2006,
    title={"en": "Migrants and the Host Society"},
    status=EventStatus.CONFIRMED,
    start=dt.date(2006, 7, 12),
    end=dt.date(2006, 7, 13),
    deadline=Deadline(dt.date(2006, 6, 26)),
)

FULL_BODY = {"context": "Our country is one of destination.", "policy": "An integration act of 2005."}


def _submission(
    body: Mapping[str, str] = FULL_BODY, language: str = "en", title: str = "Our approach"
) -> Submission:
    at = dt.datetime(2006, 6, 1, 9, 0, tzinfo=dt.UTC)
    return Submission(
        id="0b6c2f1e-0000-4000-8000-000000000001",
        workshop_id=WORKSHOP.id,
        country="CHE",
        language=language,
        title=title,
        template_id=TEMPLATE.id,
        template_version=TEMPLATE.version,
        body=body,
        status=SubmissionStatus.DRAFT,
        created_at=at,
        updated_at=at,
    )


def test_a_complete_submission_within_the_limits_is_clean() -> None:
    report = check(_submission(), TEMPLATE, WORKSHOP, extent=2, now=BEFORE_DEADLINE)
    assert report.ok
    assert report.problems == ()
    assert (report.page_count, report.min_pages, report.max_pages) == (2, 2, 3)
    assert report.words == 11
    assert report.submission_id == _submission().id


def test_three_pages_is_still_within_the_limits() -> None:
    report = check(_submission(), TEMPLATE, WORKSHOP, extent=3, now=BEFORE_DEADLINE)
    assert report.problems == ()


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_an_empty_required_section_is_an_error(text: str) -> None:
    body = {"context": text, "policy": "An act."}
    report = check(_submission(body), TEMPLATE, WORKSHOP, extent=2, now=BEFORE_DEADLINE)
    assert not report.ok
    [problem] = report.errors
    assert (problem.code, problem.section, problem.severity) == (
        "section_missing",
        "context",
        Severity.ERROR,
    )
    assert "“Context”" in problem.message


def test_a_missing_section_is_named_in_the_submissions_language() -> None:
    body = {"policy": "Une loi."}
    report = check(_submission(body, "fr"), TEMPLATE, WORKSHOP, extent=2, now=BEFORE_DEADLINE)
    [problem] = report.errors
    assert "“Contexte”" in problem.message


def test_an_empty_optional_section_is_fine() -> None:
    body = dict(FULL_BODY, contact="")
    report = check(_submission(body), TEMPLATE, WORKSHOP, extent=2, now=BEFORE_DEADLINE)
    assert report.ok
    assert report.problems == ()


def test_over_the_maximum_is_an_error() -> None:
    report = check(_submission(), TEMPLATE, WORKSHOP, extent=4, now=BEFORE_DEADLINE)
    assert not report.ok
    [problem] = report.errors
    assert problem.code == "too_long"
    assert "4 pages" in problem.message
    assert "at most 3" in problem.message
    assert report.warnings == ()


@pytest.mark.parametrize(("extent", "words"), [(1, "fills 1.0"), (0.3, "fills 0.3"),
                                               (1.8, "fills 1.8"), (1.81, "fills 1.9")])
def test_under_the_minimum_is_only_a_warning(extent: float, words: str) -> None:
    # 1.8 prints two pages, yet the second is not full: the gauge's amber, and the check's.
    report = check(_submission(), TEMPLATE, WORKSHOP, extent=extent, now=BEFORE_DEADLINE)
    assert report.ok
    [problem] = report.warnings
    assert problem.code == "too_short"
    assert problem.severity is Severity.WARNING
    assert words in problem.message
    assert "Shorter than the 2–3 pages" in problem.message


def test_a_second_page_filled_to_the_tenth_is_long_enough() -> None:
    report = check(_submission(), TEMPLATE, WORKSHOP, extent=1.95, now=BEFORE_DEADLINE)
    assert (report.extent, report.page_count, report.problems) == (2.0, 2, ())


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (dt.datetime(2006, 6, 27, 0, 0, 30, tzinfo=ZURICH), "passed 1 day ago"),
        (dt.datetime(2006, 6, 30, 12, 0, tzinfo=ZURICH), "passed 4 days ago"),
        # 23:30 UTC on 26 June is 01:30 on 27 June in Zurich.
        (dt.datetime(2006, 6, 26, 23, 30, tzinfo=dt.UTC), "passed 1 day ago"),
    ],
)
def test_a_passed_deadline_is_a_warning(now: dt.datetime, words: str) -> None:
    report = check(_submission(), TEMPLATE, WORKSHOP, extent=2, now=now)
    assert report.ok
    [problem] = report.warnings
    assert problem.code == "deadline_passed"
    assert words in problem.message


def test_the_last_day_before_the_deadline_gives_no_warning() -> None:
    now = dt.datetime(2006, 6, 26, 23, 59, 0, tzinfo=ZURICH)
    report = check(_submission(), TEMPLATE, WORKSHOP, extent=2, now=now)
    assert report.problems == ()


def test_no_workshop_or_no_deadline_means_no_deadline_warning() -> None:
    late = dt.datetime(2007, 1, 1, tzinfo=ZURICH)
    no_deadline = Workshop(
        id="w", kind=EventKind.WORKSHOP, year=2006, title={"en": "W"}, status=EventStatus.HELD
    )
    for workshop in (None, no_deadline):
        report = check(_submission(), TEMPLATE, workshop, extent=2, now=late)
        assert report.problems == ()


def test_a_language_outside_en_fr_es_is_an_error() -> None:
    report = check(_submission(language="de"), TEMPLATE, WORKSHOP, extent=2, now=BEFORE_DEADLINE)
    assert [p.code for p in report.errors] == ["language"]


def test_a_missing_title_is_a_warning() -> None:
    report = check(_submission(title="  "), TEMPLATE, WORKSHOP, extent=2, now=BEFORE_DEADLINE)
    assert report.ok
    assert [p.code for p in report.warnings] == ["title"]


def test_problems_add_up() -> None:
    now = dt.datetime(2006, 7, 1, tzinfo=ZURICH)
    report = check(_submission({}), TEMPLATE, WORKSHOP, extent=5, now=now)
    assert [p.code for p in report.errors] == ["section_missing", "section_missing", "too_long"]
    assert [p.code for p in report.warnings] == ["deadline_passed"]


def test_the_bundled_template_and_integration_workshop_work_together() -> None:
    [template] = load_bundled_templates()
    workshop = next(e for e in load_catalog() if e.id == "idm2006-integration")
    required = [s.key for s in template.sections if s.required]
    draft = _submission({"national_context": "A country of destination since the 1990s."})
    report = check(draft, template, workshop, extent=1, now=BEFORE_DEADLINE)
    assert [p.section for p in report.errors] == required[1:]
    assert [p.code for p in report.warnings] == ["too_short"]

    complete = _submission({key: "Text." for key in required})
    report = check(complete, template, workshop, extent=3, now=BEFORE_DEADLINE)
    assert report.ok
    assert report.problems == ()


def test_a_long_passed_deadline_is_told_by_its_date() -> None:
    report = check(_submission(), TEMPLATE, WORKSHOP, extent=2,
                   now=dt.datetime(2026, 11, 22, tzinfo=dt.UTC))
    [problem] = report.warnings
    assert problem.code == "deadline_passed"
    assert "26 June 2006" in problem.message


def test_text_not_placed_after_a_word_import_stops_a_submit() -> None:
    from idm_desktop.core.word_draft import NOT_PLACED_KEY

    body = {**FULL_BODY, NOT_PLACED_KEY: "An annex nobody placed."}
    report = check(_submission(body), TEMPLATE, WORKSHOP, 2, BEFORE_DEADLINE)
    assert [p.code for p in report.errors] == ["not_placed"]
    assert report.errors[0].section == NOT_PLACED_KEY
    assert not report.ok
    empty = check(_submission({**FULL_BODY, NOT_PLACED_KEY: " "}), TEMPLATE, WORKSHOP, 2,
                  BEFORE_DEADLINE)
    assert "not_placed" not in [p.code for p in empty.problems]
