"""Offline bundles on the desktop: export the outbox, replay someone's outbox on a connected
machine, and apply the changes the service packed for a field office (protocol/bundle.py)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from idm_desktop.core.errors import IdmError
from idm_desktop.core.i18n import _
from idm_desktop.core.sync import SyncReport
from idm_desktop.protocol import ChangesPage, Entity, Op
from idm_desktop.protocol.bundle import Bundle, BundleError, BundleSubmit, write_bundle
from idm_desktop.protocol.sealing import Seal
from idm_desktop.protocol.signing import Signature
from idm_desktop.storage import outbox, pulled, reviews, sync_state
from idm_desktop.storage.blobs import BlobStore
from idm_desktop.storage.database import Database
from idm_desktop.sync import trust
from idm_desktop.sync.client import SyncClient
from idm_desktop.sync.engine import ReadText, apply_changes, wire_op

log = logging.getLogger(__name__)


def export_outbox(db: Database, out: Path, *, origin: dict[str, str | None], now: dt.datetime,
                  sign: Callable[[bytes], Signature],
                  seal: Callable[[bytes], tuple[Seal, bytes]] | None) -> int:
    """Write every unsent op (a save for each edited submission, and the submits) to ``out``,
    signed with the device key (``sign``) and, unless ``seal`` is None, sealed to the server.
    The ops are frozen as if sent: when this computer syncs later, the server recognises them."""
    with db.session() as s:
        outbox.prepare_saves(s, now)
        saves = [{"kind": "save", **wire_op(op).model_dump(mode="json")} for op in outbox.sendable_saves(s)]
        submits = [BundleSubmit(kind="submit", op_id=op.op_id, submission_id=op.submission_id, rev=op.rev,
                                sha256=op.sha256, supersedes=op.supersedes).model_dump(mode="json")
                   for op in outbox.bundle_submits(s)]
        # Review actions (DESIGN §13) whose text the server already has; a request for review of
        # text that travels in this same bundle waits for the next sync.
        review_ops = [{"kind": "review", **Op(op_id=op.op_id, entity=Entity.REVIEW, id=op.submission_id,
                                              base_rev=None, body=op.body, sha256=op.sha256)
                       .model_dump(mode="json")} for op in reviews.sendable(s)]
        if not saves and not submits and not review_ops:
            raise IdmError(_("Nothing waits to be sent: there is no bundle to make."))
        write_bundle(out, "outbox", origin, now.isoformat(), ops=saves + review_ops + submits, sign=sign,
                     seal=seal)
        outbox.mark_sent(s, [op["op_id"] for op in saves + review_ops], now)
    return len(saves) + len(review_ops) + len(submits)


@dataclass
class ReplayReport:
    applied: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: list[str] = field(default_factory=list)
    receipts: list[tuple[str, str]] = field(default_factory=list)
    device: str = ""   # the fingerprint of the device that signed the bundle
    user: str = ""     # its user, whose ops they are
    sealed: bool = False


def replay_outbox(client: SyncClient, bundle: Bundle, data: bytes) -> ReplayReport:
    """Hand an outbox bundle (already read and checked as a file: ``bundle``; its bytes: ``data``)
    to the server, which checks the device's signature, opens the seal and applies the ops through
    the same idempotent code as a push. Refused here when it is not signed at all.

    Conflicts are left to the computer that wrote the text: its next sync resends the same op,
    gets the same conflict, and merges there."""
    if bundle.signature is None:
        raise BundleError(_("“{file}” was not imported: {why}. Nothing was changed.").format(
            file=bundle.name, why=_("it is not signed by the device that wrote it")))
    answer = client.replay_bundle(data)
    return ReplayReport(applied=answer.applied, duplicate=answer.duplicate, conflict=answer.conflict,
                        rejected=list(answer.rejected),
                        receipts=[(r.submission_id, r.receipt_no) for r in answer.receipts],
                        device=answer.device, user=answer.user, sealed=answer.sealed)


def import_changes(db: Database, blobs: BlobStore, bundle: Bundle, *, read_text: ReadText, author: str,
                   clock: Callable[[], dt.datetime], server: str | None, delegation: str | None,
                   fingerprint: str | None = None) -> SyncReport:
    """Check a changes bundle's signature and delegation (sync/trust.py), then apply its changes as a
    pull would, then the files it brings. Nothing is changed when any of it is refused."""
    since = bundle.changes.get("since")
    try:
        pages = [ChangesPage.model_validate(p) for p in bundle.changes.get("pages", [])]
    except (ValidationError, ValueError, RecursionError) as err:
        raise BundleError(_("The bundle's changes are not valid; nothing was changed.")) from err
    if since is not None and not isinstance(since, str):
        raise BundleError(_("The bundle's changes are not valid; nothing was changed."))
    report = SyncReport()
    try:
        with db.session() as s:
            trust.check_changes_bundle(s, bundle, bundle.name, delegation=delegation,
                                       fingerprint=fingerprint)
            cursor = sync_state.get_cursor(s)
            for page in pages:
                apply_changes(s, page, report, author=author, now=clock(), delegation=delegation)
            # Move the cursor only when the bundle continues exactly where this library stopped, on
            # the same server; otherwise the next online sync pulls the rest (applying is idempotent).
            if pages and server and bundle.manifest.origin.get("server") == server and cursor == since:
                sync_state.set_cursor(s, pages[-1].next_cursor)
    except (KeyError, TypeError, ValueError) as err:
        # A signed bundle with a change the library cannot take (a missing field, a bad date):
        # the whole bundle is rolled back.
        log.warning("a changes bundle held a change that cannot be applied: %r", err)
        raise BundleError(_("The bundle's changes are not valid; nothing was changed.")) from err
    for sha, file in bundle.blobs.items():
        if not blobs.has(sha):
            blobs.adopt(file, sha)
    with db.session() as s:
        pending = [(p.document_id, p.data) for p in pulled.pending_documents(s)]
    for doc_id, data in pending:
        if not blobs.has(data["sha256"]):
            continue
        try:
            text = read_text(blobs.path(data["sha256"]), str(data.get("filename") or "document"))
        except IdmError as err:
            report.failures.append(f"{data.get('symbol')}: {err}")
            continue
        with db.session() as s:
            pulled.add_pulled_document(s, doc_id, text, clock())
        report.new_documents += 1
    return report
