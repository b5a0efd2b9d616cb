"""Offline bundles (DESIGN §5): a zip that carries sync traffic where there is no link at all.

Two kinds, one format:
- ``outbox``: a desktop's unsent ops, carried to a connected machine that hands the file to the
  service (``idm-desktop bundle export`` / ``bundle import``); the service checks the device's
  signature, opens the seal and replays the ops as that device's (server/outbox.py). By default
  the ops are sealed to the service (``sealed.bin``, protocol/sealing.py, the seal's public
  header in the manifest); ``--readable`` writes them as ``ops.json``, still signed;
- ``changes``: what the service packs for a field office: the changes since a cursor and the
  files they need (``idm-server admin export-bundle``), applied by ``idm-desktop bundle import``.

``manifest.json`` names the format version, the origin and the sha256 and size of every other
member. A changes bundle also holds ``signature.json``: the service's signature over the exact
bytes of the manifest (protocol/signing.py), so that the signature covers every member; the
manifest carries the service's public keys too, for a library that was never online to pin
them after checking the fingerprint. Checking the signature is the caller's (it knows the pinned
keys).

The reader treats the file as hostile: it refuses unknown versions, names that are not plain
relative paths, members missing from the manifest or the manifest's missing from the zip, sizes
over the caps (each member's and the whole's, counted while inflating, so a zip bomb stops at the
cap) and hashes that differ. Files are streamed to a scratch folder, their hashes taken on the
way, never all held in memory. It reads everything before the caller applies anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from idm_desktop.core.errors import IdmError
from idm_desktop.core.i18n import _
from idm_desktop.protocol.schemas import Entity, Op, Sha256, Uuid
from idm_desktop.protocol.sealing import Seal
from idm_desktop.protocol.signing import Signature, SigningKey

FORMAT = "idm-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
SUFFIX = ".idmbundle"

MAX_BUNDLE_BYTES = 2 * 1024**3
"""The largest bundle file, and the most its members may inflate to all together."""
MAX_MANIFEST_BYTES = 1024**2
MAX_JSON_BYTES = 64 * 1024**2
MAX_BLOB_BYTES = 100 * 1024**2
MAX_MEMBERS = 20_000

_NAME = re.compile(r"^(ops\.json|sealed\.bin|changes\.json|blobs/[0-9a-f]{64})$")


class BundleError(IdmError):
    """A bundle was refused; nothing was changed."""


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    format: Literal["idm-bundle"]
    format_version: int
    kind: Literal["outbox", "changes"]
    created_at: str
    origin: dict[str, str | None]
    members: dict[str, Member]
    signing_keys: list[SigningKey] | None = None
    seal: Seal | None = None


class BundleSubmit(BaseModel):
    """A submit op in an outbox bundle (a save op is an :class:`~idm_desktop.protocol.Op` with
    ``"kind": "save"``). ``rev`` is None while the submission's text travels in the same bundle."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["submit"]
    op_id: Uuid
    submission_id: Uuid
    rev: int | None = Field(default=None, ge=1)
    sha256: Sha256
    supersedes: Uuid | None = None


def outbox_ops(raw_ops: Any) -> tuple[list[Op], list[Op], list[BundleSubmit]]:
    """Every op of an outbox bundle (saves, review actions, submits), validated before anything
    is sent."""
    saves: list[Op] = []
    review_ops: list[Op] = []
    submits: list[BundleSubmit] = []
    if not isinstance(raw_ops, list) or not all(isinstance(raw, dict) for raw in raw_ops):
        raise BundleError(_("The bundle's ops are not valid; nothing was sent."))
    try:
        for raw in raw_ops:
            kind = raw.get("kind")
            if kind in ("save", "review"):
                op = Op.model_validate({k: v for k, v in raw.items() if k != "kind"})
                (saves if kind == "save" else review_ops).append(op)
            else:
                submits.append(BundleSubmit.model_validate(raw))
    except (ValueError, ValidationError, RecursionError) as err:
        raise BundleError(_("The bundle's ops are not valid; nothing was sent.")) from err
    if any(op.entity is not Entity.REVIEW for op in review_ops) or any(
            op.entity is Entity.REVIEW for op in saves):
        raise BundleError(_("The bundle's ops are not valid; nothing was sent."))
    return saves, review_ops, submits


