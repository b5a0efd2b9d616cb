"""Trust in files and receipts (DESIGN §15): the attacks of a forged changes bundle, rerun, are
refused or survived with nothing changed; receipts are checked offline; the server's key is pinned
at sign-in and checked against the published fingerprint."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, update

from idm_desktop.app import DesktopApp
from idm_desktop.core.errors import NotFoundError, UsageError
from idm_desktop.protocol.bundle import BundleError, write_bundle
from idm_desktop.protocol.signing import Signature, SignatureError, SigningKey, public_entry, sign
from idm_desktop.server import signing
from idm_desktop.server.bundles import export_changes
from idm_desktop.storage.models import DocumentRow, SubmissionRow, WorkshopRow
from idm_desktop.sync.trust import UntrustedServerError
from tests.server.conftest import PASSWORD, Service

on_sqlite = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

WORKSHOP = "idm2006-integration"


def _signed_in(tmp_path: Path, name: str, service: Service, user: str) -> DesktopApp:
    app = DesktopApp.open(tmp_path / name)
    app.sync.login(service.url, user, PASSWORD, device_name=name)
    return app


def _state(app: DesktopApp) -> dict[str, Any]:
    """Everything a forged bundle tried to change."""
    with app.db.session() as s:
        subs = {r.id: (r.status, r.receipt_no, r.title, r.country) for r in s.scalars(select(SubmissionRow))}
        docs = {r.id: (r.origin, r.symbol, r.title) for r in s.scalars(select(DocumentRow))}
        ws = s.get(WorkshopRow, WORKSHOP)
        assert ws is not None
        return {"subs": subs, "docs": docs, "workshop": dict(ws.data), "summary": app.sync.status().summary}


def _local_document(app: DesktopApp, tmp_path: Path) -> str:
    note = tmp_path / "our-notes.md"
    note.write_text("# Our notes\n\nWhat the delegation wrote for itself.\n")
    (result,) = app.import_documents([note])
    assert result.document is not None
    return result.document.id


def _forged_pages(app: DesktopApp, draft_id: str, doc_id: str, foreign_id: str) -> list[dict[str, Any]]:
    """The changes of the attack: a receipt for a never-sent draft, a local document made to look
    pulled then withdrawn, a workshop's title and deadline rewritten, another delegation's text."""
    draft = app.submission(draft_id)
    with app.db.session() as s:
        ws = s.get(WorkshopRow, WORKSHOP)
        assert ws is not None
        workshop = dict(ws.data)
    workshop["title"] = {"en": "Cancelled", "fr": "Annulé", "es": "Cancelado"}
    workshop["deadline"] = {"date": "2000-01-01", "time": "00:00:00", "tz": "Europe/Zurich"}
    sha = "ab" * 32
    content = {"workshop_id": draft.workshop_id, "country": draft.country, "language": draft.language,
               "title": draft.title, "template_id": draft.template_id,
               "template_version": draft.template_version, "body": dict(draft.body)}
    received = {**content, "status": "received", "content_sha256": sha, "supersedes": None,
                "superseded_by": None, "receipt_no": "IDM-2026-99999",
                "received_at": "2026-11-30T10:00:00+00:00", "published_at": None,
                "updated_at": "2026-11-30T10:00:00+00:00"}
    foreign = {**received, "country": "GBR", "title": "Someone else's", "status": "draft", "receipt_no": None,
               "received_at": None}
    doc = {"symbol": "FAKE/1", "title": "Looks pulled", "workshop_id": None, "kind": "other",
           "language": "en", "original_language": None, "languages": ["en"], "date": None,
           "sha256": _sha_of(app, doc_id), "size": 10, "mime": "text/markdown", "filename": "x.md",
           "page_count": 1, "published_at": None}
    changes = [
        {"seq": 1, "entity": "workshop", "id": WORKSHOP, "rev": 99, "data": workshop},
        {"seq": 2, "entity": "submission", "id": draft_id, "rev": 5, "data": received},
        {"seq": 3, "entity": "document", "id": doc_id, "rev": 7, "data": doc},
        {"seq": 4, "entity": "document", "id": doc_id, "rev": 8, "deleted": True},
        {"seq": 5, "entity": "submission", "id": foreign_id, "rev": 1, "data": foreign},
    ]
    return [{"changes": changes, "next_cursor": "x", "has_more": False}]


def _sha_of(app: DesktopApp, doc_id: str) -> str:
    with app.db.session() as s:
        return s.scalars(select(DocumentRow.sha256).where(DocumentRow.id == doc_id)).one()


def _bundle(path: Path, pages: list[dict[str, Any]], *, delegation: str | None = "MEX",
            sign_with: Callable[[bytes], Signature] | None = None,
            keys: list[SigningKey] | None = None) -> Path:
    write_bundle(path, "changes", {"server": None, "delegation": delegation, "app": "idm-server"},
                 "2026-12-01T00:00:00+00:00", changes={"since": None, "pages": pages},
                 sign=sign_with, signing_keys=keys)
    return path


def _attacker() -> tuple[Callable[[bytes], Signature], list[SigningKey]]:
    key = Ed25519PrivateKey.generate()
    return (lambda data: sign(key, data)), [public_entry(key, dt.datetime.now(dt.UTC))]


def _victim(tmp_path: Path, service: Service | None) -> tuple[DesktopApp, str, str, str]:
    if service is not None:
        service.add_user("ana", "drafter", "MEX")
        app = _signed_in(tmp_path, "victim", service, "ana")
    else:
        app = DesktopApp.open(tmp_path / "victim")
    draft = app.new_submission(WORKSHOP, "MEX", "en", "Our overview")
    app.edit(draft.id, {"national_context": "The real text, never sent."})
    return app, draft.id, _local_document(app, tmp_path), str(uuid.uuid4())


@pytest.mark.parametrize("how", ["unsigned", "attacker_key", "attacker_key_and_a_wrong_fingerprint"])
def test_a_forged_changes_bundle_is_refused_without_sign_in(tmp_path: Path, how: str) -> None:
    app, draft_id, doc_id, foreign_id = _victim(tmp_path, None)
    before = _state(app)
    signer, keys = _attacker()
    path = _bundle(tmp_path / "forged.idmbundle", _forged_pages(app, draft_id, doc_id, foreign_id),
                   sign_with=None if how == "unsigned" else signer, keys=keys)
    # no fingerprint: the bundle's own keys are not trusted; a wrong one: neither
    fingerprint = None if how == "attacker_key" else "0000-1111-2222-3333-4444-5555-6666-7777-8888-9999"
    with pytest.raises(BundleError) as caught:
        app.sync.import_bundle(path, fingerprint=fingerprint)
    assert "Nothing was changed" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert _state(app) == before
    app.close()


@on_sqlite
@pytest.mark.parametrize("how", ["unsigned", "attacker_key", "retired_key", "other_delegation"])
def test_a_forged_changes_bundle_is_refused_when_signed_in(service: Service, tmp_path: Path,
                                                           how: str) -> None:
    app, draft_id, doc_id, foreign_id = _victim(tmp_path, service)
    pages = _forged_pages(app, draft_id, doc_id, foreign_id)
    signer, keys = _attacker()
    delegation = "MEX"
    if how == "unsigned":
        signer = None  # type: ignore[assignment]
    elif how == "retired_key":
        old = service.ctx.keys
        signing.rotate(service.ctx.settings.home)
        object.__setattr__(service.ctx, "keys", signing.ServerKeys.open(service.ctx.settings.home))
        app.sync.run()  # the authenticated sync takes the new list: the old key is retired
        signer, keys = old.sign, list(old.keys)
    elif how == "other_delegation":
        signer, keys, delegation = service.ctx.keys.sign, list(service.ctx.keys.keys), "GBR"
    before = _state(app)
    path = _bundle(tmp_path / "forged.idmbundle", pages, delegation=delegation, sign_with=signer, keys=keys)
    with pytest.raises(BundleError, match="Nothing was changed"):
        app.sync.import_bundle(path, fingerprint=keys[-1].key_id)
    assert _state(app) == before
    app.close()


@on_sqlite
def test_even_a_validly_signed_bundle_cannot_touch_local_work(service: Service, tmp_path: Path) -> None:
    """Should the service's key ever sign such changes, the library still never takes a status for
    a draft the service never saw, never deletes a document it did not pull, and never takes in
    another delegation's submission."""
    app, draft_id, doc_id, foreign_id = _victim(tmp_path, service)
    before = _state(app)
    path = _bundle(tmp_path / "signed.idmbundle", _forged_pages(app, draft_id, doc_id, foreign_id),
                   sign_with=service.ctx.keys.sign, keys=list(service.ctx.keys.keys))
    app.sync.import_bundle(path)
    after = _state(app)
    assert after["subs"] == before["subs"]  # the draft is still a draft; no GBR submission
    assert after["docs"] == before["docs"]  # the local document is untouched, still local
    assert app.submission(draft_id).status.value == "draft"
    app.edit(draft_id, {"national_context": "Still editable."})  # and it can still be sent
    app.sync.run()
    assert app.sync.status().summary.waiting == 0
    app.close()


