"""Workshops and templates in the local library."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from idm_desktop.core.errors import NotFoundError
from idm_desktop.core.i18n import _
from idm_desktop.core.templates import Template
from idm_desktop.core.workshops import Workshop
from idm_desktop.storage import quickread
from idm_desktop.storage.documents import link_documents_to_workshops
from idm_desktop.storage.meta import get_meta, set_meta
from idm_desktop.storage.models import TemplateRow, WorkshopRow

CATALOG_KEY = quickread.CATALOG_KEY


def load_bundled(session: Session, workshops: Iterable[Workshop], templates: Iterable[Template],
                 version: str) -> bool:
    """Put the bundled catalog and templates in the library, once per catalog version.

    Rows that came from a server (source != "bundled") are never overwritten by bundled data.
    Returns True when something was written.
    """
    if get_meta(session, CATALOG_KEY) == version:
        return False
    for w in workshops:
        row = session.get(WorkshopRow, w.id)
        if row is not None and row.source != "bundled":
            continue
        session.merge(WorkshopRow(id=w.id, kind=w.kind.value, year=w.year, start_date=w.start,
                                  data=w.to_dict(), source="bundled"))
    for t in templates:
        existing = session.get(TemplateRow, (t.id, t.version))
        if existing is None:  # a template version is immutable
            session.add(TemplateRow(id=t.id, version=t.version, data=t.to_dict(), source="bundled"))
    set_meta(session, CATALOG_KEY, version)
    # The catalog may know the workshop of documents imported before it did.
    link_documents_to_workshops(session, workshop_links(session))
    return True


def workshop_links(session: Session) -> dict[str, str]:
    """Which workshop each document symbol the catalog lists belongs to (upper-cased symbol ->
    workshop id)."""
    links: dict[str, str] = {}
    for row in session.scalars(select(WorkshopRow).order_by(WorkshopRow.start_date, WorkshopRow.id)):
        for symbol in (row.data or {}).get("documents") or ():
            links.setdefault(str(symbol).upper(), row.id)
    return links


def workshop_for_symbol(session: Session, symbol: str) -> str | None:
    """The workshop the catalog says a document with ``symbol`` belongs to, if any."""
    return workshop_links(session).get(symbol.strip().upper())


def list_workshops(session: Session) -> list[Workshop]:
    rows = session.scalars(select(WorkshopRow).order_by(WorkshopRow.start_date, WorkshopRow.id))
    return [Workshop.from_dict(r.data) for r in rows]


def get_workshop(session: Session, workshop_id: str) -> Workshop:
    row = session.get(WorkshopRow, workshop_id.strip())
    if row is None:
        import difflib

        known = list(session.scalars(select(WorkshopRow.id)))
        close = difflib.get_close_matches(workshop_id.strip(), known, n=1, cutoff=0.75)
        if close:
            raise NotFoundError(_("No workshop “{id}”; did you mean “{close}”? Run “idm-desktop workshops” "
                                  "to see the ids.").format(id=workshop_id, close=close[0]))
        raise NotFoundError(
            _("No workshop “{id}”: run “idm-desktop workshops” to see the ids.").format(id=workshop_id)
        )
    return Workshop.from_dict(row.data)


def get_template(session: Session, template_id: str, version: int) -> Template:
    row = session.get(TemplateRow, (template_id, version))
    if row is None:
        raise NotFoundError(
            _("Template {id} version {version} is not in the library; sync to fetch it.").format(
                id=template_id, version=version
            )
        )
    return Template.from_dict(row.data)


def workshop_template(session: Session, workshop_id: str) -> Template:
    """The template the secretariat made current for the workshop, else the newest one."""
    workshop = get_workshop(session, workshop_id)
    if workshop.template is not None:
        row = session.get(TemplateRow, workshop.template)
        if row is not None:
            return Template.from_dict(row.data)
    return latest_template(session)


def newer_template(session: Session, workshop_id: str, template_id: str, version: int) -> Template | None:
    """The template a draft on (``template_id``, ``version``) is offered: the workshop's current one,
    or else the newest version of its own template; None when it is on it already."""
    offered = workshop_template(session, workshop_id)
    workshop = get_workshop(session, workshop_id)
    if workshop.template is None:
        offered = latest_template(session, template_id)
    if (offered.id, offered.version) == (template_id, version):
        return None
    if offered.id == template_id and offered.version < version:
        return None
    return offered


def latest_template(session: Session, template_id: str | None = None) -> Template:
    """The newest version of ``template_id`` (or of any template)."""
    query = select(TemplateRow).order_by(TemplateRow.version.desc())
    if template_id:
        query = query.where(TemplateRow.id == template_id)
    row = session.scalars(query).first()
    if row is None:
        raise NotFoundError(_("No submission template is in the library; reinstall or sync."))
    return Template.from_dict(row.data)
