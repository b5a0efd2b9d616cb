"""``idm-server run`` as an operator starts it: a real process, structured access log, and a
clean stop on SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

IDM_SERVER = str(Path(sys.executable).parent / "idm-server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_run_serves_logs_and_stops_on_sigterm(tmp_path: Path) -> None:
    home = tmp_path / "srv"
    password = "a long secret passphrase"
    added = subprocess.run(
        [IDM_SERVER, "--home", str(home), "admin", "add-user", "ana", "--delegation", "MEX",
         "--role", "drafter", "--password-stdin"],
        input=password + "\n", capture_output=True, text=True, timeout=60, check=False)
    assert added.returncode == 0, added.stderr
    port = _free_port()
    log_file = tmp_path / "server.log"
    with log_file.open("w") as log:
        proc = subprocess.Popen([IDM_SERVER, "--home", str(home), "run", "--port", str(port)],
                                stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                info = httpx.get(f"{url}/api/v1/info", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, log_file.read_text()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        assert info.json()["protocol_version"] == 1
        token = httpx.post(f"{url}/api/v1/auth/token", json={
            "username": "ana", "password": password, "device_name": "laptop"}).json()["token"]
        r = httpx.get(f"{url}/api/v1/changes", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200
        proc.send_signal(signal.SIGTERM)
        # uvicorn finishes the requests in flight and runs the shutdown, then ends by the signal
        # it caught, so a supervisor sees the usual status of a process stopped by SIGTERM.
        assert proc.wait(timeout=20) in (0, -signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = log_file.read_text()
    assert password not in text
    assert token not in text
    access = [json.loads(line.split("idm_server.access ", 1)[1])
              for line in text.splitlines() if "idm_server.access " in line]
    assert [(a["method"], a["path"], a["status"]) for a in access] == [
        ("GET", "/api/v1/info", 200), ("POST", "/api/v1/auth/token", 200), ("GET", "/api/v1/changes", 200)]
    assert access[2]["user"] == "ana"
    assert "idm-server stopping" in text
