"""The public pages over a real server: languages, structure, the PDF, the 404 page, the
headers, the OpenAPI, and the secretariat's publish/unpublish commands."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from idm_desktop.protocol import ServerInfo
from idm_desktop.protocol.signing import Signature, receipt_message, verify
from idm_desktop.server import cli, publishing
from idm_desktop.server.config import Settings
from idm_desktop.server.models import Submission
from tests.server.conftest import Service
from tests.server.public import factory, flow
from tests.server.public.html_check import problems

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

JUNE = dt.datetime(2006, 6, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def receipt(service: Service) -> str:
    db = service.ctx.db
    factory.publish(db, country="GBR", language="en", title="Ethical recruitment",
                    body=factory.ENGLISH_HEALTH, workshop_id="idm2006-health", received_at=JUNE)
    return factory.publish(db, country="FRA", language="fr", title="Intégration des migrants en France",
                           body=factory.FRENCH_INTEGRATION, received_at=JUNE)


def test_the_root_follows_the_browser_language(service: Service) -> None:
    c = service.client()
    for header, lang in [("es-MX,es;q=0.9,en;q=0.5", "es"), ("de-CH, fr;q=0.8, en;q=0.9", "en"),
                         ("fr-CA", "fr"), ("de", "en"), ("", "en"), ("*;q=x,,;", "en")]:
        r = c.get("/", headers={"Accept-Language": header})
        assert (r.status_code, r.headers["location"]) == (302, f"/{lang}/"), header
    assert c.get("/fr").headers["location"] == "/fr/"
    assert c.get("/fr/").status_code == 200


def test_every_page_is_well_formed_in_every_language(service: Service, receipt: str) -> None:
    c = service.client()
    for lang in ("en", "fr", "es"):
        for path in ("/", "/search", "/search?q=intégration&country=FRA", f"/submissions/{receipt}",
                     "/no-such-page"):
            r = c.get(f"/{lang}{path}")
            assert r.status_code == (404 if "no-such" in path else 200), path
            assert r.headers["content-type"] == "text/html; charset=utf-8"
            assert "default-src 'none'" in r.headers["content-security-policy"]
            assert problems(r.text) == [], f"/{lang}{path}"
            assert f'<html lang="{lang}">' in r.text


def test_pages_are_translated_and_the_switcher_keeps_the_page(service: Service, receipt: str) -> None:
    c = service.client()
    fr = c.get("/fr/search", params={"q": "intégration", "country": "FRA"}).text
    assert "Rechercher dans les aperçus" in fr
    assert "1 aperçu trouvé" in fr
    assert "Search the overviews" not in fr
    assert 'href="/es/search?q=int%C3%A9gration&amp;country=FRA"' in fr
    es = c.get(f"/es/submissions/{receipt}").text
    assert "Fecha de recepción" in es
    assert "20 de junio de 2006" in es
    assert "Francia" in es
    assert 'href="/en/submissions/' + receipt + '"' in es
    en = c.get(f"/en/submissions/{receipt}").text
    assert "20 June 2006" in en
    assert "Migrants and the Host Society" in en
    # The submission's own text keeps its language, and its section titles are in that language.
    assert '<div class="sections" lang="fr">' in en
    assert "Contexte national et priorités" in en
    assert "<strong>intégration des migrants</strong>" in en
    assert 'rel="nofollow noopener"' in en


def test_home_lists_by_workshop_and_by_country(service: Service, receipt: str) -> None:
    home = service.client().get("/fr/").text
    assert "2 aperçus des politiques publiés" in home
    assert 'href="/fr/search?workshop=idm2006-health"' in home
    assert 'href="/fr/search?country=GBR"' in home
    assert home.index("France") < home.index("Royaume-Uni")  # by name in the page's language
    assert "DIM 2006" in home


def test_the_pdf_is_the_desktop_export(service: Service, receipt: str, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is missing: run scripts/bootstrap --system-tools")
    r = service.client().get(f"/en/submissions/{receipt}.pdf")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="{receipt}-FRA-fr.pdf"'
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in ("Intégration des migrants en France", "20 juin 2006", "France",
                     "Contexte national et priorités", "contrat d’accueil", "Page 1 sur 1"):
        assert expected in text, expected
    assert service.client().get(f"/fr/submissions/{receipt}.pdf").content[:5] == b"%PDF-"


def test_the_json_api_is_documented(service: Service, receipt: str) -> None:
    c = service.client()
    spec = c.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/v1/public/submissions", "/api/v1/public/submissions/{receipt_no}",
                 "/api/v1/public/workshops", "/api/v1/public/countries"):
        assert "get" in paths[path], path
    assert "404" in paths["/api/v1/public/submissions/{receipt_no}"]["get"]["responses"]
    assert not any(p.startswith(("/{lang}", "/en", "/fr", "/es")) for p in paths)
    detail = c.get(f"/api/v1/public/submissions/{receipt}").json()
    assert detail["country_name"] == {"en": "France", "fr": "France", "es": "Francia"}
    assert [s["key"] for s in detail["sections"]] == ["national_context", "policy_framework", "partnerships"]
    assert detail["received_on"] == "2006-06-20"
    assert detail["pdf_url"] == f"/fr/submissions/{receipt}.pdf"
    missing = c.get("/api/v1/public/submissions/IDM-1999-00001")
    assert missing.status_code == 404
    assert set(missing.json()) == {"code", "message"}


def test_admin_commands_publish_and_unpublish(service: Service, server_settings: Settings,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    receipt = factory.receive(service.ctx.db, country="PER", language="es", title="Reseña del Perú",
                              body={"national_context": "Integración de los migrantes venezolanos."})
    args = ["--home", str(server_settings.home), "--database-url", server_settings.effective_database_url,
            "--json", "admin"]
    c = service.client()
    assert c.get(f"/es/submissions/{receipt}").status_code == 404
    assert cli.main([*args, "publish-submission", receipt]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "published"
    assert c.get(f"/es/submissions/{receipt}").status_code == 200
    assert c.get("/api/v1/public/submissions", params={"q": "venezolanos"}).json()["total"] == 1
    assert cli.main([*args, "unpublish-submission", receipt]) == 2  # the reason is required
    capsys.readouterr()
    assert cli.main([*args, "unpublish-submission", receipt, "--reason", "asked by the delegation"]) == 0
    assert c.get(f"/es/submissions/{receipt}").status_code == 404
    assert c.get("/api/v1/public/submissions", params={"q": "venezolanos"}).json()["total"] == 0


def test_query_strings_do_not_inflate_the_page_cache(service: Service, receipt: str) -> None:
    """The attack: one page asked 600 times with ?v=<i>. It is one page in the cache."""
    c = service.client()
    site = service.live.app.state.public_site
    for path in (f"/en/submissions/{receipt}", "/en/", "/en/search?q=integration"):
        first = c.get(path).text
        for i in range(200):
            page = c.get(path, params={"v": f"x{i}y"})
            assert page.status_code == 200
            assert f"x{i}y" not in page.text
        assert c.get(path).text == first
    keys = list(site.pages._items)
    assert {query for _seq, _path, query, _etag in keys} <= {"", "q=integration"}, keys
    assert len(keys) <= 6
    assert site.pages.bytes <= site.pages.max_bytes


def test_a_published_pdf_is_rendered_once_and_not_kept_by_shared_caches(
        service: Service, receipt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from idm_desktop.server.public import pages

    renders = []
    real = pages.render_pdf

    def counted(context: object) -> object:
        renders.append(1)
        return real(context)  # type: ignore[arg-type]

    monkeypatch.setattr(pages, "render_pdf", counted)
    c = service.client()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _i: c.get(f"/en/submissions/{receipt}.pdf"), range(16)))
    assert {r.status_code for r in answers} == {200}
    assert len(renders) == 1
    r = answers[0]
    assert r.headers["cache-control"] == "no-cache"
    etag = {"If-None-Match": r.headers["etag"]}
    assert c.get(f"/en/submissions/{receipt}.pdf", headers=etag).status_code == 304
    assert cli.main(["--home", str(service.ctx.settings.home), "--database-url",
                     service.ctx.settings.effective_database_url,
                     "admin", "unpublish-submission", receipt, "--reason", "asked by the delegation"]) == 0
    assert c.get(f"/en/submissions/{receipt}.pdf").status_code == 404
    assert c.get(f"/en/submissions/{receipt}.pdf", headers=etag).status_code == 404


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_page_shows_the_receipt_hash_and_its_signature(service: Service, lang: str) -> None:
    """Anyone holding a receipt (or `idm-desktop receipt verify`'s output) compares its hash with
    the public page's, and can check the signature against the key /api/v1/info lists."""
    ana = service.account("ana", delegation="MEX")
    made = flow.make(service, ana, title="Retornos", language="es",
                     sections={"national_context": "Programa de retorno voluntario."})
    assert made.receipt_no is not None
    publishing.publish_submission(service.ctx.db, made.receipt_no)
    with service.ctx.db.read() as s:
        sub = s.get(Submission, made.id)
        assert sub is not None
        sha, key_id, signature = sub.content_sha256, sub.receipt_key_id, sub.receipt_signature
        received_at = sub.received_at
    assert key_id is not None
    assert signature is not None
    assert received_at is not None
    c = service.client()
    page = c.get(f"/{lang}/submissions/{made.receipt_no}")
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.text)
    receipt = tree.get_element_by_id("receipt-heading").getparent()
    shown = [" ".join(code.text_content().split()) for code in receipt.iter("code")]
    assert shown == [sha, key_id, signature]
    assert made.receipt_no in receipt.text_content()
    assert not problems(page.text)
    # the signature holds over the receipt, with the key the server publishes
    keys = ServerInfo.model_validate(c.get("/api/v1/info").json()).signing_keys
    verify(keys, Signature(key_id=key_id, signature=signature),
           receipt_message(made.receipt_no, "MEX", made.id, received_at, sha), in_service=False)
    detail = c.get(f"/api/v1/public/submissions/{made.receipt_no}").json()
    assert (detail["sha256"], detail["receipt_key_id"], detail["receipt_signature"]) == (
        sha, key_id, signature)
