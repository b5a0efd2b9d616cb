"""A submission's content against the server's: base snapshot and unsent edits."""

from __future__ import annotations

from idm_desktop.storage.database import Database
from idm_desktop.storage.snapshots import base_content, base_rev, content_of, is_dirty, set_base, set_content
from tests.storage.sync_tools import new_draft, server_data


def test_a_draft_never_synced_is_all_unsent(db: Database) -> None:
    with db.session() as s:
        row = new_draft(s, "ours")
        assert base_rev(row) is None
        assert base_content(row) is None
        assert is_dirty(row)


def test_the_base_is_what_the_server_accepted_and_edits_after_it_are_unsent(db: Database) -> None:
    with db.session() as s:
        row = new_draft(s, "ours")
        set_base(row, 3, content_of(row))
        assert (base_rev(row), row.rev) == (3, 3)
        assert not is_dirty(row)
        theirs = {k: v for k, v in server_data("theirs").items() if k != "status"}
        set_content(row, theirs)
        assert row.body["context"] == "theirs"
        assert is_dirty(row)
        assert base_content(row) != content_of(row)
