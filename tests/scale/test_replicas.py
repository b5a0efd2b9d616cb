"""One service on two machines: a desktop client whose requests alternate between two replicas
(HAProxy, round robin) gets the same results as from one server; publish and unpublish show on
every replica and through the proxy's cache within a second; sign-in limits hold across replicas;
a cut download resumes from the other replica; a replica killed mid-sync costs a retry only."""

from __future__ import annotations

import hashlib
import signal
import ssl
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func

from idm_desktop.app import DesktopApp
from idm_desktop.server import publishing
from idm_desktop.server.models import AppliedOp, Submission
from idm_desktop.storage.blobs import BlobStore as ClientBlobStore
from idm_desktop.sync.blobs import fetch_blob
from idm_desktop.sync.client import SyncClient
from idm_desktop.sync.transport import Backoff, Transport
from tests.scale.cluster import Cluster
from tests.server.conftest import PASSWORD, save_op
from tests.support.faultproxy import FaultProxy


def _app(tmp_path: Path, name: str, url: str, user: str) -> DesktopApp:
    app = DesktopApp.open(tmp_path / name)
    app.sync.login(url, user, PASSWORD, device_name=name)
    return app


def _scenario(cluster: Cluster, url: str, tmp_path: Path, delegation: str) -> dict[str, Any]:
    """Two delegates of ``delegation`` draft, merge, conflict, resolve and submit through ``url``."""
    first, second = f"ana-{delegation.lower()}", f"luis-{delegation.lower()}"
    cluster.add_user(first, "drafter", delegation)
    cluster.add_user(second, "drafter", delegation)
    a = _app(tmp_path, f"a-{delegation}", url, first)
    b = _app(tmp_path, f"b-{delegation}", url, second)
    out: dict[str, Any] = {}
    try:
        sub = a.new_submission("idm2006-integration", delegation, "es", "Integración")
        a.edit(sub.id, {"national_context": "Contexto A."})
        out["pushed"] = a.sync.run().pushed
        b.sync.run()
        out["seen"] = (b.submission(sub.id).text_of("national_context"), b.submission(sub.id).title)
        a.edit(sub.id, {"policy_framework": "Marco A."})
        b.edit(sub.id, {"institutions": "Instituciones B."})
        a.sync.run()
        out["merge_conflicts"] = b.sync.run().conflicts
        a.sync.run()
        out["merged"] = [(app.submission(sub.id).text_of("policy_framework"),
                          app.submission(sub.id).text_of("institutions")) for app in (a, b)]
        a.edit(sub.id, {"national_context": "Versión de Ana."})
        b.edit(sub.id, {"national_context": "Versión de Luis."})
        a.sync.run()
        out["conflicts"] = b.sync.run().conflicts
        out["conflict"] = [(c.key, c.mine, c.theirs) for c in b.sync.conflicts(sub.id)]
        b.sync.resolve(sub.id, "national_context", "Versión común.")
        b.sync.run()
        a.sync.run()
        out["resolved"] = a.submission(sub.id).text_of("national_context")
        for key in ("partnerships", "practices"):
            b.edit(sub.id, {key: "Texto. " * 400})
        b.sync.submit(sub.id, force=True)
        receipts = b.sync.run().receipts
        a.sync.run()
        mine = a.submission(sub.id)
        out["receipt"] = (len(receipts), mine.status.value, mine.receipt_no == receipts[0][1],
                          receipts[0][1].replace(delegation, "XXX")[-9:])
        out["waiting"] = (a.sync.status().summary.waiting, b.sync.status().summary.waiting)
    finally:
        a.close()
        b.close()
    return out


def test_a_client_alternating_between_replicas_sees_one_service(cluster: Cluster, tmp_path: Path) -> None:
    before = [r.requests("/api/v1/") for r in cluster.replicas]
    through_proxy = _scenario(cluster, cluster.url, tmp_path, "MEX")
    after = [r.requests("/api/v1/") for r in cluster.replicas]
    one_server = _scenario(cluster, cluster.replicas[0].url, tmp_path, "ARG")
    assert through_proxy == one_server
    assert through_proxy["conflicts"] == 1
    assert through_proxy["receipt"][:3] == (1, "received", True)
    served = [b - a for a, b in zip(before, after, strict=True)]
    assert min(served) >= 10, f"requests per replica: {served}"  # round robin: both did real work


def _submit(cluster: Cluster, delegation: str, title: str) -> str:
    user = f"pub-{delegation.lower()}-{uuid.uuid4().hex[:6]}"
    cluster.add_user(user, "drafter", delegation)
    with httpx.Client(base_url=cluster.url, timeout=30,
                      headers={"Authorization": f"Bearer {cluster.token(user)}"}) as c:
        return _submit_with(c, delegation, title)


