"""The command line as a user drives it: exit codes, one-line errors, --json shapes."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Result

Cli = Callable[..., Result]


def _new(cli: Cli, lang: str = "fr") -> str:
    res = cli("submission", "new", "--workshop", "idm2006-integration", "--country", "CHE",
              "--language", lang)
    assert res.code == 0, res.err
    return res.out.strip()


def test_workshops_lists_the_programme_with_the_integration_deadline(cli: Cli) -> None:
    res = cli("workshops", "--json")
    assert res.code == 0
    workshops = {w["id"]: w for w in res.json["workshops"]}
    integration = workshops["idm2006-integration"]
    assert integration["deadline"]["date"] == "2006-06-26"
    assert integration["deadline"]["passed"] is True
    assert integration["city"] == "Geneva"
    text = cli("--lang", "fr", "workshops")
    assert text.code == 0
    assert "26 juin 2006" in text.out


def test_running_without_a_command_opens_the_window(home: Path) -> None:
    # A real process on the offscreen platform; the window is closed by a timer in the child.
    code = (
        "import sys; from PySide6.QtCore import QTimer; from PySide6.QtWidgets import QApplication;"
        "from idm_desktop.cli import main; qapp = QApplication([]);"
        "QTimer.singleShot(1500, lambda: [w.close() for w in QApplication.topLevelWidgets()]);"
        "sys.exit(main([]))"
    )
    import os
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", IDM_DESKTOP_HOME=str(home))
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    assert (home / "library.sqlite3").exists()
    assert (home / "window.ini").exists()  # the window was shown and closed cleanly


def test_submission_round_trip_with_history_and_restore(cli: Cli, tmp_path: Path) -> None:
    sid = _new(cli)
    typed = "L’État « accueille » les\u00a0migrants ; ¿qué? ¡sí! España"
    assert cli("submission", "edit", sid[:8], "national_context", "--text", typed).code == 0
    src = tmp_path / "section.md"
    src.write_text("**Gras** et *italique*\n\n- un\n- deux\n", encoding="utf-8")
    assert cli("submission", "edit", sid, "partnerships", "--file", str(src)).code == 0
    shown = cli("submission", "show", sid, "--json").json["submission"]
    sections = {s["key"]: s for s in shown["sections"]}
    assert sections["national_context"]["text"] == typed
    assert shown["country_name"] == "Suisse"
    history = cli("submission", "history", sid, "--json").json["history"]
    assert [h["reason"] for h in history] == ["create", "manual", "manual"]
    restored = cli("submission", "restore", sid, str(history[1]["seq"]), "--json")
    assert restored.code == 0
    shown = cli("submission", "show", sid, "--json").json["submission"]
    assert {s["key"]: s["text"] for s in shown["sections"]}["partnerships"] == ""


def test_check_fails_with_exit_3_and_lists_the_missing_sections(cli: Cli) -> None:
    sid = _new(cli, "es")
    res = cli("submission", "check", sid, "--json")
    assert res.code == 3
    report = res.json["check"]
    assert report["ok"] is False
    codes = {p["code"] for p in report["problems"]}
    assert {"section_missing", "too_short", "deadline_passed"} <= codes
    assert res.err.count("\n") == 1


def test_check_warns_about_a_second_page_not_filled_as_the_gauge_does(cli: Cli) -> None:
    # The first text that spills onto a second page prints 2 pages, but fills 1.x of them:
    # the editor's gauge is amber, so the check (window and command line) warns too.
    sid = _new(cli, "es")
    paragraph = " ".join(["La integración de los migrantes es una tarea compartida."] * 8)
    for n in range(1, 40):
        cli("submission", "edit", sid, "national_context", "--text", "\n\n".join([paragraph] * n))
        report = cli("submission", "check", sid, "--json").json["check"]
        if report["page_count"] == 2:
            break
    assert report["page_count"] == 2
    assert report["extent"] < 2
    assert "too_short" in {p["code"] for p in report["problems"]}
    text = cli("--lang", "es", "submission", "check", sid).out
    figure = f"{report['extent']:.1f}".replace(".", ",")
    assert text.splitlines()[0].startswith(f"Páginas: {figure} "), text
    assert any(line.startswith("advertencia: Más corta") and line.endswith(f"{figure}.")
               for line in text.splitlines()), text


def test_export_writes_pdf_and_docx(cli: Cli, tmp_path: Path) -> None:
    sid = _new(cli)
    cli("submission", "edit", sid, "national_context", "--text", "Texte « court ».")
    pdf = cli("export", sid, "--format", "pdf", "--out", str(tmp_path / "a.pdf"), "--json")
    assert pdf.code == 0, pdf.err
    assert pdf.json["export"]["pages"] >= 1
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    docx = cli("export", sid, "--format", "docx", "--out", str(tmp_path / "a.docx"))
    assert docx.code == 0, docx.err
    assert (tmp_path / "a.docx").read_bytes().startswith(b"PK")


def test_docs_import_list_show_and_search(cli: Cli, tmp_path: Path) -> None:
    doc = tmp_path / "IC-2006-9.en.txt"
    doc.write_text("Remittances sent by health workers abroad.\n" * 20, encoding="utf-8")
    res = cli("docs", "import", str(doc), "--workshop", "idm2006-health", "--json")
    assert res.code == 0, res.err
    imported = res.json["imported"][0]
    assert imported["symbol"] == "IC/2006/9"
    assert imported["language"] == "en"
    again = cli("docs", "import", str(doc), "--json")
    assert again.code == 0
    assert again.json["duplicates"][0]["document"]["id"] == imported["id"]
    listed = cli("docs", "list", "--workshop", "idm2006-health", "--json").json["documents"]
    assert [d["id"] for d in listed] == [imported["id"]]
    shown = cli("docs", "show", "IC/2006/9", "--text")
    assert "Remittances sent" in shown.out
    hits = cli("search", "health workers", "--json").json["results"]
    assert hits[0]["id"] == imported["id"]
    start, end = hits[0]["highlights"][0]
    assert hits[0]["snippet"][start:end].lower() == "health workers"  # side by side: one run


def test_search_snippets_show_the_text_not_its_markdown(cli: Cli, tmp_path: Path) -> None:
    doc = tmp_path / "IC-2006-9.en.md"
    doc.write_text("# Labour migration\n\n" + "Some text about other things. " * 30 + "\n\n"
                   "## Circular **labour** mobility\n\n- *Seasonal* schemes for **labour migration**\n"
                   "- See [the database](https://example.org/db) on labour\n", encoding="utf-8")
    assert cli("docs", "import", str(doc), "--workshop", "idm2006-health").code == 0
    sub_id = cli("submission", "new", "--workshop", "idm2006-health", "--country", "MEX",
                 "--language", "en").out.strip()
    assert cli("submission", "edit", sub_id, "national_context", "--text",
               "### Priorities\n\n1. **Labour** mobility\n2. _Return_ of labour migrants\n\n"
               "> Labour rights").code == 0
    hits = cli("search", "labour", "--json").json["results"]
    assert {h["kind"] for h in hits} == {"document", "submission"}
    for hit in hits:
        snippet = hit["snippet"]
        for mark in ("#", "**", "- ", "1.", "_", "](", "> ", "\n"):
            assert mark not in snippet, (mark, snippet)
        words = [snippet[start:end] for start, end in hit["highlights"]]
        assert words, snippet
        assert all(w.lower().startswith("labour") for w in words), (words, snippet)
    submission = next(h for h in hits if h["kind"] == "submission")
    assert submission["snippet"] == "Priorities · Labour mobility · Return of labour migrants · Labour rights"
    text = cli("search", "labour").out  # piped: the matched words in [brackets], nothing else
    assert "[Labour] mobility · Return of [labour] migrants" in text
    assert "**" not in text
    assert "#" not in text


def test_docs_edit_corrects_the_facts_and_an_import_finds_the_workshop(cli: Cli, tmp_path: Path) -> None:
    doc = tmp_path / "IC-2006-4-Annex-V.en.txt"
    doc.write_text("Indigenous peoples and migration.\n" * 20, encoding="utf-8")
    imported = cli("docs", "import", str(doc), "--json").json["imported"][0]
    assert imported["workshop_id"] == "idm2006-indigenous"  # the catalog lists the symbol
    res = cli("docs", "edit", "IC/2006/4 Annex V", "--title", "Expert workshop: report",
              "--kind", "report", "--available", "en", "--json")
    assert res.code == 0, res.err
    edited = res.json["document"]
    assert (edited["title"], edited["kind"], edited["english_only"], edited["workshop_id"]) == (
        "Expert workshop: report", "report", True, "idm2006-indigenous")
    moved = cli("docs", "edit", imported["id"], "--no-workshop")
    assert moved.code == 0, moved.err
    assert re.search(r"^Workshop: +—$", moved.out, re.M)
    assert re.search(r"^Title: +Expert workshop: report$", moved.out, re.M)
    refused = cli("docs", "edit", imported["id"], "--title", "  ")
    assert refused.code != 0
    assert "needs a title" in refused.err


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("submission", "new", "--workshop", "nope", "--country", "CHE", "--language", "en"), 1,
         "No workshop"),
        (("submission", "new", "--workshop", "idm2006-integration", "--country", "XX",
          "--language", "en"), 1, "country code"),
        (("submission", "new", "--workshop", "idm2006-integration", "--country", "CHE",
          "--language", "de"), 1, "use en, fr or es"),
        (("submission", "show", "deadbeef"), 1, "No submissions with id"),
        (("docs", "import", "/nonexistent/file.pdf"), 1, "not a file"),
        (("search", '"'), 1, "Type a word"),
        (("export",), 2, "required"),
        (("bogus",), 2, "“bogus” is not a command of idm-desktop (see idm-desktop --help)"),
        (("--lang", "xx", "workshops"), 2, "argument --lang: “xx” is not one of en, fr, es"),
        (("search", "x", "--limit", "abc"), 2, "argument --limit: “abc” is not a whole number"),
        (("--hmoe", "/tmp", "workshops"), 2, "unrecognized arguments: --hmoe; did you mean “--home”?"),
    ],
)
def test_bad_input_gives_one_clear_line_and_the_right_exit_code(
        cli: Cli, args: tuple[str, ...], code: int, needle: str) -> None:
    res = cli(*args)
    assert res.code == code, res.err
    assert needle in res.err
    assert res.err.count("\n") == 1
    assert res.out == ""


@pytest.mark.parametrize(("lang", "args", "line"), [
    ("en", ("docs", "lst"), "“lst” is not a command of idm-desktop docs; did you mean “list”? "
                            "(see idm-desktop docs --help)"),
    ("en", ("serch", "x"), "“serch” is not a command of idm-desktop; did you mean “search”?"),
    ("en", ("docs", "list", "--jsn"), "unrecognized arguments: --jsn; did you mean “--json”? "
                                      "(see idm-desktop docs list --help)"),
    ("en", ("search", "x", "--limt", "3"), "--limt 3; did you mean “--limit”? (see idm-desktop search"),
    ("en", ("config", "set", "langg", "fr"), "did you mean “lang”?"),
    ("fr", ("docs", "lst"), "«\u00a0lst\u00a0» n’est pas une commande d’idm-desktop docs\u00a0; "
                            "vouliez-vous dire «\u00a0list\u00a0»\u00a0? (voir idm-desktop docs --help)"),
    ("es", ("docs", "list", "--jsn"), "--jsn; ¿quiso decir «--json»? (consulte idm-desktop docs list"),
])
def test_a_mistyped_command_or_option_is_named_with_the_likely_one(
        cli: Cli, lang: str, args: tuple[str, ...], line: str) -> None:
    res = cli("--lang", lang, *args)
    assert res.code == 2
    assert line in res.err
    assert res.err.count("\n") == 1
    assert res.out == ""


def test_an_empty_workshop_is_not_an_empty_library(cli: Cli, tmp_path: Path) -> None:
    note = tmp_path / "IC-2006-4.en.txt"
    note.write_text("A note on integration policies.\n", encoding="utf-8")
    assert cli("docs", "import", str(note), "--workshop", "idm2006-integration").code == 0
    res = cli("docs", "list", "--workshop", "idm2006-health")
    assert res.out == ("The library has no documents of this workshop yet: add them with "
                       "“idm-desktop docs import FILE --workshop idm2006-health”.\n")
    res = cli("submission", "list", "--workshop", "idm2006-health")
    assert res.out.startswith("No submissions for this workshop yet: start one with")


def test_the_last_lang_given_is_the_one_spoken(cli: Cli) -> None:
    res = cli("--lang", "fr", "--lang", "es", "docs", "lst")
    assert "no es un comando" in res.err


def test_a_word_like_no_command_gets_no_guess(cli: Cli) -> None:
    res = cli("docs", "zzzz")
    assert res.code == 2
    assert res.err == ("idm-desktop: “zzzz” is not a command of idm-desktop docs "
                       "(see idm-desktop docs --help)\n")


def test_editing_an_unknown_section_changes_nothing(cli: Cli) -> None:
    sid = _new(cli)
    res = cli("submission", "edit", sid, "nonsense", "--text", "x")
    assert res.code == 1
    assert "Unknown section" in res.err
    assert len(cli("submission", "history", sid, "--json").json["history"]) == 1


def test_messages_follow_lang(cli: Cli) -> None:
    res = cli("--lang", "fr", "submission", "show", "deadbeef")
    assert res.code == 1
    assert "No submissions" not in res.err


def test_usage_errors_and_help_speak_the_user_s_language(home: Path) -> None:
    """argparse's own words (usage, headings, its errors) come from our catalogs too."""
    exe = Path(sys.executable).parent / "idm-desktop"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(exe), "--home", str(home), *args], capture_output=True, text=True,
                              check=False)

    wrong = run("--lang", "fr", "workshops", "list")
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == (
        "idm-desktop: arguments non reconnus\u00a0: list (voir idm-desktop workshops --help)")
    assert "afficher le numéro de version du programme et quitter" in run("--lang", "fr", "--help").stdout
    helped = run("--lang", "es", "workshops", "--help").stdout
    assert helped.startswith("uso: idm-desktop workshops")
    assert "mostrar esta ayuda y salir" in helped
    assert "usage:" not in run("--lang", "fr", "submission", "new", "--help").stdout


