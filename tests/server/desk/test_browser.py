"""The desk in a real headless Chromium (Debian's, driven by Playwright, as the public site's
tests do): sign in, the board, open a received submission, publish it and find it on the public
site, unpublish it with a reason, return another for correction; keyboard only; a phone's width.
Screenshots of every page in three languages go to $IDM_DESK_SHOTS when it is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.server.conftest import PASSWORD, Service
from tests.server.desk.helpers import desk_session
from tests.server.public.flow import make
from tests.server.public.test_browser import browser

__all__ = ["browser"]

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

WORKSHOP = "Migrants and the Host Society: Partnerships for Success"


@pytest.fixture
def sent(service: Service) -> dict[str, str]:
    """Two delegations' overviews received, a third delegation silent, a draft never sent."""
    desk = desk_session(service, "sec")
    for code in ("MEX", "FRA", "MAR"):
        desk.post("/en/desk/delegations", iso3=code)
    ana = service.account("ana", "drafter", "MEX")
    amelie = service.account("amelie", "drafter", "FRA")
    mexico = make(service, ana, title="Integration in Mexico", sections={
        "national_context": "Mexico is a country of **origin**, transit and destination.",
        "partnerships": "- Business\n- Civil society"})
    france = make(service, amelie, language="fr", title="L’intégration en France",
                  sections={"national_context": "La France accueille."})
    make(service, amelie, language="fr", title="Brouillon secret", submit=False,
         sections={"national_context": "Jamais envoyé."})
    return {"MEX": mexico.receipt_no or "", "FRA": france.receipt_no or ""}


@pytest.fixture
def page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield context.new_page()  # type: ignore[misc]
    context.close()


def sign_in(page: Page, url: str, lang: str = "en") -> None:
    page.goto(f"{url}/{lang}/desk/")
    page.locator("#username").fill("sec")
    page.locator("#password").fill(PASSWORD)
    page.locator("form.desk-form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/desk/")


def test_sign_in_board_publish_unpublish_return(service: Service, sent: dict[str, str], page: Page) -> None:
    page.goto(f"{service.url}/en/desk/board/idm2006-integration")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the secretariat's desk")
    page.get_by_label("User name").fill("sec")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Back where the user was going.
    page.wait_for_url("**/en/desk/board/idm2006-integration")
    expect(page.get_by_role("heading", level=1)).to_have_text(WORKSHOP)
    row = page.get_by_role("row").filter(has_text="Mexico")
    expect(row).to_contain_text("Received late")  # the 2006 deadline has long passed
    expect(page.get_by_role("row").filter(has_text="Morocco")).to_contain_text("No submission")
    assert "Brouillon secret" not in page.content()

    row.get_by_role("link", name=sent["MEX"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Integration in Mexico")
    expect(page.locator(".sections strong")).to_have_text("origin")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename == f"{sent['MEX']}-MEX-en.pdf"

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Published: it is now in the public policy database.")
    page.get_by_role("link", name="See it on the public site").click()
    expect(page).to_have_url(f"{service.url}/en/submissions/{sent['MEX']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Integration in Mexico")

    page.go_back()
    page.reload()
    page.get_by_label("Reason for taking it out").fill("Sent to the wrong workshop.")
    page.get_by_role("button", name="Unpublish").click()
    expect(page.get_by_role("status")).to_contain_text("Taken out of the public policy database.")
    expect(page.locator(".facts")).to_contain_text("Sent to the wrong workshop.")
    assert service.client().get(f"/en/submissions/{sent['MEX']}").status_code == 404

    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Received").click()
    page.get_by_role("link", name=sent["FRA"]).click()
    page.get_by_label("Note to the delegation (what to correct)").fill("Merci d’ajouter vos partenariats.")
    page.get_by_role("button", name="Return for correction").click()
    expect(page.get_by_role("status")).to_contain_text("Returned for correction")
    expect(page.locator(".facts")).to_contain_text("Merci d’ajouter vos partenariats.")

    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Audit log").click()
    for action in ("submission.publish", "submission.unpublish", "submission.return", "desk.sign_in"):
        expect(page.get_by_role("table")).to_contain_text(action)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the secretariat's desk")
    page.goto(f"{service.url}/en/desk/audit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the secretariat's desk")


def test_keyboard_only(service: Service, sent: dict[str, str], page: Page) -> None:
    page.goto(f"{service.url}/en/desk/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "username":
            break
    page.keyboard.type("sec")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/desk/")
    # Tab to the workshop's board and open it with Enter; the focus ring is drawn.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == WORKSHOP:
            break
    else:
        pytest.fail("Tab never reached the workshop")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/desk/board/idm2006-integration")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == sent["MEX"]:
            break
    else:
        pytest.fail("Tab never reached the receipt")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/en/desk/submissions/{sent['MEX']}")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Publish":
            break
    else:
        pytest.fail("Tab never reached Publish")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Published")


def test_readable_on_a_phone(service: Service, sent: dict[str, str], browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        sign_in(page, service.url, "es")
        for path in ("/es/desk/", "/es/desk/board/idm2006-integration", "/es/desk/queue",
                     f"/es/desk/submissions/{sent['FRA']}", "/es/desk/delegations", "/es/desk/audit"):
            page.goto(f"{service.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, width)
            assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    finally:
        context.close()


def test_screenshots_of_every_page(service: Service, sent: dict[str, str], page: Page) -> None:
    """Every desk page in English, French and Spanish, rendered and saved for a person to look at."""
    folder = os.environ.get("IDM_DESK_SHOTS")
    if not folder:
        pytest.skip("set IDM_DESK_SHOTS to a folder to take the desk's screenshots")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    desk = desk_session(service, "sec")
    desk.post(f"/en/desk/submissions/{sent['FRA']}/return", text="Merci d’ajouter vos partenariats.")
    pages = {"board": "/desk/", "workshop": "/desk/board/idm2006-integration", "queue": "/desk/queue",
             "submission": f"/desk/submissions/{sent['MEX']}", "returned": f"/desk/submissions/{sent['FRA']}",
             "delegations": "/desk/delegations", "audit": "/desk/audit"}
    for lang in ("en", "fr", "es"):
        page.goto(f"{service.url}/{lang}/desk/sign-in")
        page.screenshot(path=str(out / f"{lang}-sign-in.png"), full_page=True)
    sign_in(page, service.url)
    for lang in ("en", "fr", "es"):
        for name, path in pages.items():
            page.goto(f"{service.url}/{lang}{path}")
            page.screenshot(path=str(out / f"{lang}-{name}.png"), full_page=True)
