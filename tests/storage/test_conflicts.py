"""Conflicts: the server's text merged into unsent edits; a clash waits for the user."""

from __future__ import annotations

from idm_desktop.core.submissions import SaveReason
from idm_desktop.storage import conflicts, outbox
from idm_desktop.storage import submissions as subs
from idm_desktop.storage.database import Database
from idm_desktop.storage.snapshots import Applied, content_of, set_base
from tests.storage.conftest import NOW
from tests.storage.sync_tools import new_draft, server_data


def test_edits_to_different_sections_merge_and_the_same_section_waits(db: Database) -> None:
    with db.session() as s:
        row = new_draft(s, "base")
        set_base(row, 1, content_of(row))
        row.body = {"context": "mine", "lessons": ""}
        theirs = server_data("base", lessons="their lessons")
        assert conflicts.merge_into(s, row, theirs, 2, author="ana", now=NOW) is Applied.MERGED
        assert row.body == {"context": "mine", "lessons": "their lessons"}
        assert conflicts.conflicts(s) == []

        row.body = {"context": "mine again", "lessons": "their lessons"}
        clash = server_data("theirs too", lessons="their lessons")
        assert conflicts.merge_into(s, row, clash, 3, author="ana", now=NOW) is Applied.CONFLICT
        (found,) = conflicts.conflicts(s, row.id)
        assert (found.key, found.mine, found.theirs, found.theirs_rev) == (
            "context", "mine again", "theirs too", 3)


def test_settling_a_conflict_records_a_version(db: Database) -> None:
    with db.session() as s:
        row = new_draft(s, "base")
        set_base(row, 1, content_of(row))
        row.body = {"context": "mine", "lessons": ""}
        conflicts.merge_into(s, row, server_data("theirs"), 2, author="ana", now=NOW)
        assert conflicts.resolve_conflict(s, row.id, "context", "both", author="bo", now=NOW) == 0
        assert row.body["context"] == "both"
        assert subs.history(s, row.id)[-1].reason is SaveReason.MERGE
        assert conflicts.conflicts(s) == []
        assert outbox.prepare_saves(s, NOW) == 1  # the settled text goes out with the next sync
