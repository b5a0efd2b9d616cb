"""A sent submission as the export draws it: its template (or a bare one when the version is not on
this server), its workshop and its text, ready for the PDF and for the pages that show it. One
builder for the desk's received queue and the public policy database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from idm_desktop.core.submissions import Submission as CoreSubmission
from idm_desktop.core.submissions import SubmissionStatus
from idm_desktop.core.templates import Template as CoreTemplate
from idm_desktop.core.workshops import Workshop as CoreWorkshop
from idm_desktop.export import ExportContext, PdfResult
from idm_desktop.server.models import Submission, Template, Workshop


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time with its zone (SQLite gives them back naive; they are UTC)."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def printable(session: Session, sub: Submission, date: dt.date) -> ExportContext:
    """``sub`` (sent: it has a receipt) as the export's input, ``date`` the date printed on it."""
    template_row = session.get(Template, f"{sub.template_id}@{sub.template_version}")
    template = (CoreTemplate.from_dict(template_row.data) if template_row is not None else
                CoreTemplate(id=sub.template_id, version=sub.template_version, title={}, intro={},
                             sections=()))
    workshop_row = session.get(Workshop, sub.workshop_id)
    workshop = CoreWorkshop.from_dict(workshop_row.data) if workshop_row is not None else None
    now = dt.datetime.now(dt.UTC)
    core = CoreSubmission(
        id=sub.id, workshop_id=sub.workshop_id, country=sub.delegation, language=sub.language,
        title=sub.title, template_id=sub.template_id, template_version=sub.template_version,
        body=dict(sub.body), status=SubmissionStatus(sub.status), created_at=aware(sub.created_at) or now,
        updated_at=aware(sub.updated_at) or now, rev=sub.rev, content_sha256=sub.content_sha256,
        supersedes=sub.supersedes, receipt_no=sub.receipt_no, received_at=aware(sub.received_at),
    )
    return ExportContext(submission=core, template=template, workshop=workshop, date=date)


def render_pdf(context: ExportContext) -> PdfResult:
    """The desktop's PDF export of ``context``. reportlab (some 10 MB) is imported with the first
    PDF asked for, not with the service: most of its pages and answers are not PDFs."""
    from idm_desktop.export.pdf import render_pdf as render

    return render(context)
