"""The history of a submission: the versions, a readable diff against the current text, and
restoring an old version without losing the current one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.submissions import SaveReason
from idm_desktop.ui.submissions.history import deleted_style, diff_html, inserted_style
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import (
    FIRST,
    INTEGRATION,
    SECOND,
    close_view,
    on_disk,
    open_editor,
    shown_view,
    type_text,
)

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    r"This plugin does not support raise\(\)",
)

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def view(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[SubmissionsView]:
    shown = shown_view(qtbot, desktop, tasks)
    yield shown
    close_view(qtbot, shown, tasks)


def test_history_shows_a_diff_and_restores_a_version(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", "fr", "Aperçu").id
    editor = open_editor(qtbot, view, sid)
    edit = editor.sections[FIRST].edit
    type_text(edit, "Premier jet sur l’accueil.")
    with qtbot.waitSignal(editor.saver.sig_saved, timeout=3000):
        qtbot.keyClick(edit, Qt.Key.Key_S, CTRL)
    qtbot.keyClick(edit, Qt.Key.Key_A, CTRL)
    type_text(edit, "Second jet sur l’emploi.")
    # Ctrl+Shift+H (Ctrl+H is Replace, as in word processors): saves first, then the versions
    qtbot.keyClick(edit, Qt.Key.Key_H, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: editor.history_dialog is not None and editor.history_dialog.isVisible(),
                    timeout=5000)
    dialog = editor.history_dialog
    assert dialog is not None
    reasons = [str(dialog.model.index(r, 2).data()) for r in range(dialog.model.rowCount())]
    assert reasons == ["autosave", "saved by you", "created"]  # the newest first
    words = [str(dialog.model.index(r, 4).data()) for r in range(dialog.model.rowCount())]
    assert words == ["4", "4", "0"]
    # The newest version is the text in the editor.
    assert "No differences" in dialog.diff_view.toPlainText()
    dialog.table.selectRow(1)
    shown = dialog.diff_view.toHtml()
    assert "Premier" in dialog.diff_view.toPlainText()
    assert "Second" in dialog.diff_view.toPlainText()
    assert "Contexte national et priorités" in dialog.diff_view.toPlainText()
    def background(style: str) -> str:
        return style.split("background-color:")[1].split(";")[0]

    assert background(deleted_style()) in shown  # struck through in red: gone since that version
    assert background(inserted_style()) in shown  # green: added since
    with qtbot.waitSignal(editor.sig_saved, timeout=5000):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert editor.history_dialog is None or not editor.history_dialog.isVisible()
    assert edit.markdown() == "Premier jet sur l’accueil."
    with on_disk(desktop) as disk:
        assert disk.submission(sid).text_of(FIRST) == "Premier jet sur l’accueil."
        history = disk.history(sid)
    assert history[-1].reason is SaveReason.RESTORE
    assert any(h.body.get(FIRST) == "Second jet sur l’emploi." for h in history)  # kept
    assert not editor.saver.has_unsaved()


def test_the_diff_is_by_section_and_by_word(desktop: DesktopApp) -> None:
    sub = desktop.new_submission(INTEGRATION, "CHE", "en")
    template = desktop.template_of(sub)
    html = diff_html(template, "fr", "Old title", {FIRST: "We welcome **many** people.",
                                                   SECOND: "Same."},
                     "New title", {FIRST: "We welcome many <people> & families.",
                                   SECOND: "Same."})
    assert "Contexte national et priorités" in html
    assert "Cadre politique" not in html  # unchanged sections are left out
    DELETED_STYLE, INSERTED_STYLE = deleted_style(), inserted_style()
    assert f'<span style="{INSERTED_STYLE}">&lt;people&gt; &amp; families.</span>' in html
    assert f'<span style="{DELETED_STYLE}">people.</span>' in html
    assert f'<span style="{DELETED_STYLE}">Old</span><span style="{INSERTED_STYLE}">New</span> title' in html
    only_format = diff_html(template, "en", "T", {FIRST: "a **b**"}, "T", {FIRST: "a b"})
    assert "Only the formatting changed" in only_format


def test_an_editing_sessions_autosaves_read_as_one_entry_and_a_version_can_be_named(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView) -> None:
    sid = desktop.new_submission(INTEGRATION, "CHE", "en", "Overview").id
    for text in ("Our", "Our policy", "Our policy works."):
        desktop.edit(sid, {FIRST: text}, reason=SaveReason.AUTOSAVE)
    desktop.edit(sid, {FIRST: "Our policy works well."}, reason=SaveReason.MANUAL)
    editor = open_editor(qtbot, view, sid)
    qtbot.keyClick(editor.sections[FIRST].edit, Qt.Key.Key_H, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: editor.history_dialog is not None and editor.history_dialog.isVisible(),
                    timeout=5000)
    dialog = editor.history_dialog
    assert dialog is not None

    def column(c: int) -> list[str]:
        return [str(dialog.model.index(r, c).data()) for r in range(dialog.model.rowCount())]

    assert column(0) == ["5", "2–4", "1"]  # numbered in this submission, newest first
    assert column(2) == ["saved by you", "edited: 3 autosaves", "created"]
    dialog.every_box.setChecked(True)  # every version is still there, and restorable
    assert column(0) == ["5", "4", "3", "2", "1"]
    dialog.every_box.setChecked(False)
    dialog.table.selectRow(1)
    assert dialog.selected_entry() is not None
    assert dialog.selected_entry().version == 4  # the session's last text
    qtbot.mouseClick(dialog.name_button, Qt.MouseButton.LeftButton)
    assert dialog.name_dialog is not None
    dialog.name_dialog.setTextValue("sent to the ministry")
    with qtbot.waitSignal(dialog.model.modelReset, timeout=5000):
        dialog.name_dialog.accept()
    assert column(2)[1] == "“sent to the ministry” — edited: 3 autosaves"
    assert dialog.selected_entry() is not None
    assert dialog.selected_entry().version == 4  # still selected
    with on_disk(desktop) as disk:
        assert [e.name for e in disk.history(sid)] == [None, None, None, "sent to the ministry", None]
    with qtbot.waitSignal(editor.sig_saved, timeout=5000):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    with on_disk(desktop) as disk:
        last = disk.history(sid)[-1]
    assert (last.version, last.restored_from) == (6, 4)
