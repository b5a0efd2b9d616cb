"""Offline bundles (DESIGN §5): a zip that carries sync traffic where there is no link at all.

Two kinds, one format:
- ``outbox``: a desktop's unsent ops, carried to a connected machine that replays them through
  the same idempotent ops route of protocol v1 (``idm-desktop bundle export`` / ``bundle import``);
- ``changes``: what the service packs for a field office: the changes since a cursor and the
  files they need (``idm-server admin export-bundle``), applied by ``idm-desktop bundle import``.

``manifest.json`` names the format version, the origin and the sha256 and size of every other
member. The reader treats the file as hostile: it refuses unknown versions, names that are not
plain relative paths, members missing from the manifest or the manifest's missing from the zip,
sizes over the caps (counted while inflating, so a zip bomb stops at the cap) and hashes that
differ. It reads everything before the caller applies anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from idm_desktop.core.errors import IdmError
from idm_desktop.core.i18n import _
from idm_desktop.protocol.schemas import Sha256, Uuid

FORMAT = "idm-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUFFIX = ".idmbundle"

MAX_BUNDLE_BYTES = 2 * 1024**3
MAX_MANIFEST_BYTES = 1024**2
MAX_JSON_BYTES = 64 * 1024**2
MAX_BLOB_BYTES = 100 * 1024**2
MAX_MEMBERS = 20_000

_NAME = re.compile(r"^(ops\.json|changes\.json|blobs/[0-9a-f]{64})$")


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


@dataclass(frozen=True, slots=True)
class Bundle:
    manifest: Manifest
    ops: list[dict[str, Any]]            # kind "outbox"
    changes: dict[str, Any]              # kind "changes": {"since": cursor|None, "pages": [ChangesPage...]}
    blobs: dict[str, bytes]              # sha256 -> bytes


def write_bundle(path: Path, kind: Literal["outbox", "changes"], origin: Mapping[str, str | None],
                 created_at: str, *, ops: list[dict[str, Any]] | None = None,
                 changes: dict[str, Any] | None = None, blobs: Mapping[str, Path] | None = None) -> None:
    """Write a bundle atomically (a temporary file renamed into place)."""
    members: dict[str, bytes | Path] = {}
    if kind == "outbox":
        members["ops.json"] = _json_bytes(ops or [])
    else:
        members["changes.json"] = _json_bytes(changes or {"since": None, "pages": []})
    for sha, file in (blobs or {}).items():
        members[f"blobs/{sha}"] = file
    listed = {}
    for name, content in members.items():
        data = content.read_bytes() if isinstance(content, Path) else content
        listed[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "kind": kind, "created_at": created_at,
                "origin": dict(origin), "members": listed}
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, _json_bytes(manifest))
        for name, content in members.items():
            if isinstance(content, Path):
                zf.write(content, name, compress_type=zipfile.ZIP_STORED)  # files are compressed already
            else:
                zf.writestr(name, content)
    tmp.replace(path)


def read_bundle(path: Path) -> Bundle:
    """Read and check a whole bundle, or raise :class:`BundleError` with one clear line."""
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
            return _read(zf, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as err:
        raise _refused(name, _("it is not a readable bundle (damaged or not a zip file)")) from err


def _read(zf: zipfile.ZipFile, name: str) -> Bundle:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refused(name, _("it has too many files"))
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise _refused(name, _("it names a file twice"))
    by_name = {i.filename: i for i in infos}
    if MANIFEST not in by_name:
        raise _refused(name, _("it has no manifest"))
    try:
        raw = json.loads(_member(zf, by_name[MANIFEST], MAX_MANIFEST_BYTES, name))
    except ValueError as err:
        raise _refused(name, _("its manifest is not valid")) from err
    version = raw.get("format_version") if isinstance(raw, dict) else None
    if isinstance(version, int) and version != FORMAT_VERSION:
        raise _refused(name, _("it is format version {v}; this program reads version {ours}: update "
                               "IDM Delegate Desktop").format(v=version, ours=FORMAT_VERSION))
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as err:
        raise _refused(name, _("its manifest is not valid")) from err
    listed = set(manifest.members)
    present = set(by_name) - {MANIFEST}
    for member in listed | present:
        if not _NAME.match(member):
            raise _refused(name, _("it contains a file with an unsafe name"))
    if listed != present:
        raise _refused(name, _("its files do not match its manifest"))
    contents: dict[str, bytes] = {}
    for member, meta in manifest.members.items():
        cap = MAX_BLOB_BYTES if member.startswith("blobs/") else MAX_JSON_BYTES
        if meta.size > cap:
            raise _refused(name, _("a file in it is over the size limit"))
        data = _member(zf, by_name[member], min(cap, meta.size), name)
        if len(data) != meta.size or hashlib.sha256(data).hexdigest() != meta.sha256:
            raise _refused(name, _("a file in it is damaged (its checksum differs)"))
        if member.startswith("blobs/") and hashlib.sha256(data).hexdigest() != member[6:]:
            raise _refused(name, _("a file in it is damaged (its checksum differs)"))
        contents[member] = data
    try:
        ops = json.loads(contents["ops.json"]) if "ops.json" in contents else []
        changes = json.loads(contents["changes.json"]) if "changes.json" in contents else {}
    except ValueError as err:
        raise _refused(name, _("its content is not valid")) from err
    expected = "ops.json" if manifest.kind == "outbox" else "changes.json"
    if expected not in contents or not isinstance(ops, list) or not isinstance(changes, dict):
        raise _refused(name, _("its content is not valid"))
    blobs = {m[6:]: data for m, data in contents.items() if m.startswith("blobs/")}
    return Bundle(manifest=manifest, ops=ops, changes=changes, blobs=blobs)


def _member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, name: str) -> bytes:
    """A member's bytes, inflating at most ``cap + 1`` of them whatever its header claims."""
    if info.flag_bits & 0x1:
        raise _refused(name, _("it is encrypted"))
    out = io.BytesIO()
    with zf.open(info) as fh:
        while chunk := fh.read(min(1024 * 1024, cap + 1 - out.tell())):
            out.write(chunk)
            if out.tell() > cap:
                raise _refused(name, _("a file in it is over the size limit"))
    return out.getvalue()


def _refused(name: str, why: str) -> BundleError:
    return BundleError(_("“{file}” was not imported: {why}. Nothing was changed.")
                       .format(file=name, why=why))


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