def ops_bytes(ops: list[dict[str, Any]]) -> bytes:
    """An outbox's ops as ``ops.json`` holds them (and as a seal covers them)."""
    return _json_bytes(ops)


def parse_ops(data: bytes) -> Any:
    """``ops.json``'s bytes (opened from a seal) as JSON, or :class:`BundleError`."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as err:
        raise BundleError(_("The bundle's ops are not valid; nothing was sent.")) from err


@dataclass(frozen=True, slots=True)
class Bundle:
    name: str                            # the file's name, for messages
    manifest: Manifest
    manifest_bytes: bytes                # what the signature covers
    signature: Signature | None
    ops: list[dict[str, Any]]            # kind "outbox", readable
    sealed: bytes | None                 # kind "outbox", sealed: the ciphertext of ops.json
    changes: dict[str, Any]              # kind "changes": {"since": cursor|None, "pages": [ChangesPage...]}
    blobs: dict[str, Path]               # sha256 -> the checked file in the scratch folder


def write_bundle(path: Path, kind: Literal["outbox", "changes"], origin: Mapping[str, str | None],
                 created_at: str, *, ops: list[dict[str, Any]] | None = None,
                 changes: dict[str, Any] | None = None, blobs: Mapping[str, Path] | None = None,
                 sign: Callable[[bytes], Signature] | None = None,
                 signing_keys: list[SigningKey] | None = None,
                 seal: Callable[[bytes], tuple[Seal, bytes]] | None = None) -> None:
    """Write a bundle atomically (a temporary file renamed into place); ``sign`` signs its manifest,
    ``seal`` seals an outbox's ops."""
    members: dict[str, bytes | Path] = {}
    header: Seal | None = None
    if kind == "outbox" and seal is not None:
        header, members["sealed.bin"] = seal(_json_bytes(ops or []))
    elif kind == "outbox":
        members["ops.json"] = _json_bytes(ops or [])
    else:
        members["changes.json"] = _json_bytes(changes or {"since": None, "pages": []})
    for sha, file in (blobs or {}).items():
        members[f"blobs/{sha}"] = file
    listed = {}
    for name, content in members.items():
        listed[name] = _file_hash(content) if isinstance(content, Path) else {
            "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    manifest: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION, "kind": kind,
                                "created_at": created_at, "origin": dict(origin), "members": listed}
    if signing_keys is not None:
        manifest["signing_keys"] = [k.model_dump(mode="json") for k in signing_keys]
    if header is not None:
        manifest["seal"] = header.model_dump(mode="json")
    manifest_bytes = _json_bytes(manifest)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, manifest_bytes)
        if sign is not None:
            zf.writestr(SIGNATURE, sign(manifest_bytes).model_dump_json().encode("utf-8"))
        for name, content in members.items():
            if isinstance(content, Path):
                zf.write(content, name, compress_type=zipfile.ZIP_STORED)  # files are compressed already
            else:
                zf.writestr(name, content)
    tmp.replace(path)


@contextlib.contextmanager
def open_bundle(path: Path, scratch: Path) -> Iterator[Bundle]:
    """Read and check a whole bundle, its files streamed to a folder made in ``scratch`` and removed
    afterwards; or raise :class:`BundleError` with one clear line."""
    with tempfile.TemporaryDirectory(dir=scratch, prefix=".bundle-") as tmp:
        yield read_bundle(path, Path(tmp))