@on_sqlite
def test_the_service_bundle_for_the_delegation_is_taken(service: Service, tmp_path: Path) -> None:
    service.add_user("ana", "drafter", "MEX")
    app = _signed_in(tmp_path, "mex", service, "ana")
    out = tmp_path / "mex.idmbundle"
    export_changes(service.ctx.db, service.ctx.blobs, service.ctx.keys, out, delegation="MEX", since=None,
                   server_url=service.url)
    outcome = app.sync.import_bundle(out)
    assert outcome.applied is not None
    assert outcome.applied.pulled > 0
    app.close()


@on_sqlite
def test_signed_receipts_are_checked_offline(service: Service, tmp_path: Path) -> None:
    service.add_user("ana", "drafter", "MEX")
    app = _signed_in(tmp_path, "mex", service, "ana")
    sub = app.new_submission(WORKSHOP, "MEX", "en", "Overview")
    app.edit(sub.id, {"national_context": "Final text."})
    app.sync.submit(sub.id, force=True)
    app.sync.run()
    check = app.sync.verify_receipt(sub.id)
    assert check.receipt_no == app.submission(sub.id).receipt_no
    assert check.key_id == service.ctx.keys.current.key_id
    # a second computer of the delegation gets the same signed receipt through the feed
    service.add_user("luis", "drafter", "MEX")
    other = _signed_in(tmp_path, "other", service, "luis")
    other.sync.run()
    assert other.sync.verify_receipt(sub.id).receipt_no == check.receipt_no
    # the key is rotated: the old receipt still holds with the retired key
    signing.rotate(service.ctx.settings.home)
    object.__setattr__(service.ctx, "keys", signing.ServerKeys.open(service.ctx.settings.home))
    app.sync.run()
    assert app.sync.verify_receipt(sub.id).key_id == check.key_id
    # a receipt edited in the library no longer holds
    with app.db.session() as s:
        s.execute(update(SubmissionRow).where(SubmissionRow.id == sub.id).values(receipt_no="IDM-2026-00077"))
    with pytest.raises(SignatureError, match="does not hold"):
        app.sync.verify_receipt(sub.id)
    draft = app.new_submission(WORKSHOP, "MEX", "fr", "Brouillon")
    with pytest.raises(NotFoundError):
        app.sync.verify_receipt(draft.id)
    app.close()
    other.close()


