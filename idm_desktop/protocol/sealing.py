"""Sealed outbox bundles and device keys (DESIGN §15), the same code at both ends.

- A **device key** is an Ed25519 key a desktop makes at sign-in (its private half in the OS
  keyring, never in the library file); its public half is registered with the service, which
  names the device by the key's fingerprint (protocol/signing.py). An outbox bundle's manifest is
  signed with it.
- The service has an **X25519 sealing key** next to its signing key. ``/api/v1/info`` publishes
  its public half signed by the signing key in service, so a desktop trusts it exactly as far as
  the signing keys it pinned.
- **Sealing** (ECIES): an ephemeral X25519 key agreed with the service's sealing key, HKDF-SHA256
  to a 256-bit key, AES-256-GCM over the payload. The additional data binds the ciphertext to the
  device that signs the bundle and to the keys used, so a sealed payload lifted into another
  device's bundle does not open.

Only the service holds the private sealing key: whoever finds the stick reads the manifest
(which device, when, how many bytes) and nothing of the text.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Callable
from typing import Annotated, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import BaseModel, ConfigDict, StringConstraints

from idm_desktop.core.errors import IdmError
from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import canonical_json
from idm_desktop.protocol.signing import KeyId, Signature, fingerprint

ALGORITHM: Literal["x25519-hkdf-sha256-aes256gcm"] = "x25519-hkdf-sha256-aes256gcm"
_INFO = b"idm-bundle-seal v1"

_B64Key = Annotated[str, StringConstraints(min_length=40, max_length=60)]


class SealError(IdmError):
    """A sealed payload could not be opened (another key, or bytes changed on the way)."""


class SealingKey(BaseModel):
    """The service's public sealing key, as ``/api/v1/info`` lists it: signed by the signing key
    in service over :func:`sealing_key_message`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key_id: KeyId
    public_key: _B64Key  # base64 of the 32 raw bytes
    signature: Signature


class Seal(BaseModel):
    """What a sealed bundle's manifest says of its seal (all public)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    algorithm: Literal["x25519-hkdf-sha256-aes256gcm"]
    sealing_key: KeyId            # the service's sealing key it was sealed to
    ephemeral_key: _B64Key        # base64 of the ephemeral X25519 public key
    nonce: Annotated[str, StringConstraints(min_length=16, max_length=16)]  # base64 of 12 bytes
    device_key: KeyId             # the device that signs the bundle


def raw_x25519(key: X25519PrivateKey | X25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def sealing_key_message(key_id: str, public_key: str) -> bytes:
    """The bytes the service signs to vouch for its sealing key."""
    return canonical_json({"kind": "idm-sealing-key", "key_id": key_id, "public_key": public_key})


def sealing_entry(private: X25519PrivateKey, sign: Callable[[bytes], Signature]) -> SealingKey:
    """The public entry of ``private``, signed with ``sign``."""
    raw = raw_x25519(private)
    key_id = fingerprint(raw)
    public = base64.b64encode(raw).decode("ascii")
    return SealingKey(key_id=key_id, public_key=public, signature=sign(sealing_key_message(key_id, public)))


def _aad(seal: Seal) -> bytes:
    return canonical_json({"algorithm": seal.algorithm, "sealing_key": seal.sealing_key,
                           "ephemeral_key": seal.ephemeral_key, "device_key": seal.device_key})


def _derive(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=hashlib.sha256(ephemeral + recipient).digest(),
                info=_INFO)
    return hkdf.derive(shared)


def seal(payload: bytes, recipient: SealingKey, device_key: str) -> tuple[Seal, bytes]:
    """Seal ``payload`` to the service's sealing key, for the device ``device_key``."""
    try:
        their_raw = base64.b64decode(recipient.public_key, validate=True)
        theirs = X25519PublicKey.from_public_bytes(their_raw)
    except (ValueError, binascii.Error) as err:
        raise SealError(_("the server's sealing key is not valid")) from err
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = raw_x25519(ephemeral)
    key = _derive(ephemeral.exchange(theirs), ephemeral_raw, their_raw)
    nonce = os.urandom(12)
    header = Seal(algorithm=ALGORITHM, sealing_key=recipient.key_id,
                  ephemeral_key=base64.b64encode(ephemeral_raw).decode("ascii"),
                  nonce=base64.b64encode(nonce).decode("ascii"), device_key=device_key)
    return header, AESGCM(key).encrypt(nonce, payload, _aad(header))


def open_sealed(private: X25519PrivateKey, header: Seal, ciphertext: bytes) -> bytes:
    """The payload sealed in ``ciphertext``, or :class:`SealError`."""
    ours = raw_x25519(private)
    if header.sealing_key != fingerprint(ours):
        raise SealError(_("it is sealed to another server's key ({key})").format(key=header.sealing_key))
    try:
        ephemeral_raw = base64.b64decode(header.ephemeral_key, validate=True)
        nonce = base64.b64decode(header.nonce, validate=True)
        key = _derive(private.exchange(X25519PublicKey.from_public_bytes(ephemeral_raw)), ephemeral_raw, ours)
        return AESGCM(key).decrypt(nonce, ciphertext, _aad(header))
    except (InvalidTag, ValueError, binascii.Error) as err:
        raise SealError(_("its sealed content was changed or damaged")) from err
