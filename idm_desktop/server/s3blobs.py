"""The blob store on the S3 API (AWS S3, MinIO, SeaweedFS, Ceph RGW…), shared by every replica.

``s3://BUCKET?endpoint=URL&region=R&prefix=P``: the bucket must exist; credentials come the
standard AWS ways (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, ``AWS_PROFILE`` and the shared
files, an instance role), never from the URL. Blobs live under ``<prefix>blobs/ab/abcdef…``.

A write sends the file's SHA-256 with it (one checksum per part for large files, sent as a
multipart upload), which the store checks before it keeps anything; the object appears under its
name only when the upload completes, whole, so a replica dying mid-upload leaves nothing visible
(only an unfinished multipart upload, which a bucket lifecycle rule aborts). A read with ``Range``
becomes one ranged GET on the store, streamed to the client: nothing is kept on the replica.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import stat
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio.to_thread
import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from starlette.responses import FileResponse, Response

from idm_desktop.server.blobs import is_sha256

PART_SIZE = 8 * 1024 * 1024
"""Files larger than this go up as a multipart upload, in parts of this size."""
WRITE_CHECK_SECONDS = 60.0


class S3BlobStore:
    def __init__(self, client: Any, bucket: str, prefix: str = "", endpoint: str = "",
                 part_size: int = PART_SIZE) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.endpoint = endpoint
        self._checked_until = 0.0
        self.transfer = TransferConfig(multipart_threshold=part_size, multipart_chunksize=part_size,
                                       max_concurrency=4)

    @classmethod
    def from_url(cls, url: str) -> S3BlobStore:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError("an S3 blob store is named s3://BUCKET?endpoint=URL")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        unknown = set(query) - {"endpoint", "region", "prefix"}
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))} in the S3 blob store's address "
                             "(known: endpoint, region, prefix; credentials come from AWS_* variables)")
        if parts.username or parts.password:
            raise ValueError("put no credentials in the S3 address: use AWS_ACCESS_KEY_ID and "
                             "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)")
        endpoint = query.get("endpoint", "")
        region = query.get("region") or os.environ.get("AWS_REGION") or os.environ.get(
            "AWS_DEFAULT_REGION") or "us-east-1"
        config = Config(
            region_name=region,
            # A store at its own address (MinIO, SeaweedFS, Ceph) names buckets in the path.
            s3={"addressing_style": "path" if endpoint else "auto"},
            retries={"max_attempts": 5, "mode": "standard"},
            max_pool_connections=32,
            connect_timeout=10, read_timeout=60,
            # Checksums only where we ask for them (SHA-256 on every write).
            request_checksum_calculation="when_required", response_checksum_validation="when_required",
        )
        client = boto3.session.Session().client("s3", endpoint_url=endpoint or None, config=config)
        prefix = query.get("prefix", "").strip("/")
        return cls(client, parts.netloc, prefix + "/" if prefix else "", endpoint)

    def key(self, sha256: str) -> str:
        if not is_sha256(sha256):
            raise ValueError("not a sha256")
        return f"{self.prefix}blobs/{sha256[:2]}/{sha256}"

    def _head(self, sha256: str) -> dict[str, Any] | None:
        try:
            head: dict[str, Any] = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as err:
            if _missing(err):
                return None
            raise _os_error(err) from err
        return head

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        if self._head(sha) is not None:
            return sha
        try:
            self.client.upload_fileobj(
                io.BytesIO(data), self.bucket, self.key(sha), Config=self.transfer,
                ExtraArgs={"ChecksumAlgorithm": "SHA256", "Metadata": {"sha256": sha},
                           "ContentType": "application/octet-stream"})
        except ClientError as err:
            raise _os_error(err) from err
        head = self._head(sha)
        if head is None or head["ContentLength"] != len(data):
            raise OSError(f"the S3 store did not keep {sha} whole")
        return sha

    def has(self, sha256: str) -> bool:
        return is_sha256(sha256) and self._head(sha256) is not None

    def size(self, sha256: str) -> int:
        head = self._head(sha256)
        if head is None:
            raise FileNotFoundError(sha256)
        return int(head["ContentLength"])

    def local_path(self, sha256: str) -> Path | None:
        return None

    def read(self, sha256: str) -> bytes:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))["Body"]
        except ClientError as err:
            if _missing(err):
                raise FileNotFoundError(sha256) from err
            raise _os_error(err) from err
        with body:
            data: bytes = body.read()
        return data

    def copy_to(self, sha256: str, dest: Path) -> None:
        self.client.download_file(self.bucket, self.key(sha256), str(dest), Config=self.transfer)

    def response(self, sha256: str, media_type: str, headers: Mapping[str, str]) -> Response:
        head = self._head(sha256)
        if head is None:
            raise FileNotFoundError(sha256)
        modified: dt.datetime = head["LastModified"]
        return ObjectResponse(self, self.key(sha256), int(head["ContentLength"]), modified.timestamp(),
                              media_type=media_type, headers=dict(headers))

    def names(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                      Prefix=f"{self.prefix}blobs/")
        for page in pages:
            for item in page.get("Contents", ()):
                name = item["Key"].rsplit("/", 1)[-1]
                if is_sha256(name):
                    yield name

    def check(self) -> None:
        """A small object can be written, read back and removed: at most once a minute (a load
        balancer asks every few seconds), the bucket answering in between."""
        try:
            if time.monotonic() < self._checked_until:
                self.client.head_bucket(Bucket=self.bucket)
                return
        except ClientError as err:
            raise _os_error(err) from err
        except BotoCoreError as err:
            raise OSError(f"the S3 store {self.describe()} cannot be reached: {err}") from err
        key = f"{self.prefix}ready/{uuid.uuid4().hex}"
        try:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=b"ok")
            try:
                got = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
            finally:
                self.client.delete_object(Bucket=self.bucket, Key=key)
        except ClientError as err:
            raise _os_error(err) from err
        except BotoCoreError as err:  # no answer: refused, timed out, no credentials
            raise OSError(f"the S3 store {self.describe()} cannot be reached: {err}") from err
        if got != b"ok":
            raise OSError(f"the S3 store {self.describe()} gave back other bytes than written")
        self._checked_until = time.monotonic() + WRITE_CHECK_SECONDS

    def describe(self) -> str:
        where = f" at {self.endpoint}" if self.endpoint else ""
        return f"s3://{self.bucket}/{self.prefix}{where}"


class _ObjectReader:
    """What :class:`FileResponse` reads a file with, over one object: a seek starts a ranged GET
    at that offset on the next read; reads are filled to the size asked (the response takes a
    short read for the end of the file)."""

    def __init__(self, store: S3BlobStore, key: str, size: int) -> None:
        self.store, self.key, self.size = store, key, size
        self.pos = 0
        self.body: Any = None

    async def seek(self, pos: int) -> None:
        await self.aclose()
        self.pos = pos

    def _read(self, n: int) -> bytes:
        if self.pos >= self.size:
            return b""
        if self.body is None:
            self.body = self.store.client.get_object(Bucket=self.store.bucket, Key=self.key,
                                                     Range=f"bytes={self.pos}-")["Body"]
        out = bytearray()
        while len(out) < n:
            chunk = self.body.read(n - len(out))
            if not chunk:
                break
            out += chunk
        self.pos += len(out)
        return bytes(out)

    async def read(self, n: int) -> bytes:
        return await anyio.to_thread.run_sync(self._read, n)

    async def aclose(self) -> None:
        body, self.body = self.body, None
        if body is not None:
            await anyio.to_thread.run_sync(body.close)


class ObjectResponse(FileResponse):
    """starlette's FileResponse — the same ``Range``, ``If-Range``, 206/416 and multi-range
    answers as a file on disk — reading from an S3 object instead of a file."""

    def __init__(self, store: S3BlobStore, key: str, size: int, mtime: float, *, media_type: str,
                 headers: dict[str, str]) -> None:
        fake = os.stat_result((stat.S_IFREG | 0o644, 0, 0, 1, 0, 0, size, int(mtime), int(mtime), int(mtime)))
        super().__init__(key, media_type=media_type, headers=headers, stat_result=fake)
        self.store, self.key, self.size = store, key, size

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # No "send the file by its path" shortcut: the path is an object's key, not a file.
        scope = {**scope, "extensions": {k: v for k, v in scope.get("extensions", {}).items()
                                         if k != "http.response.pathsend"}}
        await super().__call__(scope, receive, send)

    @asynccontextmanager
    async def _open_file(self) -> AsyncIterator[Any]:
        reader = _ObjectReader(self.store, self.key, self.size)
        try:
            yield reader
        finally:
            with anyio.CancelScope(shield=True):
                await reader.aclose()


def _missing(err: ClientError) -> bool:
    return str(err.response.get("Error", {}).get("Code")) in ("404", "NoSuchKey", "NotFound")


def _os_error(err: ClientError) -> OSError:
    code = err.response.get("Error", {}).get("Code", "?")
    return OSError(f"the S3 store refused: {code}")