@on_sqlite
def test_sign_in_checks_the_published_fingerprint_before_sending_the_password(
        service: Service, tmp_path: Path) -> None:
    service.add_user("ana", "drafter", "MEX")
    app = DesktopApp.open(tmp_path / "mex")
    with pytest.raises(UntrustedServerError, match="Nothing was sent"):
        app.sync.login(service.url, "ana", PASSWORD, device_name="mex",
                       fingerprint="0000-1111-2222-3333-4444-5555-6666-7777-8888-9999")
    assert not app.sync.status().signed_in
    account = app.sync.login(service.url, "ana", PASSWORD, device_name="mex",
                             fingerprint=service.ctx.keys.current.key_id.replace("-", " "))
    assert account.fingerprint == service.ctx.keys.current.key_id
    app.close()


@on_sqlite
def test_a_server_with_another_key_at_the_same_address_is_not_trusted(
        service: Service, tmp_path: Path, server_settings: Any) -> None:
    service.add_user("ana", "drafter", "MEX")
    app = _signed_in(tmp_path, "mex", service, "ana")
    # the service's keys are replaced without a rotation (a different machine answering)
    for name in (signing.PRIVATE, signing.PUBLIC):
        (service.ctx.settings.home / signing.FOLDER / name).unlink()
    object.__setattr__(service.ctx, "keys", signing.ServerKeys.open(service.ctx.settings.home))
    with pytest.raises(UntrustedServerError, match="unknown key"):
        app.sync.login(service.url, "ana", PASSWORD, device_name="mex")
    app.sync.login(service.url, "ana", PASSWORD, device_name="mex",
                   fingerprint=service.ctx.keys.current.key_id)
    app.close()


