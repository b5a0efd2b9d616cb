"""The open comments of a draft travel in its DOCX as real Word comments, read back by python-docx
and by LibreOffice; the PDF never carries them (DESIGN §13)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx

from idm_desktop.app import DesktopApp
from idm_desktop.core.clearance import Action
from tests.export.export_tools import pdf_text, run, squash


def _draft(app: DesktopApp) -> str:
    sub = app.new_submission("idm2006-integration", "MEX", "fr", "Intégration")
    app.edit(sub.id, {"national_context": "Le Mexique offre des cours de langue dans chaque ville.\n\n"
                                          "Les employeurs signent une charte contre la discrimination."})
    return sub.id


def test_open_comments_are_word_comments_and_never_in_the_pdf(tmp_path: Path) -> None:
    app = DesktopApp.open(tmp_path / "home")
    try:
        sub_id = _draft(app)
        open_one = app.clearance.add_comment(sub_id, "national_context", "cours de langue",
                                             "Gratuits ?", suggestion="cours de langue gratuits")
        app.clearance.reply(open_one, "Oui, depuis 2004.")
        settled = app.clearance.add_comment(sub_id, "national_context", "une charte", "Laquelle ?")
        app.clearance.decide(settled, Action.RESOLVE)
        me = app.clearance.me()
        out = tmp_path / "overview.docx"
        app.export(sub_id, "docx", out)
        pdf = tmp_path / "overview.pdf"
        app.export(sub_id, "pdf", pdf)
    finally:
        app.close()

    document = docx.Document(str(out))
    comments = list(document.comments)
    assert len(comments) == 1  # the resolved one stays out
    (comment,) = comments
    assert comment.author == me
    assert comment.text.splitlines() == ["Gratuits ?", "Texte suggéré\u00a0: cours de langue gratuits",
                                         f"{me}: Oui, depuis 2004."]
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode()
    assert body.count("commentRangeStart") == 1

    # LibreOffice reads it as a comment (an annotation of the ODF text), with its author.
    outdir = tmp_path / "odt"
    run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--norestore",
         "--convert-to", "odt", "--outdir", outdir, out], timeout=240)
    with zipfile.ZipFile(outdir / "overview.odt") as z:
        content = z.read("content.xml").decode()
    assert content.count("<office:annotation ") + content.count("<office:annotation>") == 1
    assert "Gratuits ?" in content
    assert f"<dc:creator>{me}</dc:creator>" in content

    text = squash(pdf_text(pdf))
    assert "cours de langue" in text
    assert "Gratuits" not in text
    assert "suggéré" not in text


def test_a_sent_text_s_docx_and_one_asked_without_comments_carry_none(tmp_path: Path) -> None:
    """The final text goes to a ministry or the secretariat without the mission's remarks."""
    app = DesktopApp.open(tmp_path / "home")
    try:
        sub_id = _draft(app)
        app.clearance.add_comment(sub_id, "national_context", "cours de langue", "Gratuits ?")
        bare = tmp_path / "bare.docx"
        app.export(sub_id, "docx", bare, comments=False)
        app.sync.submit(sub_id, force=True)  # frozen and queued: a sent text from here on
        sent = tmp_path / "sent.docx"
        app.export(sub_id, "docx", sent)
    finally:
        app.close()
    for out in (bare, sent):
        assert list(docx.Document(str(out)).comments) == []
        with zipfile.ZipFile(out) as z:
            assert "commentRangeStart" not in z.read("word/document.xml").decode()
