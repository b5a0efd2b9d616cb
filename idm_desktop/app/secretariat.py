"""What the secretariat sends a delegate's desktop, as use cases (DESIGN §14): its notices, the
newer template a draft is offered, and corrections of sent submissions."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from typing import TYPE_CHECKING

from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import _
from idm_desktop.storage import quickread

if TYPE_CHECKING:
    # Not at run time: the Workshops view reads the notices at start, before these load.
    from idm_desktop.app.library import Library
    from idm_desktop.core.notices import Notice
    from idm_desktop.core.submissions import Submission
    from idm_desktop.core.templates import Template
    from idm_desktop.storage.database import Database


def notices(library: Library, *, unread_only: bool = True) -> list[Notice]:
    """The secretariat's notices pulled by sync, newest first."""
    with library.quick_read() as con:
        if con is not None:  # the Workshops view's first data, before SQLAlchemy has loaded
            with contextlib.suppress(sqlite3.Error, ValueError):
                return quickread.notices(con, unread_only=unread_only)
    from idm_desktop.storage import notices as notices_repo

    with library.db.session() as s:
        return notices_repo.list_notices(s, unread_only=unread_only)


def mark_notices_read(db: Database, ident: str | None, now: dt.datetime) -> int:
    from idm_desktop.storage import notices as notices_repo

    if ident is not None and len(ident.strip()) < 4:
        raise InvalidInputError(_("Give at least the first 4 characters of the notice's id."))
    with db.session() as s:
        n = notices_repo.mark_read(s, ident.strip() if ident else None, now)
    if ident is not None and n == 0:
        raise InvalidInputError(_("No unread notice has the id {id}: see “idm-desktop notices”.")
                                .format(id=ident))
    return n


def newer_template(library: Library, sub: Submission) -> Template | None:
    """The template a draft is offered (never forced), or None."""
    if not sub.status.editable:
        return None
    with library.quick_read() as con:
        if con is not None:  # a one-shot command (submission show): without SQLAlchemy
            with contextlib.suppress(sqlite3.Error, ValueError, LookupError):  # else the full way tells
                return quickread.newer_template(con, sub.workshop_id, sub.template_id, sub.template_version)
    from idm_desktop.storage import catalog as catalog_repo

    with library.db.session() as s:
        return catalog_repo.newer_template(s, sub.workshop_id, sub.template_id, sub.template_version)


def move_to_template(db: Database, ident: str, version: int | None, *, author: str,
                     now: dt.datetime) -> Submission:
    """Sections map by key; text the new template has no section for is kept apart."""
    from idm_desktop.storage import catalog as catalog_repo
    from idm_desktop.storage import submissions as subs_repo

    with db.session() as s:
        sub = subs_repo.get_submission(s, ident)
        if version is not None:
            target: Template | None = catalog_repo.get_template(s, sub.template_id, version)
        else:
            target = catalog_repo.newer_template(s, sub.workshop_id, sub.template_id, sub.template_version)
        if target is None or (target.id, target.version) == (sub.template_id, sub.template_version):
            raise InvalidInputError(_("{id} is on the current template already.").format(id=sub.id))
        return subs_repo.move_template(s, sub.id, target, author=author, now=now)


def prepare_correction(db: Database, ident: str, *, author: str, now: dt.datetime) -> Submission:
    """A new draft with the sent submission's text, on its template version, that supersedes it."""
    from idm_desktop.storage import catalog as catalog_repo
    from idm_desktop.storage import submissions as subs_repo

    with db.session() as s:
        old = subs_repo.get_submission(s, ident)
        if old.receipt_no is None:
            raise InvalidInputError(_("{id} was never received by the secretariat: edit it instead of "
                                      "correcting it.").format(id=old.id))
        if old.superseded_by:
            raise InvalidInputError(_("{id} is already corrected by {new}.").format(
                id=old.id, new=old.superseded_by))
        for other in subs_repo.list_submissions(s, old.workshop_id):
            if other.supersedes == old.id:
                raise InvalidInputError(_("A correction of {id} already exists: {new}.").format(
                    id=old.id, new=other.id))
        template = catalog_repo.get_template(s, old.template_id, old.template_version)
        return subs_repo.create_submission(
            s, workshop_id=old.workshop_id, country=old.country, language=old.language, title=old.title,
            template=template, author=author, now=now, supersedes=old.id, body=old.body)
