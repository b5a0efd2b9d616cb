"""The public database in a real headless Chromium (Debian's, driven by Playwright; no
browser is downloaded): browse, search with accents, filter, open a submission, download its
PDF, switch language, use it with the keyboard alone and on a phone-sized screen."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from idm_desktop.server import publishing
from tests.server.conftest import Service
from tests.server.public import factory
from tests.server.public.flow import make

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

JUNE = dt.datetime(2006, 6, 20, 9, 0, tzinfo=dt.UTC)


def chromium_binary() -> str | None:
    """Debian's Chromium (package ``chromium``): the program itself, else the wrapper script."""
    candidates = ("/usr/lib/chromium/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = chromium_binary()
    if path is None:
        message = "Chromium is missing: run scripts/bootstrap --system-tools (Debian package chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def site(service: Service) -> dict[str, str]:
    """Three published overviews (the French one sent through the protocol) and a draft."""
    amelie = service.account("amelie", "drafter", "FRA")
    french = make(service, amelie, language="fr", title="L’intégration des migrants en France",
                  sections=factory.FRENCH_INTEGRATION)
    publishing.publish_submission(service.ctx.db, french.receipt_no or "")
    make(service, amelie, language="fr", title="Brouillon secret", submit=False,
         sections={"national_context": "Intégration : brouillon jamais publié."})
    db = service.ctx.db
    return {
        "fr": french.receipt_no or "",
        "en": factory.publish(db, country="GBR", language="en", title="Ethical recruitment of health workers",
                              body=factory.ENGLISH_HEALTH, workshop_id="idm2006-health", received_at=JUNE),
        "es": factory.publish(db, country="MEX", language="es", title="La integración en México",
                              body=factory.SPANISH_INTEGRATION, received_at=JUNE),
        "2005": factory.publish(db, country="MAR", language="fr", title="Migration et développement",
                                body={"national_context": "Les transferts de fonds et l’intégration."},
                                workshop_id="idm2005-migration-development",
                                received_at=dt.datetime(2005, 1, 20, tzinfo=dt.UTC)),
    }


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def results(page: Page) -> list[str]:
    return page.locator("li.result h3 a").all_inner_texts()


def test_browse_search_filter_open_download_and_switch_language(
    service: Service, site: dict[str, str], page: Page, tmp_path: Path,
) -> None:
    page.goto(f"{service.url}/", wait_until="load")
    expect(page).to_have_url(f"{service.url}/en/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Migration policy database")

    # Browse: a workshop from the home page lists its overviews.
    page.get_by_role("link", name="Migrants and the Host Society: Partnerships for Success").click()
    assert set(results(page)) == {"L’intégration des migrants en France", "La integración en México"}
    expect(page.locator("#workshop")).to_have_value("idm2006-integration")

    # Search with accents: "intégration" finds French and Spanish text, never the draft.
    page.goto(f"{service.url}/en/search")
    page.get_by_label("Words to find").fill("intégration")
    page.get_by_role("button", name="Search").click()
    found = results(page)
    assert "L’intégration des migrants en France" in found
    assert "La integración en México" in found
    assert "Brouillon secret" not in page.content()
    expect(page.locator("li.result mark").first).to_be_visible()

    # Filter: country, then language and year.
    page.get_by_label("Country").select_option("FRA")
    page.get_by_role("button", name="Search").click()
    assert results(page) == ["L’intégration des migrants en France"]
    page.get_by_label("Country").select_option("")
    page.get_by_label("Language of the overview").select_option("fr")
    page.get_by_label("Year").select_option("2005")
    page.get_by_role("button", name="Search").click()
    assert results(page) == ["Migration et développement"]
    page.get_by_label("Year").select_option("2006")
    page.get_by_role("button", name="Search").click()
    assert results(page) == ["L’intégration des migrants en France"]

    # Open it, and download its PDF.
    page.get_by_role("link", name="L’intégration des migrants en France").click()
    expect(page).to_have_url(f"{service.url}/en/submissions/{site['fr']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("L’intégration des migrants en France")
    expect(page.get_by_role("heading", level=2, name="Contexte national et priorités")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{site['fr']}-FRA-fr.pdf"
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "L’intégration des migrants en France" in text
    assert "France" in text
    assert "intégration des migrants" in text
    assert "Page 1 sur 1" in text

    # Switch language: the same page, its labels translated.
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    expect(page).to_have_url(f"{service.url}/fr/submissions/{site['fr']}")
    expect(page.get_by_role("link", name="Télécharger le PDF")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="Rechercher", exact=True).click()
    page.get_by_label("Mots à rechercher").fill("integracion")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("aperçus trouvés")
    page.get_by_role("navigation", name="Langue").get_by_role("link", name="Español").click()
    expect(page).to_have_url(re.compile(re.escape(f"{service.url}/es/search?q=integracion")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Buscar en las reseñas")
    expect(page.get_by_label("Palabras que buscar")).to_have_value("integracion")


def test_keyboard_only(service: Service, site: dict[str, str], page: Page) -> None:
    page.goto(f"{service.url}/en/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the first thing in the main content: the search field
    expect(page.locator("#home-q")).to_be_focused()
    page.keyboard.type("integration")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search?q=integration")
    assert len(results(page)) == 3
    # Tab on to the first result and open it with Enter.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('li.result') !== null"):
            break
    else:
        pytest.fail("Tab never reached a result")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/submissions/*")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Focus is visible: the outline of the focused element is drawn.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_readable_on_a_phone(service: Service, site: dict[str, str], browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        for path in ("/es/", "/es/search?q=integracion", f"/es/submissions/{site['es']}"):
            page.goto(f"{service.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, width)  # nothing wider than the screen
            size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 16, path
    finally:
        context.close()


def test_api_docs_render_offline_under_their_csp(service: Service, page: Page) -> None:
    """/docs draws the API from the service's own files alone: every request stays on the
    service, and Chromium reports no Content-Security-Policy violation."""
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{service.url}/docs", wait_until="networkidle")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("idm-server")
    expect(page.get_by_text("/api/v1/changes", exact=True).first).to_be_visible()
    assert requests
    assert all(url.startswith(service.url) for url in requests), [u for u in requests if service.url not in u]
    assert not [p for p in problems if "Content Security Policy" in p], problems
