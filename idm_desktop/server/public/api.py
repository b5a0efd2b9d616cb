"""The public policy database as read-only JSON (``/api/v1/public``), no sign-in needed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from idm_desktop.core.countries import country_name
from idm_desktop.core.errors import InvalidInputError
from idm_desktop.protocol import ErrorBody
from idm_desktop.server.deps import Ctx
from idm_desktop.server.errors import NotFound
from idm_desktop.server.public import service
from idm_desktop.server.public.schemas import (
    LocalNames,
    PublicCountry,
    PublicSection,
    PublicSubmission,
    PublicSubmissionPage,
    PublicSubmissionSummary,
    PublicWorkshop,
    SnippetPart,
)
from idm_desktop.server.public.service import Filters, Listed
from idm_desktop.server.public.site import site_of
from idm_desktop.server.search.text import MAX_QUERY_CHARS


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody} for code in codes}


router = APIRouter(prefix="/api/v1/public", tags=["public"], responses=_errors(422))

NOT_FOUND = "No published submission has this receipt number."


def _summary(item: Listed) -> PublicSubmissionSummary:
    return PublicSubmissionSummary(
        receipt_no=item.receipt_no, title=item.title, country=item.country, workshop_id=item.workshop_id,
        language=item.language, received_on=item.received_on, published_at=item.published_at,
        superseded_by=item.superseded_by,
        snippet=[SnippetPart(text=text, hit=hit) for text, hit in item.snippet],
        html_url=f"/{item.language}/submissions/{item.receipt_no}",
        pdf_url=f"/{item.language}/submissions/{item.receipt_no}.pdf",
    )


def _names(code: str) -> LocalNames:
    try:
        return LocalNames(en=country_name(code, "en"), fr=country_name(code, "fr"),
                          es=country_name(code, "es"))
    except InvalidInputError:
        return LocalNames(en=code, fr=code, es=code)


@router.get("/submissions")
async def list_submissions(
    request: Request, ctx: Ctx,
    q: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS,
                                   description="Words to find (accents optional); \"quoted phrase\"")] = None,
    workshop: Annotated[str | None, Query(max_length=100, description="A workshop id")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO alpha-3")] = None,
    language: Annotated[str | None, Query(pattern=r"^(en|fr|es)$")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2999, description="The IDM year of the workshop")] = None,
    page: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=service.MAX_PER_PAGE)] = service.PER_PAGE,
) -> PublicSubmissionPage:
    """Published submissions: full-text search and filters, one page at a time."""
    filters = Filters.clean(q, workshop, country, language, year)
    site = site_of(request)

    def found() -> service.ResultPage:
        with ctx.db.read() as session:
            cat = site.overview.get(session).catalog
            return service.search(session, cat, filters, sqlite=ctx.db.is_sqlite, page=page,
                                  per_page=per_page)

    # On the pages' few worker threads, as a search page is made (site.MAKERS).
    result = await site.make(found)
    return PublicSubmissionPage(items=[_summary(item) for item in result.items], total=result.total,
                                page=result.page, per_page=result.per_page, pages=result.pages)


@router.get("/submissions/{receipt_no}", responses=_errors(404))
def get_submission(
    ctx: Ctx, receipt_no: Annotated[str, Path(max_length=100, description="e.g. IDM-2026-00042")],
) -> PublicSubmission:
    """One published submission with its sections (Markdown) in template order."""
    with ctx.db.read() as session:
        found = service.detail(session, receipt_no)
    if found is None:
        raise NotFound(NOT_FOUND)
    item = found.listed
    body = found.submission.body
    return PublicSubmission(
        receipt_no=item.receipt_no, title=item.title, country=item.country, country_name=_names(item.country),
        workshop_id=item.workshop_id,
        workshop_title=LocalNames.of(found.workshop.title) if found.workshop else None,
        language=item.language, template_id=found.template.id, template_version=found.template.version,
        received_on=item.received_on, published_at=item.published_at, supersedes=found.supersedes,
        superseded_by=item.superseded_by,
        sections=[PublicSection(key=s.key, title=s.title, text=body.get(s.key, "")) for s in found.sections],
        html_url=f"/{item.language}/submissions/{item.receipt_no}",
        pdf_url=f"/{item.language}/submissions/{item.receipt_no}.pdf",
        sha256=found.submission.content_sha256 or "",
        receipt_key_id=found.receipt_signature[0] if found.receipt_signature else None,
        receipt_signature=found.receipt_signature[1] if found.receipt_signature else None,
    )


@router.get("/workshops")
def list_workshops(request: Request, ctx: Ctx) -> list[PublicWorkshop]:
    """Every workshop and Council session, with its number of published submissions."""
    with ctx.db.read() as session:
        overview = site_of(request).overview.get(session)
    cat, counts = overview.catalog, overview.facets
    ordered = sorted(cat.workshops.values(), key=lambda w: (w.year, w.start is None, w.start, w.id))
    return [PublicWorkshop(id=w.id, year=w.year, kind=w.kind.value, title=LocalNames.of(w.title),
                           start=w.start, end=w.end, city=w.city, submissions=counts.workshops.get(w.id, 0))
            for w in ordered]


@router.get("/countries")
def list_countries(request: Request, ctx: Ctx) -> list[PublicCountry]:
    """The countries that have published submissions, by code."""
    with ctx.db.read() as session:
        counts = site_of(request).overview.get(session).facets
    return [PublicCountry(code=code, name=_names(code), submissions=n)
            for code, n in sorted(counts.countries.items())]
