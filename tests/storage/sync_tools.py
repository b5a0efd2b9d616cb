"""Helpers of the storage tests of sync: a local draft, and a submission as the server sends it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from idm_desktop.storage import submissions as subs
from idm_desktop.storage.models import SubmissionRow
from tests.storage.conftest import NOW, TEMPLATE


def new_draft(session: Session, context: str = "") -> SubmissionRow:
    """A draft made here, never synced, with ``context`` written in its first section."""
    sub = subs.create_submission(session, workshop_id="ws", country="CHE", language="en",
                                 title="Overview", template=TEMPLATE, author="ana", now=NOW,
                                 body={"context": context})
    row = session.get(SubmissionRow, sub.id)
    assert row is not None
    return row


def server_data(context: str, lessons: str = "", title: str = "Overview", **extra: Any) -> dict[str, Any]:
    """A submission's data in a pulled change."""
    return {"workshop_id": "ws", "country": "CHE", "language": "en", "title": title,
            "template_id": "tpl", "template_version": 1,
            "body": {"context": context, "lessons": lessons}, "status": "draft", **extra}
