"""This computer's device key and the server's sealing key (DESIGN §15).

- The **device key** (Ed25519) is made at each sign-in and registered with the server, which then
  names this computer in every op it sends. Its private half is kept like the token: in the OS
  keyring (or the opt-in 0600 file), under the server and the key's fingerprint, never in the
  library file; the library keeps only the fingerprint. Signing out keeps it, so a bundle
  exported while signed out is still signed; the secretariat revokes a lost computer's key.
- The **sealing key** (X25519) is the server's, signed by its signing key in service: it is taken
  only when that signature holds against the keys pinned at sign-in (sync/trust.py).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from pydantic import ValidationError
from sqlalchemy.orm import Session

from idm_desktop.core.errors import SignInRequiredError, UsageError
from idm_desktop.core.i18n import _
from idm_desktop.protocol.sealing import Seal, SealingKey, seal, sealing_key_message
from idm_desktop.protocol.signing import (
    Signature,
    SignatureError,
    SigningKey,
    fingerprint,
    raw_public_key,
    sign,
    verify,
)
from idm_desktop.storage import meta
from idm_desktop.sync import trust
from idm_desktop.sync.credentials import TokenStore
from idm_desktop.sync.trust import UntrustedServerError

log = logging.getLogger(__name__)

DEVICE_KEY, SEALING_KEY = "sync.device_key", "trust.sealing_key"
_ACCOUNT = "device-key {key_id}"


@dataclass(frozen=True, slots=True)
class DeviceKey:
    private: Ed25519PrivateKey

    @property
    def public_key(self) -> str:
        return base64.b64encode(raw_public_key(self.private)).decode("ascii")

    @property
    def key_id(self) -> str:
        return fingerprint(raw_public_key(self.private))

    @classmethod
    def generate(cls) -> DeviceKey:
        return cls(Ed25519PrivateKey.generate())


def keep(store: TokenStore, server: str, key: DeviceKey, *, allow_file: bool) -> str:
    """Put the private key where the token goes; returns where ("keyring" or "file")."""
    raw = key.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return store.save(server, _ACCOUNT.format(key_id=key.key_id), base64.b64encode(raw).decode("ascii"),
                      allow_file=allow_file)


def load(store: TokenStore, server: str, key_id: str) -> DeviceKey | None:
    """The device key ``key_id`` from the keyring (or the opt-in file), or None."""
    secret = store.load(server, _ACCOUNT.format(key_id=key_id))
    if not secret:
        return None
    try:
        key = DeviceKey(Ed25519PrivateKey.from_private_bytes(base64.b64decode(secret, validate=True)))
    except (ValueError, binascii.Error):
        return None
    return key if key.key_id == key_id else None


def forget(store: TokenStore, server: str, key_id: str) -> None:
    """Remove an earlier device key of this library (a new sign-in made a new one)."""
    store.delete(server, _ACCOUNT.format(key_id=key_id))


def device_key_id(session: Session) -> str | None:
    return meta.get_meta(session, DEVICE_KEY) or None


def set_device_key_id(session: Session, key_id: str) -> None:
    meta.set_meta(session, DEVICE_KEY, key_id)


def check_sealing_key(server: str, signing_keys: Sequence[SigningKey],
                      offered: SealingKey | None) -> SealingKey:
    """The server's sealing key, when the signing key in service vouches for it; otherwise
    :class:`UntrustedServerError` (nothing was sent)."""
    if offered is None:
        raise UntrustedServerError(_("The server at {server} offers no key to seal bundles to: update "
                                     "the server. Nothing was sent.").format(server=server))
    refused = UntrustedServerError(_("The server at {server} offers a sealing key its signing key does not "
                                     "vouch for. Nothing was sent.").format(server=server))
    try:
        raw = base64.b64decode(offered.public_key, validate=True)
        verify(signing_keys, offered.signature, sealing_key_message(offered.key_id, offered.public_key),
               in_service=True)
    except (SignatureError, ValueError, binascii.Error) as err:
        raise refused from err
    if fingerprint(raw) != offered.key_id or len(raw) != 32:
        raise refused
    return offered


def bundle_keys(session: Session, store: TokenStore, server: str | None, *, readable: bool,
                ) -> tuple[Callable[[bytes], Signature], Callable[[bytes], tuple[Seal, bytes]] | None]:
    """How an outbox bundle is signed (this computer's device key) and sealed (to the server's
    pinned sealing key; None when ``readable``), or why it cannot be."""
    key_id = device_key_id(session)
    sealing_key = pinned_sealing_key(session)
    if not server or not key_id:
        raise SignInRequiredError(_("This computer has no device key yet: sign in once (idm-desktop "
                                    "login) before you export a bundle."))
    device = load(store, server, key_id)
    if device is None:
        raise SignInRequiredError(_("This computer's device key is not in the keyring any more: sign in "
                                    "again before you export a bundle."))
    if not readable and sealing_key is None:
        raise UsageError(_("This library does not know the server's sealing key: sign in again, or "
                           "export with “--readable”."))

    def signer(message: bytes) -> Signature:
        return sign(device.private, message)

    def sealer(payload: bytes) -> tuple[Seal, bytes]:
        assert sealing_key is not None
        return seal(payload, sealing_key, device.key_id)

    return signer, None if readable else sealer


def pin_sealing_key(session: Session, key: SealingKey) -> None:
    meta.set_meta(session, SEALING_KEY, key.model_dump_json())


def refresh_sealing_key(session: Session, server: str, offered: SealingKey | None) -> None:
    """Take the server's sealing key over an authenticated sync when the pinned signing keys vouch
    for it (a library that signed in before sealing keys existed gets one this way)."""
    try:
        pin_sealing_key(session, check_sealing_key(server, trust.pinned_keys(session), offered))
    except UntrustedServerError as err:
        log.warning("kept the pinned sealing key: %s", err)


def pinned_sealing_key(session: Session) -> SealingKey | None:
    raw = meta.get_meta(session, SEALING_KEY)
    if not raw:
        return None
    try:
        return SealingKey.model_validate(json.loads(raw))
    except (ValueError, ValidationError):
        return None
