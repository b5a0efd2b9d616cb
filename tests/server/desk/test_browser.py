"""The desk in a real headless Chromium (Debian's, driven by Playwright, as the public site's
tests do): sign in, the board, open a received submission, publish it and find it on the public
site, unpublish it with a reason, return another for correction; keyboard only; a phone's width.
Screenshots of every page in three languages go to $IDM_DESK_SHOTS when it is set."""

from __future__ import annotations

import os
import sys
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
# What sticks out of a 390-pixel screen (a table may scroll inside its own region).
WIDER_THAN_THE_SCREEN = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 392
               && !(e.parentElement && e.parentElement.closest('.table-scroll')))
  .map(e => e.tagName + '.' + e.className).slice(0, 8)"""


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
    # Asked first, and Cancel goes back with nothing done.
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish this policy overview?")
    expect(page.get_by_role("main")).to_contain_text("It will appear on the public site at once")
    expect(page.get_by_role("main")).to_contain_text(sent["MEX"])
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator(".facts")).to_contain_text("Received (not yet published)")
    assert service.client().get(f"/en/submissions/{sent['MEX']}").status_code == 404
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("button", name="Publish it now").click()
    expect(page.get_by_role("status")).to_contain_text("Published: it is now in the public policy database.")
    page.get_by_role("link", name="See it on the public site").click()
    expect(page).to_have_url(f"{service.url}/en/submissions/{sent['MEX']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Integration in Mexico")

    page.go_back()
    page.reload()
    page.get_by_label("Reason for taking it out").fill("Sent to the wrong workshop.")
    page.get_by_role("button", name="Unpublish").click()
    expect(page.get_by_role("main")).to_contain_text("Sent to the wrong workshop.")
    page.get_by_role("button", name="Unpublish it now").click()
    expect(page.get_by_role("status")).to_contain_text("Taken out of the public policy database.")
    expect(page.locator(".facts")).to_contain_text("Sent to the wrong workshop.")
    assert service.client().get(f"/en/submissions/{sent['MEX']}").status_code == 404

    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Received").click()
    page.get_by_role("link", name=sent["FRA"]).click()
    page.get_by_label("Note to the delegation (what to correct)").fill("Merci d’ajouter vos partenariats.")
    page.get_by_role("button", name="Return for correction").click()
    expect(page.get_by_role("main")).to_contain_text("Merci d’ajouter vos partenariats.")
    page.get_by_role("button", name="Return it now").click()
    expect(page.get_by_role("status")).to_contain_text("Returned for correction")
    expect(page.locator(".facts")).to_contain_text("Merci d’ajouter vos partenariats.")

    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Audit log").click()
    for action in ("Policy overview published", "Policy overview unpublished", "Returned for correction",
                   "Signed in to the desk"):
        expect(page.get_by_role("table")).to_contain_text(action)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the secretariat's desk")
    page.goto(f"{service.url}/en/desk/audit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the secretariat's desk")


def test_upload_a_document_move_a_deadline_post_a_notice_then_a_desktop_syncs(
        service: Service, sent: dict[str, str], page: Page, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt
    import io
    import json

    from idm_desktop.cli import main

    home = tmp_path / "ana"

    def desktop(*args: str, stdin: str = "") -> dict:  # type: ignore[type-arg]
        old = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            code = main(["--home", str(home), *args])
        finally:
            sys.stdin = old
        out = capsys.readouterr().out
        assert code == 0, out
        return json.loads(out) if "--json" in args else {}

    desktop("login", "--server", service.url, "--user", "ana", "--password-stdin", stdin=PASSWORD + "\n")
    desktop("sync")
    note = tmp_path / "ic-2006-9.txt"
    note.write_text("Note on partnerships.\n\nThe secretariat invites delegations to share their experience.",
                    encoding="utf-8")
    sign_in(page, service.url)
    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Documents").click()
    page.get_by_label("File (PDF, DOCX or TXT)").set_input_files(str(note))
    page.get_by_label("Symbol (e.g. IC/2006/4)").fill("IC/2006/9")
    page.get_by_label("Workshop").select_option("idm2006-integration")
    page.get_by_label("Language of this file").select_option("en")
    page.get_by_role("checkbox", name="English").check()
    page.get_by_role("checkbox", name="French").check()
    page.get_by_role("button", name="Publish the document").click()
    expect(page.get_by_role("status")).to_contain_text("Published: desktops receive it at their next sync.")
    expect(page.get_by_role("table")).to_contain_text("IC/2006/9")

    day = (dt.datetime.now(dt.UTC) + dt.timedelta(days=20)).date()
    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Events").click()
    page.get_by_role("link", name=WORKSHOP).click()
    page.get_by_label("Deadline (Geneva time)").fill(day.isoformat())
    page.get_by_label("Time of the deadline (end of the day when left empty)").fill("18:00")
    page.get_by_role("button", name="Save the event").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")

    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Notices").click()
    page.get_by_label("For").select_option("idm2006-integration")
    page.get_by_label("Text in English").fill("The deadline moved: see the event.")
    page.get_by_label("Text in French").fill("La date limite a changé : voir l’événement.")
    page.get_by_role("button", name="Post the notice").click()
    expect(page.get_by_role("status")).to_contain_text("Posted")

    desktop("sync")
    (notice,) = desktop("notices", "list", "--json")["notices"]
    assert notice["text"]["fr"] == "La date limite a changé : voir l’événement."
    assert notice["workshop_id"] == "idm2006-integration"
    docs = desktop("docs", "list", "--json")["documents"]
    assert [d["symbol"] for d in docs] == ["IC/2006/9"]
    event = next(w for w in desktop("workshops", "--json")["workshops"] if w["id"] == "idm2006-integration")
    assert event["deadline"]["date"] == day.isoformat()
    assert event["deadline"]["days_left"] in (19, 20)


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
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish this policy overview?")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Publish it now":
            break
    else:
        pytest.fail("Tab never reached Publish it now")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Published")


def test_readable_on_a_phone(service: Service, sent: dict[str, str], browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        sign_in(page, service.url, "es")
        for path in ("/es/desk/", "/es/desk/board/idm2006-integration", "/es/desk/queue",
                     f"/es/desk/submissions/{sent['FRA']}", "/es/desk/delegations", "/es/desk/audit",
                     "/es/desk/documents", "/es/desk/events", "/es/desk/events/idm2006-integration",
                     "/es/desk/templates", "/es/desk/accounts", "/es/desk/notices"):
            page.goto(f"{service.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            wide = page.evaluate(WIDER_THAN_THE_SCREEN)
            assert width <= 390, (path, width, wide)
            # Tables are stacked into labelled cards: none needs scrolling sideways either.
            sideways = page.evaluate("[...document.querySelectorAll('.table-scroll')]"
                                     ".filter(e => e.scrollWidth > e.clientWidth + 1).length")
            assert sideways == 0, (path, sideways)
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
    desk.post(f"/en/desk/submissions/{sent['FRA']}/return", text="Merci d’ajouter vos partenariats.",
              confirm="1")
    desk.post("/en/desk/notices", text_en="The deadline moved to 3 July.",
              text_fr="La date limite est reportée au 3 juillet.",
              text_es="El plazo se aplaza al 3 de julio.", workshop="idm2006-integration")
    pages = {"board": "/desk/", "workshop": "/desk/board/idm2006-integration", "queue": "/desk/queue",
             "submission": f"/desk/submissions/{sent['MEX']}", "returned": f"/desk/submissions/{sent['FRA']}",
             "delegations": "/desk/delegations", "audit": "/desk/audit", "documents": "/desk/documents",
             "events": "/desk/events", "event": "/desk/events/idm2006-integration",
             "templates": "/desk/templates", "accounts": "/desk/accounts",
             "notices": "/desk/notices"}
    for lang in ("en", "fr", "es"):
        page.goto(f"{service.url}/{lang}/desk/sign-in")
        page.screenshot(path=str(out / f"{lang}-sign-in.png"), full_page=True)
    sign_in(page, service.url)
    for lang in ("en", "fr", "es"):
        for name, path in pages.items():
            page.goto(f"{service.url}/{lang}{path}")
            page.screenshot(path=str(out / f"{lang}-{name}.png"), full_page=True)
