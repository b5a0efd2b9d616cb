"""Pasting into a section: over a selection that ends in a list, and lists copied from Word."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from idm_desktop.ui.submissions.text_edit import RichTextEdit
from idm_desktop.ui.submissions.word_html import word_lists_to_html
from tests.ui import word_clipboard as word

CTRL = Qt.KeyboardModifier.ControlModifier
ENDS_WITH_A_LIST = "Our context.\n\n- language courses\n- jobs"

# What Word (Windows) puts on the clipboard for two bullets, a paragraph and a numbered list
# with a sub-item, trimmed to what matters: mso-list styles, and markers as text in
# conditional comments.
NBSP7 = "&nbsp;" * 7
WORD = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>\n'
    "<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
    "<![if !supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol'>"
    f"<span style='mso-list:Ignore'>·<span style='font:7.0pt \"Times New Roman\"'>{NBSP7} </span>"
    "</span></span><![endif]>Language\n<b>courses</b><o:p></o:p></p>\n"
    "<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
    "<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·"
    f"<span style='font:7.0pt \"Times New Roman\"'>{NBSP7}\n</span></span></span><![endif]>"
    "Jobs<o:p></o:p></p>\n"
    "<p class=MsoNormal>After the list.<o:p></o:p></p>\n"
    "<p class=MsoListParagraphCxSpFirst style='mso-list:l1 level1 lfo2'><!--[if !supportLists]-->"
    "<span style='mso-list:Ignore'>1.<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; "
    "</span></span><!--[endif]-->Housing<o:p></o:p></p>\n"
    "<p class=MsoListParagraphCxSpLast style='mso-list:l1 level2 lfo2'><!--[if !supportLists]-->"
    "<span style='mso-list:Ignore'>o<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; "
    "</span></span><!--[endif]-->Social\nhousing<o:p></o:p></p>\n"
    "</body></html>"
)


@pytest.fixture
def edit(qtbot: QtBot) -> RichTextEdit:
    widget = RichTextEdit()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setFocus()
    return widget


def _paste(qtbot: QtBot, edit: RichTextEdit, *, html: str | None = None, text: str) -> None:
    mime = QMimeData()
    if html is not None:
        mime.setHtml(html)
    mime.setText(text)
    QApplication.clipboard().setMimeData(mime)
    qtbot.keyClick(edit, Qt.Key.Key_V, CTRL)


@pytest.mark.parametrize("html", [None, "<p>First paragraph.</p><p>Second one.</p>"])
def test_select_all_and_paste_over_a_list_keeps_paragraphs(
        qtbot: QtBot, edit: RichTextEdit, html: str | None) -> None:
    edit.set_markdown(ENDS_WITH_A_LIST)
    qtbot.keyClick(edit, Qt.Key.Key_A, CTRL)
    _paste(qtbot, edit, html=html, text="First paragraph.\n\nSecond one.")
    assert edit.markdown() == "First paragraph.\n\nSecond one."


def test_pasting_over_part_of_a_list_item_stays_in_the_list(qtbot: QtBot, edit: RichTextEdit) -> None:
    edit.set_markdown(ENDS_WITH_A_LIST)
    cursor = edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.movePosition(cursor.MoveOperation.StartOfBlock, cursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    _paste(qtbot, edit, html="<p>employment</p>", text="employment")
    assert edit.markdown() == "Our context.\n\n- language courses\n- employment"


def test_lists_pasted_from_word_stay_lists(qtbot: QtBot, edit: RichTextEdit) -> None:
    _paste(qtbot, edit, html=WORD, text="·  Language courses\n·  Jobs\nAfter the list.")
    assert edit.markdown() == ("- Language **courses**\n- Jobs\n\nAfter the list.\n\n"
                               "1. Housing\n   - Social housing")


def test_html_without_word_lists_is_left_alone() -> None:
    page = "<p style='margin:0'>Text</p><ul><li>one</li></ul>"
    assert word_lists_to_html(page) == page


def _paste_at_end(qtbot: QtBot, edit: RichTextEdit, html: str) -> None:
    cursor = edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    edit.setTextCursor(cursor)
    _paste(qtbot, edit, html=html, text="(the plain text Word puts beside it)")


def test_word_bullets_on_three_levels_become_a_nested_list(
        qtbot: QtBot, edit: RichTextEdit) -> None:
    _paste(qtbot, edit, html=word.BULLETS, text="·\tCours de langue…")
    assert edit.markdown() == (
        "- Cours de **langue** pour les nouveaux arrivants\n"
        "- Reconnaissance des diplômes\n"
        "  - Procédure simplifiée\n"
        "    - Guichet unique\n"
        "- Information dans la langue d’origine\n\n"
        "Après la liste."
    )
    assert "·" not in edit.toPlainText()
    assert "\xa0" not in edit.toPlainText()


def test_word_numbers_letters_and_roman_numerals_make_numbered_lists(
        qtbot: QtBot, edit: RichTextEdit) -> None:
    _paste(qtbot, edit, html=word.NUMBERED, text="3.\tAcogida…")
    assert edit.markdown() == (
        "3. Acogida\n"
        "4. Empleo\n"
        "   1. Cursos de español\n"
        "      1. Para adultos\n"
        "5. Participación"
    )


def test_outlook_markers_without_conditional_comments_are_dropped(
        qtbot: QtBot, edit: RichTextEdit) -> None:
    _paste(qtbot, edit, html=word.OUTLOOK, text="·\tHousing\n·\tJobs")
    assert edit.markdown() == "- Housing\n- Jobs"


def test_the_first_pasted_paragraph_never_becomes_a_bullet_after_a_list(
        qtbot: QtBot, edit: RichTextEdit) -> None:
    edit.set_markdown(ENDS_WITH_A_LIST)
    _paste_at_end(qtbot, edit, word.PARAGRAPHS_THEN_LIST)
    assert edit.markdown() == (
        "Our context.\n\n- language courses\n- jobs\n\n"
        "Le Conseil fédéral a adopté une stratégie.\n\n"
        "Elle repose sur trois piliers\xa0:\n\n"
        "- l’accueil\n- l’emploi"
    )


def test_a_paragraph_pasted_in_an_empty_item_after_a_list_is_a_paragraph(
        qtbot: QtBot, edit: RichTextEdit) -> None:
    edit.set_markdown(ENDS_WITH_A_LIST)
    cursor = edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.insertBlock()  # Enter at the end of the last item: a new, empty item
    edit.setTextCursor(cursor)
    assert edit.textCursor().currentList() is not None
    _paste(qtbot, edit, html=word.clipboard(word.normal("Un paragraphe.")), text="Un paragraphe.")
    assert edit.markdown() == "Our context.\n\n- language courses\n- jobs\n\nUn paragraphe."


def test_a_numbered_heading_keeps_its_number_as_text() -> None:
    heading = ("<h1 style='margin-left:21.6pt;text-indent:-21.6pt;mso-list:l2 level1 lfo3'>"
               "<![if !supportLists]><span style='mso-list:Ignore'>1.<span style='font:7.0pt "
               "\"Times New Roman\"'>&nbsp;&nbsp; </span></span><![endif]>Contexte</h1>")
    out = word_lists_to_html(word.clipboard(heading))
    assert "supportLists" not in out
    assert ">1.<" in out.replace("<span style='font:7.0pt \"Times New Roman\"'>", "<")
