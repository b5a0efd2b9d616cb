"""Offline bundles: a field office's work carried on a file, replayed by a connected colleague
through the same idempotent ops; the service's changes packed for the field office; and hostile
files refused with nothing changed."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp
from idm_desktop.protocol.bundle import FORMAT_VERSION, BundleError, read_bundle
from idm_desktop.server import publishing
from idm_desktop.server.bundles import export_changes
from idm_desktop.server.models import AppliedOp
from tests.server.conftest import PASSWORD, Service

on_sqlite = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _signed_in(tmp_path: Path, name: str, service: Service, user: str) -> DesktopApp:
    app = DesktopApp.open(tmp_path / name)
    app.sync.login(service.url, user, PASSWORD, device_name=name)
    return app


@on_sqlite
def test_field_work_travels_on_a_bundle_and_is_never_applied_twice(service: Service, tmp_path: Path) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("luis", "drafter", "MEX")
    field = _signed_in(tmp_path, "field", service, "ana")
    capital = _signed_in(tmp_path, "capital", service, "luis")
    sub = field.new_submission("idm2006-integration", "MEX", "es", "Informe")
    field.sync.run()
    # the link is gone: work offline, then carry it on a file
    field.edit(sub.id, {"national_context": "Escrito sin conexión."})
    other = field.new_submission("idm2006-health", "MEX", "en", "Health workers")
    field.edit(other.id, {"practices": "Offline practice."})
    out = tmp_path / "field.idmbundle"
    assert field.sync.export_bundle(out) == 2
    outcome = capital.sync.import_bundle(out)
    assert outcome.replayed is not None
    assert (outcome.replayed.applied, outcome.replayed.conflict) == (2, 0)
    # importing the same file again changes nothing on the server
    again = capital.sync.import_bundle(out)
    assert again.replayed is not None
    assert (again.replayed.applied, again.replayed.duplicate) == (0, 2)
    capital.sync.run()
    assert capital.submission(sub.id).text_of("national_context") == "Escrito sin conexión."
    # when the field office's link returns, its ops are recognised: nothing twice, nothing waiting
    report = field.sync.run()
    assert report.conflicts == 0
    assert field.sync.status().summary.waiting == 0
    with service.ctx.db.read() as s:
        assert s.query(AppliedOp).count() == 3  # the create sent online, then the two bundle ops once
    field.close()
    capital.close()


@on_sqlite
def test_a_submit_carried_on_a_bundle_gets_its_receipt(service: Service, tmp_path: Path) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("luis", "drafter", "MEX")
    field = _signed_in(tmp_path, "field", service, "ana")
    capital = _signed_in(tmp_path, "capital", service, "luis")
    sub = field.new_submission("idm2006-integration", "MEX", "en", "Overview")
    field.edit(sub.id, {"national_context": "Final text."})
    field.sync.submit(sub.id, force=True)
    out = tmp_path / "field.idmbundle"
    assert field.sync.export_bundle(out) == 2  # the text, then the submit
    outcome = capital.sync.import_bundle(out)
    assert outcome.replayed is not None
    assert outcome.replayed.receipts[0][1].startswith("IDM-")
    field.sync.run()
    got = field.submission(sub.id)
    assert got.status.value == "received"
    assert got.receipt_no == outcome.replayed.receipts[0][1]
    field.close()
    capital.close()


@on_sqlite
def test_the_service_packs_changes_for_a_field_office(service: Service, tmp_path: Path) -> None:
    service.add_user("ana", "drafter", "MEX")
    service.add_user("jo", "drafter", "GBR")
    mex = _signed_in(tmp_path, "mex", service, "ana")
    gbr = _signed_in(tmp_path, "gbr", service, "jo")
    mine = mex.new_submission("idm2006-integration", "MEX", "en", "Mexico's overview")
    theirs = gbr.new_submission("idm2006-integration", "GBR", "en", "UK overview")
    mex.sync.run()
    gbr.sync.run()
    doc = tmp_path / "IC-2006-4.en.md"
    doc.write_text("# Remittances and diaspora\n\n" + "Remittances sent by diaspora networks. " * 50)
    publishing.publish_document(service.ctx.db, service.ctx.blobs, doc, workshop="idm2006-health",
                                symbol="IC/2006/4", language="en")
    out = tmp_path / "mex.idmbundle"
    changes, files = export_changes(service.ctx.db, service.ctx.blobs, service.ctx.keys, out,
                                    delegation="MEX", since=None, server_url=None)
    assert files == 1
    office = DesktopApp.open(tmp_path / "office")  # never online
    # it knows the server's key only from the fingerprint the secretariat publishes
    outcome = office.sync.import_bundle(out, fingerprint=service.ctx.keys.current.key_id.upper())
    assert outcome.applied is not None
    assert outcome.applied.pulled == changes
    assert [d.symbol for d in office.documents()] == ["IC/2006/4"]
    assert office.search("diaspora")[0].title.startswith("Remittances")
    ids = {s.id for s in office.submissions()}
    assert mine.id in ids
    assert theirs.id not in ids
    for app in (mex, gbr, office):
        app.close()


def _zip(path: Path, members: dict[str, bytes], manifest: dict | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        if manifest is not None:
            zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _manifest(members: dict[str, bytes], **extra: object) -> dict:
    return {"format": "idm-bundle", "format_version": FORMAT_VERSION, "kind": "outbox",
            "created_at": "2026-11-22T00:00:00+00:00", "origin": {},
            "members": {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
                        for n, d in members.items()},
            **extra}


def _bomb() -> bytes:
    return b"\0" * (70 * 1024 * 1024)


@on_sqlite
@pytest.mark.parametrize(("case", "why"), [
    ("traversal", "unsafe name"),
    ("absolute", "unsafe name"),
    ("unlisted", "do not match"),
    ("missing", "do not match"),
    ("bad_hash", "damaged"),
    ("lying_size", "over the size limit"),
    ("bomb", "over the size limit"),
    ("version", "format version 99"),
    ("no_manifest", "no manifest"),
    ("not_zip", "not a readable bundle"),
    ("bad_ops", "not signed"),
])
def test_hostile_bundles_are_refused_and_change_nothing(
        service: Service, tmp_path: Path, case: str, why: str) -> None:
    service.add_user("luis", "drafter", "MEX")
    capital = _signed_in(tmp_path, "capital", service, "luis")
    ops = json.dumps([]).encode()
    path = tmp_path / f"{case}.idmbundle"
    if case == "traversal":
        members = {"ops.json": ops, "../../evil.txt": b"x"}
        _zip(path, members, _manifest(members))
    elif case == "absolute":
        members = {"ops.json": ops, "/etc/evil": b"x"}
        _zip(path, members, _manifest(members))
    elif case == "unlisted":
        _zip(path, {"ops.json": ops, "blobs/" + "a" * 64: b"x"}, _manifest({"ops.json": ops}))
    elif case == "missing":
        _zip(path, {}, _manifest({"ops.json": ops}))
    elif case == "bad_hash":
        manifest = _manifest({"ops.json": ops})
        manifest["members"]["ops.json"]["sha256"] = "0" * 64
        _zip(path, {"ops.json": ops}, manifest)
    elif case == "lying_size":
        manifest = _manifest({"ops.json": ops})
        manifest["members"]["ops.json"]["size"] = 1
        _zip(path, {"ops.json": ops}, manifest)
    elif case == "bomb":
        bomb = _bomb()
        _zip(path, {"ops.json": bomb}, _manifest({"ops.json": bomb}))
        assert path.stat().st_size < 1024 * 1024
    elif case == "version":
        _zip(path, {"ops.json": ops}, _manifest({"ops.json": ops}, format_version=99))
    elif case == "no_manifest":
        _zip(path, {"ops.json": ops})
    elif case == "not_zip":
        path.write_bytes(b"PK\x03\x04 this is not really a zip")
    elif case == "bad_ops":
        bad = json.dumps([{"kind": "save", "op_id": "nope"}]).encode()
        _zip(path, {"ops.json": bad}, _manifest({"ops.json": bad}))
    before = (capital.sync.status().summary, len(capital.submissions()))
    with pytest.raises(BundleError, match=why) as caught:
        capital.sync.import_bundle(path)
    assert "\n" not in str(caught.value)
    assert "Nothing was changed" in str(caught.value) or "nothing was" in str(caught.value)
    assert (capital.sync.status().summary, len(capital.submissions())) == before
    assert not (tmp_path / "evil.txt").exists()
    capital.close()


def test_reading_a_bundle_does_not_trust_the_declared_size(tmp_path: Path) -> None:
    big = b"y" * (65 * 1024 * 1024)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        manifest = _manifest({"ops.json": big})
        manifest["members"]["ops.json"]["size"] = 10
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("ops.json", big)
    path = tmp_path / "x.idmbundle"
    path.write_bytes(buf.getvalue())
    with pytest.raises(BundleError):
        read_bundle(path, tmp_path)


def test_members_that_add_up_past_the_total_cap_are_refused_before_inflating(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The memory bomb: many valid members, each under its cap. The total is capped too, and
    the files are streamed to disk, never held in memory."""
    from idm_desktop.protocol import bundle as bundle_module

    blobs = {}
    for n in range(10):
        data = bytes([n]) * (1024 * 1024)
        sha = hashlib.sha256(data).hexdigest()
        blobs[f"blobs/{sha}"] = data
    members = {"changes.json": b'{"since":null,"pages":[]}', **blobs}
    manifest = _manifest(members)
    manifest["kind"] = "changes"
    path = _zip(tmp_path / "bomb.idmbundle", members, manifest)
    read = read_bundle(path, tmp_path)  # under the caps: every file is on disk, checked
    assert all(isinstance(p, Path) and p.stat().st_size == 1024 * 1024 for p in read.blobs.values())
    monkeypatch.setattr(bundle_module, "MAX_BUNDLE_BYTES", 5 * 1024 * 1024)
    with pytest.raises(BundleError, match="more than 2 GB"):
        read_bundle(path, tmp_path / "x")
