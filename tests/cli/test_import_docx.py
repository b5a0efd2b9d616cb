"""`idm-desktop submission import-docx ID FILE`: what went where, and refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Result
from tests.support.word_drafts import DRAFTS, write_draft

Cli = Callable[..., Result]


def _new(cli: Cli, lang: str) -> str:
    res = cli("submission", "new", "--workshop", "idm2006-integration", "--country", "CHE",
              "--language", lang)
    assert res.code == 0, res.err
    return res.out.strip()


def test_import_prints_what_went_where_and_the_text_is_saved(cli: Cli, tmp_path: Path) -> None:
    sid = _new(cli, "fr")
    draft = write_draft("fr", tmp_path / "projet.docx")
    res = cli("submission", "import-docx", sid, str(draft), "--json")
    assert res.code == 0, res.err
    data = res.json
    assert data["id"] == sid
    assert data["file"] == "projet.docx"
    assert [s["key"] for s in data["sections"]] == [
        "national_context", "policy_framework", "partnerships"]
    # A sub-heading stays with the section above it.
    assert data["sections"][0]["headings"] == ["1. CONTEXTE NATIONAL ET PRIORITES",
                                               "1.1 Trends since 2000"]
    assert all(s["words"] > 0 for s in data["sections"])
    assert all(s["replaced_words"] == 0 for s in data["sections"])  # a new submission: nothing lost
    assert data["not_placed"]["key"] == "not_placed"
    assert data["not_placed"]["headings"] == [DRAFTS["fr"]["headings"][3][0]]
    assert data["not_placed"]["words"] > 10
    assert data["tables"] == 1  # the draft's table became lines of text, and the output says so

    shown = cli("submission", "show", sid, "--json").json
    sections = {s["key"]: s["text"] for s in shown["submission"]["sections"]}
    assert "Suisse" in sections["national_context"]
    assert "Projet" in shown["submission"]["not_placed"]
    assert "Projet" in cli("submission", "show", sid).out
    check = cli("submission", "check", sid, "--json")
    assert "not_placed" in check.out

    text = cli("submission", "import-docx", sid, str(draft))
    assert text.code == 0
    assert "not_placed" in text.out
    assert "policy_framework" in text.out
    assert "(replaces " in text.out  # a second import says how much text it replaced
    assert f"submission history {sid[:8]}" in text.out
    assert "1 table became lines of text: one line a row" in text.out
    history = cli("submission", "history", sid, "--json").json["history"]
    assert history[-1]["reason"] == "word_import"


def test_a_bad_file_and_a_submitted_text_are_refused_with_one_line(
    cli: Cli, tmp_path: Path
) -> None:
    sid = _new(cli, "en")
    bad = tmp_path / "notes.docx"
    bad.write_text("plain text named .docx", encoding="utf-8")
    res = cli("submission", "import-docx", sid, str(bad))
    assert res.code == 1
    assert "notes.docx" in res.err
    assert len(res.err.strip().splitlines()) == 1
    pdf = tmp_path / "overview.pdf"  # the wrong file chosen: said as such, not "damaged"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    wrong = cli("submission", "import-docx", sid, str(pdf))
    assert wrong.code == 1
    assert "“overview.pdf” is not a Word document (.docx)" in wrong.err
    missing = cli("submission", "import-docx", sid, str(tmp_path / "nowhere.docx"))
    assert missing.code == 1
    assert "nowhere.docx" in missing.err

    assert cli("submission", "submit", sid, "--force").code in (0, 5)
    draft = write_draft("en", tmp_path / "draft.docx")
    frozen = cli("submission", "import-docx", sid, str(draft))
    assert frozen.code == 1
    assert len(frozen.err.strip().splitlines()) == 1


def test_text_given_on_the_command_line_gets_the_languages_quotes(cli: Cli) -> None:
    res = cli("submission", "new", "--workshop", "idm2006-integration", "--country", "CHE",
              "--language", "fr", "--title", "L'accueil des \"migrants\"")
    assert res.code == 0, res.err
    sid = res.out.strip()
    cli("submission", "edit", sid, "national_context", "--text", "L'État l'a dit : \"oui\".")
    cli("submission", "edit", sid, "title", "--text", "La société d'accueil")
    shown = cli("submission", "show", sid, "--json").json["submission"]
    assert shown["title"] == "La société d’accueil"
    sections = {s["key"]: s["text"] for s in shown["sections"]}
    assert sections["national_context"] == "L’État l’a dit : «\u00a0oui\u00a0»."
    assert cli("submission", "show", _new(cli, "en"), "--json").json["submission"]["title"]


def test_a_drafts_title_bold_headings_reworded_headings_and_empty_cells(cli: Cli, tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Politique d'intégration de la Suisse", style="Title")
    doc.add_heading("Contexte national et priorités", level=1)
    doc.add_paragraph("La Suisse compte 1,5 million d’étrangers.")
    doc.add_paragraph().add_run("Cadre politique et juridique").bold = True
    doc.add_paragraph("La loi sur les étrangers de 2005.")
    doc.add_heading("Partenariats avec le secteur privé et les associations", level=1)
    doc.add_paragraph("Les employeurs signent une charte.")
    table = doc.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("A", "", "C"), strict=True):
        cell.text = text
    path = tmp_path / "projet.docx"
    doc.save(str(path))

    sid = _new(cli, "fr")
    data = cli("submission", "import-docx", sid, str(path), "--json").json
    assert [s["key"] for s in data["sections"]] == ["national_context", "policy_framework", "partnerships"]
    assert data["not_placed"]["words"] == 0
    assert data["title"] == "Politique d’intégration de la Suisse"
    shown = cli("submission", "show", sid, "--json").json["submission"]
    assert shown["title"] == "Politique d’intégration de la Suisse"  # it had the default title
    sections = {s["key"]: s["text"] for s in shown["sections"]}
    assert "A |  | C" in sections["partnerships"]  # the empty cell keeps its column
    assert shown["not_placed"] == ""
