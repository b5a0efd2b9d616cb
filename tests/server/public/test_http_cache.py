"""The public pages behind an HTTP cache: an ETag naming the database's state, 304 when it has not
moved, a second at most in a shared cache, and a new tag at once on publish and unpublish."""

from __future__ import annotations

import pytest

from idm_desktop.server import publishing
from tests.server.conftest import Service
from tests.server.public.flow import make


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pages_carry_cache_headers_and_revalidate(service: Service) -> None:
    fra = service.account("amelie", "drafter", "FRA")
    made = make(service, fra, title="Cache overview", sections={"national_context": "Texte public."})
    receipt = made.receipt_no or ""
    publishing.publish_submission(service.ctx.db, receipt)
    c = service.client()
    for path in ("/en/", "/en/search?q=public", f"/en/submissions/{receipt}"):
        r = c.get(path)
        assert r.status_code == 200, path
        assert r.headers["cache-control"] == "public, max-age=1, must-revalidate"
        assert r.headers["vary"] == "Accept-Encoding"
        etag = r.headers["etag"]
        again = c.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert c.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    page = f"/en/submissions/{receipt}"
    before = c.get(page).headers["etag"]
    publishing.unpublish_submission(service.ctx.db, receipt, "sent by mistake")
    gone = c.get(page, headers={"If-None-Match": before})
    assert gone.status_code == 404  # the old tag no longer matches: the cache gets the 404
    assert gone.headers["cache-control"] == "no-cache"
    assert "etag" not in gone.headers
    home = c.get("/en/")
    assert home.headers["etag"] != before
    assert "Cache overview" not in home.text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_kept_page_is_the_same_page_gzipped_or_not(service: Service) -> None:
    """Pages are kept gzipped: a reader whose browser takes gzip gets those bytes, another the page
    as it was made, and both read the page the first reader got."""
    import gzip

    import httpx

    fra = service.account("gaston", "drafter", "FRA")
    made = make(service, fra, title="Kept gzipped", sections={"national_context": "Texte gardé."})
    publishing.publish_submission(service.ctx.db, made.receipt_no or "")
    site = service.live.app.state.public_site
    path = "/fr/search?q=gard%C3%A9"
    first = service.client().get(path)  # made
    assert first.status_code == 200
    assert "Kept gzipped" in first.text
    with httpx.Client(base_url=service.url, timeout=30) as raw:
        for accept in ("gzip", "identity", "gzip", "identity"):
            r = raw.get(path, headers={"Accept-Encoding": accept})  # made again (kept), then kept
            assert r.status_code == 200
            assert r.headers["etag"] == first.headers["etag"]
            assert r.headers["vary"] == "Accept-Encoding"
            assert r.headers.get("content-encoding") == ("gzip" if accept == "gzip" else None)
            assert r.content == first.content  # httpx undoes the gzip
        with raw.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as r:
            assert r.headers["content-encoding"] == "gzip"
            assert gzip.decompress(b"".join(r.iter_raw())) == first.content
    assert any(query == "q=gard%C3%A9" for _seq, _path, query, _etag in site.pages._items)
