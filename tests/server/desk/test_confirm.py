"""What cannot be taken back is asked first: publish, unpublish, withdraw a document, take a
delegation off the board, reset a password, sign a user out everywhere. The first post (no
``confirm``) answers with a page that says what will happen and changes nothing; only the
confirmed post acts."""

from __future__ import annotations

from sqlalchemy import func, select

from idm_desktop.server import publishing
from idm_desktop.server.models import AuditEntry, Delegation, Document, Submission
from tests.server.conftest import PASSWORD, Service
from tests.server.desk.helpers import Desk, csrf_of, desk_session
from tests.server.public import factory


def _entries(service: Service) -> int:
    with service.ctx.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _status(service: Service, receipt: str) -> str:
    with service.ctx.db.read() as session:
        return str(session.scalar(select(Submission.status).where(Submission.receipt_no == receipt)))


def _asked(desk: Desk, path: str, *, said: tuple[str, ...], **data: str) -> str:
    """Post without confirming: the confirmation page, with a Confirm form carrying the same fields
    (and the session's CSRF token) and a Cancel link."""
    r = desk.post(path, **data)
    assert r.status_code == 200, r.text
    for words in said:
        assert words in r.text, words
    assert f'action="{path}"' in r.text
    assert 'name="confirm" value="1"' in r.text
    assert csrf_of(r.text) == desk.csrf
    assert r.text.count('class="cancel" href="') == 1
    return r.text


def test_publish_and_unpublish_are_asked_first(service: Service) -> None:
    receipt = factory.receive(service.ctx.db, country="MEX", language="es", title="Integración en México",
                              body={"a": "b"})
    desk = desk_session(service)
    before = _entries(service)
    page = _asked(desk, f"/en/desk/submissions/{receipt}/publish",
                  said=("Publish this policy overview?", "Mexico", "Integración en México", receipt,
                        "It will appear on the public site at once"))
    assert f'href="/en/desk/submissions/{receipt}"' in page  # Cancel: back to the submission
    assert _status(service, receipt) == "received"
    assert _entries(service) == before
    assert service.client().get(f"/en/submissions/{receipt}").status_code == 404

    assert desk.post(f"/en/desk/submissions/{receipt}/publish", confirm="1").status_code == 303
    assert _status(service, receipt) == "published"

    page = _asked(desk, f"/fr/desk/submissions/{receipt}/unpublish", text="Envoyé par erreur",
                  said=("Retirer cet aperçu des politiques du site public\u00a0?", "Mexique",
                        "Envoyé par erreur"))
    assert 'name="text" value="Envoyé par erreur"' in page
    assert _status(service, receipt) == "published"
    assert desk.post(f"/fr/desk/submissions/{receipt}/unpublish", text="Envoyé par erreur",
                     confirm="1").status_code == 303
    assert _status(service, receipt) == "received"  # back among what was received
    assert service.client().get(f"/en/submissions/{receipt}").status_code == 404


def test_withdraw_a_document_is_asked_first(service: Service, tmp_path) -> None:  # type: ignore[no-untyped-def]
    paper = tmp_path / "note.txt"
    paper.write_text("Discussion note on partnerships.\n\nThe text.", encoding="utf-8")
    publishing.publish_document(service.ctx.db, service.ctx.blobs, paper, workshop="idm2006-integration",
                                symbol="IC/2006/4", language="en", title="Partnerships", languages="en")
    with service.ctx.db.read() as session:
        doc_id = session.scalar(select(Document.id).where(Document.symbol == "IC/2006/4"))
    desk = desk_session(service)
    path = f"/es/desk/documents/{doc_id}/withdraw"
    _asked(desk, path, said=("IC/2006/4", "Partnerships", "Los migrantes y la sociedad de acogida"))
    with service.ctx.db.read() as session:
        assert session.scalar(select(Document.deleted).where(Document.id == doc_id)) is False
    assert desk.post(path, confirm="1").status_code == 303
    with service.ctx.db.read() as session:
        assert session.scalar(select(Document.deleted).where(Document.id == doc_id)) is True


def test_taking_a_delegation_off_the_board_is_asked_first(service: Service) -> None:
    desk = desk_session(service)
    assert desk.post("/en/desk/delegations", iso3="MEX").status_code == 303
    _asked(desk, "/en/desk/delegations/MEX", active="0",
           said=("Take Mexico off the status board?", "no longer have a row"))
    with service.ctx.db.read() as session:
        assert session.get(Delegation, "MEX").active is True  # type: ignore[union-attr]
    assert desk.post("/en/desk/delegations/MEX", active="0", confirm="1").status_code == 303
    with service.ctx.db.read() as session:
        assert session.get(Delegation, "MEX").active is False  # type: ignore[union-attr]
    # Putting it back takes nothing away: no question.
    assert desk.post("/en/desk/delegations/MEX", active="1").status_code == 303


def test_password_reset_and_sign_out_everywhere_are_asked_first(service: Service) -> None:
    dora = service.account("dora", "drafter", "MEX")
    api = service.client(headers=dora.headers)
    desk = desk_session(service)
    before = _entries(service)
    _asked(desk, "/en/desk/accounts/dora/revoke", said=("Sign dora out everywhere?",))
    assert api.get("/api/v1/changes").status_code == 200
    # The reset is confirmed first; the new password is typed on that page, twice, and no page ever
    # writes it back.
    page = _asked(desk, "/en/desk/accounts/dora/password",
                  said=("Set a new password for dora?", "signed out at once"))
    assert 'name="password" type="password"' in page
    assert 'name="password_again" type="password"' in page
    assert api.get("/api/v1/changes").status_code == 200
    assert _entries(service) == before
    new = "a new long password"
    pages = []
    differ = desk.post("/fr/desk/accounts/dora/password", confirm="1", password=new, password_again=new + "!")
    assert differ.status_code == 400
    assert "Les deux mots de passe diffèrent" in differ.text
    pages.append(differ.text)
    short = desk.post("/en/desk/accounts/dora/password", confirm="1", password="short",
                      password_again="short")
    assert short.status_code == 400
    assert "too short" in short.text
    pages.append(short.text)
    assert _entries(service) == before
    sign = service.client().post("/api/v1/auth/token", json={"username": "dora", "password": PASSWORD,
                                                             "device_name": "x"})
    assert sign.status_code == 200  # the old password still works
    done = desk.post("/en/desk/accounts/dora/password", confirm="1", password=new, password_again=new)
    assert done.status_code == 303
    pages.append(desk.get(done.headers["location"]).text)
    pages.append(desk.get("/en/desk/audit").text)
    assert not [p for p in pages if new in p or 'value="short"' in p]
    assert service.client().post("/api/v1/auth/token", json={"username": "dora", "password": new,
                                                             "device_name": "x"}).status_code == 200
    assert desk.post("/en/desk/accounts/nobody/revoke").status_code == 404
    assert desk.post("/en/desk/accounts/dora/revoke", confirm="1").status_code == 303
    assert api.get("/api/v1/changes").status_code == 401
