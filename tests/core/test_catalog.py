"""The bundled catalog: the IDM 2005-2006 programme of DESIGN §3, as facts."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from idm_desktop.core.catalog import BundledDataError, catalog_version, load_catalog
from idm_desktop.core.resources import resource
from idm_desktop.core.workshops import DatePrecision, EventKind, EventStatus, Workshop

CATALOG_FILE = resource("catalog", "idm-2005-2006.json")
UTC = dt.UTC
ZURICH = ZoneInfo("Europe/Zurich")

P2005 = "Toward Policy Coherence on Migration"
P2006 = "Partnerships in Migration: Engaging Business and Civil Society"
HEI = "Graduate Institute of International Studies (HEI)"


@dataclass(frozen=True)
class Fact:
    kind: EventKind
    title: str
    start: str
    end: str | None
    city: str
    status: EventStatus
    partners: tuple[str, ...] = ()
    programme: str = P2006


W, X, C, B, T = (
    EventKind.WORKSHOP,
    EventKind.EXPERT_WORKSHOP,
    EventKind.COUNCIL_SESSION,
    EventKind.BRIEFING,
    EventKind.TRAINING,
)
HELD, CONFIRMED, TENTATIVE, PLANNED = (
    EventStatus.HELD,
    EventStatus.CONFIRMED,
    EventStatus.TENTATIVE,
    EventStatus.PLANNED,
)

# What the organisation's documents of 2006 say (IC/2006/1, IC/2006/4 and its annexes).
EXPECTED: dict[str, Fact] = {
    "idm2005-migration-development": Fact(
        W, "Migration and Development", "2005-02-02", "2005-02-03", "Geneva", HELD,
        programme=P2005,
    ),
    "idm2005-capacity-building": Fact(
        W, "Developing Capacity to Manage Migration", "2005-09-27", "2005-09-28", "Geneva", HELD,
        programme=P2005,
    ),
    "idm2005-council-90": Fact(
        C, "Ninetieth Session of the IOM Council", "2005-11-01", "2005-12-01", "Geneva", HELD,
        programme=P2005,
    ),
    "idm2006-informal-consultations-feb": Fact(
        B, "Informal consultations on the International Dialogue on Migration 2006",
        "2006-02-28", "2006-02-28", "Geneva", HELD,
    ),
    "idm2006-training-migration-law": Fact(
        T, "International Migration Law", "2006-03-08", "2006-03-08", "Geneva", HELD, (HEI,),
    ),
    "idm2006-health": Fact(
        W, "Migration and Human Resources for Health: From Awareness to Action",
        "2006-03-23", "2006-03-24", "Geneva", HELD, ("WHO", "ILO"),
    ),
    "idm2006-indigenous": Fact(
        X, "Expert Workshop on Indigenous Peoples and Migration: Challenges and Opportunities",
        "2006-04-06", "2006-04-07", "Geneva", HELD, ("UNPFII",),
    ),
    "idm2006-training-migration-development": Fact(
        T, "Migration and Development", "2006-05-12", "2006-05-12", "Geneva", HELD, (HEI,),
    ),
    "idm2006-training-cooperation": Fact(
        T, "International Cooperation on Migration", "2006-07-01", None, "Geneva", PLANNED,
        (HEI,),
    ),
    "idm2006-integration": Fact(
        W, "Migrants and the Host Society: Partnerships for Success",
        "2006-07-12", "2006-07-13", "Geneva", CONFIRMED,
    ),
    "idm2006-environment": Fact(
        W, "The Environment and Migration", "2006-10-24", "2006-10-25", "Bangkok", TENTATIVE,
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def events() -> dict[str, Workshop]:
    return {e.id: e for e in load_catalog()}


@pytest.fixture(scope="module")
def raw_events() -> dict[str, dict[str, Any]]:
    data = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    return {e["id"]: e for e in data["events"]}


def _all_local_texts(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (language, text) of one raw event."""
    texts: list[tuple[str, str]] = []
    for name in ("title", "date_note", "programme", "theme", "note"):
        texts.extend((raw.get(name) or {}).items())
    for lang, questions in (raw.get("guiding_questions") or {}).items():
        texts.extend((lang, q) for q in questions)
    return texts


# -- the facts -----------------------------------------------------------------------------


def test_the_catalog_holds_exactly_the_programme_of_design_3(events: dict[str, Workshop]) -> None:
    assert set(events) == set(EXPECTED)


@pytest.mark.parametrize("event_id", sorted(EXPECTED))
def test_each_event_has_its_dates_place_status_and_partners(
    events: dict[str, Workshop], event_id: str
) -> None:
    fact = EXPECTED[event_id]
    event = events[event_id]
    assert event.kind is fact.kind
    assert event.title["en"] == fact.title
    assert event.start == dt.date.fromisoformat(fact.start)
    assert event.end == (dt.date.fromisoformat(fact.end) if fact.end else None)
    assert event.year == event.start.year
    assert event.city == fact.city
    assert event.status is fact.status
    assert event.partners_in("en") == fact.partners
    assert event.programme["en"] == fact.programme


