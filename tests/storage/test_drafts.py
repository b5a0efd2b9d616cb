"""Deleting a draft never sent, and the undo that brings it back with its history."""

from __future__ import annotations

from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp
from idm_desktop.core.errors import FrozenSubmissionError, NotFoundError
from idm_desktop.core.submissions import SaveReason
from idm_desktop.storage.models import SubmissionRow

INTEGRATION = "idm2006-integration"


def test_delete_and_undelete_keep_every_version_name_and_restore(tmp_path: Path) -> None:
    app = DesktopApp.open(tmp_path / "home")
    try:
        sid = app.new_submission(INTEGRATION, "CHE", "en", "Overview").id
        app.edit(sid, {"national_context": "One."}, reason=SaveReason.AUTOSAVE)
        app.edit(sid, {"national_context": "Two."})
        app.restore(sid, app.version_seq(sid, 2))
        app.name_version(sid, app.version_seq(sid, 3), "sent to the ministry")
        before = app.history(sid)
        draft = app.delete_draft(sid)
        with pytest.raises(NotFoundError):
            app.submission(sid)
        assert all(h.id != sid for h in app.search("One"))
        back = app.undelete_draft(draft)
        assert back.id == sid
        assert back.body["national_context"] == "One."
        after = app.history(sid)
        assert [(e.version, e.reason, e.name, e.restored_from, e.body) for e in after] == [
            (e.version, e.reason, e.name, e.restored_from, e.body) for e in before]
        assert any(h.id == sid for h in app.search("One"))
    finally:
        app.close()


def test_a_draft_the_server_has_cannot_be_deleted(tmp_path: Path) -> None:
    app = DesktopApp.open(tmp_path / "home")
    try:
        sid = app.new_submission(INTEGRATION, "CHE", "en", "Overview").id
        with app.db.session() as s:
            row = s.get(SubmissionRow, sid)
            assert row is not None
            row.rev = 1  # pushed once: the server has it
        with pytest.raises(FrozenSubmissionError):
            app.delete_draft(sid)
        assert app.submission(sid).id == sid
    finally:
        app.close()
