"""idm-server on several machines, on loopback: N `idm-server run` processes, one PostgreSQL
(scripts/test-postgres), SeaweedFS's S3 gateway as the blob store, and Debian's HAProxy in front
with the configuration the project ships (packaging/server/haproxy.cfg), round robin."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from idm_desktop.server import accounts
from idm_desktop.server.config import Settings
from idm_desktop.server.context import ServerContext
from tests.conftest import postgres_database
from tests.server.conftest import PASSWORD
from tests.support.seaweed import SeaweedS3

SHIPPED = Path(__file__).resolve().parents[2] / "packaging" / "server" / "haproxy.cfg"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def haproxy_config(listen_port: int, replicas: list[int], *, tls: tuple[Path, int] | None = None) -> str:
    """The shipped configuration, with a global section a user can run (its TLS settings kept), a
    loopback listener, and these replicas: everything else (balancing, checks, retries, cache) as
    shipped. ``tls``: (certificate PEM, HTTPS port) keeps the shipped TLS listener, moved to
    loopback ports (``listen_port`` is then the plain-HTTP one that redirects)."""
    text = SHIPPED.read_text()
    tls_settings = "".join(re.findall(r"(?m)^    ssl-default-bind-.*\n", text))
    text = re.sub(r"(?s)global\n.*?# --- end global -+\n", "global\n    maxconn 2000\n" + tls_settings, text)
    if tls is None:
        text = re.sub(r"(?s)    # --- listen \(TLS\) ---\n.*?    # --- end listen ---\n",
                      f"    bind 127.0.0.1:{listen_port}\n", text)
    else:
        cert, https_port = tls
        text = text.replace("bind :443 ssl crt /etc/haproxy/certs/idm.pem",
                            f"bind 127.0.0.1:{https_port} ssl crt {cert}")
        text = text.replace("bind :80\n", f"bind 127.0.0.1:{listen_port}\n")
    servers = "".join(f"    server r{i + 1} 127.0.0.1:{port}\n" for i, port in enumerate(replicas))
    text = re.sub(r"(?s)    # --- replicas .*?# --- end replicas ---\n", servers, text)
    assert "bind 127.0.0.1" in text, "packaging/server/haproxy.cfg lost its listen markers"
    assert "server r1" in text, "packaging/server/haproxy.cfg lost its replica markers"
    return text


def wait_ready(url: str, process: subprocess.Popen[bytes] | None, timeout: float = 60,
               verify: ssl.SSLContext | bool = True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process ended ({process.returncode})")
        try:
            if httpx.get(url, timeout=2, verify=verify).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become ready")


@dataclass
class Replica:
    name: str
    home: Path
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def requests(self, path_part: str) -> int:
        """How many requests whose path contains ``path_part`` this replica logged."""
        if not self.log.exists():
            return 0
        return sum(1 for line in self.log.read_text(errors="replace").splitlines()
                   if "idm_server.access" in line and path_part in line)


@dataclass
class Cluster:
    database_url: str
    blob_store: str
    env: dict[str, str]
    replicas: list[Replica]
    proxy_port: int
    admin: ServerContext
    stack: ExitStack
    proxy: subprocess.Popen[bytes] | None = None
    _secretariat: str | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def start(self, replica: Replica) -> None:
        with replica.log.open("ab") as log:
            replica.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "idm-server"), "--home", str(replica.home),
                 "--database-url", self.database_url, "--blob-store", self.blob_store,
                 "run", "--port", str(replica.port), "--log-level", "info"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_ready(replica.url + "/readyz", replica.process)

    def kill(self, replica: Replica, sig: int = signal.SIGKILL) -> None:
        assert replica.process is not None
        replica.process.send_signal(sig)
        if sig == signal.SIGKILL:
            replica.process.wait(10)

    def add_user(self, name: str, role: str, delegation: str | None) -> None:
        with self.admin.db.write() as session:
            accounts.add_user(session, name, PASSWORD, role, delegation)

    def token(self, name: str, url: str | None = None) -> str:
        r = httpx.post((url or self.url) + "/api/v1/auth/token", timeout=30,
                       json={"username": name, "password": PASSWORD, "device_name": "tests"})
        assert r.status_code == 200, r.text
        return str(r.json()["token"])

    def secretariat(self) -> str:
        if self._secretariat is None:
            self.add_user("sec-desk", "secretariat", None)
            self._secretariat = self.token("sec-desk")
        return self._secretariat

    def wait_all_up(self, timeout: float = 30) -> None:
        """Until HAProxy's checks have every replica in service again (each answers in turn)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = {httpx.get(self.url + "/healthz", timeout=5).headers.get("x-replica") for _ in range(
                2 * len(self.replicas))}
            if seen == {r.name for r in self.replicas}:
                return
            time.sleep(0.3)
        raise RuntimeError("HAProxy did not put every replica back in service")


def start_cluster(stack: ExitStack, root: Path, postgres_url: str, seaweed: SeaweedS3, n: int = 2) -> Cluster:
    if not shutil.which("haproxy"):
        pytest.fail("haproxy is missing: scripts/bootstrap --system-tools installs Debian's")
    database_url = postgres_database(stack, postgres_url)
    blob_store = seaweed.url(seaweed.new_bucket())
    env = {**os.environ, **seaweed.env, "IDM_SERVER_TRUST_FORWARDED_FOR": "1",
           # A slow run must not outlast the first wait between two guesses.
           "IDM_SERVER_LOGIN_BACKOFF_SECONDS": "60"}
    # The first home makes the database (migrations, catalog) and the signing key; the others get a
    # copy of the key, as the README tells an operator to do.
    admin = ServerContext.open(Settings(home=root / "admin", database_url=database_url,
                                        blob_store=blob_store))
    stack.callback(admin.close)
    replicas = []
    for i in range(n):
        home = root / f"r{i + 1}"
        home.mkdir(parents=True)
        shutil.copytree(root / "admin" / "signing", home / "signing")
        replicas.append(Replica(f"r{i + 1}", home, free_port(), root / f"r{i + 1}.log"))
    cluster = Cluster(database_url, blob_store, env, replicas, free_port(), admin, stack)

    def stop_replicas() -> None:
        for r in replicas:
            if r.process is not None and r.process.poll() is None:
                r.process.terminate()
                try:
                    r.process.wait(15)
                except subprocess.TimeoutExpired:
                    r.process.kill()
                    r.process.wait(5)

    stack.callback(stop_replicas)
    for r in replicas:
        cluster.start(r)
    cluster.proxy = start_haproxy(stack, root / "haproxy", cluster.proxy_port, [r.port for r in replicas])
    cluster.wait_all_up()
    return cluster


def start_haproxy(stack: ExitStack, folder: Path, port: int, replicas: list[int], *,
                  tls: tuple[Path, int] | None = None) -> subprocess.Popen[bytes]:
    """Debian's HAProxy with the shipped configuration in front of ``replicas``, until ``stack`` closes."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "haproxy.cfg"
    config.write_text(haproxy_config(port, replicas, tls=tls))
    with (folder / "haproxy.log").open("wb") as log:
        proxy = subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT)

    def stop() -> None:
        proxy.terminate()
        proxy.wait(10)

    stack.callback(stop)
    if tls is None:
        wait_ready(f"http://127.0.0.1:{port}/healthz", proxy)
    else:
        wait_ready(f"https://127.0.0.1:{tls[1]}/healthz", proxy,
                   verify=ssl.create_default_context(cafile=str(tls[0])))
    return proxy
