"""The clearance commands as a user drives them (DESIGN §13): comment ids, --json shapes, one-line
refusals with exit 1, compare, and submit refused against a real server's clearance policy."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp
from idm_desktop.server import accounts
from tests.cli.conftest import Result
from tests.server.conftest import PASSWORD, Service

Cli = Callable[..., Result]
TEXT = "We offer language courses in every city of the country."


def _draft(cli: Cli) -> str:
    sub = cli("submission", "new", "--workshop", "idm2006-integration", "--country", "MEX",
              "--language", "en").out.strip()
    assert cli("submission", "edit", sub, "national_context", "--text", TEXT).code == 0
    return sub


def test_comments_suggestions_and_compare(cli: Cli) -> None:
    sub = _draft(cli)
    res = cli("comment", "add", sub, "national_context", "--quote", "language courses", "--text", "Free?",
              "--suggest", "free language courses")
    assert res.code == 0, res.err
    cid = res.out.strip()
    assert len(cid) == 36
    listed = cli("comment", "list", sub, "--json").json["comments"]
    assert [{k: c[k] for k in ("id", "section", "quote", "text", "suggestion", "decision", "anchor",
                               "resolved", "replies")} for c in listed] == [
        {"id": cid, "section": "national_context", "quote": "language courses", "text": "Free?",
         "suggestion": "free language courses", "decision": None, "anchor": "exact", "resolved": False,
         "replies": []}]
    assert set(listed[0]) == {"id", "section", "quote", "text", "author", "at", "resolved", "suggestion",
                              "decision", "anchor", "current", "replies"}
    assert listed[0]["current"] == "language courses"
    reply = cli("comment", "reply", cid[:8], "--text", "Yes", "--json").json
    assert [r["text"] for r in reply["comment"]["replies"]] == ["Yes"]

    bad = cli("comment", "add", sub, "national_context", "--quote", "bicycles", "--text", "?")
    assert (bad.code, bad.out) == (1, "")
    assert bad.err.count("\n") == 1
    assert "not in this section" in bad.err

    assert cli("submission", "request-review", sub, "--note", "Please").code == 0
    shown = cli("submission", "show", sub, "--json").json["submission"]
    assert shown["status"] == "in_review"
    assert set(shown["clearance"]) == {"state", "by", "at", "sha256", "note"}
    assert (shown["clearance"]["state"], shown["clearance"]["note"]) == ("in_review", "Please")

    accepted = cli("comment", "accept", cid, "--json").json
    assert accepted["comment"]["decision"] == "accepted"
    assert accepted["submission"]["status"] == "draft"  # the edit voided the review asked for
    assert accepted["voided"] == "in_review"
    history = cli("submission", "history", sub, "--json").json["history"]
    assert history[-1]["reason"] == "suggestion"
    compared = cli("submission", "compare", sub, str(history[-2]["seq"]), "--json").json
    (section,) = [s for s in compared["sections"] if s["changed"]]
    assert section["changes"] == [{"op": "insert", "old": "", "new": " free"}]
    text = cli("submission", "compare", sub, str(history[-2]["seq"])).out
    assert "We offer{+ free+} language courses" in text
    assert cli("comment", "list", sub, "--json").json["comments"] == []
    assert len(cli("comment", "list", sub, "--all", "--json").json["comments"]) == 1

    # A drafter may not clear: one line, exit 1, nothing changed.
    refused = cli("submission", "clear", sub)
    assert (refused.code, refused.err) == (
        1, "idm-desktop: Only a reviewer of your delegation may clear or return a draft.\n")
    missing = cli("submission", "return", sub)
    assert missing.code == 2


def test_accepting_a_suggestion_says_it_ended_the_review(cli: Cli) -> None:
    sub = _draft(cli)
    cid = cli("comment", "add", sub, "national_context", "--quote", "language courses", "--text", "Free?",
              "--suggest", "free language courses").out.strip()
    assert cli("submission", "request-review", sub).code == 0
    res = cli("comment", "accept", cid)
    assert res.code == 0, res.err
    assert res.out.splitlines() == [
        f"Suggestion {cid[:8]} accepted: the text of “National context and priorities” changed.",
        "The change ended the review: the text is a draft again; ask for review again "
        "(submission request-review)."]
    # On a draft nobody asked about, nothing more is said.
    other = cli("comment", "add", sub, "national_context", "--quote", "every city", "--text", "All?",
                "--suggest", "each city").out.strip()
    plain = cli("comment", "accept", other)
    assert plain.out.splitlines() == [
        f"Suggestion {other[:8]} accepted: the text of “National context and priorities” changed."]


def test_comment_list_shows_the_words_where_the_anchor_is_now(cli: Cli) -> None:
    sub = _draft(cli)
    def add(quote: str) -> str:
        return cli("comment", "add", sub, "national_context", "--quote", quote, "--text", "?").out.strip()

    moved, kept, lost = add("language courses"), add("every city"), add("of the country")
    assert cli("submission", "edit", sub, "national_context", "--text",
               "We offer languages courses in every city.").code == 0
    listed = {c["id"]: c for c in cli("comment", "list", sub, "--json").json["comments"]}
    assert {k: (listed[k]["quote"], listed[k]["current"], listed[k]["anchor"]) for k in listed} == {
        moved: ("language courses", "languages courses", "moved"),
        kept: ("every city", "every city", "exact"),
        lost: ("of the country", None, "lost")}
    lines = cli("comment", "list", sub).out.splitlines()
    heads = [line for line in lines if not line.startswith(" ")]
    me = cli("comment", "list", sub, "--json").json["comments"][0]["author"]
    section = "[National context and priorities]"
    assert heads == [
        f"{moved[:8]}  {section} «languages courses» (anchor: moved, was «language courses»)  {me}",
        f"{kept[:8]}  {section} «every city» (anchor: exact)  {me}",
        f"{lost[:8]}  {section} «of the country» (anchor: lost, its text is gone)  {me}"]


def test_commands_name_sections_by_their_titles_in_the_submission_s_language(cli: Cli) -> None:
    sub = cli("submission", "new", "--workshop", "idm2006-integration", "--country", "MEX",
              "--language", "es").out.strip()
    edited = cli("--lang", "en", "submission", "edit", sub, "national_context", "--text",
                 "México ofrece cursos de idioma en cada ciudad.")
    assert edited.out.strip() == f"saved “Contexto nacional y prioridades” of {sub}"
    assert cli("submission", "edit", sub, "policy_framework", "--text",
               "Una ley de 2005 y una junta nacional.").code == 0
    assert cli("submission", "edit", sub, "title", "--text", "Integración").out.strip() == (
        f"saved the title of {sub}")

    def add(section: str, quote: str) -> str:
        return cli("comment", "add", sub, section, "--quote", quote, "--text", "?").out.strip()

    # Added out of order: listed as the document reads.
    law, city, courses = (add("policy_framework", "ley de 2005"), add("national_context", "cada ciudad"),
                          add("national_context", "cursos de idioma"))
    heads = [line.split("  ")[:2] for line in cli("comment", "list", sub).out.splitlines()
             if not line.startswith(" ")]
    assert heads == [[courses[:8], "[Contexto nacional y prioridades] «cursos de idioma» (anchor: exact)"],
                     [city[:8], "[Contexto nacional y prioridades] «cada ciudad» (anchor: exact)"],
                     [law[:8], "[Marco normativo y de políticas] «ley de 2005» (anchor: exact)"]]
    assert [c["id"] for c in cli("comment", "list", sub, "--json").json["comments"]] == [courses, city, law]
    history = cli("submission", "history", sub, "--json").json["history"]
    compared = cli("submission", "compare", sub, str(history[0]["seq"]), str(history[-1]["seq"])).out
    assert "\n## Contexto nacional y prioridades\n" in compared
    assert "\n## Marco normativo y de políticas\n" in compared
    assert "national_context" not in compared


def test_submit_refused_where_clearance_is_required(cli: Cli, service: Service,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    with service.ctx.db.write() as session:
        accounts.add_user(session, "ana", PASSWORD, ["drafter"], "MEX")
        accounts.add_user(session, "lucia", PASSWORD, ["submitter"], "MEX")
        accounts.add_user(session, "beto", PASSWORD, ["drafter", "submitter"], "MEX")
        accounts.add_user(session, "chris", PASSWORD, ["submitter"], "CAN")  # another delegation's
        accounts.set_delegation(session, "MEX", "required")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    login = cli("login", "--server", service.url, "--user", "ana", "--password-stdin", "--json")
    assert login.code == 0, login.err
    sub = _draft(cli)
    res = cli("submission", "submit", sub, "--force")
    assert (res.code, res.out) == (1, "")
    # One line that names who can send it and says what to do.
    assert res.err == ("idm-desktop: Only a submitter of your delegation can send it: beto, lucia. Ask one "
                       "of them to submit it once a reviewer has cleared it.\n")
    assert cli("submission", "show", sub, "--json").json["submission"]["status"] == "draft"
    with service.ctx.db.write() as session:
        accounts.set_roles(session, "ana", ["drafter,submitter"])
    assert cli("sync").code == 0  # the desktop learns its new roles
    res = cli("submission", "submit", sub, "--force")
    assert res.code == 1
    assert "requires clearance" in res.err


def test_show_prints_the_clearance_time_and_the_receipt_readably(
        cli: Cli, service: Service, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with service.ctx.db.write() as session:
        accounts.add_user(session, "ana", PASSWORD, ["drafter", "submitter"], "MEX")
        accounts.add_user(session, "rita", PASSWORD, ["reviewer"], "MEX")
        accounts.set_delegation(session, "MEX", "required")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli("login", "--server", service.url, "--user", "ana", "--password-stdin").code == 0
    sub = _draft(cli)
    assert cli("submission", "request-review", sub).code == 0
    assert cli("sync").code == 0
    rita = DesktopApp.open(tmp_path / "rita")
    try:
        rita.sync.login(service.url, "rita", PASSWORD, device_name="rita")
        rita.sync.run()
        rita.clearance.clear(sub, "Good to go")
        rita.sync.run()
    finally:
        rita.close()
    assert cli("sync").code == 0
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        shown = cli("submission", "show", sub).out.splitlines()
        (cleared,) = [line for line in shown if line.startswith("Cleared by")]
        # Local, with its zone: "Cleared by rita on 7 Dec 2026, 03:18 CET", never the stored ISO.
        assert re.fullmatch(r"Cleared by rita on \d{1,2} \w{3} \d{4}, \d\d:\d\d CES?T", cleared), cleared
        assert not any(line.startswith("Receipt") for line in shown)  # not sent yet
        assert cli("submission", "submit", sub, "--force").code == 0
        assert cli("sync").code == 0
        data = cli("submission", "show", sub, "--json").json["submission"]
        shown = cli("submission", "show", sub).out.splitlines()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    number = data["receipt_no"]
    assert number
    (receipt,) = [line for line in shown if line.startswith("Receipt")]
    assert re.fullmatch(rf"Receipt {re.escape(number)}, received \d{{1,2}} \w{{3}} \d{{4}}, \d\d:\d\d CES?T",
                        receipt), receipt
    # --json keeps its shape: the stored times as they were, the receipt number beside them.
    assert set(data["clearance"]) == {"state", "by", "at", "sha256", "note"}
    assert dt.datetime.fromisoformat(data["clearance"]["at"]).tzinfo is not None
    assert data["clearance"]["by"] == "rita"
