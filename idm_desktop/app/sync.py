"""The sync use cases: sign in and out, sync, status, submit, conflicts, offline bundles.

``DesktopApp.sync`` is the one :class:`SyncUseCases` of an opened library; it works on the
same :class:`~idm_desktop.app.library.Library` as the other use cases.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from idm_desktop.app.account import (
    DELEGATION_KEY,
    ROLE_KEY,
    SERVER_KEY,
    SIGN_IN_ENDED_KEY,
    USER_KEY,
    Account,
    AccountRecord,
    normalise_server,
)
from idm_desktop.core.errors import (
    CheckFailedError,
    IdmError,
    InvalidInputError,
    ServerUnreachableError,
    SignInEndedError,
    SignInRequiredError,
    UsageError,
)
from idm_desktop.core.i18n import _
from idm_desktop.core.refusals import DEVICE_REVOKED, sign_in_ended_text
from idm_desktop.core.sync import Conflict, OutboxItem, SyncProgress, SyncReport, SyncSummary
from idm_desktop.storage import quickread

if TYPE_CHECKING:
    from idm_desktop.app.clearance import ClearanceUseCases
    from idm_desktop.app.library import Library
    from idm_desktop.core.validation import CheckReport
    from idm_desktop.sync.bundles import ReplayReport
    from idm_desktop.sync.transport import Backoff
    from idm_desktop.sync.trust import ReceiptCheck

log = logging.getLogger(__name__)

LAST_OK_KEY = "sync.last_ok_at"
INFO_TAG_KEY = "sync.server_info_etag"  # the ETag of the server's information last taken in


@dataclass(frozen=True, slots=True)
class SyncStatus:
    server: str | None
    user: str | None
    signed_in: bool
    last_sync: dt.datetime | None
    summary: SyncSummary
    fingerprint: str | None = None  # the server's signing key in service, as pinned at sign-in
    sign_in_ended: str | None = None  # why the server refused the token (core/refusals.py), if it did

    @property
    def sign_in_ended_text(self) -> str:
        """What to tell the user when the server refused the sign-in ("" when it did not)."""
        if not self.sign_in_ended or not self.server:
            return ""
        return sign_in_ended_text(self.sign_in_ended, self.server, self.user)


@dataclass(frozen=True, slots=True)
class BundleOutcome:
    kind: str  # outbox | changes
    replayed: ReplayReport | None = None
    applied: SyncReport | None = None


class SyncUseCases:
    """What the window and the command line do with the server, on one library.

    ``check`` is the library's check of a submission (run before submitting); ``clearance`` gives
    the library's clearance use cases, when a sign-in, a sync or a submit needs them."""

    def __init__(self, library: Library, check: Callable[[str], CheckReport],
                 clearance: Callable[[], ClearanceUseCases]) -> None:
        self._library = library
        self._record = AccountRecord(library)
        self._check = check
        self._clearance = clearance  # called when first needed: it loads the clearance modules

    # -- account ----------------------------------------------------------------------------

    def login(self, server: str, user: str, password: str, *, device_name: str,
              token_file: bool = False, fingerprint: str | None = None,
              insecure_http: bool = False) -> Account:
        """Sign in, pinning the server's signing keys (DESIGN §15). ``fingerprint``: the one the
        secretariat publishes, checked before the password is sent; ``insecure_http``: allow
        ``http://`` to a server that is not on this computer (a lab)."""
        from idm_desktop.protocol import AuthRequest
        from idm_desktop.storage import meta, sync_state
        from idm_desktop.sync import devices, trust
        from idm_desktop.sync.client import SyncClient
        from idm_desktop.sync.credentials import TokenStore, keyring_backend
        from idm_desktop.sync.transport import Backoff, Transport

        server = normalise_server(server, insecure_http=insecure_http)
        device = devices.DeviceKey.generate()
        # Not checked here: the server is the one judge of these fields (422 for an empty password).
        request = AuthRequest.model_construct(username=user, password=password, device_name=device_name,
                                              device_secret=self._record.device_secret(),
                                              device_key=device.public_key)
        store = TokenStore(self._library.paths.token_file)
        try:
            with Transport(server, backoff=Backoff(attempts=3)) as transport:
                client = SyncClient(transport)
                try:
                    info = client.info()  # a wrong address is told first; nothing is sent about us
                    keys = info.signing_keys
                    with self._library.db.session() as s:
                        current = trust.check_keys(s, server, keys, fingerprint)
                    sealing = devices.check_sealing_key(server, keys, info.sealing_key)
                    # Where the secrets go is settled before the server hears of this computer: the
                    # device key is kept first (no keyring and no --token-file: refused here,
                    # nothing registered there).
                    devices.keep(store, server, device, allow_file=token_file)
                    answer = client.sign_in(request)
                except SignInRequiredError:
                    raise SignInRequiredError(_("Wrong user name or password for {server}: nothing was "
                                                "changed; try again.").format(server=server)) from None
                except ServerUnreachableError as err:
                    raise ServerUnreachableError(_(
                        "Cannot sign in: the server at {host} cannot be reached (no network link, the "
                        "server is down, or the address is wrong). Check the address and the link, then "
                        "try again.").format(host=transport.host), host=transport.host) from err
        except BaseException:
            devices.forget(store, server, device.key_id)
            raise
        where = store.save(server, answer.user, answer.token, allow_file=token_file)
        with self._library.db.session() as s:
            before = meta.get_meta(s, SERVER_KEY), devices.device_key_id(s)
            if before[0] not in (None, server):
                sync_state.set_cursor(s, None)  # another server: its feed starts from the beginning
            meta.set_meta(s, SERVER_KEY, server)
            meta.set_meta(s, USER_KEY, answer.user)
            meta.set_meta(s, ROLE_KEY, answer.role)
            meta.set_meta(s, DELEGATION_KEY, answer.delegation or "")
            meta.set_meta(s, SIGN_IN_ENDED_KEY, "")
            self._clearance().remember_account(s, answer.roles or [answer.role], answer.clearance,
                                             answer.submitters)
            trust.pin(s, server, keys)
            devices.pin_sealing_key(s, sealing)
            devices.set_device_key_id(s, device.key_id)
        if before[0] and before[1] and before[1] != device.key_id:
            devices.forget(store, before[0], before[1])  # what it signed stays checkable on the server
        backend = keyring_backend() if where == "keyring" else None
        return Account(server, answer.user, answer.role, answer.delegation, where, current.key_id, backend,
                       device.key_id)

    def logout(self) -> bool:
        """Forget the token here and revoke it on the server when it can be reached."""
        from idm_desktop.sync.client import SyncClient
        from idm_desktop.sync.credentials import TokenStore
        from idm_desktop.sync.transport import Backoff, Transport

        server, user = self._record.account()
        if not server or not user:
            return False
        store = TokenStore(self._library.paths.token_file)
        token = store.load(server, user)
        if token:
            try:
                with Transport(server, token, backoff=Backoff(attempts=1), stall_seconds=10) as t:
                    SyncClient(t).sign_out()
            except Exception as err:  # noqa: BLE001 - signing out here must work offline
                log.info("could not revoke the token on the server: %s", err)
        store.delete(server, user)
        from idm_desktop.storage import meta

        with self._library.db.session() as s:
            meta.set_meta(s, USER_KEY, "")
        return True

    def check_sign_in(self) -> bool | None:
        """Ask the server, briefly, whether it still accepts this library's sign-in, and keep its
        refusal (a revoked computer) as a sync would. False when it could not be asked (offline):
        the status is then what the library knew; None when there is no sign-in to ask about."""
        from idm_desktop.storage import sync_state
        from idm_desktop.sync.client import SyncClient
        from idm_desktop.sync.transport import Backoff, ResyncRequired, Transport

        try:
            server, token = self._record.token()
        except SignInRequiredError:
            return None
        with self._library.db.session() as s:
            cursor = sync_state.get_cursor(s)
        try:
            with self._record.noting_sign_in_ended(), \
                    Transport(server, token, backoff=Backoff(attempts=1), connect_seconds=2,
                              stall_seconds=5) as transport:
                SyncClient(transport).check_sign_in(cursor)
        except SignInEndedError:
            return True
        except (IdmError, ResyncRequired) as err:
            log.info("could not ask the server about the sign-in: %s", err)
            return False
        return True

    # -- sync -------------------------------------------------------------------------------

    def run(self, progress: Callable[[SyncProgress], None] = lambda _p: None, *,
            cancelled: Callable[[], bool] = lambda: False, allow_deletions: bool = False,
            stall_seconds: float | None = None, backoff: Backoff | None = None) -> SyncReport:
        """Pull, fetch files, push and submit. Raises ServerUnreachableError (work kept).

        ``stall_seconds`` (default 60 s: DESIGN §5) and ``backoff`` tune the link, for tests."""
        from idm_desktop.storage import meta
        from idm_desktop.sync import devices, trust
        from idm_desktop.sync.client import SyncClient
        from idm_desktop.sync.engine import SyncEngine
        from idm_desktop.sync.transport import STALL_SECONDS, Backoff, Transport

        server, token = self._record.token()
        with self._record.noting_sign_in_ended(), \
                Transport(server, token, cancelled=cancelled, backoff=backoff or Backoff(),
                          stall_seconds=stall_seconds or STALL_SECONDS) as transport, \
                self._text_reader() as read_text:
            library = self._library
            client = SyncClient(transport)
            engine = SyncEngine(library.db, library.blobs, client, author=library.author,
                                clock=library.clock, read_text=read_text, allow_deletions=allow_deletions,
                                delegation=self._record.delegation())
            report = engine.run(progress)
            # The server answered with this library's token: its list of keys may replace the
            # pinned one when it continues it (a rotation); it also says the account's roles and
            # the delegation's clearance policy now (None: nothing changed since it last said).
            with library.db.session() as s:  # not held over the request: saves go on meanwhile
                etag = meta.get_meta(s, INFO_TAG_KEY) or None
            info, tag = client.info_since(etag)
        with self._library.db.session() as s:
            if info is not None and info.account is not None:
                self._clearance().remember_account(s, info.account.roles, info.account.clearance,
                                                 info.account.submitters)
            if info is not None and not trust.refresh(s, server, info.signing_keys):
                log.warning("the server's signing keys do not continue the pinned ones: kept the pinned")
            elif info is not None:
                devices.refresh_sealing_key(s, server, info.sealing_key)
                meta.set_meta(s, INFO_TAG_KEY, tag or "")
            meta.set_meta(s, LAST_OK_KEY, self._library.clock().isoformat())
        return report

    @contextlib.contextmanager
    def _text_reader(self) -> Iterator[Callable[[Path, str], str]]:
        """Reads pulled files with the same ingest code as an import, through one reader process
        and one scratch folder for the whole sync (a new reader process for each PDF or Word
        file, as ``extract`` starts, costs about a second a file)."""
        import shutil
        import tempfile

        from idm_desktop.ingest import Extractor

        with Extractor() as extractor, tempfile.TemporaryDirectory(dir=self._library.paths.home) as tmp:
            def read(blob: Path, filename: str) -> str:
                named = Path(tmp) / (Path(filename).name or "document")
                try:
                    os.link(blob, named)
                except OSError:
                    shutil.copyfile(blob, named)
                try:
                    return extractor.text(named)
                finally:
                    named.unlink(missing_ok=True)

            yield read

    def status(self) -> SyncStatus:
        quick = self._quick_status()
        if quick is not None:
            return quick
        from idm_desktop.storage import meta, sync_state
        from idm_desktop.sync import trust

        with self._library.db.session() as s:
            server = meta.get_meta(s, SERVER_KEY) or None
            user = meta.get_meta(s, USER_KEY) or None
            last = meta.get_meta(s, LAST_OK_KEY)
            ended = meta.get_meta(s, SIGN_IN_ENDED_KEY) or None
            summary = sync_state.summary(s)
            pinned = trust.in_service(trust.pinned_keys(s)) if trust.pinned_server(s) == server else None
        return SyncStatus(server, user, self._signed_in(server, user, ended),
                          dt.datetime.fromisoformat(last) if last else None, summary,
                          pinned.key_id if pinned else None, ended)

    def _quick_status(self) -> SyncStatus | None:
        """:meth:`status` read straight from a current file (``storage.quickread``) when no
        signing key is pinned for the server (else None: the key needs the protocol's types)."""
        cursor_key, pinned_key = quickread.CURSOR_KEY, quickread.PINNED_SERVER_KEY
        keys = (SERVER_KEY, USER_KEY, LAST_OK_KEY, cursor_key, pinned_key, quickread.PINNED_KEYS_KEY,
                SIGN_IN_ENDED_KEY)
        with self._library.quick_read() as con:
            if con is None:
                return None
            try:
                stored = quickread.meta_values(con, keys)
                server, user = stored.get(SERVER_KEY) or None, stored.get(USER_KEY) or None
                if (stored.get(pinned_key) or None) == server and stored.get(quickread.PINNED_KEYS_KEY):
                    return None
                summary = quickread.sync_summary(con, stored.get(cursor_key))
                last = stored.get(LAST_OK_KEY)
                last_sync = dt.datetime.fromisoformat(last) if last else None
                ended = stored.get(SIGN_IN_ENDED_KEY) or None
            except (sqlite3.Error, ValueError, KeyError, TypeError):  # the full way says what
                return None
        return SyncStatus(server, user, self._signed_in(server, user, ended), last_sync, summary, None, ended)

    def _signed_in(self, server: str | None, user: str | None, ended: str | None) -> bool:
        from idm_desktop.sync.credentials import TokenStore

        return bool(server and user and not ended
                    and TokenStore(self._library.paths.token_file).load(server, user))

    def outbox(self) -> list[OutboxItem]:
        with self._library.quick_read() as con:
            if con is not None:  # a one-shot command: without SQLAlchemy
                with contextlib.suppress(sqlite3.Error):  # any trouble: the full way says what
                    return quickread.outbox(con)
        from idm_desktop.storage import outbox

        with self._library.db.session() as s:
            return outbox.outbox(s)

    def conflicts(self, ident: str | None = None) -> list[Conflict]:
        with self._library.quick_read() as con:
            if con is not None:
                with contextlib.suppress(sqlite3.Error, ValueError, LookupError):  # else the full way tells
                    sub_id = quickread.submission(con, ident).id if ident else None
                    return quickread.conflicts(con, sub_id)
        from idm_desktop.storage import conflicts
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            sub_id = subs_repo.get_submission(s, ident).id if ident else None
            return conflicts.conflicts(s, sub_id)

    def resolve(self, ident: str, key: str, text: str) -> int:
        """Settle one conflicting section; returns how many conflicts remain in the submission."""
        from idm_desktop.storage import conflicts
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
            return conflicts.resolve_conflict(s, sub.id, key, text, author=self._library.author,
                                              now=self._library.clock())

    def retry_failed(self, ident: str | None = None) -> int:
        from idm_desktop.storage import outbox
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            sub_id = subs_repo.get_submission(s, ident).id if ident else None
            return outbox.retry_failed(s, sub_id)

    # -- offline bundles --------------------------------------------------------------------

    def export_bundle(self, out: Path, *, readable: bool = False) -> int:
        """Write the unsent work to an ``.idmbundle`` file for a connected machine to send: signed
        with this computer's device key and sealed to the server (``readable``: not sealed)."""
        import socket

        from idm_desktop.sync.bundles import export_outbox
        from idm_desktop.sync.credentials import TokenStore
        from idm_desktop.sync.devices import bundle_keys

        if out.is_dir():
            raise UsageError(_("--out must name a file, not the folder {path}.").format(path=out))
        if not out.parent.is_dir():  # a stick not mounted, a folder mistyped: before any work
            raise UsageError(_("The folder {path} does not exist: check that the USB stick is plugged "
                               "in, or choose another folder.").format(path=out.parent))
        server, user = self._record.account()
        if server and self._record.sign_in_ended() == DEVICE_REVOKED:
            raise SignInRequiredError(_(
                "The secretariat revoked this computer: the server would refuse a bundle it signs. Sign in "
                "again first (“idm-desktop login --server {server} --user {user}”); nothing was written.")
                .format(server=server, user=user or "NAME"))
        with self._library.db.session() as s:
            sign, seal = bundle_keys(s, TokenStore(self._library.paths.token_file), server, readable=readable)
        origin = {"server": server, "user": user, "device": socket.gethostname() or None,
                  "app": "idm-desktop"}
        return export_outbox(self._library.db, out, origin=origin, now=self._library.clock(), sign=sign,
                             seal=seal)

    def import_bundle(self, path: Path, *, fingerprint: str | None = None) -> BundleOutcome:
        """Send someone's outbox bundle to the server, or apply a changes bundle from the service
        (signed by a pinned key, for this library's delegation: DESIGN §15). ``fingerprint``: in a
        library that never signed in, pin the keys the bundle carries when the key in service has it."""
        from idm_desktop.protocol.bundle import open_bundle
        from idm_desktop.sync.bundles import import_changes, replay_outbox
        from idm_desktop.sync.client import SyncClient
        from idm_desktop.sync.transport import Transport

        # The whole file is checked before anything is done; its files wait in a scratch folder
        # on the library's disk (taking them is a rename).
        with open_bundle(path, self._library.paths.home) as bundle:
            if bundle.manifest.kind == "outbox":
                connected, token = self._record.token()
                with self._record.noting_sign_in_ended(), Transport(connected, token) as transport:
                    replay = replay_outbox(SyncClient(transport), bundle, path.read_bytes())
                return BundleOutcome("outbox", replayed=replay)
            known, _user = self._record.account()
            delegation = self._record.delegation()
            with self._text_reader() as read_text:
                report = import_changes(self._library.db, self._library.blobs, bundle, read_text=read_text,
                                        author=self._library.author, clock=self._library.clock, server=known,
                                        delegation=delegation or None, fingerprint=fingerprint)
            theirs = bundle.manifest.origin.get("delegation")
        if delegation is None and theirs:
            # A library that never signed in belongs, from its first bundle on, to that delegation.
            from idm_desktop.storage import meta

            with self._library.db.session() as s:
                meta.set_meta(s, DELEGATION_KEY, theirs)
        return BundleOutcome("changes", applied=report)

    def verify_receipt(self, ident: str) -> ReceiptCheck:
        """Check a submission's receipt offline against the server's pinned keys."""
        from idm_desktop.sync import trust

        with self._library.db.session() as s:
            return trust.check_receipt(s, ident)

    # -- submit -----------------------------------------------------------------------------

    def submit(self, ident: str, *, force: bool = False) -> None:
        """Freeze the text now (it can no longer change) and queue it for the secretariat; the
        receipt comes with the next sync. Refused while the check finds errors."""
        from idm_desktop.storage import conflicts, outbox
        from idm_desktop.storage import submissions as subs_repo

        report = self._check(ident)
        if report.errors and not force:
            raise CheckFailedError(_("Not submitted: the check found errors ({first}). Fix them and "
                                     "submit again.").format(first=report.errors[0].message))
        with self._library.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
        self._clearance().check_submit(sub)
        with self._library.db.session() as s:
            if conflicts.conflicts(s, sub.id):
                raise UsageError(_("Resolve the conflicts of this submission before submitting it."))
            subs_repo.freeze(s, sub.id, author=self._library.author, now=self._library.clock())
            outbox.enqueue_submit(s, sub.id, self._library.clock())

    # -- withdraw ---------------------------------------------------------------------------

    def withdraw(self, ident: str, reason: str) -> bool:
        """Queue the withdrawal of a sent submission, with the delegation's reason; the secretariat
        learns it at the next sync. False when a withdrawal of it already waits."""
        from idm_desktop.core.submissions import SubmissionStatus
        from idm_desktop.protocol.schemas import MAX_REASON_CHARS
        from idm_desktop.storage import outbox
        from idm_desktop.storage import submissions as subs_repo

        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInputError(_("Say why the submission is withdrawn: the secretariat reads the "
                                      "reason."))
        if len(reason) > MAX_REASON_CHARS:
            raise InvalidInputError(_("The reason is over {n} characters: shorten it.")
                                    .format(n=MAX_REASON_CHARS))
        with self._library.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
        if sub.status is SubmissionStatus.WITHDRAWN:
            raise InvalidInputError(_("This submission is already withdrawn."))
        if not (sub.status.withdrawable or sub.status is SubmissionStatus.SUBMITTED):
            raise InvalidInputError(_("Only a submission sent to the secretariat can be withdrawn; a draft "
                                      "is simply deleted."))
        self._clearance().check_withdraw()
        with self._library.db.session() as s:
            return outbox.enqueue_withdraw(s, sub.id, reason, self._library.clock())

    def withdrawal_pending(self, ident: str) -> bool:
        """Whether a withdrawal of the submission waits to be sent."""
        from idm_desktop.storage import outbox
        from idm_desktop.storage import submissions as subs_repo

        with self._library.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
            return outbox.pending_withdrawal(s, sub.id)
