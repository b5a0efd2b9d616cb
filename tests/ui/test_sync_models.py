"""The Sync view's models pass Qt's model tester, and the status bar words every state plainly."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.modeltest import ModelTester

from idm_desktop.app.sync import SyncStatus
from idm_desktop.core.i18n import set_ui_language
from idm_desktop.core.sync import OutboxItem, SyncProgress, SyncSummary
from idm_desktop.ui.sync.model import ConflictGroup, ConflictsModel, OutboxModel
from idm_desktop.ui.sync.state import (
    Problem,
    SyncState,
    attention_text,
    percent_of,
    status_text,
    status_tooltip,
)

ITEMS = (
    OutboxItem("op-1", "save", "sub-1", "Integration in Mexico", False, 0, False, None),
    OutboxItem("op-2", "save", "sub-2", "", True, 3, False, "The server cannot be reached (ConnectError)"),
    OutboxItem("op-3", "submit", "sub-3", "Health workers", True, 1, True, "The server refused the request"),
)


def test_the_outbox_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = OutboxModel()
    qtmodeltester.check(model)
    model.set_rows(ITEMS)
    qtmodeltester.check(model)
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(3)]
    assert rows == [
        ["Integration in Mexico", "Save", "Not yet", "0", ""],
        ["(untitled)", "Save", "Sent, no answer yet", "3", "The server cannot be reached (ConnectError)"],
        ["Health workers", "Submit", "Refused", "1", "The server refused the request"],
    ]
    assert model.index(2, 4).data(Qt.ItemDataRole.ForegroundRole) == QColor("#b3261e")
    assert model.index(0, 4).data(Qt.ItemDataRole.ForegroundRole) is None
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Submission", "Change", "Sent", "Attempts", "Problem"]
    model.set_rows(())
    qtmodeltester.check(model)


def test_the_conflicts_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = ConflictsModel()
    model.set_rows([ConflictGroup("sub-1", "Integration", ("Title", "National context and priorities"))])
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "Title; National context and priorities"


NOON = dt.datetime(2006, 6, 13, 12, 5, tzinfo=dt.UTC)
SIGNED_IN = SyncState(signed_in=True, server="https://idm.example.org", user="ana", last_sync=NOON)


@pytest.mark.parametrize(("state", "text"), [
    (SyncState(), "Offline — local only"),
    (SyncState(waiting=3, server="https://idm.example.org"), "Offline — local only"),
    (SIGNED_IN, None),  # up to date at the local time
    (SyncState(signed_in=True), "Not synced yet"),
    (SyncState(signed_in=True, waiting=2, last_sync=NOON), "2 waiting"),
    (SyncState(signed_in=True, running=True, percent=None), "Syncing…"),
    (SyncState(signed_in=True, running=True, percent=42, waiting=2), "Syncing… 42%"),
    (SyncState(signed_in=True, waiting=1, problem=Problem.OFFLINE, reason="no route"), "Offline — 1 waiting"),
    (SyncState(signed_in=True, problem=Problem.OFFLINE), "Offline — nothing waiting"),
    (SyncState(signed_in=True, waiting=4, problem=Problem.SIGN_IN), "Sign in again — 4 waiting"),
    (SyncState(signed_in=True, problem=Problem.FAILED), "Sync failed"),
])
def test_the_status_bar_words(state: SyncState, text: str | None) -> None:
    if text is None:
        assert re.fullmatch(r"Up to date at \d\d:05", status_text(state))
    else:
        assert status_text(state) == text


def test_a_revoked_computer_reads_sign_in_again_even_offline() -> None:
    status = SyncStatus("https://idm.example.org", "ana", False, NOON, SyncSummary(2, 0, 0, 0, None), None,
                        "device_revoked")
    state = SIGNED_IN.with_status(status)
    assert (state.signed_in, state.problem) == (False, Problem.SIGN_IN)
    assert status_text(state) == "Sign in again — 2 waiting"
    assert status_tooltip(state) == (
        "The secretariat revoked this computer’s access to https://idm.example.org: sign in again with "
        "“idm-desktop login --server https://idm.example.org --user ana”. Your work is kept.")


def test_refused_changes_are_not_up_to_date() -> None:
    state = SyncState(signed_in=True, failed=1, last_sync=NOON)
    assert re.fullmatch(r"Last sync at \d\d:05", status_text(state))
    set_ui_language("fr")
    assert re.fullmatch("Dernière synchronisation à \\d?\\d\u00a0h\u00a005", status_text(state))


def test_conflicts_and_refusals_ask_for_attention() -> None:
    assert attention_text(SIGNED_IN) == ""
    assert attention_text(SyncState(conflicts=1)) == "1 conflict"
    assert attention_text(SyncState(conflicts=2, failed=1)) == "2 conflicts · 1 not accepted"


def test_the_status_bar_speaks_french() -> None:
    set_ui_language("fr")
    assert status_text(SyncState(signed_in=True, waiting=2)) == "2 en attente"
    assert status_text(SyncState()) != "Offline — local only"


def test_progress_moves_forward_through_the_phases() -> None:
    steps = [SyncProgress("pull", 0, None), SyncProgress("pull", 200, None), SyncProgress("files", 1, 4),
             SyncProgress("files", 4, 4), SyncProgress("push", 1, 2), SyncProgress("submit", 1, 1)]
    percents = [percent_of(p) for p in steps]
    assert percents == sorted(percents)
    assert percents[0] == 0
    assert percents[-1] == 100
