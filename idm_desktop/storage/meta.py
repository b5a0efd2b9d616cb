"""Named values of the library (the meta table): the bundled catalog's version, the sync cursor,
the account signed in. Inside the caller's Session, like every repository."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from idm_desktop.storage.models import MetaRow


def get_meta(session: Session, key: str) -> str | None:
    """The value stored under ``key``, or None."""
    row = session.get(MetaRow, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    """Store ``value`` under ``key`` (replacing the old one)."""
    session.merge(MetaRow(key=key, value=value))


def delete_meta(session: Session, key: str) -> None:
    """Forget ``key`` (nothing happens when it is not there)."""
    session.execute(delete(MetaRow).where(MetaRow.key == key))
