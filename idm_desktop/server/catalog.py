"""The catalog in the service's database: the bundled workshops and templates, seeded at start-up,
and template versions added to it (publishing.py publishes new ones)."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from idm_desktop.core.catalog import load_bundled_templates, load_catalog
from idm_desktop.core.templates import Template as CoreTemplate
from idm_desktop.protocol import Entity
from idm_desktop.server import feed
from idm_desktop.server.database import Database
from idm_desktop.server.models import Template, Workshop

log = logging.getLogger(__name__)


def seed(db: Database) -> int:
    """Load the bundled catalog and templates; only what is new or changed is written.
    Returns the number of entities written."""
    written = 0
    with db.write() as session:
        db.startup_lock(session)
        feed.ensure_state(session)
        for event in load_catalog():
            data = event.to_dict()
            row = session.get(Workshop, event.id)
            if row is None:
                row = Workshop(id=event.id, rev=1, data=data)
                session.add(row)
            elif row.data.get("edited_at"):
                continue  # the secretariat's edit wins over the bundled catalog (server/events.py)
            elif row.data != data:
                row.rev += 1
                row.data = data
            else:
                continue
            session.flush()
            feed.record(session, Entity.WORKSHOP, event.id, row.rev)
            written += 1
        for template in load_bundled_templates():
            if add_template(session, template):
                written += 1
    if written:
        log.info("seeded %d workshops and templates from the bundled catalog", written)
    return written


def add_template(session: Session, template: CoreTemplate) -> bool:
    """Add a template version the service does not have yet (False when it has: versions are immutable)."""
    key = f"{template.id}@{template.version}"
    if session.get(Template, key) is not None:
        return False
    session.add(Template(id=key, template_id=template.id, version=template.version, rev=1,
                         data=template.to_dict()))
    session.flush()
    feed.record(session, Entity.TEMPLATE, key, 1)
    return True