def test_console_script_runs_as_a_real_process(home: Path) -> None:
    exe = Path(sys.executable).parent / "idm-desktop"
    res = subprocess.run([str(exe), "--home", str(home), "workshops", "--json"],
                         capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr
    assert '"idm2006-integration"' in res.stdout


def test_a_symbol_with_several_documents_lists_them(cli: Cli, tmp_path: Path) -> None:
    """IC/2006/4 in English and in French: `docs show IC/2006/4` names both, with their ids and
    languages, instead of saying there is no such document."""
    ids = {}
    texts = (("en", "Annex on indigenous peoples."), ("fr", "Annexe sur les peuples autochtones."))
    for lang, words in texts:
        file = tmp_path / f"note-{lang}.txt"
        file.write_text(words * 30, encoding="utf-8")
        res = cli("docs", "import", str(file), "--symbol", "IC/2006/4", "--language", lang, "--json")
        assert res.code == 0, res.err
        ids[lang] = res.json["imported"][0]["id"]
    res = cli("docs", "show", "IC/2006/4")
    assert res.code == 1
    assert res.err.count("\n") == 1
    assert "IC/2006/4 names 2 documents" in res.err
    for lang, doc_id in ids.items():
        assert f"{doc_id[:8]} ({lang}," in res.err
    assert cli("docs", "show", ids["fr"][:8], "--text").out.startswith("Annexe")


def test_french_label_rows_take_the_french_space(cli: Cli, tmp_path: Path) -> None:
    doc = tmp_path / "IC-2006-9.en.txt"
    doc.write_text("Remittances sent by health workers abroad.\n" * 20, encoding="utf-8")
    assert cli("docs", "import", str(doc)).code == 0
    shown = cli("--lang", "fr", "docs", "show", "IC/2006/9").out
    assert "Cote\u00a0:" in shown or "Symbole\u00a0:" in shown
    assert " :" not in shown.replace("\u00a0:", "")  # never a plain space before the colon
    assert "Titre\u00a0:" in shown
    # The values read in French too: the kind, the language, the file's size.
    assert "Langue\u00a0:" in shown
    assert "anglais" in shown
    assert "octets)" in shown
    assert " B)" not in shown
    assert "discussion_note" not in shown
    assert "other" not in shown.split()


def test_history_says_why_in_the_users_language(cli: Cli) -> None:
    sid = cli("submission", "new", "--workshop", "idm2006-integration", "--country", "FRA",
              "--language", "fr").out.strip()
    cli("submission", "edit", sid, "national_context", "--text", "Texte.")
    history = cli("--lang", "fr", "submission", "history", sid).out
    assert "création" in history or "créée" in history
    assert " create " not in history
    assert " manual " not in history


def test_bundle_export_to_a_folder_that_is_not_there_says_so(cli: Cli, tmp_path: Path) -> None:
    res = cli("bundle", "export", "--out", str(tmp_path / "usb-not-mounted" / "work.idmbundle"))
    assert res.code == 2
    assert res.err.strip().endswith("check that the USB stick is plugged in, or choose another folder.")
    assert len(res.err.strip().splitlines()) == 1


def test_every_argument_of_every_command_says_what_it_is() -> None:
    """``idm-desktop COMMAND --help`` explains each of its arguments, not only names them."""
    from idm_desktop.cli.main import build_parser

    parser = build_parser(None)
    bare = [(" ".join(words), action.dest) for words, command in parser.command_parsers.items()
            for action in command._actions if not action.help]
    assert bare == []


def test_a_mistyped_workshop_id_is_named_with_the_likely_one(cli: Cli) -> None:
    res = cli("docs", "list", "--workshop", "idm2006-healt")
    assert res.code == 1
    assert res.err == ("idm-desktop: No workshop “idm2006-healt”; did you mean “idm2006-health”? "
                       "Run “idm-desktop workshops” to see the ids.\n")


def test_search_says_when_there_may_be_more_than_it_shows(cli: Cli, tmp_path: Path) -> None:
    for n in range(3):
        note = tmp_path / f"IC-2006-{n + 1}.en.txt"
        note.write_text(f"Note {n} on labour migration and integration.\n", encoding="utf-8")
        assert cli("docs", "import", str(note)).code == 0
    shown = cli("search", "labour", "--limit", "2").out.splitlines()
    assert shown[-1] == "The best 2 results; “--limit N” shows more."
    assert "shows more" not in cli("search", "labour", "--limit", "3").out


def test_a_library_held_by_another_program_is_said_in_one_line(cli: Cli, home: Path) -> None:
    """Not after the three waits of the quick read, the full open and its migration (15 s)."""
    import sqlite3
    import time

    assert cli("workshops").code == 0  # the library made, as on a first start
    holder = sqlite3.connect(home / "library.sqlite3", isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM meta WHERE key = 'no such key'")
    try:
        start = time.monotonic()
        res = cli("status")
        assert time.monotonic() - start < 10
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert res.code == 1
    assert res.err == (f"idm-desktop: {home / 'library.sqlite3'} is in use by another program (another copy "
                       "of IDM Delegate Desktop, a backup): try again once it is done.\n")
    assert cli("status").code == 0
