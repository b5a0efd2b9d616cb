"""Full-text search of published submissions, on SQLite (FTS5) and PostgreSQL (tsvector):
accents optional, across the three languages, with filters, ranking, paging and snippets, and
no query a reader types ever fails."""

from __future__ import annotations

import datetime as dt

import pytest

from idm_desktop.server import publishing
from tests.server.conftest import Service
from tests.server.public import factory


@pytest.fixture
def published(service: Service) -> dict[str, str]:
    db = service.ctx.db
    june = dt.datetime(2006, 6, 20, 9, 0, tzinfo=dt.UTC)
    return {
        "fr": factory.publish(db, country="FRA", language="fr", title="Politique d’accueil",
                              body=factory.FRENCH_INTEGRATION, received_at=june),
        "es": factory.publish(db, country="MEX", language="es", title="Reseña de México",
                              body=factory.SPANISH_INTEGRATION, received_at=june),
        "en": factory.publish(db, country="GBR", language="en", title="Ethical recruitment of nurses",
                              body=factory.ENGLISH_HEALTH, workshop_id="idm2006-health", received_at=june),
        "title": factory.publish(db, country="CAN", language="en", title="Integration of newcomers",
                                 body={"national_context": "Settlement services across provinces."},
                                 received_at=june),
        "2005": factory.publish(db, country="MAR", language="fr", title="Migration et développement",
                                body={"national_context": "Les transferts de fonds des migrants."},
                                workshop_id="idm2005-migration-development",
                                received_at=dt.datetime(2005, 1, 20, tzinfo=dt.UTC)),
    }


def receipts(service: Service, **params: object) -> list[str]:
    r = service.client().get("/api/v1/public/submissions", params={"per_page": 100, **params})
    assert r.status_code == 200, r.text
    return [item["receipt_no"] for item in r.json()["items"]]


def test_accents_are_optional_across_languages(service: Service, published: dict[str, str]) -> None:
    integration = {published["fr"], published["es"], published["title"]}
    for q in ("intégration", "integration", "INTEGRACIÓN", "Integrations", "integra"):
        assert set(receipts(service, q=q)) == integration, q
    assert receipts(service, q="développement") == [published["2005"]]
    assert receipts(service, q="developpement") == [published["2005"]]
    assert receipts(service, q="nurses") == [published["en"]]
    # Every word is required; a phrase is a phrase.
    assert set(receipts(service, q="intégration migrants")) == {published["fr"], published["es"]}
    assert receipts(service, q='"intégration des migrants"') == [published["fr"]]
    assert receipts(service, q='"migrants des"') == []


def test_the_title_weighs_more_than_the_text(service: Service, published: dict[str, str]) -> None:
    hits = receipts(service, q="integration")
    assert hits[0] == published["title"]  # in its title, and its text is short


def test_filters(service: Service, published: dict[str, str]) -> None:
    assert receipts(service, country="FRA") == [published["fr"]]
    assert receipts(service, country="mar") == [published["2005"]]
    assert set(receipts(service, language="fr")) == {published["fr"], published["2005"]}
    assert receipts(service, year=2005) == [published["2005"]]
    assert len(receipts(service, year=2006)) == 4
    assert receipts(service, year=1999) == []
    assert receipts(service, workshop="idm2006-health") == [published["en"]]
    assert set(receipts(service, q="migrants", language="fr")) == {published["fr"], published["2005"]}
    assert receipts(service, q="migrants", language="fr", year=2006) == [published["fr"]]
    assert receipts(service, q="integration", country="MEX") == [published["es"]]
    # The HTML filters say the same, and ignore values that cannot match anything.
    c = service.client()
    page = c.get("/en/search", params={"q": "integration", "country": "MEX", "year": "2006"}).text
    assert page.count('class="result"') == 1
    assert "Reseña de México" in page
    for junk in ({"year": "abc"}, {"country": "Mexico"}, {"language": "de"}, {"page": "-3"},
                 {"page": "99999999999"}, {"workshop": "x" * 500}):
        assert c.get("/en/search", params=junk).status_code == 200, junk
    # A filter that leaves nothing (a country, a workshop or a year with nothing published) is shown
    # chosen in the form, so the advice to remove filters points at something the reader sees.
    empty = c.get("/es/search", params={"country": "DEU", "workshop": "idm2005-migration-development",
                                        "year": "1999"}).text
    assert '<option value="DEU" selected>Alemania (0)</option>' in empty
    assert '<option value="idm2005-migration-development" selected>' in empty
    assert '<option value="1999" selected>1999</option>' in empty