def read_bundle(path: Path, folder: Path) -> Bundle:
    """Read and check a whole bundle, its files written to ``folder`` (which the caller removes)."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as err:
        raise BundleError(_("Cannot read “{file}”: {reason}.")
                          .format(file=name, reason=err.strerror)) from err
    if size > MAX_BUNDLE_BYTES:
        raise _refused(name, _("it is larger than 2 GB"))
    try:
        with zipfile.ZipFile(path) as zf:
            return _read(zf, name, folder)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as err:
        raise _refused(name, _("it is not a readable bundle (damaged or not a zip file)")) from err
    except OSError as err:
        raise BundleError(_("Cannot read “{file}”: {reason}.")
                          .format(file=name, reason=err.strerror or err)) from err


def _read(zf: zipfile.ZipFile, name: str, folder: Path) -> Bundle:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refused(name, _("it has too many files"))
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise _refused(name, _("it names a file twice"))
    by_name = {i.filename: i for i in infos}
    if MANIFEST not in by_name:
        raise _refused(name, _("it has no manifest"))
    manifest_bytes = _member(zf, by_name[MANIFEST], MAX_MANIFEST_BYTES, name)
    raw = _json(manifest_bytes, name, _("its manifest is not valid"))
    version = raw.get("format_version") if isinstance(raw, dict) else None
    if isinstance(version, int) and version != FORMAT_VERSION:
        raise _refused(name, _("it is format version {v}; this program reads version {ours}: update "
                               "IDM Delegate Desktop").format(v=version, ours=FORMAT_VERSION))
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as err:
        raise _refused(name, _("its manifest is not valid")) from err
    signature = None
    if SIGNATURE in by_name:
        try:
            signed = _member(zf, by_name[SIGNATURE], MAX_MANIFEST_BYTES, name)
            signature = Signature.model_validate_json(signed)
        except ValidationError as err:
            raise _refused(name, _("its signature is not valid")) from err
    listed = set(manifest.members)
    present = set(by_name) - {MANIFEST, SIGNATURE}
    for member in listed | present:
        if not _NAME.match(member):
            raise _refused(name, _("it contains a file with an unsafe name"))
    if listed != present:
        raise _refused(name, _("its files do not match its manifest"))
    total = 0
    for member, meta in manifest.members.items():
        cap = MAX_BLOB_BYTES if member.startswith("blobs/") else MAX_JSON_BYTES
        if meta.size > cap:
            raise _refused(name, _("a file in it is over the size limit"))
        total += meta.size
    if total > MAX_BUNDLE_BYTES:
        raise _refused(name, _("its files add up to more than 2 GB"))
    contents: dict[str, bytes] = {}
    blobs: dict[str, Path] = {}
    for member, meta in manifest.members.items():
        if member.startswith("blobs/"):
            target = folder / member[6:]
            with target.open("wb") as out:
                digest, size = _stream(zf, by_name[member], meta.size, name, out)
            if member[6:] != meta.sha256:
                raise _refused(name, _("a file in it is damaged (its checksum differs)"))
            blobs[member[6:]] = target
        else:
            buf = io.BytesIO()
            digest, size = _stream(zf, by_name[member], meta.size, name, buf)
            contents[member] = buf.getvalue()
        if size != meta.size or digest != meta.sha256:
            raise _refused(name, _("a file in it is damaged (its checksum differs)"))
    ops = _json(contents["ops.json"], name, _("its content is not valid")) if "ops.json" in contents else []
    changes = (_json(contents["changes.json"], name, _("its content is not valid"))
               if "changes.json" in contents else {})
    if manifest.kind == "changes":
        expected = {"changes.json"}
    else:
        expected = {"sealed.bin"} if manifest.seal is not None else {"ops.json"}
    if set(contents) != expected or not isinstance(ops, list) or not isinstance(changes, dict):
        raise _refused(name, _("its content is not valid"))
    return Bundle(name=name, manifest=manifest, manifest_bytes=manifest_bytes, signature=signature, ops=ops,
                  sealed=contents.get("sealed.bin"), changes=changes, blobs=blobs)


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, name: str,
            out: io.BufferedIOBase | io.BytesIO) -> tuple[str, int]:
    """Copy a member to ``out``, inflating at most ``cap + 1`` bytes whatever its header claims;
    returns its sha256 and size."""
    if info.flag_bits & 0x1:
        raise _refused(name, _("it is encrypted"))
    digest = hashlib.sha256()
    size = 0
    with zf.open(info) as fh:
        while chunk := fh.read(min(1024 * 1024, cap + 1 - size)):
            size += len(chunk)
            if size > cap:
                raise _refused(name, _("a file in it is over the size limit"))
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def _member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, name: str) -> bytes:
    """A small member's bytes (the manifest, the signature)."""
    buf = io.BytesIO()
    _stream(zf, info, cap, name, buf)
    return buf.getvalue()


def _json(data: bytes, name: str, why: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as err:  # RecursionError: brackets nested thousands deep
        raise _refused(name, why) from err


def _file_hash(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _refused(name: str, why: str) -> BundleError:
    return BundleError(_("“{file}” was not imported: {why}. Nothing was changed.")
                       .format(file=name, why=why))


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