def _submit_with(c: httpx.Client, delegation: str, title: str) -> str:
    sid = str(uuid.uuid4())
    body = {"workshop_id": "idm2006-integration", "country": delegation, "language": "en", "title": title,
            "template_id": "idm-policy-overview", "template_version": 1,
            "body": {"national_context": f"{title}: the text."}}
    applied = c.post("/api/v1/ops", json={"ops": [save_op(sid, body)]}).json()["results"][0]
    assert applied["status"] == "applied"
    sub = c.get(f"/api/v1/submissions/{sid}").json()
    r = c.post(f"/api/v1/submissions/{sid}/submit", headers={"Idempotency-Key": sid},
               json={"rev": sub["rev"], "sha256": sub["content_sha256"]})
    assert r.status_code == 201, r.text
    return str(r.json()["receipt_no"])


def _until(check: Any, limit: float = 5.0) -> float:
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < limit, "never happened"
        time.sleep(0.02)
    return time.monotonic() - start


def test_publish_and_unpublish_show_on_the_other_replica_and_through_the_cache_within_a_second(
        cluster: Cluster) -> None:
    title = f"Scale overview {uuid.uuid4().hex[:8]}"
    receipt = _submit(cluster, "CHL", title)
    one, two = cluster.replicas
    sec = {"Authorization": f"Bearer {cluster.secretariat()}"}
    page = f"/en/submissions/{receipt}"
    # The proxy's cache holds the home page (and the 404 is not cached) before the publish.
    assert title not in httpx.get(cluster.url + "/en/").text
    # Answered from the proxy's cache (kept a second: on a loaded machine two requests may fall in
    # different seconds, so ask until one is).
    _until(lambda: httpx.get(cluster.url + "/en/").headers.get("age") is not None)
    r = httpx.post(f"{one.url}/api/v1/admin/submissions/{receipt}/publish", headers=sec, timeout=30)
    assert r.status_code == 200, r.text
    on_two = _until(lambda: httpx.get(two.url + page).status_code == 200)
    via_proxy = _until(lambda: title in httpx.get(cluster.url + "/en/").text)
    assert on_two < 1.0
    assert via_proxy < 1.0, f"the proxy served the old home page for {via_proxy:.2f} s"
    assert httpx.get(cluster.url + page).status_code == 200
    r = httpx.post(f"{one.url}/api/v1/admin/submissions/{receipt}/unpublish", headers=sec,
                   json={"reason": "sent by mistake"}, timeout=30)
    assert r.status_code == 200, r.text
    gone_two = _until(lambda: httpx.get(two.url + page).status_code == 404)
    gone_proxy = _until(lambda: httpx.get(cluster.url + page).status_code == 404)
    gone_home = _until(lambda: title not in httpx.get(cluster.url + "/en/").text)
    assert gone_two < 1.0
    assert max(gone_proxy, gone_home) < 1.0


def test_wrong_passwords_spread_over_both_replicas_stop_at_the_limit(cluster: Cluster) -> None:
    cluster.add_user("guessed", "drafter", "PER")
    before = [r.requests("/api/v1/auth/token") for r in cluster.replicas]
    statuses = [httpx.post(cluster.url + "/api/v1/auth/token", timeout=30,
                           json={"username": "guessed", "password": "wrong password!", "device_name": "x"}
                           ).status_code for _ in range(8)]
    after = [r.requests("/api/v1/auth/token") for r in cluster.replicas]
    # Five free failures per user name and address, the sixth starts a wait, during which every
    # guess is refused unchecked: counted in PostgreSQL, whichever replica answered.
    assert statuses[:6] == [401] * 6
    assert statuses[6:] == [429] * 2
    assert all(b - a >= 3 for a, b in zip(before, after, strict=True)), (before, after)


def test_a_cut_download_resumes_from_the_other_replica(cluster: Cluster, tmp_path: Path) -> None:
    text = " ".join(f"word{i % 1013}" for i in range(400_000))
    file = tmp_path / "IC-2006-7.en.txt"
    file.write_text(text, encoding="utf-8")
    doc = publishing.publish_document(cluster.admin.db, cluster.admin.blobs, file,
                                      workshop="idm2006-integration", symbol="IC/2006/7", language="en")
    cluster.add_user("reader", "drafter", "URY")
    token = cluster.token("reader")
    before = [r.requests("/api/v1/blobs/") for r in cluster.replicas]
    store = ClientBlobStore(tmp_path / "client-blobs")
    with FaultProxy(cluster.proxy_port) as cut:
        cut.cut_after_bytes = doc.size // 3
        with Transport(cut.url, token, backoff=Backoff(base=0.01, attempts=10)) as transport:
            fetch_blob(SyncClient(transport), store, doc.sha256, doc.size)
        assert cut.connections >= 3
    assert hashlib.sha256(store.read(doc.sha256)).hexdigest() == doc.sha256
    after = [r.requests("/api/v1/blobs/") for r in cluster.replicas]
    assert all(b > a for a, b in zip(before, after, strict=True)), (before, after)


