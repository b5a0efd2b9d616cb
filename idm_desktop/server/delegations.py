"""The member delegations the secretariat expects overviews from: the rows of the status board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from idm_desktop.core.countries import country
from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import N_
from idm_desktop.server import audit
from idm_desktop.server.errors import AdminError
from idm_desktop.server.models import Delegation, utcnow


@dataclass(frozen=True, slots=True)
class Member:
    iso3: str
    created_at: dt.datetime
    active: bool


def iso3_of(code: str) -> str:
    """The alpha-3 code of ``code`` (alpha-2, alpha-3 or numeric), or a clear AdminError."""
    try:
        return country(code.strip()).alpha3
    except InvalidInputError:
        raise AdminError(N_("Unknown country code “{code}”: use the ISO 3166-1 alpha-3 code, e.g. CHE, FRA, "
                            "MEX."), params={"code": code.strip()}, field="iso3") from None


def add(session: Session, code: str, actor: str) -> str:
    """Add a delegation (or make an inactive one active again); its alpha-3 code."""
    iso3 = iso3_of(code)
    row = session.get(Delegation, iso3)
    if row is not None and row.active:
        raise AdminError(N_("{iso3} is already a member delegation."), "exists", params={"iso3": iso3},
                         field="iso3")
    if row is None:
        session.add(Delegation(iso3=iso3, created_at=utcnow(), active=True))
        audit.record(session, actor, "delegation.add", iso3, None, {"active": True})
    else:
        row.active = True
        audit.record(session, actor, "delegation.activate", iso3, {"active": False}, {"active": True})
    session.flush()
    return iso3


def set_active(session: Session, code: str, active: bool, actor: str) -> None:
    iso3 = iso3_of(code)
    row = session.get(Delegation, iso3)
    if row is None:
        raise AdminError(N_("{iso3} is not a member delegation: add it first."), params={"iso3": iso3})
    if row.active != active:
        audit.record(session, actor, "delegation.activate" if active else "delegation.deactivate", iso3,
                     {"active": row.active}, {"active": active})
        row.active = active


def members(session: Session, *, active_only: bool = False) -> list[Member]:
    stmt = select(Delegation.iso3, Delegation.created_at, Delegation.active).order_by(Delegation.iso3)
    if active_only:
        stmt = stmt.where(Delegation.active.is_(True))
    return [Member(iso3, created if created.tzinfo else created.replace(tzinfo=dt.UTC), bool(active))
            for iso3, created, active in session.execute(stmt)]
