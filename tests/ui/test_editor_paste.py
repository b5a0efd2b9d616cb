"""Pasting into a section: over a selection that ends in a list, and lists copied from Word."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from idm_desktop.ui.submissions.text_edit import RichTextEdit
from idm_desktop.ui.submissions.word_html import word_lists_to_html

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
