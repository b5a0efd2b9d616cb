"""What people trying clearance found in the window (DESIGN §13): Submit is not offered to a drafter
who may not send the text (and says who can), accepting a suggestion asks before it voids a review,
the Review pane speaks the submission's language, a chosen comment is shown in the text, and the
status bar tells submitters how many cleared drafts wait."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import set_ui_language
from idm_desktop.core.submissions import SubmissionStatus
from idm_desktop.server import accounts
from idm_desktop.ui.tasks import TaskManager
from tests.server.conftest import PASSWORD, Service, db_url, server_settings, service
from tests.ui.test_review_pane import TEXT, open_in_editor, pytestmark, settle, window_on

__all__ = ["db_url", "pytestmark", "server_settings", "service", "window_on"]


def test_submit_is_not_offered_to_a_drafter_who_may_not_send_and_says_who_can(
        qtbot: QtBot, tasks: TaskManager, window_on: Any, tmp_path: Path, service: Service) -> None:
    with service.ctx.db.write() as session:
        accounts.add_user(session, "ana", PASSWORD, ["drafter"], "MEX")
        accounts.add_user(session, "lucia", PASSWORD, ["submitter"], "MEX")
        accounts.set_delegation(session, "MEX", "required")
    ana = DesktopApp.open(tmp_path / "ana")
    try:
        ana.sync.login(service.url, "ana", PASSWORD, device_name="ana")
        sub = ana.new_submission("idm2006-integration", "MEX", "en", "Integration")
        ana.edit(sub.id, {"national_context": TEXT})
        window = window_on(ana)
        open_in_editor(qtbot, tasks, window, sub.id)
        editor = window.submissions.editor
        line = ("Only a submitter of your delegation can send it: lucia. Ask lucia to submit it "
                "once a reviewer has cleared it.")
        assert not editor.submit_button.isEnabled()
        assert not editor.submit_action.isEnabled()
        assert editor.submit_button.toolTip() == line
        assert editor.submit_note.text() == line
        assert editor.submit_note.isVisible()
        editor.submit()  # the shortcut does nothing either
        settle(qtbot, tasks)
        assert editor.submitter.box is None
        # Given the role, the button is offered (the check for clearance then says what is missing).
        with service.ctx.db.write() as session:
            accounts.set_roles(session, "ana", ["drafter", "submitter"])
        ana.sync.run()
        window.submissions.open_submission(sub.id)
        qtbot.waitUntil(editor.submit_button.isEnabled, timeout=10_000)
        assert "Only a submitter" not in editor.submit_button.toolTip()
        assert not editor.submit_note.isVisible()
        window.close()
        settle(qtbot, tasks)
    finally:
        ana.close()


def test_accepting_a_suggestion_on_a_text_in_review_asks_first(
        qtbot: QtBot, tasks: TaskManager, window_on: Any, tmp_path: Path) -> None:
    app = DesktopApp.open(tmp_path / "ana")
    try:
        sub = app.new_submission("idm2006-integration", "MEX", "en", "Integration")
        app.edit(sub.id, {"national_context": TEXT})
        suggestion = app.clearance.add_comment(sub.id, "national_context", "language courses", "Free?",
                                               suggestion="free language courses")
        app.clearance.request_review(sub.id, "Ready")
        window = window_on(app)
        open_in_editor(qtbot, tasks, window, sub.id)
        pane = window.review
        asked: list[SubmissionStatus] = []
        pane.ask_void = lambda _w, status: asked.append(status) or False
        pane.select_comment(suggestion)
        pane.accept_button.click()
        settle(qtbot, tasks)
        assert asked == [SubmissionStatus.IN_REVIEW]
        # "No": nothing changed, the review goes on.
        assert app.submission(sub.id).status is SubmissionStatus.IN_REVIEW
        assert app.submission(sub.id).text_of("national_context") == TEXT
        assert app.clearance.find_comment(suggestion).decision is None
        pane.ask_void = lambda _w, status: asked.append(status) or True
        pane.select_comment(suggestion)
        pane.accept_button.click()
        qtbot.waitUntil(lambda: app.submission(sub.id).status is SubmissionStatus.DRAFT, timeout=10_000)
        settle(qtbot, tasks)
        assert len(asked) == 2
        assert "free language courses" in app.submission(sub.id).text_of("national_context")
        window.close()
        settle(qtbot, tasks)
    finally:
        app.close()


@pytest.mark.parametrize(("lang", "title"), [("es", "Contexto nacional y prioridades"),
                                             ("fr", "Contexte national et priorités")])
def test_the_review_pane_titles_sections_in_the_submission_s_language(
        qtbot: QtBot, tasks: TaskManager, window_on: Any, tmp_path: Path, lang: str, title: str) -> None:
    app = DesktopApp.open(tmp_path / "ana")
    try:
        sub = app.new_submission("idm2006-integration", "MEX", lang, "Integración")
        app.edit(sub.id, {"national_context": "México ofrece cursos de idioma en cada ciudad."})
        app.clearance.add_comment(sub.id, "national_context", "cursos de idioma", "¿Gratuitos?")
        window = window_on(app)
        open_in_editor(qtbot, tasks, window, sub.id)
        pane = window.review
        editor_title = window.submissions.editor.sections["national_context"].title_label.text()
        assert pane.model.item(0).text() == title
        assert title in editor_title  # as the editor shows it
        window.close()
        settle(qtbot, tasks)
    finally:
        app.close()


LONG = ("Indicar el decreto de creación de la Junta Nacional de Migraciones y la fecha de su "
        "publicación en el Diario Oficial, con el número que le dio el Congreso.")


def test_the_review_pane_shows_whole_comments_wrapped_and_what_a_suggestion_proposes(
        qtbot: QtBot, tasks: TaskManager, window_on: Any, tmp_path: Path) -> None:
    app = DesktopApp.open(tmp_path / "ana")
    try:
        sub = app.new_submission("idm2006-integration", "MEX", "es", "Integración")
        app.edit(sub.id, {"national_context": "México ofrece cursos de idioma en cada ciudad."})
        app.clearance.add_comment(sub.id, "national_context", "México", LONG)
        app.clearance.add_comment(sub.id, "national_context", "cursos de idioma", "¿Gratuitos? " * 12,
                                  suggestion="cursos gratuitos de idioma")
        window = window_on(app)
        open_in_editor(qtbot, tasks, window, sub.id)
        pane = window.review
        tree = pane.tree
        section = pane.model.index(0, 0)
        rows = [pane.model.index(r, 0, section) for r in range(pane.model.rowCount(section))]
        texts = [row.data() for row in rows]
        assert LONG in texts[0]
        assert "Suggests: «cursos gratuitos de idioma»" in texts[1], texts[1]
        metrics = tree.fontMetrics()
        for row, text in zip(rows, texts, strict=True):
            rect = tree.visualRect(row)
            assert rect.width() < metrics.horizontalAdvance(LONG)  # the pane is narrower: it wraps
            # Tall enough for every wrapped line, so nothing is cut or elided.
            needed = metrics.boundingRect(0, 0, rect.width() - 4, 10_000,
                                          int(Qt.TextFlag.TextWordWrap), text).height()
            assert rect.height() >= needed, (rect, needed, text)
        # Narrower still: the rows grow.
        before = tree.visualRect(rows[0]).height()
        window.review_dock.setMinimumWidth(0)
        pane.setMinimumWidth(200)
        window.resizeDocks([window.review_dock], [200], Qt.Orientation.Horizontal)
        qtbot.waitUntil(lambda: tree.visualRect(rows[0]).height() > before, timeout=5000)
        window.close()
        settle(qtbot, tasks)
    finally:
        app.close()


def test_choosing_a_comment_scrolls_the_editor_to_its_words(
        qtbot: QtBot, tasks: TaskManager, window_on: Any, tmp_path: Path) -> None:
    app = DesktopApp.open(tmp_path / "ana")
    try:
        sub = app.new_submission("idm2006-integration", "MEX", "en", "Integration")
        filler = "\n\n".join(f"Paragraph {i} on the national context of the country." for i in range(40))
        keys = [s.key for s in app.template_of(sub).sections]
        last = keys[-1]
        app.edit(sub.id, {keys[0]: filler, last: filler + "\n\nAt the very end: a pilot programme."})
        far = app.clearance.add_comment(sub.id, last, "a pilot programme", "Which one?")
        near = app.clearance.add_comment(sub.id, keys[0], "Paragraph 0", "Start")
        window = window_on(app)
        window.resize(1400, 700)
        open_in_editor(qtbot, tasks, window, sub.id)
        editor = window.submissions.editor
        bar = editor.scroll_area.verticalScrollBar()
        bar.setValue(0)
        pane = window.review
        edit = editor.sections[last].edit

        def words_visible() -> bool:
            cursor = edit.document().find("a pilot programme")
            rect = edit.cursorRect(cursor)
            top = edit.viewport().mapTo(editor.scroll_area.viewport(), rect.topLeft())
            return 0 <= top.y() <= editor.scroll_area.viewport().height() - rect.height()

        assert not words_visible()
        pane.select_comment(far)
        qtbot.waitUntil(words_visible, timeout=5000)
        assert bar.value() > 0
        # ...highlighted as the chosen comment (the stronger highlight comes first).
        assert edit.extraSelections()[0].cursor.selectedText() == "a pilot programme"
        assert edit.extraSelections()[0].format.background().color().name() == "#ffd54f"
        pane.select_comment(near)
        qtbot.waitUntil(lambda: bar.value() < 100, timeout=5000)
        assert not words_visible()
        window.close()
        settle(qtbot, tasks)
    finally:
        app.close()


def test_the_status_bar_tells_a_submitter_how_many_cleared_drafts_wait(
        qtbot: QtBot, tasks: TaskManager, window_on: Any, tmp_path: Path, service: Service) -> None:
    with service.ctx.db.write() as session:
        accounts.add_user(session, "lucia", PASSWORD, ["drafter", "submitter"], "MEX")
        accounts.add_user(session, "rita", PASSWORD, ["reviewer"], "MEX")
    lucia = DesktopApp.open(tmp_path / "lucia")
    rita = DesktopApp.open(tmp_path / "rita")
    try:
        lucia.sync.login(service.url, "lucia", PASSWORD, device_name="lucia")
        rita.sync.login(service.url, "rita", PASSWORD, device_name="rita")
        subs = []
        for title in ("Integration", "Labour"):
            sub = lucia.new_submission("idm2006-integration", "MEX", "en", title)
            lucia.edit(sub.id, {"national_context": TEXT})
            lucia.clearance.request_review(sub.id, "Please clear")
            subs.append(sub.id)
        lucia.sync.run()
        rita.sync.run()
        for sid in subs:
            rita.clearance.clear(sid)
        rita.sync.run()
        lucia.sync.run()
        window = window_on(lucia)
        qtbot.waitUntil(lambda: window.review_label.text() == "2 cleared drafts wait to be sent",
                        timeout=10_000)
        # The next label's words do not run on from these: a clear gap between the two texts.
        review, counts = window.review_label, window.counts_label
        qtbot.waitUntil(lambda: bool(counts.text()), timeout=10_000)
        window.statusBar().layout().activate()  # the texts' new widths laid out, as before a paint
        review_end = (review.geometry().x() + review.contentsRect().x()
                      + review.fontMetrics().horizontalAdvance(review.text()))
        counts_start = counts.geometry().x() + counts.contentsRect().x()
        assert counts_start - review_end >= 16, (review_end, counts_start)
        # The reviewer's own window says nothing of it (she does not send them).
        reviewer = window_on(rita)
        assert reviewer.review_label.text() == ""
        window.close()
        reviewer.close()
        settle(qtbot, tasks)
    finally:
        lucia.close()
        rita.close()


@pytest.mark.parametrize(("lang", "one", "two"), [
    ("en", "1 cleared draft waits to be sent", "2 cleared drafts wait to be sent"),
    ("fr", "1 projet validé attend d’être envoyé", "2 projets validés attendent d’être envoyés"),
    ("es", "1 borrador aprobado espera su envío", "2 borradores aprobados esperan su envío")])
def test_the_submitter_s_count_speaks_each_language(
        qtbot: QtBot, tasks: TaskManager, window_on: Any, tmp_path: Path, lang: str, one: str, two: str,
) -> None:
    app = DesktopApp.open(tmp_path / "home")
    try:
        window = window_on(app)
        set_ui_language(lang)
        try:
            window.show_review_waiting(0, 1)
            assert window.review_label.text() == one
            window.show_review_waiting(0, 2)
            assert window.review_label.text() == two
            window.show_review_waiting(0, 0)
            assert window.review_label.text() == ""
        finally:
            set_ui_language("en")
        window.close()
        settle(qtbot, tasks)
    finally:
        app.close()
