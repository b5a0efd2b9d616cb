"""The open comments of a draft travel in its DOCX as real Word comments, read back by python-docx
and by LibreOffice; the PDF never carries them (DESIGN §13)."""

from __future__ import annotations

import datetime as dt
import re
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


class _Clock:
    """A clock that moves one hour each time it is read: each comment has its own time."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(hours=1)
        return self.now


def _commented_words(document_xml: str) -> dict[str, str]:
    """Each comment id and the text between its range start and end in word/document.xml."""
    out = {}
    for cid in re.findall(r'<w:commentRangeStart w:id="(\d+)"/>', document_xml):
        inside = document_xml.split(f'<w:commentRangeStart w:id="{cid}"/>')[1]
        inside = inside.split(f'<w:commentRangeEnd w:id="{cid}"/>')[0]
        out[cid] = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", inside))
    return out


def test_open_comments_are_word_comments_on_their_words_and_never_in_the_pdf(tmp_path: Path) -> None:
    clock = _Clock()
    app = DesktopApp.open(tmp_path / "home", clock=clock)
    try:
        sub_id = _draft(app)
        open_one = app.clearance.add_comment(sub_id, "national_context", "cours de langue",
                                             "Gratuits ?", suggestion="cours de langue gratuits")
        app.clearance.reply(open_one, "Oui, depuis 2004.")
        settled = app.clearance.add_comment(sub_id, "national_context", "une charte", "Laquelle ?")
        app.clearance.decide(settled, Action.RESOLVE)
        across = app.clearance.add_comment(sub_id, "national_context", "chaque ville.\n\nLes employeurs",
                                           "Deux paragraphes")
        # The words move: the comment follows them, on what they say now.
        app.edit(sub_id, {"national_context": "Le Mexique offre des *cours en langue* dans chaque ville.\n\n"
                                              "Les employeurs signent une charte contre la discrimination."})
        me = app.clearance.me()
        seen = app.clearance.find_comment(open_one)
        written, replied = dt.datetime.fromisoformat(seen.at), dt.datetime.fromisoformat(seen.replies[0].at)
        out = tmp_path / "overview.docx"
        app.export(sub_id, "docx", out)
        pdf = tmp_path / "overview.pdf"
        app.export(sub_id, "pdf", pdf)
        assert across
    finally:
        app.close()

    document = docx.Document(str(out))
    comments = {c.comment_id: c for c in document.comments}
    assert len(comments) == 3  # the comment, its reply, the one across paragraphs; the resolved one stays out
    first, reply, second = (comments[i] for i in sorted(comments))
    assert first.author == me == reply.author
    assert first.text.splitlines() == ["Gratuits ?", "Texte suggéré\u00a0: cours de langue gratuits"]
    assert reply.text == "Oui, depuis 2004."  # a reply of its own, not folded into the comment
    assert written < replied < clock.now  # each its own time, not the export's
    assert first.timestamp == written
    assert reply.timestamp == replied
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode()
        extended = z.read("word/commentsExtended.xml").decode()
        comments_xml = z.read("word/comments.xml").decode()
    words = _commented_words(body)
    # Only the words (where they are now), and the split runs keep their formatting.
    assert words[str(first.comment_id)] == "cours en langue"
    assert words[str(reply.comment_id)] == "cours en langue"
    assert words[str(second.comment_id)] == "chaque ville.Les employeurs"
    italic = document.paragraphs[-2].runs
    assert [r.text for r in italic if r.italic] == ["cours en langue"]
    assert "".join(r.text for r in italic) == "Le Mexique offre des cours en langue dans chaque ville."
    # The reply's parent is the first comment (Word's commentsExtended).
    para_ids = re.findall(r'w14:paraId="([0-9A-F]{8})"', comments_xml)
    assert len(para_ids) == 3
    assert f'w15:paraId="{para_ids[1]}" w15:paraIdParent="{para_ids[0]}"' in extended
    assert "paraIdParent" not in extended.split(f'w15:paraId="{para_ids[2]}"')[1].split("/>")[0]

    # LibreOffice reads each as a comment (an annotation of the ODF text) with its author and time,
    # its range around the same words.
    outdir = tmp_path / "odt"
    run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--norestore",
         "--convert-to", "odt", "--outdir", outdir, out], timeout=240)
    with zipfile.ZipFile(outdir / "overview.odt") as z:
        content = z.read("content.xml").decode()
    assert content.count("<office:annotation ") + content.count("<office:annotation>") == 3
    assert "Gratuits ?" in content
    assert "Oui, depuis 2004." in content
    assert f"<dc:creator>{me}</dc:creator>" in content
    assert f"<dc:date>{written.strftime('%Y-%m-%dT%H:%M:%S')}</dc:date>" in content
    assert f"<dc:date>{replied.strftime('%Y-%m-%dT%H:%M:%S')}</dc:date>" in content
    names = re.findall(r'<office:annotation office:name="([^"]+)"', content)
    for name in names:
        inside = content.split(f'office:name="{name}"', 1)[1].split("</office:annotation>", 1)[1]
        inside = inside.split(f'<office:annotation-end office:name="{name}"/>')[0]
        text = re.sub(r"<office:annotation .*?</office:annotation>", "", inside)
        text = re.sub(r"<[^>]+>", "", text)
        assert text in ("cours en langue", "chaque ville.Les employeurs")

    text = squash(pdf_text(pdf))
    assert "cours en langue" in text
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
