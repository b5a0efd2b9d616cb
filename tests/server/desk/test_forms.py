"""A refused form comes back as it was typed, with the reason beside the field it is about, in
the page's language (the shared services' sentences are translated too), and nothing changed."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from idm_desktop.server.models import Document, Notice, User, Workshop
from tests.server.conftest import Service
from tests.server.desk.helpers import desk_session, form_fields


def _beside(html: str, field_id: str) -> str:
    """The sentence shown beside the field ``field_id``, which points to it."""
    found = re.search(rf'<p class="field-error" id="{field_id}-error">([^<]*)</p>', html)
    assert found, f"no error beside {field_id}"
    assert re.search(rf'id="{field_id}"[^>]*aria-invalid="true" aria-describedby="{field_id}-error', html)
    return found.group(1)


def test_add_user_keeps_what_was_typed(service: Service) -> None:
    desk = desk_session(service)
    r = desk.post("/fr/desk/accounts", name="rey", role="reviewer", delegation="XYZ",
                  password="a long password")
    assert r.status_code == 400
    assert _beside(r.text, "f-delegation").startswith("Code de pays «\u00a0XYZ\u00a0» inconnu")
    fields = form_fields(r.text, "/fr/desk/accounts")
    assert (fields["name"], fields["role"], fields["delegation"]) == ("rey", "reviewer", "XYZ")
    assert fields["password"] == ""  # a password is never written back into a page
    r = desk.post("/es/desk/accounts", name="rey", role="reviewer", delegation="MEX", password="short")
    assert "La contraseña es demasiado corta" in _beside(r.text, "f-password")
    with service.ctx.db.read() as session:
        assert session.scalar(select(User.id).where(User.username == "rey")) is None


def test_event_form_keeps_what_was_typed(service: Service) -> None:
    desk = desk_session(service)
    path = "/es/desk/events/idm2006-integration"
    with service.ctx.db.read() as session:
        before = session.get(Workshop, "idm2006-integration").data  # type: ignore[union-attr]
    fields = {**form_fields(desk.get(path).text, path), "city": "Ginebra (CICG)", "start": "2006-07-40",
              "questions_es": "¿Qué funciona?\n¿Con quién?"}
    r = desk.client.post(path, data=fields)
    assert r.status_code == 400
    assert _beside(r.text, "f-start").startswith("El primer día no es una fecha")
    again = form_fields(r.text, path)
    assert again["city"] == "Ginebra (CICG)"
    assert again["start"] == "2006-07-40"
    assert again["questions_es"] == "¿Qué funciona?\n¿Con quién?"
    with service.ctx.db.read() as session:
        assert session.get(Workshop, "idm2006-integration").data == before  # type: ignore[union-attr]

    r = desk.post("/fr/desk/events", ident="Not a slug", kind="training", title_en="Labour mobility",
                  title_fr="Mobilité de la main-d’œuvre", start="2027-03")
    assert r.status_code == 400
    assert "L’identifiant de l’événement" in _beside(r.text, "f-ident")
    again = form_fields(r.text, "/fr/desk/events")
    assert (again["ident"], again["kind"], again["title_fr"], again["start"]) == (
        "Not a slug", "training", "Mobilité de la main-d’œuvre", "2027-03")


def test_notice_delegation_and_return_note_keep_what_was_typed(service: Service) -> None:
    desk = desk_session(service)
    r = desk.post("/fr/desk/notices", workshop="idm2006-integration", text_fr="La date limite est reportée.")
    assert r.status_code == 400
    assert _beside(r.text, "f-text-en").startswith("Rédigez l’avis en anglais au moins")
    again = form_fields(r.text, "/fr/desk/notices")
    assert (again["workshop"], again["text_fr"]) == ("idm2006-integration", "La date limite est reportée.")
    with service.ctx.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == 0

    r = desk.post("/es/desk/delegations", iso3="XX1")
    assert r.status_code == 400
    assert _beside(r.text, "iso3").startswith("Código de país «XX1» desconocido")
    assert 'value="XX1"' in r.text
    assert desk.post("/en/desk/delegations", iso3="MEX").status_code == 303
    r = desk.post("/fr/desk/delegations", iso3="MEX")
    assert _beside(r.text, "iso3") == "MEX est déjà une délégation membre."


def test_shared_services_refusals_in_the_pages_language(service: Service) -> None:
    """The publishing service (shared with the command line) refuses in English; the desk says it in
    French or Spanish, beside the field, with what was typed."""
    desk = desk_session(service)
    note = ("note.txt", b"Discussion note.\n\nThe text.", "text/plain")
    data = {"csrf": desk.csrf, "symbol": "IC/2006/4", "workshop": "idm2006-integration", "language": "en",
            "languages": "en", "title": "Partnerships"}
    assert desk.client.post("/en/desk/documents", data=data, files={"file": note}).status_code == 303
    r = desk.client.post("/fr/desk/documents", data={**data, "title": "Partenariats"}, files={"file": note})
    assert r.status_code == 400
    said = _beside(r.text, "f-symbol")
    assert said.startswith("IC/2006/4 en anglais est déjà publié («\u00a0Partnerships\u00a0»)\u00a0: cochez "
                           "«\u00a0Remplacer")
    assert "--replace" not in said
    with service.ctx.db.read() as session:
        (first,) = session.scalars(select(Document.id).where(Document.deleted.is_(False))).all()
    assert first not in said
    again = form_fields(r.text, "/fr/desk/documents")
    assert (again["symbol"], again["title"], again["workshop"]) == ("IC/2006/4", "Partenariats",
                                                                    "idm2006-integration")
    replaced = desk.client.post("/fr/desk/documents", data={**data, "title": "Partenariats", "replace": "1"},
                                files={"file": note})
    assert replaced.status_code == 303
    with service.ctx.db.read() as session:
        assert session.scalars(select(Document.title).where(Document.deleted.is_(False))).all() == [
            "Partenariats"]
    r = desk.client.post("/es/desk/documents", data=data, files={"file": ("note.exe", b"MZ", "x/y")})
    assert _beside(r.text, "f-file") == "Suba un archivo PDF, DOCX, TXT o Markdown."
    template = (b'{"id": "idm-policy-overview", "version": 1, "title": {"en": "x"}, "sections": []}')
    r = desk.client.post("/fr/desk/templates", data={"csrf": desk.csrf},
                         files={"file": ("t.json", template, "application/json")})
    assert r.status_code == 400
    assert _beside(r.text, "f-file") == (  # the reason is the template reader's own (English)
        "Modèle non valide\u00a0: template &#39;idm-policy-overview&#39;: has no sections")


def test_a_refused_file_is_said_in_the_pages_language(service: Service) -> None:
    """The document reader (shared with the desktop) refuses a file in the process's language; the desk
    says it in the page's."""
    desk = desk_session(service)
    data = {"csrf": desk.csrf, "symbol": "IC/2006/9", "workshop": "idm2006-integration", "language": "en",
            "languages": "en"}
    bad = ("bad.pdf", b"hello", "application/pdf")
    r = desk.client.post("/fr/desk/documents", data=data, files={"file": bad})
    assert r.status_code == 400
    assert _beside(r.text, "f-file").startswith("«\u00a0bad.pdf\u00a0» n’est pas un fichier PDF")
    r = desk.client.post("/es/desk/documents", data=data, files={"file": ("empty.txt", b"", "text/plain")})
    assert r.status_code == 400
    assert _beside(r.text, "f-file").startswith("«empty.txt» está vacío")
    r = desk.client.post("/es/desk/documents", data={**data, "symbol": "  "},
                         files={"file": ("n.txt", b"Text.", "text/plain")})
    assert _beside(r.text, "f-symbol").startswith("La signatura de un documento no puede estar vacía")
