"""Clearance across three homes and one real idm-server (DESIGN §13): comments made offline follow
the text, a suggestion accepted keeps its author, a clearance binds the text, an edit voids it on
every machine, and only a submitter submits where the delegation requires clearance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp
from idm_desktop.core.anchoring import AnchorState
from idm_desktop.core.clearance import Action, ReviewState
from idm_desktop.core.errors import ClearanceError
from idm_desktop.core.submissions import SaveReason, SubmissionStatus
from idm_desktop.server import accounts
from tests.server.conftest import PASSWORD, Service

CONTEXT = ("Mexico offers language courses in every city of the country. "
           "Employers sign a charter against discrimination at work.")


@pytest.fixture
def homes(service: Service, tmp_path: Path) -> Iterator[dict[str, DesktopApp]]:
    people = {"ana": ["drafter"], "rita": ["reviewer"], "raul": ["reviewer"], "sam": ["drafter", "submitter"]}
    with service.ctx.db.write() as session:
        for name, roles in people.items():
            accounts.add_user(session, name, PASSWORD, roles, "MEX")
        accounts.set_delegation(session, "MEX", "required")
    apps = {}
    for name in people:
        app = DesktopApp.open(tmp_path / name)
        app.sync.login(service.url, name, PASSWORD, device_name=name)
        apps[name] = app
    yield apps
    for app in apps.values():
        app.close()


def _draft(ana: DesktopApp) -> str:
    sub = ana.new_submission("idm2006-integration", "MEX", "en", "Integration")
    ana.edit(sub.id, {"national_context": CONTEXT})
    ana.sync.run()
    return sub.id


def test_drafter_reviewer_and_submitter_clear_and_submit(homes: dict[str, DesktopApp]) -> None:
    ana, rita, sam = homes["ana"], homes["rita"], homes["sam"]
    assert (sorted(r.value for r in rita.clearance.roles()), rita.clearance.policy().value) == (
        ["reviewer"], "required")
    sub_id = _draft(ana)

    # The reviewer, on her machine, comments: one suggestion, one remark on a sentence.
    rita.sync.run()
    suggestion = rita.clearance.add_comment(sub_id, "national_context", "language courses",
                                            "Say they are free.", suggestion="free language courses")
    remark = rita.clearance.add_comment(sub_id, "national_context", "sign a charter against discrimination",
                                        "Which charter?")
    with pytest.raises(ClearanceError, match="Only a drafter"):
        rita.clearance.request_review(sub_id)
    with pytest.raises(ClearanceError, match="do not edit"):
        rita.edit(sub_id, {"national_context": "A reviewer's rewrite."})
    rita.sync.run()

    # The drafter, still offline, rewrites the paragraph: the first quote moves, the second goes.
    ana.edit(sub_id, {"national_context": "Since 2004, Mexico offers language courses in every city of "
                                          "the country. Employers are consulted each year."})
    ana.sync.run()
    seen = {c.id: c for c in ana.clearance.comments(sub_id)}
    assert set(seen) == {suggestion, remark}
    moved = seen[suggestion]
    text = ana.submission(sub_id).text_of("national_context")
    assert moved.anchor is AnchorState.EXACT
    assert text[moved.start:moved.end] == "language courses"
    assert seen[remark].anchor is AnchorState.LOST

    # The suggestion is accepted: a new version that names the reviewer who suggested it and the
    # drafter who accepted it.
    ana.clearance.accept(suggestion)
    assert "offers free language courses in every city" in ana.submission(sub_id).text_of("national_context")
    last = ana.history(sub_id)[-1]
    assert (last.suggested_by, last.author, last.reason) == ("rita", "ana", SaveReason.SUGGESTION)
    ana.clearance.decide(remark, Action.RESOLVE)
    ana.clearance.request_review(sub_id, "Ready for the mission")
    assert ana.submission(sub_id).status is SubmissionStatus.IN_REVIEW
    ana.sync.run()
    assert ana.sync.outbox() == []

    rita.sync.run()
    assert rita.submission(sub_id).status is SubmissionStatus.IN_REVIEW
    assert rita.clearance.waiting_for_me() == 1
    reviewed = {c.id: c for c in rita.clearance.comments(sub_id, everything=True)}
    assert reviewed[suggestion].decision == "accepted"
    assert reviewed[remark].resolved
    rita.clearance.clear(sub_id, "Cleared by the mission")
    rita.sync.run()
    assert rita.sync.outbox() == []
    clearance = rita.clearance.clearance(sub_id)
    assert clearance is not None
    assert (clearance.state, clearance.by, clearance.note) == (ReviewState.CLEARED, "rita",
                                                              "Cleared by the mission")

    # A drafter-only user may not submit; the submitter does, and the receipt comes back.
    ana.sync.run()
    assert ana.submission(sub_id).status is SubmissionStatus.CLEARED
    with pytest.raises(ClearanceError, match="Only a submitter"):
        ana.sync.submit(sub_id, force=True)
    assert ana.submission(sub_id).status is SubmissionStatus.CLEARED  # nothing changed
    sam.sync.run()
    assert sam.submission(sub_id).status is SubmissionStatus.CLEARED
    sam.sync.submit(sub_id, force=True)
    report = sam.sync.run()
    assert len(report.receipts) == 1
    ana.sync.run()
    assert ana.submission(sub_id).status is SubmissionStatus.RECEIVED
    assert ana.submission(sub_id).receipt_no == report.receipts[0][1]


def test_an_edit_after_clearance_voids_it_everywhere(homes: dict[str, DesktopApp]) -> None:
    ana, rita, sam = homes["ana"], homes["rita"], homes["sam"]
    sub_id = _draft(ana)
    for app in (rita, sam):
        app.sync.run()
    rita.clearance.clear(sub_id)
    rita.sync.run()
    sam.sync.run()
    ana.sync.run()
    assert {app.submission(sub_id).status for app in (ana, rita, sam)} == {SubmissionStatus.CLEARED}
    ana.edit(sub_id, {"national_context": CONTEXT + " One more sentence."})
    assert ana.submission(sub_id).status is SubmissionStatus.DRAFT  # at once, on this machine
    ana.sync.run()
    for app in (rita, sam):
        app.sync.run()
    assert {app.submission(sub_id).status for app in (ana, rita, sam)} == {SubmissionStatus.DRAFT}
    with pytest.raises(ClearanceError, match="requires clearance"):
        sam.sync.submit(sub_id, force=True)


def test_a_clearance_of_an_older_version_is_refused(homes: dict[str, DesktopApp]) -> None:
    ana, rita = homes["ana"], homes["rita"]
    sub_id = _draft(ana)
    rita.sync.run()
    ana.edit(sub_id, {"national_context": "A newer text."})
    ana.sync.run()
    rita.clearance.clear(sub_id)  # rita still reads the older version
    assert rita.submission(sub_id).status is SubmissionStatus.CLEARED  # until the service answers
    report = rita.sync.run()
    assert any("changed since version" in f for f in report.failures)
    (refused,) = rita.sync.outbox()
    assert (refused.failed, refused.error_code) == (True, "stale_rev")
    assert rita.submission(sub_id).status is SubmissionStatus.DRAFT
    ana.sync.run()
    assert ana.clearance.clearance(sub_id) is None


def test_two_reviewers_offline_and_resolve_against_reply(homes: dict[str, DesktopApp]) -> None:
    ana, rita, raul = homes["ana"], homes["rita"], homes["raul"]
    sub_id = _draft(ana)
    rita.sync.run()
    raul.sync.run()
    first = rita.clearance.add_comment(sub_id, "national_context", "every city", "All of them?")
    second = raul.clearance.add_comment(sub_id, "national_context", "Employers", "Which employers?")
    for app in (rita, raul, rita, ana):
        app.sync.run()
    for app in (rita, raul, ana):
        ids = [c.id for c in app.clearance.comments(sub_id)]
        assert sorted(ids) == sorted([first, second]), ids
    # Resolve on one machine while another replies: both survive.
    raul.clearance.decide(first, Action.RESOLVE)
    ana.clearance.reply(first, "Yes, all 32 states.")
    raul.sync.run()
    ana.sync.run()
    rita.sync.run()
    raul.sync.run()
    for app in (rita, raul, ana):
        (comment,) = [c for c in app.clearance.comments(sub_id, everything=True) if c.id == first]
        assert comment.resolved
        assert [(r.author, r.text) for r in comment.replies] == [("ana", "Yes, all 32 states.")]
        assert [h["action"] for h in comment.history] == ["resolve"]


def test_review_actions_travel_in_an_outbox_bundle(homes: dict[str, DesktopApp], tmp_path: Path) -> None:
    ana, rita = homes["ana"], homes["rita"]
    sub_id = _draft(ana)
    rita.sync.run()
    # Rita has no link: her comment goes on a file that Ana's connected computer sends.
    comment = rita.clearance.add_comment(sub_id, "national_context", "every city", "All of them?")
    bundle = tmp_path / "rita.idmbundle"
    assert rita.sync.export_bundle(bundle) == 1
    outcome = ana.sync.import_bundle(bundle)
    assert outcome.replayed is not None
    assert (outcome.replayed.applied, outcome.replayed.rejected) == (1, [])
    ana.sync.run()
    assert [c.id for c in ana.clearance.comments(sub_id)] == [comment]
    # When Rita syncs at last, the same op is recognised: the comment is there once.
    report = rita.sync.run()
    assert report.failures == []
    assert [c.id for c in rita.clearance.comments(sub_id)] == [comment]
    assert [c.id for c in ana.clearance.comments(sub_id)] == [comment]
