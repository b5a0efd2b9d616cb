"""A one-shot search answers from the file as it is, without SQLAlchemy, with the same hits as
the full way; anything the file is not ready for goes the full way."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp
from idm_desktop.storage import quickread

WORDS = ["integration", "partnerships", "remittances", "diaspora", "labour", "health"]


def _library(home: Path, tmp_path: Path) -> None:
    app = DesktopApp.open(home)
    try:
        files = []
        for i in range(12):
            path = tmp_path / f"note-{i}.txt"
            body = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(40 + i))
            path.write_text(f"Note {i} on {WORDS[i % len(WORDS)]}\n\n{body}\n", encoding="utf-8")
            files.append(path)
        assert all(r.document for r in app.import_documents(files))
        sub = app.new_submission("idm2006-integration", "CHE", "en", title="Diaspora partnerships")
        app.edit(sub.id, {app.template_of(sub).sections[0].key: "Our diaspora policy and labour mobility."})
    finally:
        app.close()


@pytest.mark.parametrize("query", ["diaspora", "labour health", "remittances integration", "nothing"])
def test_the_quick_way_finds_what_the_full_way_finds(home: Path, tmp_path: Path, query: str) -> None:
    _library(home, tmp_path)
    quick = DesktopApp.open(home, lazy=True)
    try:
        with quick.library.quick_read() as con:
            assert con is not None  # the file is current: this search goes the quick way
        fast = quick.search(query, limit=5)
        assert quick.library._db is None
    finally:
        quick.close()
    full = DesktopApp.open(home)
    try:
        assert fast == full.search(query, limit=5)
    finally:
        full.close()


def test_a_file_that_is_not_current_goes_the_full_way(home: Path, tmp_path: Path) -> None:
    app = DesktopApp.open(home, lazy=True)
    try:  # no file yet
        with app.library.quick_read() as con:
            assert con is None
    finally:
        app.close()
    _library(home, tmp_path)
    db = home / "library.sqlite3"
    with sqlite3.connect(db) as con:  # as a library the previous catalog was loaded into
        con.execute("UPDATE meta SET value = 'old' WHERE key = ?", (quickread.CATALOG_KEY,))
    app = DesktopApp.open(home, lazy=True)
    try:
        with app.library.quick_read() as con:
            assert con is None
        assert [h.title for h in app.search("diaspora", limit=1)]  # the full way brings it up to date
    finally:
        app.close()
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = ?",
                           (quickread.CATALOG_KEY,)).fetchone()[0] != "old"
        con.execute("UPDATE alembic_version SET version_num = '0001'")
    with quickread.current_library(db, {}) as con:
        assert con is None


def test_the_search_command_never_loads_sqlalchemy_on_a_current_library(home: Path, tmp_path: Path) -> None:
    _library(home, tmp_path)
    script = ("import sys\nfrom idm_desktop.cli.main import main\n"
              "code = main(['search', 'diaspora'])\n"
              "print('LOADED' if 'sqlalchemy' in sys.modules else 'NOT LOADED')\nsys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=dict(os.environ, IDM_DESKTOP_HOME=str(home)), check=False)
    assert done.returncode == 0, done.stderr
    assert "Diaspora partnerships" in done.stdout
    assert done.stdout.strip().endswith("NOT LOADED")


def test_the_first_view_s_reads_answer_the_same_both_ways(home: Path, tmp_path: Path) -> None:
    _library(home, tmp_path)
    quick = DesktopApp.open(home, lazy=True)
    try:
        workshops, counts = quick.workshops(), quick.counts()
        assert quick.library._db is None  # answered without opening the full way
    finally:
        quick.close()
    full = DesktopApp.open(home)
    try:
        assert workshops == full.workshops()
        assert counts == full.counts() == (12, 1)
    finally:
        full.close()


def test_the_document_list_reads_the_same_both_ways(home: Path, tmp_path: Path) -> None:
    from idm_desktop.core.documents import DocumentKind, DocumentLine

    _library(home, tmp_path)
    app = DesktopApp.open(home)
    try:
        first = app.documents()[0]
        app.edit_document(first.id, title="Labour mobility", workshop_id="idm2006-integration",
                          kind=DocumentKind.REPORT, languages_available=("en", "fr", "es"))
        full_all, full_one = app.documents(), app.documents("idm2006-integration")
    finally:
        app.close()
    quick = DesktopApp.open(home, lazy=True)
    try:
        assert quick.documents() == full_all
        assert quick.documents("idm2006-integration") == full_one
        assert [d.languages_available for d in full_one] == [("en", "fr", "es")]
        # What docs list prints of each: the same facts, in the same order.
        assert quick.document_lines() == [DocumentLine.of(d) for d in full_all]
        assert quick.document_lines("idm2006-integration") == [DocumentLine.of(d) for d in full_one]
        assert quick.library._db is None
    finally:
        quick.close()
    # ...read from the documents' covering index alone, never the rows behind their text.
    with sqlite3.connect(home / "library.sqlite3") as con:
        for where, params in (("", ()), ("WHERE workshop_id = ? ", ("idm2006-integration",))):
            plan = con.execute("EXPLAIN QUERY PLAN SELECT id, symbol, language, page_count, title, "
                               f"languages_available FROM documents {where}ORDER BY workshop_id, symbol, pk",
                               params).fetchall()
            index = "USING COVERING INDEX ix_documents_listing"
            assert [row[-1] for row in plan] in ([f"SCAN documents {index}"],
                                                 [f"SEARCH documents {index} (workshop_id=?)"])


def test_the_notices_read_the_same_both_ways(home: Path, tmp_path: Path) -> None:
    from idm_desktop.storage import notices as notices_repo

    _library(home, tmp_path)
    app = DesktopApp.open(home)
    try:
        moved = {"workshop_id": None, "text": {"en": "Deadline moved", "fr": "Date limite déplacée"},
                 "created_at": "2006-06-01T09:00:00+00:00"}
        template = {"workshop_id": "idm2006-integration", "text": {"en": "New template"},
                    "created_at": "2006-06-02T09:00:00+00:00"}
        with app.db.session() as s:
            notices_repo.apply_notice(s, "note-1", 1, moved, False)
            notices_repo.apply_notice(s, "note-2", 1, template, False)
        app.mark_notices_read("note-1")
        full = (app.notices(), app.notices(unread_only=False))
    finally:
        app.close()
    quick = DesktopApp.open(home, lazy=True)
    try:
        assert (quick.notices(), quick.notices(unread_only=False)) == full
        assert [n.id for n in full[1]] == ["note-2", "note-1"]
        assert quick.library._db is None
    finally:
        quick.close()


def test_the_sync_status_reads_the_same_both_ways(home: Path, tmp_path: Path) -> None:
    import datetime as dt

    from idm_desktop.app.sync import LAST_OK_KEY, SERVER_KEY, USER_KEY
    from idm_desktop.storage import meta, outbox, sync_state

    _library(home, tmp_path)
    app = DesktopApp.open(home)
    try:
        now = dt.datetime(2006, 6, 1, 9, tzinfo=dt.UTC)
        second = app.new_submission("idm2006-integration", "FRA", "fr", title="Partenariats")
        with app.db.session() as s:
            assert outbox.prepare_saves(s, now) == 2
            first_op, second_op = (op.op_id for op in outbox.sendable_saves(s))
            outbox.on_refused(s, first_op, "too_long", "The text is too long.")
            outbox.mark_sent(s, [second_op], now)
            meta.set_meta(s, SERVER_KEY, "https://idm.example.org")
            meta.set_meta(s, USER_KEY, "che-drafter")
            meta.set_meta(s, LAST_OK_KEY, now.isoformat())
            sync_state.set_cursor(s, "42")
        third = app.new_submission("idm2006-integration", "ESP", "es")  # unsent, no op yet
        with sqlite3.connect(home / "library.sqlite3") as con:  # a conflict waiting on the second
            con.execute("INSERT INTO sync_conflicts (submission_id, key, base, mine, theirs, theirs_rev, "
                        "created_at) VALUES (?, 'title', 'a', 'b', 'c', 3, '2006-06-01 09:00:00')",
                        (second.id,))
        full = (app.sync.status(), app.sync.outbox(), app.sync.conflicts())
    finally:
        app.close()
    summary = full[0].summary
    assert (summary.waiting, summary.failed, summary.conflicts) == (2, 1, 1)
    assert [i.title for i in full[1]] == ["Diaspora partnerships", "Partenariats"]
    assert third.id not in {i.submission_id for i in full[1]}
    quick = DesktopApp.open(home, lazy=True)
    try:
        assert (quick.sync.status(), quick.sync.outbox(), quick.sync.conflicts()) == full
        assert quick.library._db is None
    finally:
        quick.close()


def test_a_library_with_pinned_keys_reads_its_status_the_full_way(home: Path, tmp_path: Path) -> None:
    from idm_desktop.app.sync import SERVER_KEY
    from idm_desktop.storage import meta

    _library(home, tmp_path)
    app = DesktopApp.open(home)
    try:
        with app.db.session() as s:
            meta.set_meta(s, SERVER_KEY, "https://idm.example.org")
            meta.set_meta(s, quickread.PINNED_SERVER_KEY, "https://idm.example.org")
            meta.set_meta(s, quickread.PINNED_KEYS_KEY, "[]")
    finally:
        app.close()
    quick = DesktopApp.open(home, lazy=True)
    try:
        assert quick.sync.status().server == "https://idm.example.org"
        assert quick.library._db is not None  # the key in service is read through the protocol's types
    finally:
        quick.close()


def test_the_review_count_reads_the_same_both_ways(home: Path, tmp_path: Path) -> None:
    from idm_desktop.app.clearance import ROLES_KEY
    from idm_desktop.storage import meta

    _library(home, tmp_path)
    app = DesktopApp.open(home)
    try:
        with app.db.session() as s:
            meta.set_meta(s, ROLES_KEY, "reviewer")
        sub = app.submissions()[0]
        with sqlite3.connect(home / "library.sqlite3") as con:
            con.execute("UPDATE submissions SET status = 'in_review' WHERE id = ?", (sub.id,))
        full = (app.clearance.roles(), app.clearance.waiting_for_me())
    finally:
        app.close()
    assert full[1] == 1
    quick = DesktopApp.open(home, lazy=True)
    try:
        assert (quick.clearance.roles(), quick.clearance.waiting_for_me()) == full
        assert quick.library._db is None
    finally:
        quick.close()


def test_the_count_of_cleared_drafts_reads_the_same_both_ways(home: Path, tmp_path: Path) -> None:
    """A library never signed in drafts and submits: its status bar counts the cleared drafts to
    send without opening the library the full way."""
    _library(home, tmp_path)
    app = DesktopApp.open(home)
    try:
        sub = app.submissions()[0]
        with sqlite3.connect(home / "library.sqlite3") as con:
            con.execute("UPDATE submissions SET status = 'cleared' WHERE id = ?", (sub.id,))
        full = app.clearance.waiting()
    finally:
        app.close()
    assert full == (0, 1)
    quick = DesktopApp.open(home, lazy=True)
    try:
        assert quick.clearance.waiting() == full
        assert quick.library._db is None
    finally:
        quick.close()
