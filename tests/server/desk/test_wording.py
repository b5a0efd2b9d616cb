"""The desk in French and Spanish as an officer reads it: French typography (a no-break space before
: ; ? ! and inside « »), the words of the glossary, no leftover English labels of the pages' own."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.server.conftest import Service
from tests.server.desk.helpers import desk_session
from tests.server.public import factory

PAGES = ("/desk/", "/desk/board/idm2006-integration", "/desk/queue", "/desk/delegations", "/desk/audit",
         "/desk/documents", "/desk/events", "/desk/events/idm2006-integration", "/desk/templates",
         "/desk/accounts", "/desk/notices")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "code"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "code"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _text(html: str) -> str:
    reader = _Text()
    reader.feed(html)
    return " ".join(reader.parts)


def test_french_pages_read_as_french(service: Service) -> None:
    factory.receive(service.ctx.db, country="FRA", language="fr", title="Intégration", body={"a": "b"})
    desk = desk_session(service)
    desk.post("/en/desk/delegations", iso3="FRA")
    service.add_user("amelie", "submitter", "FRA")
    for path in PAGES:
        text = _text(desk.get(f"/fr{path}").text)
        assert not re.search(r"\w [:;?!»]", text), (path, re.findall(r".{20}\w [:;?!»].{0,20}", text))
        assert not re.search(r"« \w", text), path
        for awkward in ("Habilité·e", "l’actuel", "Le rendre actuel", " tenu ", "Received", "Status"):
            assert awkward not in text, (path, awkward)
    accounts = _text(desk.get("/fr/desk/accounts").text)
    assert "Personne habilitée à soumettre" in accounts
    events = _text(desk.get("/fr/desk/events").text)
    assert "a eu lieu" in events
    event = _text(desk.get("/fr/desk/events/idm2006-integration").text)
    assert "Modèle utilisé pour cet événement" in event
    assert "Utiliser ce modèle" in event


def test_spanish_pages_have_no_english_labels(service: Service) -> None:
    desk = desk_session(service)
    for path in PAGES:
        text = _text(desk.get(f"/es{path}").text)
        for english in ("Received", "Status", "Workshop", "Deadline", "Geneva time", "Sign out"):
            assert english not in text, (path, english)
    assert "celebrado" in _text(desk.get("/es/desk/events").text)


def test_names_in_refusals_are_quoted_as_each_language_quotes(service: Service) -> None:
    """A name in a refusal between the language's quotation marks, not Python's straight quotes."""
    desk = desk_session(service)
    assert desk.post("/en/desk/accounts", name="marie.dupont", role="drafter", delegation="MEX",
                     password="a long password").status_code == 303
    said = {lang: desk.post(f"/{lang}/desk/accounts", name="marie.dupont", role="drafter", delegation="MEX",
                            password="a long password").text for lang in ("en", "fr", "es")}
    assert "User “marie.dupont” already exists" in said["en"]
    assert "L’utilisateur «\u00a0marie.dupont\u00a0» existe déjà" in said["fr"]
    assert "El usuario «marie.dupont» ya existe" in said["es"]
    assert not [t for t in said.values() if "&#39;marie.dupont&#39;" in t]
    assert "Panel de la secretaría" in desk.get("/es/desk/").text
