"""`submission history`, `restore --version` and `name-version`: version numbers per submission,
names, and "restored from version N"."""

from __future__ import annotations

from collections.abc import Callable

from tests.cli.conftest import Result

Cli = Callable[..., Result]


def _new(cli: Cli) -> str:
    res = cli("submission", "new", "--workshop", "idm2006-integration", "--country", "CHE",
              "--language", "fr")
    assert res.code == 0, res.err
    return res.out.strip()


def test_versions_are_numbered_per_submission_named_and_restored_by_number(cli: Cli) -> None:
    first, second = _new(cli), _new(cli)
    for sid in (first, second):
        assert cli("submission", "edit", sid, "national_context", "--text", "Un.").code == 0
        assert cli("submission", "edit", sid, "national_context", "--text", "Deux.").code == 0
    history = cli("submission", "history", second, "--json").json["history"]
    assert [h["version"] for h in history] == [1, 2, 3]  # not the numbers of the first's
    assert [h["seq"] for h in history] != [1, 2, 3]  # seq stays the library-wide id it was
    assert {"seq", "at", "author", "reason", "title", "words", "version", "name",
            "restored_from", "suggested_by", "session"} == set(history[0])
    named = cli("submission", "name-version", second, "2", "envoyé au ministère", "--json")
    assert named.code == 0, named.err
    assert named.json["version"]["name"] == "envoyé au ministère"
    restored = cli("submission", "restore", second, "--version", "2")
    assert restored.code == 0, restored.err
    assert "version 2" in restored.out
    history = cli("submission", "history", second, "--json").json["history"]
    assert history[-1]["reason"] == "restore"
    assert history[-1]["restored_from"] == 2
    assert history[1]["name"] == "envoyé au ministère"
    text = cli("--lang", "fr", "submission", "history", second).out
    assert "restaurée depuis la version 2" in text or "version 2" in text
    assert "“envoyé au ministère”" in text


def test_bad_version_numbers_are_refused_with_one_line(cli: Cli) -> None:
    sid = _new(cli)
    res = cli("submission", "name-version", sid, "9", "x")
    assert res.code == 1
    assert "Version 9" in res.err
    assert len(res.err.strip().splitlines()) == 1
    assert cli("submission", "restore", sid).code == 2  # neither SEQ nor --version
    too_long = cli("submission", "name-version", sid, "1", "x" * 121)
    assert too_long.code == 1


def test_delete_a_draft_never_sent_and_refuse_a_submitted_one(cli: Cli) -> None:
    draft, sent = _new(cli), _new(cli)
    assert cli("submission", "edit", draft, "national_context", "--text", "Brouillon.").code == 0
    deleted = cli("submission", "delete", draft[:8], "--json")
    assert deleted.code == 0, deleted.err
    assert deleted.json["deleted"]["id"] == draft
    ids = [s["id"] for s in cli("submission", "list", "--json").json["submissions"]]
    assert draft not in ids
    assert sent in ids
    assert cli("search", "Brouillon", "--json").json["results"] == []  # gone from the search too
    assert cli("submission", "submit", sent, "--force").code in (0, 5)  # frozen, queued
    refused = cli("submission", "delete", sent)
    assert refused.code == 1
    assert "cannot be deleted" in refused.err
    assert sent in [s["id"] for s in cli("submission", "list", "--json").json["submissions"]]
