"""Only published submissions are public: drafts, received-but-unpublished and unpublished ones
cannot be reached by guessing their address, through the JSON API, the PDF route or search, and
answer exactly as an address that never existed. Superseded versions stay, marked."""

from __future__ import annotations

import httpx

from idm_desktop.server import publishing
from tests.server.conftest import Service
from tests.server.public.flow import make

SECRET = "zanzibarsecretword"  # in every hidden text, never in a published one
NEVER = "IDM-2026-99999"


def _same_404(c: httpx.Client, path: str, ident: str) -> None:
    """``path`` (naming ``ident``) answers exactly as the same path with an id that never existed."""
    got = c.get(path)
    never = c.get(path.replace(ident, NEVER))
    assert got.status_code == never.status_code == 404, path
    assert got.headers["content-type"] == never.headers["content-type"], path
    assert got.text.replace(ident, "<id>") == never.text.replace(NEVER, "<id>"), path


def test_unpublished_content_is_unreachable(service: Service) -> None:
    fra = service.account("amelie", "drafter", "FRA")
    nzl = service.account("nikau", "drafter", "NZL")  # a delegation with nothing published
    published = make(service, fra, title="Published integration overview", language="fr",
                     sections={"national_context": "L’intégration des migrants, texte public."})
    publishing.publish_submission(service.ctx.db, published.receipt_no or "")
    draft = make(service, nzl, title=f"Draft {SECRET}", sections={"national_context": f"Draft {SECRET}."},
                 submit=False)
    received = make(service, nzl, title=f"Received {SECRET}", sections={"national_context": f"{SECRET}."})
    withdrawn = make(service, fra, title=f"Unpublished {SECRET}", sections={"national_context": f"{SECRET}!"})
    publishing.publish_submission(service.ctx.db, withdrawn.receipt_no or "")
    publishing.unpublish_submission(service.ctx.db, withdrawn.receipt_no or "", "sent by mistake")
    assert received.receipt_no
    assert withdrawn.receipt_no

    c = service.client()
    hidden = [received.receipt_no, withdrawn.receipt_no, draft.id, received.id, withdrawn.id, published.id,
              received.receipt_no.lower(), f"{received.receipt_no}%20", "IDM-2026-00000"]
    for ident in hidden:
        for lang in ("en", "fr", "es"):
            _same_404(c, f"/{lang}/submissions/{ident}", ident)
            _same_404(c, f"/{lang}/submissions/{ident}.pdf", ident)
        _same_404(c, f"/api/v1/public/submissions/{ident}", ident)
    assert c.get(f"/en/submissions/{published.receipt_no}").status_code == 200

    # Search finds none of it, whatever is asked, on the pages and through the API.
    for q in (SECRET, "Draft", "Received", "Unpublished", "sent by mistake"):
        page = c.get("/en/search", params={"q": q}).text
        assert 'class="result"' not in page, q
        assert "0 overviews found" in page, q
        assert c.get("/api/v1/public/submissions", params={"q": q}).json()["total"] == 0, q
    listing = c.get("/api/v1/public/submissions", params={"per_page": 100}).json()
    assert [item["receipt_no"] for item in listing["items"]] == [published.receipt_no]
    assert SECRET not in c.get("/en/search").text

    # Nor do the counts: New Zealand has nothing published, France has one.
    countries = c.get("/api/v1/public/countries").json()
    assert [(x["code"], x["submissions"]) for x in countries] == [("FRA", 1)]
    workshops = {w["id"]: w["submissions"] for w in c.get("/api/v1/public/workshops").json()}
    assert workshops["idm2006-integration"] == 1
    for lang in ("en", "fr", "es"):
        home = c.get(f"/{lang}/").text
        assert SECRET not in home
        assert "New Zealand" not in home
        assert "Nouvelle-Zélande" not in home
    assert c.get("/en/search", params={"country": "NZL"}).text.count('class="result"') == 0


def test_superseded_versions_stay_reachable_and_marked(service: Service) -> None:
    db = service.ctx.db
    mex = service.account("maria", "drafter", "MEX")
    first = make(service, mex, title="Primera versión", language="es",
                 sections={"national_context": "Texto de la primera versión."})
    publishing.publish_submission(db, first.receipt_no or "")
    second = make(service, mex, title="Segunda versión", language="es", supersedes=first.id,
                  sections={"national_context": "Texto corregido."})
    c = service.client()

    # The correction is received, not published: the first version is shown as it was.
    page = c.get(f"/en/submissions/{first.receipt_no}").text
    assert "Superseded" not in page
    assert (second.receipt_no or "") not in page
    assert c.get(f"/api/v1/public/submissions/{first.receipt_no}").json()["superseded_by"] is None

    publishing.publish_submission(db, second.receipt_no or "")
    old = c.get(f"/en/submissions/{first.receipt_no}")
    assert old.status_code == 200
    assert "Superseded." in old.text
    assert f'href="/en/submissions/{second.receipt_no}"' in old.text
    new = c.get(f"/fr/submissions/{second.receipt_no}").text
    assert "Remplace" in new
    assert f'href="/fr/submissions/{first.receipt_no}"' in new
    data = c.get(f"/api/v1/public/submissions/{first.receipt_no}").json()
    assert data["superseded_by"] == second.receipt_no
    assert c.get(f"/api/v1/public/submissions/{second.receipt_no}").json()["supersedes"] == first.receipt_no
    hits = c.get("/api/v1/public/submissions", params={"q": "versión"}).json()["items"]
    assert {h["receipt_no"]: h["superseded_by"] for h in hits} == {
        first.receipt_no: second.receipt_no, second.receipt_no: None}
    assert "Superseded by a newer version" in c.get("/en/search", params={"q": "primera"}).text

    # The correction taken back down: the first version is no longer marked, and nothing
    # on its page points at the unpublished one.
    publishing.unpublish_submission(db, second.receipt_no or "", "withdrawn by the delegation")
    page = c.get(f"/en/submissions/{first.receipt_no}").text
    assert "Superseded" not in page
    assert (second.receipt_no or "") not in page


def test_a_page_seen_before_goes_when_unpublished(service: Service) -> None:
    """Pages are kept for the next reader, but never past a change of what is published."""
    fra = service.account("amelie", "drafter", "FRA")
    made = make(service, fra, title="Vu puis retiré", language="fr",
                sections={"national_context": "Un texte retiré plus tard."})
    receipt = made.receipt_no or ""
    publishing.publish_submission(service.ctx.db, receipt)
    c = service.client()
    urls = [f"/fr/submissions/{receipt}", "/fr/search?q=retiré", "/fr/", "/fr/search"]
    for url in urls * 2:  # the second time from the pages kept
        assert receipt in c.get(url).text, url
    publishing.unpublish_submission(service.ctx.db, receipt, "published by mistake")
    assert c.get(urls[0]).status_code == 404
    for url in urls[1:]:
        assert receipt not in c.get(url).text, url
    assert c.get(f"/fr/submissions/{receipt}.pdf").status_code == 404