def test_the_expert_workshop_and_trainings_name_their_venue(events: dict[str, Workshop]) -> None:
    assert events["idm2006-indigenous"].venue == "IOM Headquarters"
    assert events["idm2006-training-migration-law"].venue == ("Graduate Institute of International Studies")
    assert events["idm2006-training-migration-development"].venue == "IOM Headquarters"


def test_events_whose_days_are_unknown_say_so(events: dict[str, Workshop]) -> None:
    for event_id in ("idm2005-council-90", "idm2006-training-cooperation"):
        event = events[event_id]
        assert event.date_precision is DatePrecision.MONTH
        assert all(event.date_note.get(lang) for lang in ("en", "fr", "es"))
    council = events["idm2005-council-90"]
    assert (council.start, council.end) == (dt.date(2005, 11, 1), dt.date(2005, 12, 1))
    assert "to be set" in events["idm2006-training-cooperation"].date_note["en"]
    dated = set(events) - {"idm2005-council-90", "idm2006-training-cooperation"}
    assert all(events[i].date_precision is DatePrecision.DAY for i in dated)


def test_the_bangkok_workshop_is_tentative_and_the_first_outside_geneva(
    events: dict[str, Workshop], raw_events: dict[str, dict[str, Any]]
) -> None:
    event = events["idm2006-environment"]
    assert event.status is EventStatus.TENTATIVE
    assert "Tentative" in event.date_note["en"]
    assert "first IDM workshop to be held outside Geneva" in raw_events[event.id]["note"]["en"]


def test_the_informal_consultations_record_their_notes(
    raw_events: dict[str, dict[str, Any]],
) -> None:
    note = raw_events["idm2006-informal-consultations-feb"]["note"]["en"]
    assert "IC/2006/1" in note
    assert "22 February 2006" in note
    assert "IC/2006/4" in note
    assert "Annexes I–V" in note
    assert "English only" in note


def test_only_the_integration_workshop_has_a_deadline(events: dict[str, Workshop]) -> None:
    with_deadline = {e.id for e in events.values() if e.deadline is not None}
    assert with_deadline == {"idm2006-integration"}
    deadline = events["idm2006-integration"].deadline
    assert deadline is not None
    assert deadline.date == dt.date(2006, 6, 26)
    assert deadline.tz == "Europe/Zurich"
    assert deadline.instant == dt.datetime(2006, 6, 26, 23, 59, 59, tzinfo=ZURICH)


@pytest.mark.parametrize(
    ("now", "days_left", "passed"),
    [
        # Zurich is UTC+2 in summer: 21:30 UTC on 25 June is still 25 June there.
        (dt.datetime(2006, 6, 25, 21, 30, tzinfo=UTC), 1, False),
        # 23:30 UTC on 25 June is already 01:30 on 26 June in Zurich: the last day.
        (dt.datetime(2006, 6, 25, 23, 30, tzinfo=UTC), 0, False),
        (dt.datetime(2006, 6, 26, 21, 59, 58, tzinfo=UTC), 0, False),
        (dt.datetime(2006, 6, 26, 21, 59, 59, tzinfo=UTC), 0, True),
        # Midnight in Zurich: 27 June there, one day late.
        (dt.datetime(2006, 6, 26, 22, 0, tzinfo=UTC), -1, True),
        # A delegate in Mexico City (UTC-5 in summer) late on 26 June: already 27 in Zurich.
        (dt.datetime(2006, 6, 26, 18, 30, tzinfo=ZoneInfo("America/Mexico_City")), -1, True),
        (dt.datetime(2006, 6, 1, 12, 0, tzinfo=ZURICH), 25, False),
    ],
)
def test_the_integration_deadline_counts_days_in_zurich(
    events: dict[str, Workshop], now: dt.datetime, days_left: int, passed: bool
) -> None:
    deadline = events["idm2006-integration"].deadline
    assert deadline is not None
    assert deadline.days_left(now) == days_left
    assert deadline.has_passed(now) is passed


def test_guiding_questions_only_where_the_documents_pose_them(
    events: dict[str, Workshop],
) -> None:
    with_questions = {e.id for e in events.values() if e.guiding_questions}
    assert with_questions == {"idm2006-integration", "idm2006-indigenous"}
    for event_id in with_questions:
        questions = events[event_id].guiding_questions
        assert set(questions) == {"en", "fr", "es"}
        counts = {len(qs) for qs in questions.values()}
        assert len(counts) == 1, f"{event_id}: not the same number of questions in each language"
        assert counts.pop() >= 3
        for lang in ("en", "fr", "es"):
            assert all(q.strip().endswith("?") for q in questions[lang])
        assert all(q.startswith("¿") for q in questions["es"])
        assert events[event_id].questions_in("fr") == questions["fr"]


