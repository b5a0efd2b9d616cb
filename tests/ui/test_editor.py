"""The submission editor as a delegate uses it: typing, formatting, the word counts, the page
gauge and the check, and the text reaching the disk without ever being asked for."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.errors import StorageError
from idm_desktop.core.submissions import SaveReason
from idm_desktop.ui.formatting import Tone, tone_color
from idm_desktop.ui.submissions.autosave import SaveState
from idm_desktop.ui.submissions.gauge import GaugeLevel
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

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
TYPOGRAPHY = ("L’État « réussie\u00a0»\u00a0; 10\u00a0000 personnes, 12\u202f500 ¿sí? ¡olé! "
              "Côte d’Ivoire, naïve")


@pytest.fixture
def view(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[SubmissionsView]:
    shown = shown_view(qtbot, desktop, tasks)
    yield shown
    close_view(qtbot, shown, tasks)


@pytest.fixture
def sid(desktop: DesktopApp) -> str:
    return desktop.new_submission(INTEGRATION, "CHE", "fr", "Politique d’intégration").id


def test_typing_is_autosaved_within_a_second_or_so(qtbot: QtBot, desktop: DesktopApp,
                                                   view: SubmissionsView, sid: str) -> None:
    editor = open_editor(qtbot, view, sid)
    # Nothing typed yet: not "Saved at …", which would claim a save of this session.
    opened = editor.status_label.text()
    assert opened.startswith("Last saved "), opened
    assert str(desktop.submission(sid).updated_at.astimezone().year) in opened  # with its date
    type_text(editor.sections[FIRST].edit, "La Suisse accueille.")
    typed_at = time.monotonic()
    with on_disk(desktop) as disk:
        qtbot.waitUntil(lambda: disk.submission(sid).text_of(FIRST) == "La Suisse accueille.",
                        timeout=2500)
        elapsed = time.monotonic() - typed_at
        history = disk.history(sid)
    assert 0.8 < elapsed < 2.0  # after the pause, not on every key; well within DESIGN §12
    assert history[-1].reason is SaveReason.AUTOSAVE
    assert history[-1].body[FIRST] == "La Suisse accueille."
    assert editor.status_label.text().startswith("Saved at ")


def test_ctrl_b_makes_bold_that_is_saved_as_markdown(qtbot: QtBot, desktop: DesktopApp,
                                                     view: SubmissionsView, sid: str) -> None:
    editor = open_editor(qtbot, view, sid)
    edit = editor.sections[FIRST].edit
    type_text(edit, "Une ")
    qtbot.keyClick(edit, Qt.Key.Key_B, CTRL)
    type_text(edit, "stratégie")
    qtbot.keyClick(edit, Qt.Key.Key_B, CTRL)
    type_text(edit, " et un ")
    qtbot.keyClick(edit, Qt.Key.Key_I, CTRL)  # italic: the window imports with Ctrl+O
    type_text(edit, "programme")
    qtbot.keyClick(edit, Qt.Key.Key_I, CTRL)
    type_text(edit, ".")
    assert editor.format_actions["bold"].isChecked() is False
    editor.save_now()
    with on_disk(desktop) as disk:
        qtbot.waitUntil(lambda: disk.submission(sid).text_of(FIRST) != "", timeout=3000)
        assert disk.submission(sid).text_of(FIRST) == "Une **stratégie** et un *programme*."


def test_typography_survives_a_save_and_a_reload_exactly(
        qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager, view: SubmissionsView,
        sid: str) -> None:
    editor = open_editor(qtbot, view, sid)
    type_text(editor.sections[FIRST].edit, TYPOGRAPHY)
    view.save_now()
    assert tasks.wait_idle()
    with on_disk(desktop) as disk:
        assert disk.submission(sid).text_of(FIRST) == TYPOGRAPHY
    qtbot.mouseClick(editor.back_button, Qt.MouseButton.LeftButton)
    assert view.stack.currentWidget() is view.list_page
    reopened = open_editor(qtbot, view, sid)
    edit = reopened.sections[FIRST].edit
    assert edit.document().toRawText() == TYPOGRAPHY  # toPlainText would turn NBSP to spaces
    assert edit.markdown() == TYPOGRAPHY
    assert not reopened.saver.has_unsaved()


def test_word_counts_follow_the_typing(qtbot: QtBot, view: SubmissionsView, sid: str) -> None:
    editor = open_editor(qtbot, view, sid)
    section = editor.sections[FIRST]
    assert section.words_label.text() == "0 words"
    type_text(section.edit, "Un")
    assert section.words_label.text() == "1 word"
    type_text(section.edit, " deux l’État")
    assert section.words_label.text() == "3 words"
    type_text(editor.sections[SECOND].edit, "quatre cinq")
    assert editor.sections[SECOND].words_label.text() == "2 words"
    assert editor.total_label.text() == "Total: 5 words"


def test_page_gauge_measures_and_turns_red_over_three_pages(
        qtbot: QtBot, view: SubmissionsView, sid: str) -> None:
    editor = open_editor(qtbot, view, sid)
    assert "of 2–3 pages" in editor.gauge.figure_label.text()
    assert editor.gauge.level is GaugeLevel.SHORT
    sentence = ("Le plan national d’intégration répartit les responsabilités entre l’État, "
                "les régions et les communes, avec des objectifs et des moyens. ")
    QApplication.clipboard().setText("\n\n".join(sentence * 6 for _ in range(40)))
    edit = editor.sections[SECOND].edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_V, CTRL)
    qtbot.waitUntil(lambda: editor.gauge.level is GaugeLevel.OVER, timeout=10_000)
    assert float(editor.gauge.figure_label.text().split()[0]) > 3
    assert tone_color(Tone.ERROR).name() in editor.gauge.figure_label.styleSheet()
    assert any(p.code == "too_long" for p in editor.live.last.report.problems)  # type: ignore[union-attr]


def test_leaving_a_section_saves_at_once(qtbot: QtBot, desktop: DesktopApp,
                                        view: SubmissionsView, sid: str) -> None:
    editor = open_editor(qtbot, view, sid)
    edit = editor.sections[FIRST].edit
    type_text(edit, "Texte")
    with qtbot.waitSignal(editor.saver.sig_saved, timeout=800):  # sooner than the pause
        qtbot.keyClick(edit, Qt.Key.Key_Tab)  # Tab moves on: the text keeps no tab
    assert not edit.hasFocus()
    with on_disk(desktop) as disk:
        assert disk.submission(sid).text_of(FIRST) == "Texte"


def test_save_now_then_waiting_for_the_lane_persists(
        qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager, view: SubmissionsView,
        sid: str) -> None:
    editor = open_editor(qtbot, view, sid)
    type_text(editor.sections[SECOND].edit, "Loi sur les étrangers")
    editor.title_edit.setFocus()
    type_text(editor.title_edit, " (2006)")
    view.save_now()  # what the window does on close, followed by:
    assert tasks.wait_idle()
    with on_disk(desktop) as disk:
        sub = disk.submission(sid)
    assert sub.text_of(SECOND) == "Loi sur les étrangers"
    assert sub.title == "Politique d’intégration (2006)"


def test_ctrl_s_saves_as_a_manual_version(qtbot: QtBot, desktop: DesktopApp,
                                          view: SubmissionsView, sid: str) -> None:
    editor = open_editor(qtbot, view, sid)
    edit = editor.sections[FIRST].edit
    type_text(edit, "Version voulue")
    with qtbot.waitSignal(editor.saver.sig_saved, timeout=800):
        qtbot.keyClick(edit, Qt.Key.Key_S, CTRL)
    with on_disk(desktop) as disk:
        assert disk.history(sid)[-1].reason is SaveReason.MANUAL


def test_a_failed_save_keeps_the_text_tells_once_and_retries(
        qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager, view: SubmissionsView,
        sid: str, monkeypatch: pytest.MonkeyPatch) -> None:
    editor = open_editor(qtbot, view, sid)
    shown: list[BaseException] = []
    monkeypatch.setattr(tasks, "default_error", shown.append)
    real_edit = desktop.edit

    def disk_full(*_args: object, **_kwargs: object) -> object:
        raise StorageError("The disk holding the library is full.")

    monkeypatch.setattr(desktop, "edit", disk_full)
    edit = editor.sections[FIRST].edit
    type_text(edit, "Premier")
    qtbot.waitUntil(lambda: "Not saved" in editor.status_label.text(), timeout=3000)
    with qtbot.waitSignal(editor.saver.sig_state_changed, timeout=3000,
                          check_params_cb=lambda state: state is SaveState.FAILED):
        type_text(edit, " second")
    editor.save_now()
    assert tasks.wait_idle()
    QApplication.processEvents()
    assert len(shown) == 1, "the error is shown once, not on every retry"
    assert edit.markdown() == "Premier second"  # still in the editor
    monkeypatch.setattr(desktop, "edit", real_edit)  # the disk has room again
    type_text(edit, ".")
    with on_disk(desktop) as disk:
        qtbot.waitUntil(lambda: disk.submission(sid).text_of(FIRST) == "Premier second.",
                        timeout=3000)
    qtbot.waitUntil(lambda: editor.status_label.text().startswith("Saved at"), timeout=2000)


def test_the_check_lists_an_empty_required_section_and_goes_there(
        qtbot: QtBot, view: SubmissionsView, sid: str) -> None:
    editor = open_editor(qtbot, view, sid)
    panel = editor.check_panel
    rows = [panel.model.index(r, 0) for r in range(panel.model.rowCount())]
    texts = [str(i.data()) for i in rows]
    wanted = "Error: Required section “Cadre politique et juridique” is empty"
    row = next(n for n, t in enumerate(texts) if t.startswith(wanted))
    panel.view.scrollTo(rows[row])
    rect = panel.view.visualRect(rows[row])
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.sections[SECOND].edit.hasFocus()
    type_text(editor.sections[SECOND].edit, "Loi de 2005.")
    qtbot.waitUntil(lambda: not any(t.startswith(wanted) for t in (
        str(panel.model.index(r, 0).data()) for r in range(panel.model.rowCount()))),
        timeout=5000)


def test_lists_and_links_from_the_keyboard(qtbot: QtBot, desktop: DesktopApp,
                                           view: SubmissionsView, sid: str) -> None:
    editor = open_editor(qtbot, view, sid)
    edit = editor.sections[FIRST].edit
    qtbot.keyClick(edit, Qt.Key.Key_8, CTRL | SHIFT)
    type_text(edit, "cours de langue\nemploi\n")
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # Enter on an empty item ends the list
    qtbot.keyClick(edit, Qt.Key.Key_7, CTRL | SHIFT)
    type_text(edit, "accueil\n\nVoir ")
    qtbot.keyClick(edit, Qt.Key.Key_K, CTRL)
    dialog = edit.link_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    type_text(dialog.text_edit, "la note")
    dialog.address_edit.setFocus()
    type_text(dialog.address_edit, "www.example.org/note")
    qtbot.keyClick(dialog.address_edit, Qt.Key.Key_Return)
    type_text(edit, " ici.")
    editor.save_now()
    expected = ("- cours de langue\n- emploi\n\n1. accueil\n\n"
                "Voir [la note](https://www.example.org/note) ici.")
    with on_disk(desktop) as disk:
        qtbot.waitUntil(lambda: disk.submission(sid).text_of(FIRST) == expected, timeout=3000)


def test_pasting_from_a_word_processor_keeps_only_the_subset(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView, sid: str) -> None:
    from PySide6.QtCore import QMimeData

    editor = open_editor(qtbot, view, sid)
    edit = editor.sections[FIRST].edit
    mime = QMimeData()
    mime.setHtml('<p style="font-family:Arial;color:red"><b>Gras</b> et <i>italique</i>'
                 ' <span style="font-size:30pt">grand</span></p><ul><li>un</li></ul>')
    mime.setText("Gras et italique grand\nun")
    QApplication.clipboard().setMimeData(mime)
    qtbot.keyClick(edit, Qt.Key.Key_V, CTRL)
    assert edit.markdown() == "**Gras** et *italique* grand\n\n- un"


def test_a_submitted_text_opens_read_only_with_a_banner(
        qtbot: QtBot, desktop: DesktopApp, view: SubmissionsView, sid: str) -> None:
    from idm_desktop.storage import submissions as subs_repo

    desktop.edit(sid, sections={FIRST: "Texte envoyé."})
    with desktop.db.session() as session:
        subs_repo.freeze(session, sid, author="test", now=desktop.clock())
    editor = open_editor(qtbot, view, sid)
    assert editor.banner.isVisible()
    assert "can no longer be edited" in editor.banner.text()
    edit = editor.sections[FIRST].edit
    assert edit.isReadOnly()
    assert editor.title_edit.isReadOnly()
    type_text(edit, "ajout")
    qtbot.keyClick(edit, Qt.Key.Key_B, CTRL)
    assert edit.markdown() == "Texte envoyé."
    assert not editor.format_actions["bold"].isEnabled()
    assert editor.saver.submission_id is None  # nothing to save, ever


def test_tab_goes_from_the_title_through_the_sections_to_the_commands(
        qtbot: QtBot, view: SubmissionsView, sid: str) -> None:
    editor = open_editor(qtbot, view, sid)
    editor.title_edit.setFocus()
    qtbot.waitUntil(editor.title_edit.hasFocus)
    order = []
    for _ in range(len(editor.sections) + 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [*(w.edit for w in editor.sections.values()), editor.history_button]
    for name in ("back_button", "title_edit", "history_button", "export_pdf_button",
                 "export_docx_button", "open_button"):
        assert getattr(editor, name).accessibleName(), name
    assert all(w.edit.accessibleName().startswith("Text of the section")
               for w in editor.sections.values())


def test_the_panel_finds_what_the_check_command_finds_once_saved(
        qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager, view: SubmissionsView,
        sid: str) -> None:
    editor = open_editor(qtbot, view, sid)
    type_text(editor.sections[FIRST].edit, "Un paragraphe.")
    with qtbot.waitSignal(editor.live.sig_measured, timeout=5000) as measured:
        qtbot.mouseClick(editor.check_panel.check_button, Qt.MouseButton.LeftButton)
    view.save_now()
    assert tasks.wait_idle()
    report = measured.args[0].report
    assert report == desktop.check(sid)  # the same rules on the same text, without the disk
