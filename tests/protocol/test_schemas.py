"""Protocol v1 bodies: the JSON of DESIGN §5 round-trips, and off-spec bodies are refused."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from pydantic import TypeAdapter, ValidationError

from idm_desktop.protocol import (
    Applied,
    ChangesPage,
    Conflict,
    Duplicate,
    Op,
    OpBatch,
    OpResult,
    OpResults,
    Receipt,
    SubmitRequest,
)

SHA = "ab" * 32


def _op(**changes: object) -> dict[str, object]:
    op: dict[str, object] = {"op_id": str(uuid.uuid4()), "entity": "submission",
                             "id": str(uuid.uuid4()), "base_rev": 3,
                             "body": {"title": "Aperçu", "sections": {"x": "« texte »"}},
                             "sha256": SHA}
    op.update(changes)
    return op


def test_a_changes_page_with_a_tombstone_round_trips() -> None:
    raw = {"changes": [
        {"seq": 7, "entity": "document", "id": "d1", "rev": 1, "deleted": False,
         "data": {"sha256": SHA, "size": 10, "mime": "application/pdf"}},
        {"seq": 8, "entity": "submission", "id": "s1", "rev": 4, "deleted": True, "data": None},
    ], "next_cursor": "opaque-8", "has_more": False}
    page = ChangesPage.model_validate(raw)
    assert page.changes[1].deleted
    assert ChangesPage.model_validate_json(page.model_dump_json()) == page


def test_op_results_are_told_apart_by_status() -> None:
    op_id = str(uuid.uuid4())
    applied = {"status": "applied", "op_id": op_id, "rev": 5, "seq": 12}
    raw = {"results": [
        applied,
        {"status": "duplicate", "op_id": op_id, "original": applied},
        {"status": "conflict", "op_id": op_id, "current_rev": 6, "current": {"title": "x"}},
        {"status": "rejected", "op_id": op_id, "code": "frozen", "message": "Submitted."},
    ]}
    results = OpResults.model_validate(raw).results
    assert [type(r) for r in results][:3] == [Applied, Duplicate, Conflict]
    assert TypeAdapter(OpResult).validate_python(applied) == results[0]


@pytest.mark.parametrize("bad", [
    {"sha256": "not-a-hash"},
    {"op_id": "123"},
    {"entity": "template"},  # clients never write templates
    {"base_rev": 0},
    {"surprise": True},  # unknown fields are refused, not ignored
])
def test_off_spec_ops_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Op.model_validate(_op(**bad))


def test_a_batch_holds_one_to_fifty_ops() -> None:
    OpBatch.model_validate({"ops": [_op() for _ in range(50)]})
    with pytest.raises(ValidationError):
        OpBatch.model_validate({"ops": [_op() for _ in range(51)]})
    with pytest.raises(ValidationError):
        OpBatch.model_validate({"ops": []})


def test_submit_and_receipt() -> None:
    SubmitRequest.model_validate({"rev": 4, "sha256": SHA})
    receipt = Receipt(receipt_no="IDM-2006-0042", received_at=dt.datetime(2006, 6, 20, tzinfo=dt.UTC),
                      sha256=SHA)
    assert Receipt.model_validate_json(receipt.model_dump_json()) == receipt
