"""A desktop's outbox bundle, handed to the service by a connected machine (DESIGN §15).

The file is checked whole before anything is applied: a readable bundle (protocol/bundle.py),
signed by a registered device that is not revoked, whose user belongs to the delegation of the
account that hands it over; its seal (protocol/sealing.py) opens with the service's sealing key;
its ops are valid. Then the ops are applied through the same idempotent code as a push, as the
device's user and recorded with the device's id: importing the same file twice applies nothing
twice, and the desktop that wrote it recognises its ops when it syncs.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from idm_desktop.core.clearance import Role
from idm_desktop.core.errors import RefusedError
from idm_desktop.protocol import Applied, Conflict, Duplicate, Rejected, SubmitRequest
from idm_desktop.protocol.bundle import BundleError, outbox_ops, parse_ops, read_bundle
from idm_desktop.protocol.schemas import BundleReceipt, BundleReplay
from idm_desktop.protocol.sealing import SealError, open_sealed
from idm_desktop.protocol.signing import SignatureError, SigningKey, verify
from idm_desktop.server import pushes
from idm_desktop.server.accounts import Caller
from idm_desktop.server.database import Database
from idm_desktop.server.errors import BadRequest, ServiceError
from idm_desktop.server.models import Device, User, utcnow
from idm_desktop.server.signing import ServerKeys

log = logging.getLogger(__name__)


def replay_bundle(db: Database, keys: ServerKeys, caller: Caller, path: Path) -> BundleReplay:
    """Check the outbox bundle at ``path`` and apply its ops as its device's; or refuse it whole
    (:class:`BadRequest`, one sentence, nothing changed)."""
    with tempfile.TemporaryDirectory(prefix="idm-bundle-") as tmp:
        try:
            bundle = read_bundle(path, Path(tmp))
        except BundleError as err:
            raise BadRequest(str(err), "bundle_invalid") from None
    if bundle.manifest.kind != "outbox":
        raise BadRequest("This is a changes bundle for a desktop, not a desktop's outbox: nothing was "
                         "changed.", "bundle_invalid")
    if bundle.signature is None:
        raise BadRequest("The bundle is not signed by a device: nothing was changed.", "bundle_unsigned")
    device_caller = _device_caller(db, caller, bundle.signature.key_id)
    with db.read() as session:
        device = session.get(Device, bundle.signature.key_id)
        assert device is not None
        registered = SigningKey(key_id=device.id, public_key=device.public_key, created_at=device.created_at)
    try:
        verify([registered], bundle.signature, bundle.manifest_bytes, in_service=True)
    except SignatureError:
        raise BadRequest("The bundle's signature does not match its device: nothing was changed.",
                                "bundle_bad_signature") from None
    seal = bundle.manifest.seal
    if seal is not None:
        if seal.device_key != device.id or bundle.sealed is None:
            raise BadRequest("The bundle's seal names another device: nothing was changed.",
                                       "bundle_tampered")
        try:
            raw_ops = parse_ops(open_sealed(keys.sealing, seal, bundle.sealed))
        except SealError as err:
            raise BadRequest(f"The bundle's seal does not open ({err}): nothing was changed.",
                                    "bundle_tampered") from None
        except BundleError as err:
            raise BadRequest(str(err), "bundle_invalid") from None
    else:
        raw_ops = bundle.ops
    try:
        saves, review_ops, submits = outbox_ops(raw_ops)
    except BundleError as err:
        raise BadRequest(str(err), "bundle_invalid") from None
    answer = BundleReplay(device=device_caller.device_id or "", user=device_caller.username,
                          sealed=seal is not None)
    applied = duplicate = conflict = 0
    rejected: list[str] = []
    receipts: list[BundleReceipt] = []
    revs: dict[str, int] = {}
    # Review actions first: nothing in them depends on the bundle's saves (DESIGN §13).
    for result in pushes.apply_ops(db, device_caller, review_ops):
        if isinstance(result, Applied):
            applied += 1
        elif isinstance(result, Duplicate):
            duplicate += 1
        elif isinstance(result, Rejected):
            rejected.append(result.message)
    for result in pushes.apply_ops(db, device_caller, saves):
        op = next(o for o in saves if o.op_id == result.op_id)
        if isinstance(result, Applied):
            applied += 1
            revs[op.id] = result.rev
        elif isinstance(result, Duplicate):
            duplicate += 1
            revs[op.id] = max(revs.get(op.id, 0), result.original.rev)
        elif isinstance(result, Conflict):
            conflict += 1  # left to the desktop that wrote it: its next sync merges
        else:
            rejected.append(result.message)
    for sub in submits:
        rev = revs.get(sub.submission_id) or sub.rev
        if rev is None:
            rejected.append("A submit waits for its text, which did not reach the server.")
            continue
        request = SubmitRequest(rev=rev, sha256=sub.sha256, supersedes=sub.supersedes)
        try:
            outcome = pushes.submit(db, keys, device_caller, sub.submission_id, request, sub.op_id)
        except (ServiceError, RefusedError) as err:
            rejected.append(str(err))
            continue
        # A submit counts like the other ops: new, or the same submit answered before.
        if outcome.created:
            applied += 1
        else:
            duplicate += 1
        receipts.append(BundleReceipt(submission_id=sub.submission_id, receipt_no=outcome.receipt.receipt_no))
    with db.write() as session:
        row = session.get(Device, device.id)
        if row is not None:
            row.last_seen_at = utcnow()
    log.info("replayed an outbox bundle of device %s for %s: %d applied, %d duplicate, %d conflict, "
             "%d rejected", device.id, caller.username, applied, duplicate, conflict, len(rejected))
    return answer.model_copy(update={"applied": applied, "duplicate": duplicate, "conflict": conflict,
                                     "rejected": rejected, "receipts": receipts})


def _device_caller(db: Database, caller: Caller, device_id: str) -> Caller:
    """The device's user, as the caller its ops are applied for; refused unless the device is
    registered, not revoked, and of the delegation of the account that hands the file over."""
    with db.read() as session:
        device = session.get(Device, device_id)
        if device is None:
            raise BadRequest("The bundle is signed by a device the server does not know: nothing was "
                             "changed.", "bundle_unknown_device")
        if device.revoked_at is not None:
            raise BadRequest("The bundle is signed by a device the secretariat revoked: nothing was changed.",
                                    "bundle_revoked_device")
        user = session.get(User, device.user_id)
        if user is None or user.disabled:
            raise BadRequest("The bundle is signed by a device of a disabled account: nothing was changed.",
                                    "bundle_revoked_device")
        if user.delegation is None or user.delegation != caller.delegation:
            raise BadRequest("The bundle is signed by a device of another delegation: nothing was changed.",
                                    "bundle_other_delegation")
        return Caller(user_id=user.id, username=user.username, role=Role(user.role),
                      delegation=user.delegation, token_id=caller.token_id, device_id=device.id)
