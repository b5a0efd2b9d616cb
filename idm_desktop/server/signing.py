"""The service's Ed25519 signing key (DESIGN §15), kept in ``<home>/signing/``.

- ``key.pem``: the private key in service (PKCS#8), readable by the service's user only (0600,
  in a 0700 folder); made at first start.
- ``public.json``: every public key the service has had, with when it was made and retired.
  ``admin rotate-key`` makes a new key and retires the old one: its private half is gone, its
  public half stays listed so that the receipts it signed can still be checked.
- ``seal.pem``: the X25519 key outbox bundles are sealed to (protocol/sealing.py), 0600, made at
  first start; ``/api/v1/info`` publishes its public half signed by the signing key in service.

Several processes of one service may start at once: the first key is created with an exclusive
link, so they all end up with the same one.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from idm_desktop.protocol.sealing import SealingKey, sealing_entry
from idm_desktop.protocol.signing import Signature, SigningKey, public_entry, sign
from idm_desktop.server.errors import AdminError

log = logging.getLogger(__name__)

FOLDER = "signing"
PRIVATE = "key.pem"
PUBLIC = "public.json"
SEALING = "seal.pem"


@dataclass(frozen=True, slots=True)
class ServerKeys:
    """The key in service and the public list, as read at start (or after a rotation)."""

    private: Ed25519PrivateKey
    keys: tuple[SigningKey, ...]
    sealing: X25519PrivateKey
    sealing_key: SealingKey  # its public entry, signed by the key in service

    @property
    def current(self) -> SigningKey:
        return self.keys[-1]

    def sign(self, message: bytes) -> Signature:
        return sign(self.private, message)

    @classmethod
    def open(cls, home: Path) -> ServerKeys:
        """The keys in ``home``, made at first use."""
        folder = _folder(home)
        if not (folder / PRIVATE).exists():
            key = Ed25519PrivateKey.generate()
            if _create_once(folder / PRIVATE, _pem(key)):
                entry = public_entry(key, dt.datetime.now(dt.UTC))
                _write_public(folder, [*_read_public(folder), entry])
                log.info("made the service's signing key %s", entry.key_id)
        sealing = folder / SEALING
        if not sealing.exists() and _create_once(sealing, _pem(X25519PrivateKey.generate())):
            log.info("made the service's sealing key")
        return cls._read(folder)

    @classmethod
    def _read(cls, folder: Path) -> ServerKeys:
        try:
            loaded = load_pem_private_key((folder / PRIVATE).read_bytes(), password=None)
        except (OSError, ValueError) as err:
            raise AdminError(f"Cannot read the signing key {folder / PRIVATE}: {err}") from err
        if not isinstance(loaded, Ed25519PrivateKey):
            raise AdminError(f"{folder / PRIVATE} is not an Ed25519 key.")
        ours = public_entry(loaded, dt.datetime.now(dt.UTC))
        listed = _read_public(folder)
        current = next((k for k in listed if k.key_id == ours.key_id), None)
        if current is None:  # a key whose list was lost: list it again
            current = ours
            listed.append(ours)
            _write_public(folder, listed)
        others = list({k.key_id: k for k in listed if k.key_id != current.key_id}.values())
        try:
            sealing = load_pem_private_key((folder / SEALING).read_bytes(), password=None)
        except (OSError, ValueError) as err:
            raise AdminError(f"Cannot read the sealing key {folder / SEALING}: {err}") from err
        if not isinstance(sealing, X25519PrivateKey):
            raise AdminError(f"{folder / SEALING} is not an X25519 key.")
        return cls(private=loaded, keys=(*others, current.model_copy(update={"retired_at": None})),
                   sealing=sealing, sealing_key=sealing_entry(sealing, lambda m: sign(loaded, m)))


def rotate(home: Path) -> tuple[SigningKey, SigningKey]:
    """Make a new key in service and retire the old one; returns (old, new).

    Running services keep signing with the old key until they restart."""
    folder = _folder(home)
    old = ServerKeys.open(home)
    now = dt.datetime.now(dt.UTC)
    key = Ed25519PrivateKey.generate()
    entry = public_entry(key, now)
    listed = [k if k.key_id != old.current.key_id else k.model_copy(update={"retired_at": now})
              for k in old.keys]
    _write_public(folder, [*listed, entry])
    _replace(folder / PRIVATE, _pem(key))
    return old.current, entry


def _folder(home: Path) -> Path:
    folder = home / FOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return folder


def _pem(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def _read_public(folder: Path) -> list[SigningKey]:
    try:
        raw = json.loads((folder / PUBLIC).read_text("utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as err:
        raise AdminError(f"Cannot read {folder / PUBLIC}: {err}") from err
    return [SigningKey.model_validate(k) for k in raw]


def _write_public(folder: Path, keys: list[SigningKey]) -> None:
    data = json.dumps([k.model_dump(mode="json") for k in keys], indent=2).encode("utf-8")
    _replace(folder / PUBLIC, data, mode=0o644)


def _temporary(folder: Path, data: bytes, mode: int) -> Path:
    fd, name = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        os.fchmod(fd, mode)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    return Path(name)


def _replace(path: Path, data: bytes, mode: int = 0o600) -> None:
    tmp = _temporary(path.parent, data, mode)
    tmp.replace(path)


def _create_once(path: Path, data: bytes) -> bool:
    """Put ``data`` at ``path`` unless another process did first; True when it was ours."""
    tmp = _temporary(path.parent, data, 0o600)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        tmp.unlink()
    return True
