"""The public pages: home (by workshop, by country), search with filters, one page per
published submission, its PDF, and a friendly 404 page, in English, French and Spanish.

Server-rendered, no script. The language is the first segment of the path; ``/`` sends the
reader to the language their browser asks for. Messages are translated per request with the
page's own translator (never the process-wide UI language).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from markupsafe import Markup, escape

from idm_desktop.core.formatting import event_dates, long_date
from idm_desktop.core.i18n import UI_LANGUAGES, translator
from idm_desktop.core.workshops import Workshop as CoreWorkshop
from idm_desktop.server.context import ServerContext
from idm_desktop.server.deps import Ctx
from idm_desktop.server.pagekit import country_label, language_label, number
from idm_desktop.server.printable import render_pdf
from idm_desktop.server.public import service
from idm_desktop.server.public.render import blocks_html, highlighted
from idm_desktop.server.public.service import Catalog, Filters, Listed, Overview
from idm_desktop.server.public.site import PageNotFound, Site, site_of
from idm_desktop.server.search.text import fold

router = APIRouter(include_in_schema=False)

ENDONYMS = {"en": "English", "fr": "Français", "es": "Español"}
_ACCEPT = re.compile(r"\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def negotiate(accept_language: str | None) -> str:
    """The best of en, fr, es for an ``Accept-Language`` header (English when none fits)."""
    best, best_q = "en", 0.0
    for part in (accept_language or "").split(",")[:20]:
        m = _ACCEPT.match(part)
        if not m:
            continue
        code = m.group(1).lower()
        try:
            q = float(m.group(2)) if m.group(2) else 1.0
        except ValueError:
            continue
        if code in UI_LANGUAGES and q > best_q:
            best, best_q = code, q
    return best


def _check_lang(lang: str) -> str:
    if lang not in UI_LANGUAGES:
        raise PageNotFound("en")
    return lang


def _switcher(request: Request, lang: str, canonical_query: str) -> list[dict[str, Any]]:
    """The same page in each language (with the query the page is made from: the page is cached
    under it, so nothing else of the address asked may show in it)."""
    path = quote(request.url.path, safe="/-._~!$&'()*+,;=:@")
    rest = path[len(lang) + 1:] if path.startswith(f"/{lang}/") else "/"
    query = f"?{canonical_query}" if canonical_query else ""
    return [{"code": code, "name": ENDONYMS[code], "href": f"/{code}{rest}{query}", "current": code == lang}
            for code in UI_LANGUAGES]


def _context(request: Request, lang: str, cat: Catalog | None = None, **extra: Any) -> dict[str, Any]:
    tr = translator(lang)
    workshops = cat.workshops if cat else {}

    def workshop_title(workshop_id: str) -> str:
        w = workshops.get(workshop_id)
        return w.title_in(lang) if w else workshop_id

    def search_url(**params: Any) -> str:
        clean = {k: v for k, v in params.items() if v not in (None, "")}
        return f"/{lang}/search" + (f"?{urlencode(clean)}" if clean else "")

    def result_list(items: Iterable[Listed], heading_level: int = 3) -> Markup:
        """The list of results (a search's, the latest): some ten calls into the page's words per
        result, put together here rather than by the template engine (a third of a page's making)."""
        h = int(heading_level)
        overview = escape(tr.gettext("Policy overview"))
        superseded = escape(tr.gettext("Superseded by a newer version"))
        received = tr.gettext("Received {date}")
        out = ['<ol class="results" role="list">\n']
        for item in items:
            language = escape(item.language)
            title = highlighted(item.marked_title) if item.title else overview
            out.append(
                f'  <li class="result">\n'
                f'    <h{h} class="result-title"><a href="{escape(f"/{lang}/submissions/{item.receipt_no}")}"'
                f' lang="{language}">{title}</a></h{h}>\n'
                f'    <p class="meta">\n'
                f'      <span>{escape(country_label(item.country, lang))}</span>\n'
                f'      <span>{escape(workshop_title(item.workshop_id))}</span>\n'
                f'      <span>{escape(language_label(item.language, lang))}</span>\n'
                f'      <span>{escape(received.format(date=long_date(item.received_on, lang)))}</span>\n'
                f'    </p>\n')
            if item.superseded_by:
                out.append(f'    <p class="badge">{superseded}</p>\n')
            if item.snippet:
                out.append(f'    <p class="snippet" lang="{language}">{highlighted(item.snippet)}</p>\n')
            out.append("  </li>\n")
        out.append("</ol>\n")
        return Markup("".join(out))  # every value above is escaped

    return {
        "lang": lang,
        "_": tr.gettext,
        "gettext": tr.gettext,
        "ngettext": tr.ngettext,
        "css_version": site_of(request).css_version,
        "languages": _switcher(request, lang, extra.pop("canonical_query", "")),
        "country_name": lambda code: country_label(code, lang),
        "workshop_title": workshop_title,
        "event_dates": lambda w: event_dates(w, lang),
        "date": lambda d: long_date(d, lang),
        "num": lambda n: number(n, lang),
        "language_label": lambda code: language_label(code, lang),
        "search_url": search_url,
        "submission_url": lambda receipt: f"/{lang}/submissions/{receipt}",
        "pdf_url": lambda receipt: f"/{lang}/submissions/{receipt}.pdf",
        "blocks_html": blocks_html,
        "highlighted": highlighted,
        "result_list": result_list,
        **extra,
    }


def _by_year(overview: Overview) -> list[tuple[int, list[tuple[CoreWorkshop, int]]]]:
    """Workshops that have published submissions, newest year first, in date order within a year."""
    found = overview.memo.get(("by_year", ""))
    if found is None:
        years: dict[int, list[tuple[CoreWorkshop, int]]] = {}
        for workshop_id, n in overview.facets.workshops.items():
            w = overview.catalog.workshops.get(workshop_id)
            if w is not None:
                years.setdefault(w.year, []).append((w, n))
        found = overview.memo[("by_year", "")] = [
            (year, sorted(items, key=lambda item: (item[0].start is None, item[0].start, item[0].id)))
            for year, items in sorted(years.items(), reverse=True)]
    return found


def _countries(overview: Overview, lang: str) -> list[tuple[str, str, int]]:
    """The countries with published submissions, by name in ``lang``: (code, name, count)."""
    found = overview.memo.get(("countries", lang))
    if found is None:
        named = [(code, country_label(code, lang), n) for code, n in overview.facets.countries.items()]
        found = overview.memo[("countries", lang)] = sorted(named, key=lambda item: fold(item[1]))
    return found


# -- routes -----------------------------------------------------------------------------------------

@router.get("/")
def root(request: Request) -> RedirectResponse:
    """Send the reader to the public database in the language their browser prefers."""
    lang = negotiate(request.headers.get("accept-language"))
    return RedirectResponse(f"/{lang}/", status_code=302, headers={"Vary": "Accept-Language"})


def _home_redirect(lang: str) -> Callable[[], RedirectResponse]:
    def redirect() -> RedirectResponse:
        return RedirectResponse(f"/{lang}/", status_code=301)
    return redirect


for _code in UI_LANGUAGES:
    router.add_api_route(f"/{_code}", _home_redirect(_code), methods=["GET"])


@router.get("/{lang}/")
async def home(request: Request, ctx: Ctx, lang: str) -> Response:
    _check_lang(lang)
    site = site_of(request)
    kept = await site.kept(request, ctx)
    if kept is not None:
        return kept
    return await site.make(lambda: _home(request, ctx, lang))


def _home(request: Request, ctx: ServerContext, lang: str) -> Response:
    site = site_of(request)
    with ctx.db.read() as session:
        overview = site.overview.get(session)
        key, made = site.cached(request, overview)  # made meanwhile, or the database moved
        if made is not None:
            return made
        latest = service.search(session, overview.catalog, Filters(), sqlite=ctx.db.is_sqlite, per_page=5)
    return site.render("home.html", _context(
        request, lang, overview.catalog, facets=overview.facets, workshops_by_year=_by_year(overview),
        countries=_countries(overview, lang), latest=latest), key=key)


@router.get("/{lang}/search")
async def search(
    request: Request, ctx: Ctx, lang: str, q: str | None = None, workshop: str | None = None,
    country: str | None = None, language: str | None = None, year: str | None = None,
    page: str | None = None,
) -> Response:
    # async, like every page: a page kept for this state of the database is answered on the event
    # loop after one row read on a pool thread; only a page to make goes to a worker thread.
    _check_lang(lang)
    filters, number = search_params(q, workshop, country, language, year, page)
    site = site_of(request)
    kept = await site.kept(request, ctx, _canonical_query(filters, number))
    if kept is not None:
        return kept
    return await site.make(lambda: _search(request, ctx, lang, filters, number))


def search_params(q: str | None, workshop: str | None, country: str | None, language: str | None,
                  year: str | None, page: str | None) -> tuple[Filters, int]:
    """A search page's filters and page number, from the values of its query string."""
    number = int(page) if page and page.isdigit() and len(page) < 6 else 1
    return Filters.clean(q, workshop, country, language, year), number


def canonical_search_query(params: Mapping[str, str]) -> str:
    """The query a search page is made from (:func:`_canonical_query`), from its query string."""
    filters, number = search_params(*(params.get(name) for name in SEARCH_PARAMS))
    return _canonical_query(filters, number)


SEARCH_PARAMS = ("q", "workshop", "country", "language", "year", "page")


def _search(request: Request, ctx: ServerContext, lang: str, filters: Filters, number: int) -> Response:
    site = site_of(request)
    with ctx.db.read() as session:
        overview = site.overview.get(session)
        key, made = site.cached(request, overview, _canonical_query(filters, number))
        if made is not None:
            return made
        result = service.search(session, overview.catalog, filters, sqlite=ctx.db.is_sqlite, page=number)

    def page_url(n: int) -> str:
        query = _canonical_query(filters, n)
        return f"/{lang}/search" + (f"?{query}" if query else "")

    if result.total and number > result.pages:  # past the last page (an old link, a typed number)
        return RedirectResponse(page_url(result.pages), status_code=303)

    by_year = _by_year(overview)
    context = _context(
        request, lang, overview.catalog, canonical_query=key[2], filters=filters, result=result,
        facets=overview.facets, page_url=page_url, workshops_by_year=by_year,
        json_url="/api/v1/public/submissions" + (f"?{key[2]}" if key[2] else ""),
        unlisted_workshop=_unlisted_workshop(overview, by_year, filters.workshop, lang),
        countries=_countries(overview, lang), years=sorted(overview.facets.years, reverse=True))
    fieldset = _filters_fieldset(site, overview, context)
    return site.render("search.html", {**context, "filters_fieldset": fieldset}, key=key)


def _unlisted_workshop(overview: Overview, by_year: list[tuple[int, list[tuple[CoreWorkshop, int]]]],
                       chosen: str | None, lang: str) -> tuple[str, str] | None:
    """The workshop chosen when it has nothing published (or is unknown): shown chosen in the form
    all the same, so the reader sees the filter that leaves the list empty."""
    if not chosen or any(w.id == chosen for _year, items in by_year for w, _n in items):
        return None
    workshop = overview.catalog.workshops.get(chosen)
    return chosen, workshop.title_in(lang) if workshop is not None else chosen


def _filters_fieldset(site: Site, overview: Overview, context: dict[str, Any]) -> Markup:
    """The search form's filters (every workshop and country with its count: most of a page's
    making); without a filter chosen, the same for every search in the language: made once."""
    filters: Filters = context["filters"]
    memo_key = ("filters", context["lang"])
    found = None if filters.narrowed else overview.memo.get(memo_key)
    if found is None:
        found = site.fragment("_filters.html", context)
        if not filters.narrowed:
            overview.memo[memo_key] = found
    return found


def _canonical_query(filters: Filters, page: int) -> str:
    """The query string a search page is made from: its cleaned filters, in one order."""
    params = {"q": filters.q, "workshop": filters.workshop, "country": filters.country,
              "language": filters.language, "year": filters.year, "page": page if page > 1 else None}
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@router.get("/{lang}/submissions/{receipt_no}.pdf")
def submission_pdf(request: Request, ctx: Ctx, lang: str, receipt_no: str) -> Response:
    """The PDF of a published submission, printed by the desktop's export code."""
    _check_lang(lang)
    with ctx.db.read() as session:
        found = service.detail(session, receipt_no)
    if found is None:
        raise PageNotFound(lang)
    etag = '"{}-{}"'.format(*found.cache_key)
    # Shared caches ask again every time (no-cache): once unpublished, the PDF is gone at once.
    headers = {"ETag": etag, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    data = site_of(request).pdf(found.cache_key, ctx.settings.home / "public-pdf",
                                lambda: render_pdf(found.export_context).data)
    name = f"{found.listed.receipt_no}-{found.listed.country}-{found.listed.language}.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', **headers})


@router.get("/{lang}/submissions/{receipt_no}")
async def submission_page(request: Request, ctx: Ctx, lang: str, receipt_no: str) -> Response:
    _check_lang(lang)
    site = site_of(request)
    kept = await site.kept(request, ctx)
    if kept is not None:
        return kept
    return await site.make(lambda: _submission(request, ctx, lang, receipt_no))


def _submission(request: Request, ctx: ServerContext, lang: str, receipt_no: str) -> Response:
    site = site_of(request)
    with ctx.db.read() as session:
        overview = site.overview.get(session)
        key, made = site.cached(request, overview)
        if made is not None:
            return made
        found = service.detail(session, receipt_no)
    if found is None:
        raise PageNotFound(lang)
    return site.render("submission.html", _context(request, lang, overview.catalog, item=found.listed,
                                                   detail=found,
                                                   json_url=f"/api/v1/public/submissions/{receipt_no}"),
                       key=key)


def _not_found_route(lang: str) -> Callable[[], Response]:
    def not_found() -> Response:
        raise PageNotFound(lang)
    return not_found


for _code in UI_LANGUAGES:
    router.add_api_route(f"/{_code}/{{rest:path}}", _not_found_route(_code), methods=["GET"])


def not_found_page(request: Request, lang: str) -> Response:
    """The 404 page: the same for an address that never existed and for anything unpublished."""
    return site_of(request).render("not_found.html", _context(request, lang), status=404)
