"""Submissions: every save in the history, restore, frozen once submitted."""

from __future__ import annotations

import datetime as dt

import pytest

from idm_desktop.core.errors import FrozenSubmissionError, NotFoundError
from idm_desktop.core.submissions import SaveReason, SubmissionStatus, content_sha256
from idm_desktop.storage import search
from idm_desktop.storage import submissions as subs
from idm_desktop.storage.database import Database
from tests.storage.conftest import NOW, TEMPLATE


def _new(db: Database) -> str:
    with db.session() as s:
        sub = subs.create_submission(s, workshop_id="ws", country="CHE", language="fr",
                                     title="Aperçu", template=TEMPLATE, author="ana", now=NOW)
    return sub.id


def test_create_starts_every_section_empty_and_records_history(db: Database) -> None:
    sid = _new(db)
    with db.session() as s:
        sub = subs.get_submission(s, sid)
        hist = subs.history(s, sid)
    assert dict(sub.body) == {"context": "", "lessons": ""}
    assert sub.status is SubmissionStatus.DRAFT
    assert [h.reason for h in hist] == [SaveReason.CREATE]


def test_each_save_appends_and_an_unchanged_save_writes_nothing(db: Database) -> None:
    sid = _new(db)
    later = NOW + dt.timedelta(minutes=1)
    with db.session() as s:
        subs.save(s, sid, author="ana", reason=SaveReason.AUTOSAVE, now=later,
                  sections={"context": "L’État « accueille »"})
    with db.session() as s:
        subs.save(s, sid, author="ana", reason=SaveReason.AUTOSAVE, now=later,
                  sections={"context": "L’État « accueille »"})
        subs.save(s, sid, author="bo", reason=SaveReason.MANUAL, now=later, title="Nouveau")
    with db.session() as s:
        hist = subs.history(s, sid)
        sub = subs.get_submission(s, sid[:8])  # a unique prefix is enough
    assert [(h.reason, h.author) for h in hist] == [
        (SaveReason.CREATE, "ana"), (SaveReason.AUTOSAVE, "ana"), (SaveReason.MANUAL, "bo")]
    assert sub.title == "Nouveau"
    assert sub.text_of("context") == "L’État « accueille »"
    assert sub.updated_at == later


def test_restore_brings_back_an_old_version_as_a_new_one(db: Database) -> None:
    sid = _new(db)
    with db.session() as s:
        subs.save(s, sid, author="a", reason=SaveReason.MANUAL, now=NOW, sections={"context": "one"})
        subs.save(s, sid, author="a", reason=SaveReason.MANUAL, now=NOW, sections={"context": "two"})
        first = subs.history(s, sid)[1].seq
        restored = subs.restore(s, sid, first, author="a", now=NOW)
        hist = subs.history(s, sid)
    assert restored.text_of("context") == "one"
    assert hist[-1].reason is SaveReason.RESTORE
    assert len(hist) == 4
    with db.session() as s, pytest.raises(NotFoundError):
        subs.restore(s, sid, 99999, author="a", now=NOW)


def test_a_submitted_text_is_frozen(db: Database) -> None:
    sid = _new(db)
    with db.session() as s:
        subs.save(s, sid, author="a", reason=SaveReason.MANUAL, now=NOW, sections={"context": "x"})
        frozen = subs.freeze(s, sid, author="a", now=NOW)
    assert frozen.status is SubmissionStatus.SUBMITTED
    assert frozen.content_sha256 == content_sha256("Aperçu", "fr", {"context": "x", "lessons": ""})
    with db.session() as s, pytest.raises(FrozenSubmissionError) as err:
        subs.save(s, sid, author="a", reason=SaveReason.MANUAL, now=NOW, sections={"context": "y"})
    assert "new submission" in str(err.value)
    with db.session() as s:
        assert subs.get_submission(s, sid).text_of("context") == "x"


def test_submission_text_is_searchable_and_reindexed_on_save(db: Database) -> None:
    sid = _new(db)
    with db.session() as s:
        subs.save(s, sid, author="a", reason=SaveReason.MANUAL, now=NOW,
                  sections={"context": "Politique d’intégration des migrants"})
    with db.session() as s:
        hits = search.search(s, "integration")
        assert [h.id for h in hits] == [sid]
        subs.save(s, sid, author="a", reason=SaveReason.MANUAL, now=NOW,
                  sections={"context": "Autre chose"})
    with db.session() as s:
        assert search.search(s, "integration") == []


def test_unknown_id_is_a_clear_error(db: Database) -> None:
    with db.session() as s, pytest.raises(NotFoundError) as err:
        subs.get_submission(s, "nope")
    assert "\n" not in str(err.value)


def test_a_recorded_version_and_the_index_follow_a_change_made_by_another_repository(db: Database) -> None:
    from idm_desktop.storage.models import SubmissionRow

    sid = _new(db)
    with db.session() as s:
        row = s.get(SubmissionRow, sid)
        assert row is not None
        row.body = {"context": "merged seasonal text", "lessons": ""}
        subs.record_version(s, row, "ana", SaveReason.MERGE, NOW)
        subs.index_submission(s, row)
    with db.session() as s:
        assert subs.history(s, sid)[-1].body["context"] == "merged seasonal text"
        assert [h.id for h in search.search(s, "seasonal")] == [sid]
