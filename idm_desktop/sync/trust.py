"""What this library trusts of the service (DESIGN §15): the public keys pinned at sign-in, the
check of a changes bundle against them, and the check of a receipt.

The keys are pinned on first use, with their fingerprint shown (``login --fingerprint`` checks it
against the one the secretariat publishes). A later list replaces the pinned one only when it
still holds a pinned key (a rotation keeps the old key listed); otherwise the service is not the
one this library knew, and signing in again needs the new fingerprint.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.orm import Session

from idm_desktop.core.errors import IdmError, NotFoundError
from idm_desktop.core.i18n import _
from idm_desktop.protocol.bundle import Bundle, BundleError
from idm_desktop.protocol.signing import (
    Signature,
    SignatureError,
    SigningKey,
    normalise_fingerprint,
    receipt_message,
    verify,
)
from idm_desktop.storage import meta, quickread
from idm_desktop.storage import submissions as subs_repo

KEYS_KEY, KEYS_SERVER_KEY = quickread.PINNED_KEYS_KEY, quickread.PINNED_SERVER_KEY


class UntrustedServerError(IdmError):
    """The service's keys are not the ones pinned, or not the fingerprint given: nothing was sent."""


@dataclass(frozen=True, slots=True)
class ReceiptCheck:
    """A receipt whose signature holds: its number, the key that signed it, what it covers."""

    receipt_no: str
    key_id: str
    delegation: str
    submission_id: str
    received_at: str
    sha256: str


def pinned_keys(session: Session) -> list[SigningKey]:
    raw = meta.get_meta(session, KEYS_KEY)
    if not raw:
        return []
    try:
        return [SigningKey.model_validate(k) for k in json.loads(raw)]
    except (ValueError, ValidationError):
        return []


def pinned_server(session: Session) -> str | None:
    return meta.get_meta(session, KEYS_SERVER_KEY) or None


def in_service(keys: Sequence[SigningKey]) -> SigningKey | None:
    """The key the service signs with now (the last one not retired)."""
    return next((k for k in reversed(keys) if k.retired_at is None), None)


def check_keys(session: Session, server: str, offered: Sequence[SigningKey],
               fingerprint: str | None) -> SigningKey:
    """Check the keys a service offers before anything is sent to it; returns the key in service.

    With ``fingerprint``, the key in service must have it. Without, a service this library pinned
    before must still list one of the pinned keys."""
    current = in_service(offered)
    if current is None:
        raise UntrustedServerError(_("The server at {server} offers no signing key: it is not an IDM "
                                     "server this program can trust. Nothing was sent.")
                                   .format(server=server))
    if fingerprint is not None:
        if normalise_fingerprint(fingerprint) != current.key_id:
            raise UntrustedServerError(_(
                "The server at {server} signs with the key {found}, not {expected}: it may not be the "
                "secretariat's server. Nothing was sent.").format(
                    server=server, found=current.key_id, expected=normalise_fingerprint(fingerprint)))
        return current
    pinned = pinned_keys(session)
    if pinned and pinned_server(session) == server and not _continues(pinned, offered):
        raise UntrustedServerError(_(
            "The server at {server} now signs with an unknown key ({found}): it may not be the server "
            "you signed in to before. Ask the secretariat for its fingerprint and sign in with "
            "“--fingerprint”. Nothing was sent.").format(server=server, found=current.key_id))
    return current


def pin(session: Session, server: str | None, keys: Sequence[SigningKey]) -> None:
    meta.set_meta(session, KEYS_KEY, json.dumps([k.model_dump(mode="json") for k in keys]))
    meta.set_meta(session, KEYS_SERVER_KEY, server or "")


def refresh(session: Session, server: str, offered: Sequence[SigningKey]) -> bool:
    """Take a newer list from the service over an authenticated sync, when it continues the pinned
    one (a rotation); returns whether it was taken."""
    pinned = pinned_keys(session)
    if pinned_server(session) != server or not _continues(pinned, offered) or in_service(offered) is None:
        return False
    if list(offered) != pinned:
        pin(session, server, offered)
    return True


def _continues(pinned: Sequence[SigningKey], offered: Sequence[SigningKey]) -> bool:
    known = {(k.key_id, k.public_key) for k in pinned}
    return any((k.key_id, k.public_key) in known for k in offered)


def check_changes_bundle(session: Session, bundle: Bundle, file: str, *, delegation: str | None,
                         fingerprint: str | None) -> None:
    """Refuse a changes bundle that is not signed by a pinned key in service, or that was packed for
    another delegation. With ``fingerprint`` and no pinned keys yet (a library never online), the
    keys the bundle carries are pinned once the key in service has that fingerprint."""
    def refused(why: str) -> BundleError:
        return BundleError(_("“{file}” was not imported: {why}. Nothing was changed.")
                           .format(file=file, why=why))

    if bundle.signature is None:
        raise refused(_("it is not signed by the secretariat's server"))
    keys = pinned_keys(session)
    if not keys:
        offered = bundle.manifest.signing_keys or []
        current = in_service(offered)
        if fingerprint is None or current is None:
            raise refused(_("this library does not know the server's signing key yet: sign in once, or "
                            "import with “--fingerprint” and the fingerprint the secretariat publishes"))
        if normalise_fingerprint(fingerprint) != current.key_id:
            raise refused(_("it is signed by the key {found}, not {expected}").format(
                found=current.key_id, expected=normalise_fingerprint(fingerprint)))
        keys = list(offered)
    try:
        verify(keys, bundle.signature, bundle.manifest_bytes, in_service=True)
    except SignatureError as err:
        raise refused(str(err)) from err
    theirs = bundle.manifest.origin.get("delegation")
    if delegation and theirs != delegation:
        raise refused(_("it was packed for another delegation ({other})").format(other=theirs or "—"))
    if not pinned_keys(session):
        pin(session, bundle.manifest.origin.get("server"), keys)


def check_receipt(session: Session, ident: str) -> ReceiptCheck:
    """Check the receipt of a submission offline against the pinned keys, or raise
    :class:`SignatureError` saying why it does not hold."""
    sub = subs_repo.get_submission(session, ident)
    signed = subs_repo.receipt_signature(session, sub.id)
    if sub.receipt_no is None or sub.received_at is None or sub.content_sha256 is None:
        raise NotFoundError(_("This submission has no receipt yet."))
    if signed is None:
        raise SignatureError(_("Receipt {number} is not signed (it was issued before receipts were "
                               "signed).").format(number=sub.receipt_no))
    keys = pinned_keys(session)
    if not keys:
        raise SignatureError(_("This library knows no signing key of the server: sign in once."))
    try:
        key = verify(keys, Signature(key_id=signed[0], signature=signed[1]),
                     receipt_message(sub.receipt_no, sub.country, sub.id, sub.received_at,
                                     sub.content_sha256), in_service=False)
    except ValidationError as err:
        raise SignatureError(_("Receipt {number} does not hold: {why}.").format(
            number=sub.receipt_no, why=_("its signature is not valid"))) from err
    except SignatureError as err:
        raise SignatureError(_("Receipt {number} does not hold: {why}.").format(
            number=sub.receipt_no, why=err)) from err
    return ReceiptCheck(sub.receipt_no, key.key_id, sub.country, sub.id, sub.received_at.isoformat(),
                        sub.content_sha256)


