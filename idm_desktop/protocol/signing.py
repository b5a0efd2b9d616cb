"""The service's signatures (DESIGN §15), checked the same way by both ends.

The service signs with an Ed25519 key; ``/api/v1/info`` lists its public keys (the current one
and the retired ones, kept so that what they signed can still be checked). A key is named by its
fingerprint: the first 20 bytes of the sha256 of the raw public key, in groups of four hex digits.
The desktop pins the list at sign-in and checks against it:

- a changes bundle's manifest (the manifest names the sha256 of every other member), which only a
  key still in service may sign;
- a receipt: (receipt number, delegation, submission id, time received, sha256 of the text),
  which any listed key may have signed.

All the cryptography is ``cryptography``'s; nothing here is hand-made but the choice of bytes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from typing import Annotated

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, StringConstraints

from idm_desktop.core.errors import IdmError
from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import canonical_json

KeyId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{4}(-[0-9a-f]{4}){9}$")]
"""A key's fingerprint, as shown to people and as written in signatures."""


class SignatureError(IdmError):
    """A signature could not be checked, or did not hold."""


class SigningKey(BaseModel):
    """One of the service's public keys, as ``/api/v1/info`` lists it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key_id: KeyId
    public_key: str  # base64 of the 32 raw bytes
    created_at: dt.datetime
    retired_at: dt.datetime | None = None


class Signature(BaseModel):
    """A signature and the fingerprint of the key that made it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key_id: KeyId
    signature: Annotated[str, StringConstraints(min_length=1, max_length=200)]  # base64


def fingerprint(public_key: bytes) -> str:
    """The fingerprint of a raw Ed25519 public key (``a1b2-c3d4-…``, ten groups)."""
    digest = hashlib.sha256(public_key).hexdigest()[:40]
    return "-".join(digest[i:i + 4] for i in range(0, 40, 4))


def normalise_fingerprint(text: str) -> str:
    """A fingerprint as someone typed or pasted it (any case, spaces, colons) in the usual form."""
    digits = re.sub(r"[^0-9a-f]", "", text.lower())
    return "-".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def raw_public_key(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_entry(key: Ed25519PrivateKey, created_at: dt.datetime) -> SigningKey:
    raw = raw_public_key(key)
    return SigningKey(key_id=fingerprint(raw), public_key=base64.b64encode(raw).decode("ascii"),
                      created_at=created_at)


def sign(key: Ed25519PrivateKey, message: bytes) -> Signature:
    return Signature(key_id=fingerprint(raw_public_key(key)),
                     signature=base64.b64encode(key.sign(message)).decode("ascii"))


def verify(keys: Sequence[SigningKey], signature: Signature, message: bytes, *,
           in_service: bool) -> SigningKey:
    """The key among ``keys`` that made ``signature`` over ``message``, or :class:`SignatureError`.

    ``in_service``: only a key that is not retired may have signed (a changes bundle); a receipt
    stays checkable with a retired key."""
    key = next((k for k in keys if k.key_id == signature.key_id), None)
    if key is None:
        raise SignatureError(_("it is signed by a key this library does not know ({key})")
                             .format(key=signature.key_id))
    if in_service and key.retired_at is not None:
        raise SignatureError(_("it is signed by a key the server retired ({key})").format(key=key.key_id))
    try:
        raw = base64.b64decode(key.public_key, validate=True)
        sig = base64.b64decode(signature.signature, validate=True)
        if fingerprint(raw) != key.key_id:
            raise SignatureError(_("its signature does not match"))
        Ed25519PublicKey.from_public_bytes(raw).verify(sig, message)
    except (InvalidSignature, ValueError, binascii.Error) as err:
        raise SignatureError(_("its signature does not match")) from err
    return key


def receipt_message(receipt_no: str, delegation: str | None, submission_id: str, received_at: dt.datetime,
                    sha256: str) -> bytes:
    """The bytes a receipt's signature covers (a time without zone is UTC, as both ends store it)."""
    when = received_at if received_at.tzinfo else received_at.replace(tzinfo=dt.UTC)
    return canonical_json({
        "kind": "idm-receipt", "receipt_no": receipt_no, "delegation": delegation,
        "submission_id": submission_id,
        "received_at": when.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "sha256": sha256,
    })
