"""A secretariat user at the desk, through plain HTTP (forms, cookies, CSRF tokens as a browser
sends them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import httpx
from sqlalchemy import select

from idm_desktop.server.models import User
from tests.server.conftest import PASSWORD, Service

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in_response(client: httpx.Client, username: str, password: str = PASSWORD,
                     lang: str = "en") -> httpx.Response:
    page = client.get(f"/{lang}/desk/sign-in")
    assert page.status_code == 200
    return client.post(f"/{lang}/desk/sign-in", data={"username": username, "password": password,
                                                      "csrf": csrf_of(page.text), "then": f"/{lang}/desk/"})


@dataclass
class Desk:
    """A signed-in desk session."""

    client: httpx.Client
    csrf: str

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path)

    def post(self, path: str, **data: str) -> httpx.Response:
        return self.client.post(path, data={"csrf": self.csrf, **data})


def desk_session(service: Service, username: str = "sec") -> Desk:
    """Make the secretariat user ``username`` (once) and sign in to the desk."""
    with service.ctx.db.read() as session:
        known = session.scalar(select(User.id).where(User.username == username))
    if known is None:
        service.add_user(username, "secretariat", None)
    client = service.client(follow_redirects=False)
    r = sign_in_response(client, username)
    assert r.status_code == 303, r.text
    home = client.get("/en/desk/")
    assert home.status_code == 200
    return Desk(client, csrf_of(home.text))


class _FormReader(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "file"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[self._textarea or ""] = ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.fields):
            self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str, action: str) -> dict[str, str]:
    """What a browser would send, unchanged, from the form posting to ``action``."""
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.fields, f"no form posting to {action}"
    return reader.fields
