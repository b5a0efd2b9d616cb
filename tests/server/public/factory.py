"""Published submissions made straight in the service's database (fast), for the public
database's tests, its benchmark and its screenshots. The publishing step itself is the real
one (:func:`idm_desktop.server.publishing.publish_submission`), which fills the search index."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from idm_desktop.core.submissions import content_sha256
from idm_desktop.protocol import Entity
from idm_desktop.server import feed, publishing
from idm_desktop.server.database import Database
from idm_desktop.server.models import Submission, utcnow

INTEGRATION = "idm2006-integration"
TEMPLATE = "idm-policy-overview"


def receive(
    db: Database, *, country: str, language: str, title: str, body: Mapping[str, str],
    workshop_id: str = INTEGRATION, received_at: dt.datetime | None = None,
    supersedes: str | None = None,
) -> str:
    """A received (not yet published) submission; returns its receipt number."""
    when = received_at or utcnow()
    sub_id = str(uuid.uuid4())
    with db.write() as session:
        feed.ensure_state(session)
        receipt_no = feed.next_receipt_number(session, country, when)
        session.add(Submission(
            id=sub_id, rev=2, delegation=country, workshop_id=workshop_id, language=language, title=title,
            template_id=TEMPLATE, template_version=1, body=dict(body), status="received",
            content_sha256=content_sha256(title, language, body), receipt_no=receipt_no, received_at=when,
            supersedes=None, created_at=when, updated_at=when,
        ))
        session.flush()
        if supersedes is not None:
            old = session.query(Submission).filter(Submission.receipt_no == supersedes).one()
            old.superseded_by = sub_id
            session.get(Submission, sub_id).supersedes = old.id  # type: ignore[union-attr]
            old.rev += 1
            feed.record(session, Entity.SUBMISSION, old.id, old.rev, delegation=old.delegation)
        feed.record(session, Entity.SUBMISSION, sub_id, 2, delegation=country)
    return receipt_no


def publish(db: Database, **kwargs: object) -> str:
    """A published submission; returns its receipt number."""
    receipt_no = receive(db, **kwargs)  # type: ignore[arg-type]
    publishing.publish_submission(db, receipt_no)
    return receipt_no


FRENCH_INTEGRATION = {
    "national_context": "La France accueille chaque année de nombreux migrants. L’**intégration des "
                        "migrants** est une priorité nationale : langue, emploi et logement.",
    "policy_framework": "- Le contrat d’accueil et d’intégration (2006)\n- Les plans régionaux "
                        "d’intégration des populations immigrées",
    "partnerships": "Les partenariats avec les *collectivités locales* et les associations "
                    "soutiennent l’apprentissage du français. Voir [le ministère](https://example.org/fr).",
}
ENGLISH_HEALTH = {
    "national_context": "Health workers leave for better pay abroad; the Government trains more nurses.",
    "policy_framework": "1. A code of practice on ethical recruitment\n2. Bilateral agreements on "
                        "circular migration of health personnel",
}
SPANISH_INTEGRATION = {
    "national_context": "México es país de origen, tránsito y destino. La integración de los migrantes "
                        "en las comunidades de acogida es una prioridad.",
    "partnerships": "Alianzas con empresas y organizaciones de la sociedad civil.",
}
