"""The use cases on documents, submissions, export and check; :class:`DesktopApp` joins them.

The command line and the window both go through :class:`DesktopApp`; the app package is the one
layer that joins ingest, storage and export (which may not import each other).

Importing this module is cheap: the database (and SQLAlchemy with it) opens on first use, so
the window can be on the screen while the library opens on the storage worker.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from idm_desktop.app.library import Clock, Library, utc_now
from idm_desktop.core.errors import ClearanceError, InvalidInputError, UsageError
from idm_desktop.core.i18n import _
from idm_desktop.storage import quickread

if TYPE_CHECKING:  # heavy modules load on first use, to keep start-up quick
    from idm_desktop.app.clearance import ClearanceUseCases
    from idm_desktop.app.importing import ImportOptions, ImportResult
    from idm_desktop.app.spelling import Spelling
    from idm_desktop.app.sync import SyncUseCases
    from idm_desktop.config.paths import Paths
    from idm_desktop.config.settings import Settings
    from idm_desktop.core.documents import Document, DocumentKind, DocumentLine
    from idm_desktop.core.notices import Notice, Reminder
    from idm_desktop.core.search_results import HitKind, SearchHit
    from idm_desktop.core.submissions import HistoryEntry, SaveReason, Submission
    from idm_desktop.core.templates import Template
    from idm_desktop.core.validation import CheckReport
    from idm_desktop.core.workshops import Workshop
    from idm_desktop.export import ExportContext
    from idm_desktop.storage.blobs import BlobStore
    from idm_desktop.storage.database import Database
    from idm_desktop.storage.drafts import DeletedDraft

log = logging.getLogger(__name__)

class DesktopApp:
    """One user's library, opened, and what can be done with it.

    Built once per library with its parts built once: :attr:`sync` (sign-in, sync, submit,
    conflicts, bundles) and :attr:`clearance` (review, comments: DESIGN §13) share this object's
    :class:`Library`. Both are built on first use (a one-shot read needs neither, nor the modules
    they bring).
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self._parts_lock = threading.Lock()
        self._spelling: Spelling | None = None
        self._clearance: ClearanceUseCases | None = None
        self._sync: SyncUseCases | None = None

    @property
    def spelling(self) -> Spelling:
        """The spell checker (its dictionaries load in a process of their own, on first use)."""
        with self._parts_lock:
            if self._spelling is None:
                from idm_desktop.app.spelling import Spelling

                self._spelling = Spelling(self.library.paths)
            return self._spelling

    @property
    def clearance(self) -> ClearanceUseCases:
        """Review, comments and suggestions (DESIGN §13)."""
        with self._parts_lock:
            if self._clearance is None:
                from idm_desktop.app.clearance import ClearanceUseCases

                self._clearance = ClearanceUseCases(self.library)
            return self._clearance

    @property
    def sync(self) -> SyncUseCases:
        """Sign-in, sync, status, submit, conflicts and offline bundles."""
        with self._parts_lock:
            if self._sync is None:
                from idm_desktop.app.sync import SyncUseCases

                self._sync = SyncUseCases(self.library, self.check, lambda: self.clearance)
            return self._sync

    def server_recorded(self) -> bool:
        """Whether this library has signed in to a server (:func:`account.server_recorded`)."""
        from idm_desktop.app.account import server_recorded

        return server_recorded(self.library)

    @classmethod
    def open(cls, home: str | Path | None = None, clock: Clock = utc_now,
             lazy: bool = False) -> DesktopApp:
        """The library in ``home`` (created on first use), with the bundled catalog loaded.

        With ``lazy``, the database opens on first use instead (the window does its first
        storage work on a worker thread, so it appears before the file is open).
        """
        app = cls(Library.open(home, clock))
        if not lazy:
            app.db  # noqa: B018 - open now: errors surface here, before any work
        return app

    @property
    def paths(self) -> Paths:
        return self.library.paths

    @property
    def settings(self) -> Settings:
        return self.library.settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self.library.settings = value

    @property
    def blobs(self) -> BlobStore:
        return self.library.blobs

    @property
    def clock(self) -> Clock:
        return self.library.clock

    @property
    def db(self) -> Database:
        """The open database, opened (and migrated, and given the catalog) on first use."""
        return self.library.db

    def close(self) -> None:
        if self._spelling is not None:
            self._spelling.close()
        self.library.close()

    @property
    def author(self) -> str:
        return self.library.author

    # -- catalog -----------------------------------------------------------------------------

    def workshops(self) -> list[Workshop]:
        from idm_desktop.core.workshops import Workshop

        with self.library.quick_read() as con:
            if con is not None:  # the window's first view, before SQLAlchemy has loaded
                with contextlib.suppress(sqlite3.Error):  # any trouble: the full way says what
                    return [Workshop.from_dict(r) for r in quickread.workshop_records(con)]
        from idm_desktop.storage import catalog as catalog_repo

        with self.db.session() as s:
            return catalog_repo.list_workshops(s)

    def workshop(self, workshop_id: str) -> Workshop:
        with self.library.quick_read() as con:
            if con is not None:  # a one-shot command: without SQLAlchemy
                with contextlib.suppress(sqlite3.Error, ValueError, LookupError):  # else the full way tells
                    return quickread.workshop(con, workshop_id)
        from idm_desktop.storage import catalog as catalog_repo

        with self.db.session() as s:
            return catalog_repo.get_workshop(s, workshop_id)

    def template_of(self, sub: Submission) -> Template:
        with self.library.quick_read() as con:
            if con is not None:
                with contextlib.suppress(sqlite3.Error, ValueError, LookupError):
                    return quickread.template(con, sub.template_id, sub.template_version)
        from idm_desktop.storage import catalog as catalog_repo

        with self.db.session() as s:
            return catalog_repo.get_template(s, sub.template_id, sub.template_version)

    def latest_template(self) -> Template:
        from idm_desktop.storage import catalog as catalog_repo

        with self.db.session() as s:
            return catalog_repo.latest_template(s)

    # -- documents ---------------------------------------------------------------------------

    def import_documents(self, files: Sequence[Path], options: ImportOptions | None = None,
                         on_progress: Callable[[ImportResult], None] | None = None,
                         cancel: threading.Event | None = None) -> list[ImportResult]:
        """Import each file on its own: a bad file is reported and changes nothing
        (:func:`~idm_desktop.app.importing.import_documents`)."""
        from idm_desktop.app import importing

        if options is None:
            options = importing.ImportOptions()
        if options.symbol and len(files) > 1:
            raise UsageError(_("--symbol names one document: import the files one at a time."))
        if options.workshop_id:
            self.workshop(options.workshop_id)  # a clear error before any work
        return importing.import_documents(self.library, files, options, on_progress, cancel)

    def edit_document(self, ident: str, *, title: str, workshop_id: str | None,
                      kind: DocumentKind, languages_available: Sequence[str]) -> Document:
        """Correct a document's title, workshop, kind and the languages it is published in."""
        from idm_desktop.core.languages import parse_language
        from idm_desktop.storage import documents as docs_repo

        title = " ".join(title.split())
        if not title:
            raise InvalidInputError(_("A document needs a title."))
        if workshop_id:
            self.workshop(workshop_id)  # a clear error for an unknown id
        available = tuple(dict.fromkeys(parse_language(x) for x in languages_available))
        with self.db.session() as s:
            doc = docs_repo.update_document(s, ident, title=title, workshop_id=workshop_id or None,
                                            kind=kind, languages_available=available)
        log.info("edited the facts of document %s (%s)", doc.symbol, doc.id)
        return doc

    def counts(self) -> tuple[int, int]:
        """How many documents and submissions the library holds (cheap)."""
        with self.library.quick_read() as con:
            if con is not None:
                with contextlib.suppress(sqlite3.Error):
                    return quickread.counts(con)
        from idm_desktop.storage import documents as docs_repo
        from idm_desktop.storage import submissions as subs_repo
        with self.db.session() as s:
            return docs_repo.count_documents(s), subs_repo.count_submissions(s)

    def documents(self, workshop_id: str | None = None) -> list[Document]:
        with self.library.quick_read() as con:
            if con is not None:  # a one-shot command: without SQLAlchemy
                with contextlib.suppress(sqlite3.Error, ValueError):  # else the full way says what
                    return quickread.documents(con, workshop_id)
        from idm_desktop.storage import documents as docs_repo

        with self.db.session() as s:
            return docs_repo.list_documents(s, workshop_id)

    def document_lines(self, workshop_id: str | None = None) -> list[DocumentLine]:
        """What a list shows of each document, in the order of :meth:`documents` (cheap)."""
        with self.library.quick_read() as con:
            if con is not None:  # a one-shot command: without SQLAlchemy
                with contextlib.suppress(sqlite3.Error, ValueError):  # else the full way tells
                    return quickread.document_lines(con, workshop_id)
        from idm_desktop.core.documents import DocumentLine

        return [DocumentLine.of(d) for d in self.documents(workshop_id)]

    def document_ids(self, workshop_id: str | None = None, kind: DocumentKind | None = None,
                     language: str | None = None) -> list[str]:
        """Ids of the documents matching the filters, in display order (cheap: ids only)."""
        from idm_desktop.storage import documents as docs_repo

        with self.db.session() as s:
            return docs_repo.document_ids(s, workshop_id, kind, language)

    def documents_by_ids(self, ids: Sequence[str]) -> list[Document]:
        """The documents with these ids, in the same order (a page of a lazy table)."""
        from idm_desktop.storage import documents as docs_repo

        with self.db.session() as s:
            return docs_repo.documents_by_ids(s, ids)

    def blob_path(self, doc: Document) -> Path:
        """Where the original file of ``doc`` is on disk."""
        return self.blobs.path(doc.sha256)

    def document(self, ident: str) -> Document:
        from idm_desktop.storage import documents as docs_repo

        with self.db.session() as s:
            return docs_repo.get_document(s, ident)

    def document_text(self, ident: str) -> str:
        from idm_desktop.storage import documents as docs_repo

        with self.db.session() as s:
            return docs_repo.document_text(s, ident)

    def search(self, query: str, limit: int = 20, kinds: tuple[HitKind, ...] | None = None
               ) -> list[SearchHit]:
        """Documents and submissions (or only ``kinds``) best matching ``query``."""
        from idm_desktop.storage import fts

        with self.library.quick_read() as con:
            if con is not None:  # a one-shot command: the same statements, without SQLAlchemy
                with contextlib.suppress(sqlite3.Error):  # any trouble: the full way says what
                    return fts.run_search(con.execute, query, limit, kinds or fts.ALL_KINDS, ())
        from idm_desktop.storage import search as search_repo

        with self.db.session() as s:
            return search_repo.search(s, query, limit, kinds or fts.ALL_KINDS)

    # -- submissions -------------------------------------------------------------------------

    def new_submission(self, workshop_id: str, country_code: str, language: str,
                       title: str | None = None) -> Submission:
        from idm_desktop.core.countries import country
        from idm_desktop.core.languages import parse_language
        from idm_desktop.core.submissions import default_title
        from idm_desktop.storage import catalog as catalog_repo
        from idm_desktop.storage import submissions as subs_repo

        lang = parse_language(language)
        code = country(country_code).alpha3
        with self.db.session() as s:
            workshop = catalog_repo.get_workshop(s, workshop_id)
            template = catalog_repo.workshop_template(s, workshop.id)
            return subs_repo.create_submission(
                s, workshop_id=workshop.id, country=code, language=lang,
                title=title if title is not None else default_title(code, lang),
                template=template, author=self.author, now=self.clock(),
            )

    # The secretariat's side (DESIGN §14): notices, reminders, templates offered, corrections.

    def notices(self, *, unread_only: bool = True) -> list[Notice]:
        """The secretariat's notices pulled by sync, newest first."""
        from idm_desktop.app import secretariat

        return secretariat.notices(self.library, unread_only=unread_only)

    def mark_notices_read(self, ident: str | None = None) -> int:
        """Mark one notice (id or a prefix of at least 4 characters) or all of them as read."""
        from idm_desktop.app import secretariat

        return secretariat.mark_notices_read(self.db, ident, self.clock())

    def reminders(self) -> list[Reminder]:
        """Deadline reminders due now (7 days, then 1 day before), worked out offline."""
        from idm_desktop.core.notices import reminders

        return reminders(self.workshops(), self.clock())

    def newer_template(self, sub: Submission) -> Template | None:
        """The template this draft is offered (never forced), or None."""
        from idm_desktop.app import secretariat

        return secretariat.newer_template(self.library, sub)

    def move_to_template(self, ident: str, version: int | None = None) -> Submission:
        """Move a draft to the template it is offered (or to ``version`` of its own template)."""
        from idm_desktop.app import secretariat

        return secretariat.move_to_template(self.db, ident, version, author=self.author, now=self.clock())

    def prepare_correction(self, ident: str) -> Submission:
        """A new draft that corrects the sent submission ``ident`` (its text, ``supersedes`` set)."""
        from idm_desktop.app import secretariat

        return secretariat.prepare_correction(self.db, ident, author=self.author, now=self.clock())

    def submissions(self, workshop_id: str | None = None) -> list[Submission]:
        from idm_desktop.storage import submissions as subs_repo

        with self.db.session() as s:
            return subs_repo.list_submissions(s, workshop_id)

    def submission(self, ident: str) -> Submission:
        """A submission by id or unique id prefix."""
        with self.library.quick_read() as con:
            if con is not None:  # a one-shot command: without SQLAlchemy
                with contextlib.suppress(sqlite3.Error, ValueError, LookupError):  # else the full way tells
                    return quickread.submission(con, ident)
        from idm_desktop.storage import submissions as subs_repo

        with self.db.session() as s:
            return subs_repo.get_submission(s, ident)

    def edit(self, ident: str, sections: dict[str, str] | None = None, title: str | None = None,
             reason: SaveReason | None = None) -> Submission:
        """Save new text for some sections (and/or the title); one history entry per save, for
        ``reason`` (by default a save by hand). Refused for an account that only reviews (DESIGN §13)."""
        from idm_desktop.core.clearance import may_edit
        from idm_desktop.core.submissions import SaveReason, ensure_section
        from idm_desktop.storage import catalog as catalog_repo

        if not may_edit(self.clearance.roles()):
            raise ClearanceError(_("Reviewers comment on a draft, clear it or return it; they do not edit "
                                   "its text."))
        from idm_desktop.storage import submissions as subs_repo

        with self.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
            template = catalog_repo.get_template(s, sub.template_id, sub.template_version)
            for key in sections or {}:
                ensure_section(template, key)
            return subs_repo.save(s, sub.id, author=self.author, reason=reason or SaveReason.MANUAL,
                                  now=self.clock(),
                                  sections=sections, title=title)

    def history(self, ident: str) -> list[HistoryEntry]:
        """The versions of a submission, oldest first. A version this computer saved before its
        user signed in bears the computer's login name: it is shown under the account's user
        name, as every version saved since (DESIGN §13: who wrote what, the same on every machine)."""
        import dataclasses

        from idm_desktop.core.submissions import SaveReason
        from idm_desktop.storage import submissions as subs_repo

        with self.db.session() as s:
            entries = subs_repo.history(s, ident)
        author, login = self.library.author, self.library.login_name
        if author == login:
            return entries
        # Not a version pulled from the service: another person wrote that one.
        return [dataclasses.replace(e, author=author) if e.author == login and e.reason is not SaveReason.SYNC
                else e for e in entries]

    def delete_draft(self, ident: str) -> DeletedDraft:
        """Delete a draft that never left this computer; keep the result to undo."""
        from idm_desktop.storage import drafts

        with self.db.session() as s:
            return drafts.delete_draft(s, ident)

    def undelete_draft(self, draft: DeletedDraft) -> Submission:
        """Bring back a draft deleted with :meth:`delete_draft`, history and all."""
        from idm_desktop.storage import drafts

        with self.db.session() as s:
            return drafts.restore_draft(s, draft, self.clock())

    def name_version(self, ident: str, seq: int, name: str) -> HistoryEntry:
        """Name version ``seq`` of a submission ("sent to the ministry"); an empty name removes it."""
        from idm_desktop.core.submissions import clean_version_name
        from idm_desktop.storage import submissions as subs_repo

        clean = clean_version_name(name)
        with self.db.session() as s:
            return subs_repo.name_version(s, ident, seq, clean)

    def version_seq(self, ident: str, version: int) -> int:
        """The history id of version number ``version`` of a submission (1 for the first)."""
        from idm_desktop.storage import submissions as subs_repo

        with self.db.session() as s:
            return subs_repo.version_seq(s, ident, version)

    def restore(self, ident: str, seq: int) -> Submission:
        from idm_desktop.storage import submissions as subs_repo

        with self.db.session() as s:
            return subs_repo.restore(s, ident, seq, author=self.author, now=self.clock())

    # -- export and check --------------------------------------------------------------------

    def _export_context(self, ident: str) -> ExportContext:
        from idm_desktop.storage import submissions as subs_repo

        with self.db.session() as s:
            sub = subs_repo.get_submission(s, ident)
        return self.export_context(sub)

    def export_context(self, sub: Submission) -> ExportContext:
        """What the export needs for ``sub`` (which may hold unsaved text from the editor)."""
        from idm_desktop.export import ExportContext
        from idm_desktop.storage import catalog as catalog_repo

        with self.db.session() as s:
            template = catalog_repo.get_template(s, sub.template_id, sub.template_version)
            workshop = catalog_repo.get_workshop(s, sub.workshop_id)
        return ExportContext(submission=sub, template=template, workshop=workshop,
                             date=self.clock().date())

    def export(self, ident: str, fmt: str, out: Path, *, comments: bool = True) -> int | None:
        """Write the submission as PDF (returns its page count) or DOCX (returns None). A DOCX
        carries the open review comments while the text is still being cleared (``comments``
        False: never); a sent text's DOCX is the final text only, as its PDF always is."""
        from idm_desktop.export import write_docx, write_pdf

        ctx = self._export_context(ident)
        if fmt == "pdf":
            return write_pdf(ctx, out)  # never with comments
        if fmt == "docx":
            with_them = comments and ctx.submission.status.editable
            write_docx(self.with_comments(ctx) if with_them else ctx, out)
            return None
        raise UsageError(_("Unknown format “{fmt}”: use pdf or docx.").format(fmt=fmt))

    def with_comments(self, ctx: ExportContext) -> ExportContext:
        """``ctx`` with the submission's open comments, for a DOCX (DESIGN §13)."""
        import dataclasses

        from idm_desktop.app.review_views import export_comments

        sub = ctx.submission
        return dataclasses.replace(ctx, comments=export_comments(sub, self.clearance.comments(sub.id)))

    def check(self, ident: str) -> CheckReport:
        from idm_desktop.core.validation import check
        from idm_desktop.export import page_extent

        ctx = self._export_context(ident)
        return check(ctx.submission, ctx.template, ctx.workshop, page_extent(ctx), self.clock())

