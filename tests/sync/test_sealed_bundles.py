"""Outbox bundles signed by a device key and sealed to the server (DESIGN §15), against a real
idm-server over a socket (the round trip on SQLite and PostgreSQL, the refusals on SQLite): a lost
stick discloses nothing, and a bundle the server cannot tie to a registered device of the caller's
delegation is refused whole, with nothing changed."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import select

from idm_desktop.app import DesktopApp
from idm_desktop.core.errors import RefusedError
from idm_desktop.protocol.bundle import BundleError
from idm_desktop.protocol.signing import sign
from idm_desktop.server import accounts
from idm_desktop.server.models import AppliedOp, Device, Submission
from idm_desktop.sync import devices
from idm_desktop.sync.client import SyncClient
from idm_desktop.sync.credentials import TokenStore
from idm_desktop.sync.devices import DeviceKey
from idm_desktop.sync.transport import Transport
from tests.server.conftest import PASSWORD, Service

on_sqlite = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

SECRET = "Texto confidencial de la delegación sobre los retornos 4711."


def _signed_in(tmp_path: Path, name: str, service: Service, user: str) -> DesktopApp:
    app = DesktopApp.open(tmp_path / name)
    app.sync.login(service.url, user, PASSWORD, device_name=name)
    return app


def _field_bundle(tmp_path: Path, service: Service, *, readable: bool = False,
                  user: str = "ana") -> tuple[DesktopApp, Path, str]:
    field = _signed_in(tmp_path, f"field-{user}", service, user)
    sub = field.new_submission("idm2006-integration", "MEX" if user == "ana" else "GBR", "es", "Informe")
    field.edit(sub.id, {"national_context": SECRET})
    out = tmp_path / f"{user}{'-readable' if readable else ''}.idmbundle"
    assert field.sync.export_bundle(out, readable=readable) == 1
    return field, out, sub.id


def _server_state(service: Service) -> tuple[int, int]:
    with service.ctx.db.read() as s:
        return s.query(AppliedOp).count(), s.query(Submission).count()


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _rewrite(path: Path, out: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out


def _resign(members: dict[str, bytes], key: DeviceKey, **manifest_changes: object) -> dict[str, bytes]:
    """What someone holding ``key`` could make of the bundle: the manifest changed and signed again."""
    import hashlib

    manifest = json.loads(members["manifest.json"])
    manifest.update(manifest_changes)
    for name, data in members.items():
        if name in manifest["members"]:
            manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    raw = json.dumps(manifest).encode()
    return {**members, "manifest.json": raw,
            "signature.json": sign(key.private, raw).model_dump_json().encode()}


def _device_key(app: DesktopApp, server: str) -> DeviceKey:
    with app.db.session() as s:
        key_id = devices.device_key_id(s)
    assert key_id is not None
    key = devices.load(TokenStore(app.paths.token_file), server, key_id)
    assert key is not None
    return key


def test_a_sealed_bundle_discloses_nothing_and_is_replayed_as_its_device(service: Service,
                                                                          tmp_path: Path) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("luis", "drafter", "MEX")
    field, out, sub_id = _field_bundle(tmp_path, service)
    raw = out.read_bytes()
    members = _members(out)
    assert set(members) == {"manifest.json", "signature.json", "sealed.bin"}
    for data in [raw, *members.values()]:  # neither the file nor any inflated member
        assert SECRET.encode() not in data
        assert b"Texto confidencial" not in data
    # the private key is in the keyring, never in the library file
    key = _device_key(field, service.url)
    private = base64.b64encode(key.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))
    library = b"".join(p.read_bytes() for p in (tmp_path / "field-ana").rglob("*") if p.is_file())
    assert key.key_id.encode() in library  # the library knows which key is its own...
    assert private not in library  # ...but holds nothing of it
    assert json.loads(members["signature.json"])["key_id"] == key.key_id

    capital = _signed_in(tmp_path, "capital", service, "luis")
    outcome = capital.sync.import_bundle(out)
    assert outcome.replayed is not None
    r = outcome.replayed
    assert (r.applied, r.duplicate, r.sealed, r.device, r.user) == (1, 0, True, key.key_id, "ana")
    again = capital.sync.import_bundle(out)
    assert again.replayed is not None
    assert (again.replayed.applied, again.replayed.duplicate) == (0, 1)
    capital.sync.run()
    assert capital.submission(sub_id).text_of("national_context") == SECRET
    # every op names its device: the bundle's op is ana's device, an online push luis's
    capital.edit(sub_id, {"national_context": SECRET + " Revisado."})
    capital.sync.run()
    with service.ctx.db.read() as s:
        by_device = dict(s.execute(select(AppliedOp.device_id, AppliedOp.user_id)).all())
        registered = {d.id: d.name for d in s.scalars(select(Device))}
    capital_key = _device_key(capital, service.url)
    assert set(by_device) == {key.key_id, capital_key.key_id}
    assert registered[key.key_id] == "field-ana"
    # and the field office's next sync finds its op already there
    assert field.sync.run().conflicts == 0
    assert field.sync.status().summary.waiting == 0
    # signing in again makes a new device key and forgets the old one; the old one's bundle
    # stays good on the server (it is still registered)
    field.sync.login(service.url, "ana", PASSWORD, device_name="field-ana")
    assert _device_key(field, service.url).key_id != key.key_id
    assert devices.load(TokenStore(field.paths.token_file), service.url, key.key_id) is None
    assert capital.sync.import_bundle(out).replayed is not None
    field.close()
    capital.close()


@on_sqlite
def test_a_readable_bundle_is_plain_and_still_verified(service: Service, tmp_path: Path) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("luis", "drafter", "MEX")
    field, out, _sub = _field_bundle(tmp_path, service, readable=True)
    members = _members(out)
    assert set(members) == {"manifest.json", "signature.json", "ops.json"}
    assert SECRET in members["ops.json"].decode()
    # someone rewrites the readable text on the way (hashes fixed, signature left): refused
    forged = json.loads(members["ops.json"])
    forged[0]["body"]["body"]["national_context"] = "Texto cambiado."
    import hashlib

    bad_ops = json.dumps(forged).encode()
    manifest = json.loads(members["manifest.json"])
    manifest["members"]["ops.json"] = {"sha256": hashlib.sha256(bad_ops).hexdigest(), "size": len(bad_ops)}
    tampered = _rewrite(out, tmp_path / "tampered.idmbundle",
                        {**members, "ops.json": bad_ops, "manifest.json": json.dumps(manifest).encode()})
    capital = _signed_in(tmp_path, "capital", service, "luis")
    before = _server_state(service)
    with pytest.raises(RefusedError, match="signature does not match") as caught:
        capital.sync.import_bundle(tampered)
    assert "\n" not in str(caught.value)
    assert _server_state(service) == before
    outcome = capital.sync.import_bundle(out)
    assert outcome.replayed is not None
    assert (outcome.replayed.applied, outcome.replayed.sealed) == (1, False)
    field.close()
    capital.close()


@on_sqlite
@pytest.mark.parametrize("case", ["flipped_byte", "resealed_by_device", "manifest_edited", "unknown_device",
                                  "unsigned", "revoked_device", "other_delegation", "bad_ops_signed"])
def test_forged_outbox_bundles_are_refused_with_nothing_changed(service: Service, tmp_path: Path,
                                                                 case: str) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("luis", "drafter", "MEX")
    service.add_user("grace", "drafter", "GBR")
    field, out, _sub = _field_bundle(tmp_path, service, user="grace" if case == "other_delegation" else "ana")
    key = _device_key(field, service.url)
    members = _members(out)
    forged = tmp_path / f"{case}.idmbundle"
    expected: tuple[type[Exception], str]
    if case == "flipped_byte":  # the ciphertext changed on the stick: its hash no longer holds
        sealed = bytearray(members["sealed.bin"])
        sealed[len(sealed) // 2] ^= 1
        _rewrite(out, forged, {**members, "sealed.bin": bytes(sealed)})
        expected = (BundleError, "damaged")
    elif case == "resealed_by_device":  # hashes and signature made good again: the seal still fails
        sealed = bytearray(members["sealed.bin"])
        sealed[len(sealed) // 2] ^= 1
        _rewrite(out, forged, _resign({**members, "sealed.bin": bytes(sealed)}, key))
        expected = (RefusedError, "sealed content was changed")
    elif case == "manifest_edited":
        manifest = json.loads(members["manifest.json"])
        manifest["origin"]["user"] = "luis"
        _rewrite(out, forged, {**members, "manifest.json": json.dumps(manifest).encode()})
        expected = (RefusedError, "signature does not match")
    elif case == "unknown_device":  # signed by a key the server never registered
        _rewrite(out, forged, _resign(members, DeviceKey.generate()))
        expected = (RefusedError, "computer the server does not know")
    elif case == "unsigned":
        _rewrite(out, forged, {k: v for k, v in members.items() if k != "signature.json"})
        expected = (BundleError, "not signed")
    elif case == "revoked_device":
        with service.ctx.db.write() as s:
            accounts.revoke_device(s, key.key_id)
        forged = out
        expected = (RefusedError, "secretariat revoked")
    elif case == "other_delegation":  # a GBR computer's bundle handed in by a MEX account
        forged = out
        expected = (RefusedError, "another delegation")
    else:  # a validly signed readable bundle whose ops are not ops
        bad = json.dumps([{"kind": "save", "op_id": "nope"}]).encode()
        manifest = {**json.loads(members["manifest.json"])}
        manifest.pop("seal")
        manifest["members"] = {"ops.json": {}}
        _rewrite(out, forged, _resign({"manifest.json": json.dumps(manifest).encode(), "ops.json": bad}, key))
        expected = (RefusedError, "could not read the bundle")
    capital = _signed_in(tmp_path, "capital", service, "luis")
    before = _server_state(service)
    with pytest.raises(expected[0], match=expected[1]) as caught:
        capital.sync.import_bundle(forged)
    assert "\n" not in str(caught.value)
    assert _server_state(service) == before
    field.close()
    capital.close()


@on_sqlite
def test_the_server_itself_refuses_an_unsigned_outbox(service: Service, tmp_path: Path) -> None:
    """The check on the connected desktop is a courtesy: the server refuses on its own."""
    service.add_user("ana", "drafter", "MEX")
    field, out, _sub = _field_bundle(tmp_path, service, readable=True)
    members = _members(out)
    unsigned = _rewrite(out, tmp_path / "unsigned.idmbundle",
                        {k: v for k, v in members.items() if k != "signature.json"})
    luis = service.account("luis")
    before = _server_state(service)
    with Transport(service.url, luis.token) as t, \
            pytest.raises(RefusedError, match="not signed by the computer that wrote it"):
        SyncClient(t).replay_bundle(unsigned.read_bytes())
    assert _server_state(service) == before
    field.close()


def test_exporting_needs_a_device_key(tmp_path: Path) -> None:
    app = DesktopApp.open(tmp_path / "never")
    sub = app.new_submission("idm2006-integration", "MEX", "es", "Informe")
    app.edit(sub.id, {"national_context": "x"})
    with pytest.raises(Exception, match="no device key yet"):
        app.sync.export_bundle(tmp_path / "x.idmbundle")
    assert not (tmp_path / "x.idmbundle").exists()
    app.close()


@on_sqlite
def test_a_library_without_the_sealing_key_takes_it_at_the_next_sync(service: Service,
                                                                       tmp_path: Path) -> None:
    """A library that signed in before servers had sealing keys: --readable until it syncs."""
    from idm_desktop.storage import meta

    service.add_user("ana", "drafter", "MEX")
    field = _signed_in(tmp_path, "field", service, "ana")
    with field.db.session() as s:
        meta.set_meta(s, devices.SEALING_KEY, "")
    sub = field.new_submission("idm2006-integration", "MEX", "es", "Informe")
    field.edit(sub.id, {"national_context": SECRET})
    with pytest.raises(Exception, match="--readable"):
        field.sync.export_bundle(tmp_path / "x.idmbundle")
    field.sync.run()
    with field.db.session() as s:
        pinned = devices.pinned_sealing_key(s)
    assert pinned == service.ctx.keys.sealing_key
    field.edit(sub.id, {"national_context": SECRET + " 2"})
    assert field.sync.export_bundle(tmp_path / "x.idmbundle") == 1
    assert "sealed.bin" in _members(tmp_path / "x.idmbundle")
    field.close()