@pytest.mark.parametrize(("url", "ok"), [
    ("http://idm.example.org", False), ("http://10.0.0.5:8470", False), ("https://idm.example.org", True),
    ("http://127.0.0.1:8470", True), ("http://localhost:8470", True), ("http://[::1]:8470", True),
])
def test_http_is_refused_except_on_this_computer(url: str, ok: bool) -> None:
    from idm_desktop.app.account import normalise_server

    if ok:
        assert normalise_server(url) == url
    else:
        with pytest.raises(UsageError, match="https://"):
            normalise_server(url)
        assert normalise_server(url, insecure_http=True) == url


def test_the_service_key_is_private_and_kept_across_starts(tmp_path: Path) -> None:
    keys = signing.ServerKeys.open(tmp_path)
    folder = tmp_path / signing.FOLDER
    assert (folder / signing.PRIVATE).stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    assert signing.ServerKeys.open(tmp_path).current == keys.current
    old, new = signing.rotate(tmp_path)
    again = signing.ServerKeys.open(tmp_path)
    assert [k.key_id for k in again.keys] == [old.key_id, new.key_id]
    assert again.keys[0].retired_at is not None
    assert again.current.retired_at is None


@on_sqlite
def test_info_lists_the_public_keys(service: Service) -> None:
    info = httpx.get(f"{service.url}/api/v1/info").json()
    assert info["signing_keys"][-1]["key_id"] == service.ctx.keys.current.key_id
    assert info["signing_keys"][-1]["retired_at"] is None


@on_sqlite
def test_a_library_never_online_keeps_to_the_delegation_of_its_first_bundle(
        service: Service, tmp_path: Path) -> None:
    office = DesktopApp.open(tmp_path / "office")
    fingerprint = service.ctx.keys.current.key_id
    for delegation in ("MEX", "GBR"):
        out = tmp_path / f"{delegation}.idmbundle"
        export_changes(service.ctx.db, service.ctx.blobs, service.ctx.keys, out, delegation=delegation,
                       since=None, server_url=None)
    office.sync.import_bundle(tmp_path / "MEX.idmbundle", fingerprint=fingerprint)
    with pytest.raises(BundleError, match="another delegation"):
        office.sync.import_bundle(tmp_path / "GBR.idmbundle", fingerprint=fingerprint)
    office.close()


@on_sqlite
@pytest.mark.parametrize("case", ["missing_key", "bad_date", "deep_json"])
def test_a_signed_bundle_with_a_change_that_cannot_apply_is_refused_whole(
        service: Service, tmp_path: Path, case: str) -> None:
    app, draft_id, doc_id, foreign_id = _victim(tmp_path, service)
    before = _state(app)
    pages = _forged_pages(app, draft_id, doc_id, foreign_id)
    workshop = pages[0]["changes"][0]["data"]
    if case == "missing_key":
        del workshop["kind"]
    elif case == "bad_date":
        workshop["start"] = "2006-13-45"
    else:
        nested: Any = "x"
        for _ in range(5000):
            nested = [nested]
        workshop["note"] = nested
    path = tmp_path / "odd.idmbundle"
    if case == "deep_json":  # written by hand: json.dumps itself would not nest so deep
        _signed_by_hand(path, b'{"since":null,"pages":' + b"[" * 100_000 + b"]" * 100_000 + b"}", service)
    else:
        _bundle(path, pages, sign_with=service.ctx.keys.sign, keys=list(service.ctx.keys.keys))
    with pytest.raises(BundleError, match="not valid"):
        app.sync.import_bundle(path)
    assert _state(app) == before
    app.close()


def _signed_by_hand(path: Path, changes: bytes, service: Service) -> None:
    """A changes bundle holding ``changes`` as they are, signed with the service's key."""
    import hashlib
    import json
    import zipfile

    manifest = json.dumps({
        "format": "idm-bundle", "format_version": 1, "kind": "changes", "created_at": "2026-12-01T00:00:00",
        "origin": {"server": None, "delegation": "MEX", "app": "idm-server"},
        "members": {"changes.json": {"sha256": hashlib.sha256(changes).hexdigest(), "size": len(changes)}},
        "signing_keys": [k.model_dump(mode="json") for k in service.ctx.keys.keys]}).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest)
        zf.writestr("signature.json", service.ctx.keys.sign(manifest).model_dump_json())
        zf.writestr("changes.json", changes)