def test_a_replica_killed_mid_sync_costs_a_retry_and_nothing_else(cluster: Cluster, tmp_path: Path) -> None:
    cluster.add_user("kim", "drafter", "KOR")
    app = _app(tmp_path, "kim", cluster.url, "kim")
    victim = cluster.replicas[1]
    try:
        ids = []
        for i in range(60):
            sub = app.new_submission("idm2006-integration", "KOR", "en", f"Overview {i}")
            app.edit(sub.id, {"national_context": f"Text {i}."})
            ids.append(sub.id)
        # Freeze the second replica: the requests HAProxy sends it hang there, in the middle of the
        # sync; then kill it outright, as a machine dies.
        assert victim.process is not None
        victim.process.send_signal(signal.SIGSTOP)
        result: dict[str, Any] = {}

        def sync() -> None:
            try:
                result["report"] = app.sync.run(backoff=Backoff(base=0.05, attempts=20))
            except Exception as err:  # noqa: BLE001 - any failure is reported to the test thread below
                result["error"] = err

        started = time.monotonic()
        worker = threading.Thread(target=sync)
        worker.start()
        time.sleep(1.0)
        assert worker.is_alive(), "the sync finished without the frozen replica: nothing was in flight"
        cluster.kill(victim)
        worker.join(120)
        assert not worker.is_alive()
        assert "error" not in result, result.get("error")
        assert time.monotonic() - started >= 1.0
        report = result["report"]
        assert report.pushed == len(ids)
        assert app.sync.status().summary.waiting == 0
        with cluster.admin.db.read() as session:
            subs = session.query(Submission).filter(Submission.id.in_(ids)).all()
            assert sorted(s.id for s in subs) == sorted(ids)  # nothing lost
            assert sorted(s.title for s in subs) == sorted(f"Overview {i}" for i in range(len(ids)))
            applied = dict(session.query(AppliedOp.submission_id, func.count()).filter(
                AppliedOp.submission_id.in_(ids)).group_by(AppliedOp.submission_id).all())
            # every op once: each applied op moved its submission's rev by one, no more
            assert {s.id: s.rev for s in subs} == applied
        assert app.sync.run().pushed == 0
    finally:
        app.close()
        if victim.process is not None and victim.process.poll() is None:
            victim.process.send_signal(signal.SIGCONT)
        else:
            cluster.start(victim)
            cluster.wait_all_up()


def _self_signed(folder: Path) -> Path:
    """A certificate for 127.0.0.1 and its key in one PEM, as HAProxy's ``crt`` wants them."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idm.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    pem = folder / "idm.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    pem.chmod(0o600)
    return pem


def test_tls_in_front_as_shipped(cluster: Cluster, tmp_path: Path) -> None:
    """The shipped TLS listener (ports moved to loopback): HTTPS to the replicas, HSTS, and plain
    HTTP only redirecting."""
    from contextlib import ExitStack

    from tests.scale.cluster import free_port, start_haproxy

    pem = _self_signed(tmp_path)
    http_port, https_port = free_port(), free_port()
    with ExitStack() as stack:
        start_haproxy(stack, tmp_path / "tls", http_port, [r.port for r in cluster.replicas],
                      tls=(pem, https_port))
        with httpx.Client(verify=ssl.create_default_context(cafile=str(pem)), timeout=30) as c:
            r = c.get(f"https://127.0.0.1:{https_port}/en/")
            assert r.status_code == 200
            assert r.http_version in ("HTTP/1.1", "HTTP/2")
            assert r.headers["strict-transport-security"] == "max-age=31536000"
            assert c.post(f"https://127.0.0.1:{https_port}/api/v1/auth/token",
                          json={"username": "nobody-here", "password": "wrong password!", "device_name": "x"}
                          ).status_code == 401
        plain = httpx.get(f"http://127.0.0.1:{http_port}/en/", follow_redirects=False)
        assert plain.status_code == 301
        assert plain.headers["location"].startswith("https://")


def test_a_token_works_on_every_replica_and_its_revocation_too(cluster: Cluster) -> None:
    cluster.add_user("tok", "drafter", "BOL")
    token = cluster.token("tok", cluster.replicas[0].url)
    headers = {"Authorization": f"Bearer {token}"}
    one, two = cluster.replicas
    assert httpx.get(two.url + "/api/v1/changes", headers=headers).status_code == 200
    assert httpx.post(one.url + "/api/v1/auth/logout", headers=headers).status_code == 204
    assert httpx.get(two.url + "/api/v1/changes", headers=headers).status_code == 401
    assert httpx.get(cluster.url + "/api/v1/changes", headers=headers).status_code == 401