def test_the_integration_workshop_asks_about_business_and_civil_society(
    events: dict[str, Workshop],
) -> None:
    questions = " ".join(events["idm2006-integration"].questions_in("en"))
    assert "business" in questions
    assert "civil society" in questions


# -- languages -----------------------------------------------------------------------------


def test_every_title_and_programme_is_given_in_the_three_languages(
    events: dict[str, Workshop],
) -> None:
    for event in events.values():
        for lang in ("en", "fr", "es"):
            assert event.title.get(lang, "").strip(), f"{event.id}: no {lang} title"
            assert event.programme.get(lang, "").strip(), f"{event.id}: no {lang} programme"


def test_texts_given_in_one_language_are_given_in_all_three(
    raw_events: dict[str, dict[str, Any]],
) -> None:
    for event_id, raw in raw_events.items():
        for name in ("title", "date_note", "programme", "theme", "note"):
            value = raw.get(name) or {}
            if value:
                assert set(value) == {"en", "fr", "es"}, f"{event_id}: {name}"
                assert all(v.strip() for v in value.values()), f"{event_id}: {name}"


def test_french_texts_follow_french_typography(raw_events: dict[str, dict[str, Any]]) -> None:
    for event_id, raw in raw_events.items():
        for lang, text in _all_local_texts(raw):
            if lang != "fr":
                continue
            assert not re.search(r"[ \t][:;?!»]", text), f"{event_id}: {text!r}"
            assert "« " not in text, f"{event_id}: {text!r}"
            assert "'" not in text, f"{event_id}: use ’ in {text!r}"


def test_spanish_questions_open_with_the_inverted_mark(
    raw_events: dict[str, dict[str, Any]],
) -> None:
    for event_id, raw in raw_events.items():
        for lang, text in _all_local_texts(raw):
            if lang == "es":
                assert text.count("¿") == text.count("?"), f"{event_id}: {text!r}"
                assert text.count("¡") == text.count("!"), f"{event_id}: {text!r}"


# -- the file and the loader ---------------------------------------------------------------


def test_ids_are_unique_slugs(raw_events: dict[str, dict[str, Any]]) -> None:
    data = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    ids = [e["id"] for e in data["events"]]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


def test_events_come_sorted_by_start_date() -> None:
    starts = [e.start for e in load_catalog() if e.start is not None]
    assert len(starts) == len(EXPECTED)
    assert starts == sorted(starts)


def test_catalog_version() -> None:
    assert catalog_version() == 3
    assert catalog_version(CATALOG_FILE) == 3


def test_partners_are_named_in_the_reader_s_language(events: dict[str, Workshop]) -> None:
    health = events["idm2006-health"]
    assert health.partners_in("en") == ("WHO", "ILO")
    assert health.partners_in("fr") == ("OMS", "OIT")
    assert health.partners_in("es") == ("OMS", "OIT")
    assert events["idm2006-training-migration-law"].partners_in("fr") == (
        "Institut universitaire de hautes études internationales (HEI)",)
    # A name alone, as catalogs before version 3 wrote it, is the English one for every language.
    assert Workshop.from_dict({**health.to_dict(), "partners": ["WHO"]}).partners_in("fr") == ("WHO",)


def test_json_round_trip(events: dict[str, Workshop]) -> None:
    for event in events.values():
        again = Workshop.from_dict(json.loads(json.dumps(event.to_dict(), ensure_ascii=False)))
        assert again == event


def test_the_file_is_in_the_canonical_form_so_nothing_in_it_is_ignored(
    raw_events: dict[str, dict[str, Any]],
) -> None:
    for raw in raw_events.values():
        expected = {"note": {}, **raw}
        assert Workshop.from_dict(raw).to_dict() == expected