def test_newest_first_without_a_query_and_paging(service: Service) -> None:
    db = service.ctx.db
    start = dt.datetime(2006, 6, 1, tzinfo=dt.UTC)
    made = [factory.publish(db, country="CHE", language="en", title=f"Overview {i}",
                            body={"national_context": f"Text {i} about labour migration."},
                            received_at=start + dt.timedelta(hours=i)) for i in range(45)]
    c = service.client()
    first = c.get("/api/v1/public/submissions", params={"per_page": 20}).json()
    assert (first["total"], first["pages"]) == (45, 3)
    assert [i["receipt_no"] for i in first["items"]] == made[::-1][:20]
    third = c.get("/api/v1/public/submissions", params={"per_page": 20, "page": 3}).json()
    assert [i["receipt_no"] for i in third["items"]] == made[::-1][40:]
    assert c.get("/api/v1/public/submissions", params={"page": 9}).json()["items"] == []
    html = c.get("/en/search", params={"q": "labour", "page": "2"}).text
    assert "Page 2 of 3" in html
    assert 'rel="prev" ' not in html
    assert 'href="/en/search?q=labour" rel="prev"' in html
    assert 'href="/en/search?q=labour&amp;page=3" rel="next"' in html
    # "The same data in JSON" is this very page's data.
    assert 'href="/api/v1/public/submissions?q=labour&amp;page=2">' in html
    assert c.get("/api/v1/public/submissions?q=labour&page=2").json()["page"] == 2
    one = c.get(f"/en/submissions/{made[0]}").text
    assert f'href="/api/v1/public/submissions/{made[0]}">' in one
    # Past the last page (an old link, a typed number): the last page, at its own address.
    for asked in ("99", "12290"):
        r = service.client(follow_redirects=False).get("/es/search", params={"q": "labour", "page": asked})
        assert (r.status_code, r.headers["location"]) == (303, "/es/search?q=labour&page=3")
    following = service.client(follow_redirects=True)
    assert "Página 3 de 3" in following.get("/es/search", params={"q": "labour", "page": "99"}).text


def test_snippets_mark_the_hits_and_escape_the_text(service: Service) -> None:
    hostile = '<script>alert("x")</script> Integration <img src=x onerror=alert(1)> policy.'
    factory.publish(service.ctx.db, country="ESP", language="es", title='<b>Título</b> "integración"',
                    body={"national_context": hostile, "partnerships": "[clic](javascript:alert(1))"})
    c = service.client()
    page = c.get("/en/search", params={"q": "integration"}).text
    assert "<script>" not in page
    assert "<img" not in page
    assert "<b>Título" not in page
    assert "&lt;script&gt;" in page
    assert "<mark>Integration</mark>" in page
    item = c.get("/api/v1/public/submissions", params={"q": "integration"}).json()["items"][0]
    assert {"text": "Integration", "hit": True} in item["snippet"]
    detail = c.get(item["html_url"].replace("/es/", "/en/")).text
    assert "<script>" not in detail
    assert "&lt;script&gt;" in detail
    assert 'href="javascript' not in detail
    assert "&lt;b&gt;Título&lt;/b&gt;" in detail


HOSTILE_QUERIES = [
    '"', '""', "'", "*", "-", "NOT", "OR", "AND", "NEAR(a b)", "a:b", "title:x", "^x", "(", ")", "x)",
    "'; DROP TABLE submissions; --", "\\", "%", "_", "&|!", "<->", "a <-> b", ":*", "'a':*", "\x00",
    "🙂", "東京", "  ", "«", "l’", "-intégration", "x" * 299, "a " * 150, "ÉÉÉ*", "integration*",
]


def test_no_query_ever_fails(service: Service, published: dict[str, str]) -> None:
    c = service.client()
    for q in HOSTILE_QUERIES:
        assert c.get("/en/search", params={"q": q}).status_code == 200, q
        r = c.get("/api/v1/public/submissions", params={"q": q})
        assert r.status_code == 200, (q, r.text)
    assert "Type a word to search for." in c.get("/en/search", params={"q": '"*"'}).text
    assert c.get("/api/v1/public/submissions", params={"q": "x" * 301}).status_code == 422


def test_unpublishing_takes_it_out_of_the_index(service: Service, published: dict[str, str]) -> None:
    publishing.unpublish_submission(service.ctx.db, published["es"], "asked by the delegation")
    assert published["es"] not in receipts(service, q="integración")
    publishing.publish_submission(service.ctx.db, published["es"])
    assert published["es"] in receipts(service, q="integración")
