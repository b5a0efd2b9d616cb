"""One sync: pull the changes feed, fetch new files, push the outbox, send submits.

Every step commits as it goes (a page and its cursor together; each op's answer with its effect),
so a sync cut at any moment resumes where it stopped and never applies anything twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from idm_desktop.core.errors import (
    DeletionGuardError,
    IdmError,
    RefusedError,
    ServerUnreachableError,
)
from idm_desktop.core.i18n import _
from idm_desktop.core.refusals import refusal_text
from idm_desktop.core.sync import SyncProgress, SyncReport
from idm_desktop.protocol import (
    Applied,
    ChangesPage,
    Conflict,
    Duplicate,
    Entity,
    Op,
    OpBatch,
    Rejected,
    SubmitRequest,
    WithdrawRequest,
    canonical_json,
)
from idm_desktop.protocol.schemas import MAX_BATCH_BYTES, MAX_OPS_PER_BATCH
from idm_desktop.storage import notices, outbox, pulled, reviews, snapshots, sync_state
from idm_desktop.storage.blobs import BlobStore
from idm_desktop.storage.database import Database
from idm_desktop.sync.blobs import download_blob
from idm_desktop.sync.client import SyncClient
from idm_desktop.sync.transport import ResyncRequired

log = logging.getLogger(__name__)

DOWNLOADS = 4
"""Files downloaded at once: enough to keep the link busy while the previous ones are read."""

ReadText = Callable[[Path, str], str]
"""Reads a downloaded file's text for the library's search (path, file name) -> text."""


class SyncEngine:
    """Runs syncs of one local library against one server."""

    def __init__(self, db: Database, blobs: BlobStore, client: SyncClient, *, author: str,
                 clock: Callable[[], dt.datetime], read_text: ReadText,
                 max_delete_share: float = 0.5, allow_deletions: bool = False,
                 delegation: str | None = None) -> None:
        self.db = db
        self.blobs = blobs
        self.client = client
        self.author = author
        self.clock = clock
        self.read_text = read_text
        self.max_delete_share = max_delete_share
        self.allow_deletions = allow_deletions
        self.delegation = delegation

    def run(self, progress: Callable[[SyncProgress], None] = lambda _p: None) -> SyncReport:
        report = SyncReport()
        try:
            # Ops whose answer a cut link lost go first: until we know the server applied them, the
            # pull would merge our own text as if another home had written it (a false conflict).
            self._push(report, progress, unanswered_only=True)
            self._pull(report, progress)
            self._fetch_documents(report, progress)
            self._push(report, progress)
            if self._push_reviews(report, progress):
                self._pull(report, progress)  # the reviews as the service now holds them
            self._submit(report, progress)
            self._withdraw(report)
        finally:
            report.requests = self.client.transport.traffic.requests
        return report

    # -- pull -------------------------------------------------------------------------------

    def _pull(self, report: SyncReport, progress: Callable[[SyncProgress], None]) -> None:
        with self.db.session() as s:
            cursor = sync_state.get_cursor(s)
        resynced = False
        while True:
            try:
                page = self.client.changes(cursor)
            except ResyncRequired:
                if resynced:
                    raise
                log.info("the server's feed was reset: pulling everything again")
                resynced, cursor = True, None
                continue
            self._apply_page(page, report)
            cursor = page.next_cursor
            progress(SyncProgress("pull", report.pulled, None))
            if not page.has_more:
                return

    def _apply_page(self, page: ChangesPage, report: SyncReport) -> None:
        with self.db.session() as s:
            self._guard_deletions(s, page)
            apply_changes(s, page, report, author=self.author, now=self.clock(), delegation=self.delegation)
            sync_state.set_cursor(s, page.next_cursor)

    def _guard_deletions(self, session: Session, page: ChangesPage) -> None:
        if self.allow_deletions:
            return
        gone = {c.id for c in page.changes if c.deleted and c.entity is Entity.DOCUMENT}
        if not gone:
            return
        counts = pulled.server_documents(session, gone)
        held, removing = counts.held, counts.among
        if removing > 10 and removing > self.max_delete_share * held:
            raise DeletionGuardError(
                _("The server withdrew {n} of your {total} documents. Nothing was removed: sync again "
                  "with “--allow-deletions” (or confirm in the window) to accept.")
                .format(n=removing, total=held))

    # -- files ------------------------------------------------------------------------------

    def _fetch_documents(self, report: SyncReport, progress: Callable[[SyncProgress], None]) -> None:
        with self.db.session() as s:
            pending = [(p.document_id, p.data) for p in pulled.pending_documents(s)]
        if not pending:
            return
        # Files come down on a few connections at once while this thread reads the ones that
        # arrived: the server's time, the wire's and the reading overlap. Read documents enter the
        # library a few at a time: one commit (an fsync) each would cost more than the download.
        # Their files are adopted into the blob folder just before, with one flush for them all
        # (a flush per file held each download up longer than the server took to send it). A
        # crash loses none of them: they stay pending, their files whole in the partial folder.
        ready: list[pulled.ReadDocument] = []
        fetched: list[tuple[Path, str]] = []  # downloaded and checked, not yet adopted
        chars, last = 0, time.monotonic()
        # The library is written on a thread of its own: SQLite indexes the text (FTS5) without
        # holding Python's lock, so the next files are read meanwhile.
        writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="idm-library")
        written: list[Future[int]] = []

        def commit(batch: list[pulled.ReadDocument], files: list[tuple[Path, str]]) -> int:
            self.blobs.adopt_many(files)  # before the rows that name them
            if batch:
                with self.db.session() as s:
                    pulled.add_pulled_documents(s, batch, self.clock())
            return len(batch)

        def add_ready() -> None:
            nonlocal chars, last
            if ready or fetched:
                written.append(writer.submit(commit, list(ready), list(fetched)))
                ready.clear()
                fetched.clear()
            chars, last = 0, time.monotonic()

        def failed(doc_id: str, data: dict[str, Any], err: Exception) -> None:
            # One file that fails does not hold up the others; it is tried again next time.
            report.failures.append(f"{data.get('symbol')}: {err}")
            with self.db.session() as s:
                pulled.note_document_failure(s, doc_id, str(err))

        by_file: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for doc_id, data in pending:  # documents that share a file download it once
            by_file.setdefault(data["sha256"], []).append((doc_id, data))
        done = 0
        pool = ThreadPoolExecutor(max_workers=DOWNLOADS, thread_name_prefix="idm-download")
        try:
            futures = {pool.submit(download_blob, self.client, self.blobs, sha, int(docs[0][1]["size"])): sha
                       for sha, docs in by_file.items()}
            for future in as_completed(futures):
                sha = futures[future]
                try:
                    part = future.result()
                except IdmError as err:
                    if isinstance(err, ServerUnreachableError):
                        raise
                    for doc_id, data in by_file[sha]:
                        done += 1
                        failed(doc_id, data, err)
                    continue
                if part is not None:
                    fetched.append((part, sha))
                path = part or self.blobs.path(sha)
                for doc_id, data in by_file[sha]:
                    done += 1
                    try:
                        text = self.read_text(path, str(data.get("filename") or "document"))
                    except IdmError as err:
                        failed(doc_id, data, err)
                        continue
                    ready.append(pulled.ReadDocument(doc_id, text))
                    chars += len(text)
                    progress(SyncProgress("files", done, len(pending)))
                # Between files, not documents: a batch renames its files as soon as it goes.
                if len(ready) >= 32 or chars > 4_000_000 or time.monotonic() - last > 0.5:
                    add_ready()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            add_ready()  # also when the sync stops half-way: what was read is kept
            writer.shutdown(wait=True)
            report.new_documents += sum(f.result() for f in written)

    # -- push -------------------------------------------------------------------------------

    def _push(self, report: SyncReport, progress: Callable[[SyncProgress], None], *,
              unanswered_only: bool = False) -> None:
        with self.db.session() as s:
            if not unanswered_only:
                outbox.prepare_saves(s, self.clock())
            ops = [wire_op(op) for op in outbox.sendable_saves(s) if not unanswered_only or op.sent]
        self._send(ops, report, progress, first=True)

    def _send(self, ops: list[Op], report: SyncReport, progress: Callable[[SyncProgress], None], *,
              first: bool) -> None:
        """Send ``ops`` a batch at a time, each batch marked sent (frozen) before it goes out.

        ``first``: a conflict's merged text is pushed again at once (``first`` False). On that
        second push a conflict again means someone is editing right now, and it waits for the
        next sync; a failure of the request ends the sync as it is, the ops staying queued."""
        for batch in batches(ops):
            ids = [op.op_id for op in batch]
            with self.db.session() as s:
                outbox.mark_sent(s, ids, self.clock())
            try:
                results = self.client.push(OpBatch(ops=batch))
            except ServerUnreachableError as err:
                if first:
                    with self.db.session() as s:
                        outbox.note_attempt_failed(s, ids, str(err))
                raise
            except RefusedError as err:
                if not first:
                    raise
                with self.db.session() as s:
                    for op_id in ids:
                        outbox.on_refused(s, op_id, "refused", str(err))
                report.failures.append(str(err))
                continue
            for result in results:
                self._take_result(result, report, first=first)
            progress(SyncProgress("push", report.pushed, len(ops)))

    def _take_result(self, result: Applied | Duplicate | Conflict | Rejected, report: SyncReport, *,
                     first: bool) -> None:
        now = self.clock()
        with self.db.session() as s:
            if isinstance(result, Applied):
                outbox.on_applied(s, result.op_id, result.rev)
                report.pushed += 1
            elif isinstance(result, Duplicate):
                outbox.on_applied(s, result.op_id, result.original.rev)
                report.pushed += 1
            elif isinstance(result, Conflict):
                outcome = outbox.on_conflict(s, result.op_id, result.current_rev, result.current,
                                             author=self.author, now=now)
                if not first:
                    return  # someone is editing right now: leave it for the next sync
                if outcome is snapshots.Applied.CONFLICT:
                    report.conflicts += 1
                elif outcome is snapshots.Applied.MERGED:
                    report.merged += 1
            else:
                outbox.on_refused(s, result.op_id, result.code, result.message)
                report.failures.append(refusal_text(result.code, result.message))
        if isinstance(result, Conflict):
            # The merged text is new local work: push it now, based on the server's current rev.
            with self.db.session() as s:
                made = outbox.prepare_saves(s, now)
                ops = [wire_op(op) for op in outbox.sendable_saves(s)] if made else []
            if ops:
                self._send(ops, report, lambda _p: None, first=False)

    def _push_reviews(self, report: SyncReport, progress: Callable[[SyncProgress], None]) -> bool:
        """Send the review actions taken here (DESIGN §13); True when the service took any."""
        with self.db.session() as s:
            ops = [Op(op_id=op.op_id, entity=Entity.REVIEW, id=op.submission_id, base_rev=None,
                      body=op.body, sha256=op.sha256) for op in reviews.sendable(s)]
        before = report.pushed
        if ops:
            self._send(ops, report, progress, first=True)
        # The batch is counted as the pushes are; they are review actions, not versions of a text.
        sent = report.pushed - before
        report.pushed = before
        report.review_actions += sent
        return sent > 0

    # -- submit -----------------------------------------------------------------------------

    def _submit(self, report: SyncReport, progress: Callable[[SyncProgress], None]) -> None:
        with self.db.session() as s:
            ready = outbox.ready_submits(s)
        for op in ready:
            op_id, sub_id = op.op_id, op.submission_id
            assert op.rev is not None  # a ready submit's text is on the server
            request = SubmitRequest(rev=op.rev, sha256=op.sha256, supersedes=op.supersedes)
            try:
                receipt = self.client.submit(sub_id, request, idempotency_key=op_id)
            except RefusedError as err:
                with self.db.session() as s:
                    outbox.on_refused(s, op_id, "refused", str(err))
                report.failures.append(str(err))
                continue
            with self.db.session() as s:
                signed = receipt.signature
                outbox.on_receipt(s, op_id, receipt.receipt_no, receipt.received_at, receipt.sha256,
                                  (signed.key_id, signed.signature) if signed is not None else None)
            report.receipts.append((sub_id, receipt.receipt_no))
            progress(SyncProgress("submit", len(report.receipts), len(ready)))


    def _withdraw(self, report: SyncReport) -> None:
        """Send the withdrawals asked for here (after the submits: a text is withdrawn once received)."""
        with self.db.session() as s:
            waiting = outbox.ready_withdrawals(s)
        for op in waiting:
            try:
                self.client.withdraw(op.submission_id, WithdrawRequest(reason=op.reason))
            except RefusedError as err:
                with self.db.session() as s:
                    outbox.on_refused(s, op.op_id, "refused", str(err))
                report.failures.append(str(err))
                continue
            with self.db.session() as s:
                outbox.on_withdrawn(s, op.op_id)
            report.pushed += 1


def apply_changes(session: Session, page: ChangesPage, report: SyncReport, *, author: str,
                  now: dt.datetime, delegation: str | None = None) -> None:
    """Apply one page of changes in the caller's transaction (a pull, or an offline bundle);
    ``delegation``: the library's (submissions of others are left out)."""
    documents = [pulled.DocumentChange(c.id, c.rev, dict(c.data) if c.data is not None else None, c.deleted)
                 for c in page.changes if c.entity is Entity.DOCUMENT]
    outcomes = pulled.apply_documents(session, documents) if documents else []
    for change in page.changes:
        data = dict(change.data) if change.data is not None else None
        if change.entity is Entity.WORKSHOP:
            outcome = pulled.apply_workshop(session, change.id, data or {}, change.deleted)
        elif change.entity is Entity.TEMPLATE:
            outcome = (pulled.apply_template(session, data, change.deleted) if data is not None
                       else snapshots.Applied.UNCHANGED)
        elif change.entity is Entity.DOCUMENT:
            continue  # above, all of the page's at once
        elif change.entity is Entity.REVIEW:
            outcome = reviews.apply_review(session, change.id, change.rev, data, delegation=delegation,
                                           me=author)
        elif change.entity is Entity.NOTICE:
            outcome = notices.apply_notice(session, change.id, change.rev, data, change.deleted)
        else:
            outcome = pulled.apply_submission(session, change.id, change.rev, data, change.deleted,
                                              author=author, now=now, delegation=delegation)
            reviews.refresh_status(session, change.id, author)
            if outcome is snapshots.Applied.MERGED:
                report.merged += 1
            elif outcome is snapshots.Applied.CONFLICT:
                report.conflicts += 1
        outcomes.append(outcome)
    report.pulled += len(page.changes)
    report.unchanged += sum(o is snapshots.Applied.UNCHANGED for o in outcomes)
    report.refused += sum(o is snapshots.Applied.REFUSED for o in outcomes)


def wire_op(op: outbox.SaveOp) -> Op:
    """The protocol's form of an outbox save."""
    return Op(op_id=op.op_id, entity=Entity.SUBMISSION, id=op.submission_id, base_rev=op.base_rev,
              body=dict(op.body), sha256=op.sha256)


def batches(ops: list[Op]) -> list[list[Op]]:
    """At most 50 ops and about 256 KB of JSON a batch (DESIGN §5)."""
    batches: list[list[Op]] = []
    current: list[Op] = []
    size = 0
    for op in ops:
        n = len(canonical_json(op.model_dump(mode="json")))
        if current and (len(current) >= MAX_OPS_PER_BATCH or size + n > MAX_BATCH_BYTES - 1024):
            batches.append(current)
            current, size = [], 0
        current.append(op)
        size += n
    if current:
        batches.append(current)
    return batches
