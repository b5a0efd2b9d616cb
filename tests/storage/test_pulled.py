"""Applying pulled changes: documents wait for their file; submissions merge with unsent edits."""

from __future__ import annotations

from idm_desktop.core.search_results import HitKind
from idm_desktop.core.submissions import SaveReason
from idm_desktop.storage import documents, pulled, search
from idm_desktop.storage import submissions as subs
from idm_desktop.storage.database import Database
from idm_desktop.storage.snapshots import Applied
from tests.storage.conftest import NOW
from tests.storage.sync_tools import new_draft, server_data

DOC = {"symbol": "IC/2006/4", "title": "Update", "kind": "report", "language": "en",
       "sha256": "a" * 64, "size": 12, "mime": "text/plain", "filename": "ic-2006-4.txt"}


def test_a_pulled_document_enters_the_library_once_its_file_is_read(db: Database) -> None:
    with db.session() as s:
        assert pulled.apply_documents(s, [pulled.DocumentChange("d1", 1, DOC, False)]) == [Applied.PENDING]
        (waiting,) = pulled.pending_documents(s)
        assert (waiting.document_id, waiting.data["sha256"]) == ("d1", "a" * 64)
        pulled.note_document_failure(s, "d1", "offline")
        assert len(pulled.pending_documents(s)) == 1  # tried again next time
        pulled.add_pulled_documents(s, [pulled.ReadDocument("d1", "migration partnerships")], NOW)
        assert pulled.pending_documents(s) == []
        assert documents.get_document(s, "d1").symbol == "IC/2006/4"
        counts = pulled.server_documents(s, {"d1", "d2"})
        assert (counts.held, counts.among) == (1, 1)
        assert pulled.apply_documents(s, [pulled.DocumentChange("d1", 2, None, True)]) == [Applied.DELETED]


def test_a_new_submission_from_the_server_is_recorded_and_searchable(db: Database) -> None:
    with db.session() as s:
        outcome = pulled.apply_submission(s, "11111111-1111-4111-8111-111111111111", 1,
                                          server_data("seasonal workers"), False, author="ana", now=NOW)
        assert outcome is Applied.NEW
        assert [h.reason for h in subs.history(s, "11111111")] == [SaveReason.SYNC]
        hits = search.search(s, "seasonal", 5, (HitKind.SUBMISSION,))
    assert [h.id for h in hits] == ["11111111-1111-4111-8111-111111111111"]


def test_a_pulled_version_merges_with_unsent_edits(db: Database) -> None:
    with db.session() as s:
        row = new_draft(s, "base")
        pulled.apply_submission(s, row.id, 1, server_data("base"), False, author="ana", now=NOW)
        row.body = {"context": "mine", "lessons": ""}
        outcome = pulled.apply_submission(s, row.id, 2, server_data("base", lessons="theirs"), False,
                                          author="ana", now=NOW)
        assert outcome is Applied.MERGED
        assert row.body == {"context": "mine", "lessons": "theirs"}


def test_workshops_and_templates_are_never_taken_back(db: Database) -> None:
    with db.session() as s:
        assert pulled.apply_workshop(s, "ws", {}, True) is Applied.UNCHANGED
        assert pulled.apply_template(s, {"id": "tpl", "version": 1}, False) is Applied.UNCHANGED


def test_a_correction_keeps_its_link_when_the_service_does_not_know_it_yet(db: Database) -> None:
    """`submission correct` links the new draft to what it corrects; until its submit the service
    says "supersedes": null (a review step pulls such a change): the link must survive it."""
    with db.session() as s:
        row = new_draft(s, "base")
        row.supersedes = "22222222-2222-4222-8222-222222222222"
        pulled.apply_submission(s, row.id, 1, server_data("base", supersedes=None, status="in_review"),
                                False, author="ana", now=NOW)
        assert subs.get_submission(s, row.id).supersedes == "22222222-2222-4222-8222-222222222222"
        received = server_data("base", supersedes="33333333-3333-4333-8333-333333333333",
                               status="received", receipt_no="IDM-2006-CHE-00002",
                               received_at="2006-06-20T10:00:00+00:00")
        pulled.apply_submission(s, row.id, 2, received, False, author="ana", now=NOW)
        assert subs.get_submission(s, row.id).supersedes == "33333333-3333-4333-8333-333333333333"


def test_a_change_that_is_not_the_librarys_to_take_is_counted_refused(db: Database) -> None:
    """A bundle import tells these apart from what was already here (cli: "refused")."""
    ident = "22222222-2222-4222-8222-222222222222"
    with db.session() as s:
        theirs = {**server_data("their text"), "country": "GBR"}
        assert pulled.apply_submission(s, ident, 1, theirs, False, author="ana", now=NOW,
                                       delegation="CHE") is Applied.REFUSED
        assert pulled.apply_submission(s, ident, 1, server_data("ours"), False, author="ana", now=NOW,
                                       delegation="CHE") is Applied.NEW
        assert pulled.apply_submission(s, ident, 1, server_data("ours"), False, author="ana", now=NOW,
                                       delegation="CHE") is Applied.UNCHANGED