def test_loading_a_folder_reads_every_file_and_keeps_the_order(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", 1, [_event("late-event", "2006-09-01")])
    _write(tmp_path / "b.json", 3, [_event("early-event", "2006-01-05"), _event("undated", None)])
    (tmp_path / "readme.txt").write_text("not a catalog", encoding="utf-8")
    assert [e.id for e in load_catalog(tmp_path)] == ["early-event", "late-event", "undated"]
    assert catalog_version(tmp_path) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"catalog_version": 1, "events": [', "not valid JSON"),
        ("[]", "top level must be a JSON object"),
        ('{"events": []}', "catalog_version"),
        ('{"catalog_version": true, "events": []}', "catalog_version"),
        ('{"catalog_version": 1, "events": {}}', "'events' must be a list"),
        ('{"catalog_version": 1, "events": ["x"]}', "event #0: must be a JSON object"),
    ],
)
def test_a_malformed_file_is_named_in_the_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BundledDataError, match=re.escape(message)) as info:
        load_catalog(path)
    assert "broken.json" in str(info.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "party"}, "ValueError"),
        ({"status": None}, "ValueError"),
        ({"start": "2006-13-01"}, "ValueError"),
        ({"title": {"fr": "Sans anglais"}}, "English"),
        ({"title": ["Migration"]}, "'title' must map language codes to texts"),
        ({"id": "Bad Id"}, "slug"),
        ({"end": "2006-01-01"}, "ends before it starts"),
        ({"year": 2005}, "does not match"),
        ({"partners": "WHO"}, "'partners' must be a list"),
        ({"deadline": {"date": "2006-06-26", "tz": "Europe/Atlantis"}}, "time zone"),
        ({"guiding_questions": {"en": [""]}}, "guiding questions"),
        ({"venu": "Geneva"}, "unknown key(s) venu"),
    ],
)
def test_a_malformed_event_is_named_in_the_error(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    event = _event("bad-event", "2006-03-01") | change
    _write(tmp_path / "c.json", 1, [_event("good-event", "2006-01-01"), event])
    with pytest.raises(BundledDataError, match=re.escape(message)) as info:
        load_catalog(tmp_path)
    assert "c.json: event #1" in str(info.value)


def test_a_missing_field_is_named_in_the_error(tmp_path: Path) -> None:
    event = _event("no-status", "2006-03-01")
    del event["status"]
    _write(tmp_path / "c.json", 1, [event])
    with pytest.raises(BundledDataError, match=r"event #0 \(no-status\): KeyError: 'status'"):
        load_catalog(tmp_path)


def test_an_id_used_twice_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", 1, [_event("same", "2006-01-01")])
    _write(tmp_path / "b.json", 1, [_event("same", "2006-02-01")])
    with pytest.raises(BundledDataError, match=r"'same' is already used in .*a\.json"):
        load_catalog(tmp_path)


def test_an_empty_or_missing_folder_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BundledDataError, match=r"no \*\.json file"):
        load_catalog(empty)
    with pytest.raises(BundledDataError, match="no such file"):
        load_catalog(tmp_path / "nowhere")


# -- our own words -------------------------------------------------------------------------

# Names of bodies and publications may be quoted as they are; only running text counts.
_PROPER_NAMES = (
    "United Nations Permanent Forum on Indigenous Issues",
    "High-Level Dialogue on International Migration and Development",
    "Director General's Business Advisory Board",
    "Business Advisory Board",
    "Mainstreaming Migration into Development Policy Agendas",
    "International Dialogue on Migration",
)
_RUN = 8


def _words(text: str) -> list[str]:
    text = text.replace("’", "'")
    for name in _PROPER_NAMES:
        text = re.sub(re.escape(name).replace("\\-", "[- ]"), " NAME ", text, flags=re.I)
    return re.findall(r"[^\W_]+", text.lower())


@functools.cache
def _corpus_runs(corpus: Path) -> frozenset[tuple[str, ...]]:
    source = _words(" ".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))))
    return frozenset(tuple(source[i : i + _RUN]) for i in range(len(source) - _RUN + 1))


def copied_runs(corpus: Path, text: str) -> list[str]:
    """Runs of eight words of ``text`` found word for word in the corpus (names aside)."""
    runs = _corpus_runs(corpus)
    words = _words(text)
    return [
        " ".join(words[i : i + _RUN])
        for i in range(len(words) - _RUN + 1)
        if tuple(words[i : i + _RUN]) in runs
    ]


@pytest.mark.corpus
def test_no_running_text_is_copied_from_the_organisations_documents(
    corpus: Path, raw_events: dict[str, dict[str, Any]]
) -> None:
    assert copied_runs(corpus, "This will be the first IDM workshop held outside of Geneva.")
    for event_id, raw in raw_events.items():
        names = (raw["title"]["en"], raw["programme"]["en"])
        for lang, text in _all_local_texts(raw):
            if lang == "en" and text not in names:
                copied = copied_runs(corpus, text)
                assert not copied, f"{event_id}: copied from the corpus: {copied[0]!r}"


# -- helpers -------------------------------------------------------------------------------


def _event(event_id: str, start: str | None) -> dict[str, Any]:
    return {
        "id": event_id,
        "kind": "workshop",
        "year": int(start[:4]) if start else 2006,
        "title": {"en": event_id.replace("-", " ").title()},
        "status": "planned",
        "start": start,
    }


def _write(path: Path, version: int, events: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps({"catalog_version": version, "events": events}), encoding="utf-8")
