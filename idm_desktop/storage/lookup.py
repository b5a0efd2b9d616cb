"""Find a row by the id a user typed: the whole id or a unique prefix of it (as git does)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from idm_desktop.core.errors import InvalidInputError, NotFoundError
from idm_desktop.core.i18n import _
from idm_desktop.storage.quickread import MIN_PREFIX, like_prefix

T = TypeVar("T")


def by_id_or_prefix(session: Session, model: type[T], column: InstrumentedAttribute[str],
                    ident: str, what: str) -> T:
    """The row of ``model`` whose ``column`` is ``ident`` or starts with it."""
    ident = ident.strip()
    row = session.scalars(select(model).where(column == ident)).first()
    if row is not None:
        return row
    if len(ident) >= MIN_PREFIX:
        matching = column.like(like_prefix(ident), escape="\\")
        rows = session.scalars(select(model).where(matching).limit(2)).all()
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            raise InvalidInputError(
                _("“{ident}” matches several {what}: type more of the id.").format(ident=ident, what=what)
            )
    raise NotFoundError(
        _("No {what} with id “{ident}”: list them to see the ids.").format(what=what, ident=ident)
    )
