"""The submission editor: the template's sections with their guidance, saved as you type."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QApplication, QWidget

from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import _, ngettext
from idm_desktop.core.submissions import SaveReason, Submission, status_label
from idm_desktop.core.word_draft import NOT_PLACED_KEY
from idm_desktop.export import ExportContext
from idm_desktop.ui.formatting import format_datetime, format_number, format_time
from idm_desktop.ui.submissions.autosave import Autosaver, SaveState, Snapshot
from idm_desktop.ui.submissions.editing import EditingTools
from idm_desktop.ui.submissions.editor_data import EditorData, load_editor_data
from idm_desktop.ui.submissions.editor_layout import EditorLayout
from idm_desktop.ui.submissions.exporting import Exporter, ExportStatus
from idm_desktop.ui.submissions.gauge import LiveMeasure, Measure
from idm_desktop.ui.submissions.highlights import bring_into_view, find_words, quote_selections
from idm_desktop.ui.submissions.history import HistoryDialog
from idm_desktop.ui.submissions.history_control import HistoryControl
from idm_desktop.ui.submissions.section import SectionWidget
from idm_desktop.ui.submissions.submitting import Submitter
from idm_desktop.ui.submissions.text_edit import RichTextEdit
from idm_desktop.ui.submissions.void_guard import VoidGuard
from idm_desktop.ui.submissions.withdrawing import Withdrawer
from idm_desktop.ui.submissions.word_import import WordImporter, not_placed_section
from idm_desktop.ui.tasks import Lane, TaskManager

SAVING_NOTICE_MS = 400  # "Saving…" only for a save that takes long enough to notice


class SubmissionEditor(EditorLayout):
    """Edits one submission; every change reaches the disk without being asked for."""

    sig_saved = Signal(object)
    """A save of this editor's text reached the disk (the :class:`Submission` as saved)."""

    sig_opened = Signal(str)
    """A submission was loaded into the editor (its id)."""

    sig_back_requested = Signal()
    """The user asked to go back to the list of submissions."""

    sig_resolve_requested = Signal(str)
    """The user asked to resolve the conflicts of the open submission (its id)."""

    sig_correction_requested = Signal(str)
    """The user asked for a correction of the open (sent) submission (its id)."""

    sig_submitted = Signal(str)
    """The open submission was frozen and queued for the secretariat (its id)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._tasks = tasks
        self.data: EditorData | None = None
        self.sections: dict[str, SectionWidget] = {}
        self.history = HistoryControl(app, tasks, self)
        self.history.sig_restored.connect(self._on_restored)
        self._current_edit: RichTextEdit | None = None
        self.saver = Autosaver(app, tasks, self.snapshot, self)
        self.saver.sig_state_changed.connect(self._on_saver_state_changed)
        self.saver.sig_saved.connect(self._on_saver_saved)
        self.live = LiveMeasure(tasks, self._measure_context, self)
        self.live.sig_measured.connect(self._on_live_measured)
        self.exporter = Exporter(app, tasks, self)
        self.export_status = ExportStatus(self.exporter, self.export_label, self.open_button,
                                          lambda: self.submission_id, tasks.default_error)
        self._saving_notice = QTimer(self)
        self._saving_notice.setObjectName("saving_notice")
        self._saving_notice.setSingleShot(True)
        self._saving_notice.setInterval(SAVING_NOTICE_MS)
        self._saving_notice.timeout.connect(self._on_saving_notice_timeout)
        self.word_importer = WordImporter(app, tasks, self)
        self.word_importer.sig_imported.connect(self._on_word_importer_imported)
        self.word_importer.sig_failed.connect(tasks.default_error)  # one clear line, nothing changed
        self.submitter = Submitter(app, tasks, self)
        self.submitter.sig_submitted.connect(self._on_submitter_submitted)
        self.submitter.sig_failed.connect(self._on_submitter_failed)
        self.submitter.sig_cancelled.connect(self._on_submitter_failed)
        self.withdrawer = Withdrawer(app, tasks, self)
        self.withdrawer.sig_withdrawn.connect(self.show_data)
        self.void_guard = VoidGuard(self)
        self._highlights: dict[str, list[str]] = {}
        self._build_actions()
        self.tools = EditingTools(app, tasks, self, lambda: [w.edit for w in self.sections.values()])
        self.content_layout.insertWidget(1, self.tools.find_bar)
        self.tools.find_bar.sig_hit_shown.connect(self._scroll_to_cursor)
        self.tools.set_print_request(self.print_now)
        self.back_button.clicked.connect(self._on_back_triggered)
        self.title_edit.textEdited.connect(self._on_title_edit_text_edited)
        self.title_edit.editingFinished.connect(lambda: self.saver.flush())
        self.history_button.clicked.connect(self._on_history_triggered)
        self.import_docx_button.clicked.connect(self.import_word_draft)
        self.export_pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.export_docx_button.clicked.connect(lambda: self.export("docx"))
        self.submit_button.clicked.connect(self.submit)
        self.resolve_button.clicked.connect(self._on_resolve_button_clicked)
        self.correct_button.clicked.connect(self._on_correct_button_clicked)
        self.withdraw_button.clicked.connect(lambda: self.withdrawer.withdraw(self.data))
        self.template_button.clicked.connect(self._on_template_button_clicked)
        self.check_panel.sig_section_requested.connect(self.show_section)
        self.check_panel.sig_check_requested.connect(self.live.now)

    def _build_actions(self) -> None:
        def action(text: str, keys: QKeySequence | str, slot: object) -> QAction:
            act = QAction(text, self)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.save_action = action(_("Save now"), "Ctrl+S", lambda: self.save_now(SaveReason.MANUAL))
        self.export_pdf_action = action(_("Export to PDF"), "Ctrl+E", lambda: self.export("pdf"))
        self.export_docx_action = action(_("Export to Word (DOCX)"), "Ctrl+Shift+E",
                                         lambda: self.export("docx"))
        self.history_action = action(_("History"), "Ctrl+Shift+H", self._on_history_triggered)
        self.import_docx_action = action(_("Import a Word draft"), "Ctrl+Shift+I",
                                         self.import_word_draft)
        self.submit_action = action(_("Submit to the secretariat"), "Ctrl+Shift+Return", self.submit)
        self.back_action = action(_("Back to the list"), QKeySequence(QKeySequence.StandardKey.Back),
                                  self._on_back_triggered)
        for command, act in self.format_actions.items():
            act.triggered.connect(lambda _checked=False, c=command: self._on_format_triggered(c))

    # -- opening -------------------------------------------------------------------------------

    @property
    def submission_id(self) -> str | None:
        return self.data.submission.id if self.data else None

    @property
    def read_only(self) -> bool:
        return self.data is None or not self.data.submission.status.editable or not self.data.may_edit

    def show_data(self, data: EditorData) -> None:
        """Show a submission loaded with :func:`load_editor_data`."""
        self.saver.flush()  # the text open before, and failed saves, are saved first
        self.saver.stop()
        self.live.stop()
        if data.submission.id != self.submission_id:
            self.export_status.clear()  # "Exported to …" spoke of the text open before
        self.data = data
        sub = data.submission
        for widget in self.sections.values():
            widget.setParent(None)
            widget.deleteLater()
        self.sections = {}
        shown = list(data.template.sections)
        if sub.text_of(NOT_PLACED_KEY).strip():
            shown.append(not_placed_section())  # after an import from Word, until distributed
        for number, section in enumerate(shown, start=1):
            widget = SectionWidget(section, number, sub.language, data.ui_language, self.sections_host)
            widget.set_markdown(sub.text_of(section.key))
            widget.sig_edited.connect(self._on_section_edited)
            edit = widget.edit
            self.tools.apply_zoom(edit)
            edit.sig_focus_left.connect(lambda: self.saver.flush())
            edit.sig_focus_entered.connect(lambda e=edit: self._on_edit_focus_entered(e))
            edit.cursorPositionChanged.connect(lambda e=edit: self._on_edit_cursor_moved(e))
            edit.currentCharFormatChanged.connect(lambda _f, e=edit: self._update_format_actions(e))
            edit.installEventFilter(self.void_guard)
            self.sections_layout.insertWidget(self.sections_layout.count() - 1, widget)
            self.sections[section.key] = widget
        self.set_tab_order([w.edit for w in self.sections.values()])
        self.tools.start_spelling(sub.language, enabled=not self.read_only)
        self.show_header(data)
        self.title_edit.setText(sub.title)
        self.title_edit.installEventFilter(self.void_guard)
        self.void_guard.arm(sub.status)
        read_only = self.read_only
        for widget in self.sections.values():
            widget.set_read_only(read_only)
        self.title_edit.setReadOnly(read_only)
        for act in self.format_actions.values():
            act.setEnabled(not read_only)
        self.save_action.setEnabled(not read_only)
        self.import_docx_action.setEnabled(not read_only)
        self.import_docx_button.setEnabled(not read_only)
        self.show_banner(sub, read_only, may_withdraw=data.may_withdraw,
                         withdrawal_pending=data.withdrawal_pending)
        self.show_conflicts(data.conflicts)
        self.show_template(sub, data.template, data.newer)
        self._update_submit()
        self._update_total()
        self.gauge.clear()
        if read_only:
            self.set_status(_("Read only ({status})").format(status=status_label(sub.status)))
        else:
            self.saver.start(sub.id, self.snapshot())
            # Nothing is saved yet in this session: "Saved at 02:57" would claim it was.
            self.set_status(_("Last saved {when}").format(when=format_datetime(sub.updated_at)))
        self.live.now()
        self.set_highlights(self._highlights)
        self.sig_opened.emit(sub.id)  # the view shows the editor: focus can go in now
        first = next(iter(self.sections.values()), None)
        if first is not None:
            self._current_edit = first.edit
            first.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def reload(self, data: EditorData) -> None:
        """Show the submission again after it changed on disk (a sync, a resolve), keeping the
        place: the scroll position, and the cursor in the section being edited."""
        bar = self.scroll_area.verticalScrollBar()
        position = bar.value()
        focused = next((k for k, w in self.sections.items() if w.edit.hasFocus()), None)
        cursor = self.sections[focused].edit.textCursor().position() if focused else 0
        outside = QApplication.focusWidget() if focused is None else None
        self.show_data(data)
        widget = self.sections.get(focused or "")
        if widget is not None:
            text_cursor = widget.edit.textCursor()
            text_cursor.setPosition(min(cursor, len(widget.edit.toPlainText())))
            widget.edit.setTextCursor(text_cursor)
            widget.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        elif outside is not None and not self.isAncestorOf(outside):
            outside.setFocus(Qt.FocusReason.OtherFocusReason)
        QTimer.singleShot(0, bar, lambda: bar.setValue(position))  # once the sections are laid out

    # -- the text ------------------------------------------------------------------------------

    def selection(self) -> tuple[str, str] | None:
        """The section and the words selected in it (what a comment is about), if any."""
        for key, widget in self.sections.items():
            if widget.edit is self._current_edit:
                words = widget.edit.textCursor().selectedText().replace("\u2029", "\n").strip()
                return (key, words) if words else None
        return None

    def set_highlights(self, words: dict[str, list[str]]) -> None:
        """Mark the words review comments are about, by section (DESIGN §13)."""
        self._highlights = dict(words)
        for key, widget in self.sections.items():
            widget.edit.setExtraSelections(quote_selections(widget.edit, self._highlights.get(key, [])))

    def show_words(self, section: str, words: str) -> None:
        """Bring ``words`` of ``section`` into view (a review comment chosen in the pane), with the
        chosen comment's stronger highlight on them; the text cursor and the focus stay put."""
        widget = self.sections.get(section)
        cursor = find_words(widget.edit, words) if widget is not None else None
        if widget is None or cursor is None:
            return
        highlights = dict(self._highlights)
        rest = [w for w in highlights.get(section, []) if w != words]
        highlights[section] = [words, *rest]
        self.set_highlights(highlights)
        bring_into_view(self.scroll_area, self.sections_host, widget.edit, cursor)

    def snapshot(self) -> Snapshot:
        """The editor's text now: Markdown per section, and the title."""
        return Snapshot({k: w.markdown() for k, w in self.sections.items()},
                        self.title_edit.text().strip())

    def _measure_context(self) -> tuple[ExportContext, dt.datetime] | None:
        if self.data is None:
            return None
        snap = self.snapshot()
        sub = self.data.submission
        body = dict(sub.body)
        body.update(snap.body)
        draft = dataclasses.replace(sub, body=body, title=snap.title)
        now = self._app.clock()
        ctx = ExportContext(submission=draft, template=self.data.template,
                            workshop=self.data.workshop, date=now.date())
        return ctx, now

    def _on_section_edited(self, _key: str) -> None:
        self.tools.find_bar.text_changed()
        self._update_total()
        self.saver.changed()
        self.live.schedule()

    def _on_title_edit_text_edited(self, _text: str) -> None:
        self.saver.changed()
        self.live.schedule()

    def _update_total(self) -> None:
        n = sum(w.words() for w in self.sections.values())
        self.total_label.setText(
            ngettext("Total: {n} word", "Total: {n} words", n).format(n=format_number(n)))

    def save_now(self, reason: SaveReason = SaveReason.AUTOSAVE) -> None:
        """Queue a save of any unsaved text on the storage lane."""
        queued = self.saver.flush(reason)
        if not queued and reason is SaveReason.MANUAL and self.saver.state is SaveState.SAVED:
            self.set_status(_("All changes are saved."))

    def leave(self) -> None:
        """The user leaves the editor: what is unsaved is saved."""
        self.saver.flush()

    def hideEvent(self, event: QHideEvent) -> None:
        self.leave()
        self.live.stop()  # no layout work for a text nobody sees
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.data is not None and self.live.idle():
            self.live.now()

    def _on_back_triggered(self) -> None:
        self.leave()
        self.sig_back_requested.emit()

    # -- saving state ----------------------------------------------------------------------------

    def _on_saver_state_changed(self, state: SaveState) -> None:
        if state is SaveState.SAVING:
            if not self._saving_notice.isActive():
                self._saving_notice.start()
            return
        self._saving_notice.stop()
        if state is SaveState.FAILED:
            self.set_status(_("Not saved — your text is still here and will be saved with "
                              "your next change."), error=True)
            self.status_label.setToolTip(str(self.saver.last_error or ""))
        elif self.saver.last_saved is not None and self.saver.last_saved.id == self.submission_id:
            self.set_status(_("Saved at {time}").format(
                time=format_time(self.saver.last_saved.updated_at)))

    def _on_saving_notice_timeout(self) -> None:
        if self.saver.state is SaveState.SAVING:
            self.set_status(_("Saving…"))

    def _on_saver_saved(self, sub: Submission) -> None:
        if self.data is not None and sub.id == self.data.submission.id:
            self.data = dataclasses.replace(self.data, submission=sub)
        self.sig_saved.emit(sub)

    # -- gauge and check ---------------------------------------------------------------------------

    def _on_live_measured(self, m: Measure) -> None:
        self.gauge.show_measure(m)
        self.check_panel.show_problems(m.report.problems)

    def show_section(self, key: str) -> None:
        """Scroll to section ``key`` and put the cursor in its text."""
        widget = self.sections.get(key)
        if widget is None:
            return
        self.scroll_area.verticalScrollBar().setValue(widget.y())
        widget.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_edit_cursor_moved(self, edit: RichTextEdit) -> None:
        if not edit.hasFocus():
            return
        self._scroll_to_cursor(edit)
        self._update_format_actions(edit)

    def _scroll_to_cursor(self, edit: RichTextEdit) -> None:
        rect = edit.cursorRect()
        point = edit.viewport().mapTo(self.sections_host, rect.center())
        self.scroll_area.ensureVisible(point.x(), point.y(), 10, rect.height() + 24)

    def print_now(self) -> None:
        """Print: the saved text as a PDF, opened in the computer's PDF viewer."""
        if self.data is not None:
            self.tools.print_pdf(self.data.submission.id, lambda: self.saver.flush())

    def _on_edit_focus_entered(self, edit: RichTextEdit) -> None:
        self._current_edit = edit
        self._update_format_actions(edit)

    def _on_format_triggered(self, command: str) -> None:
        edit = self._current_edit
        if edit is None or edit.isReadOnly():
            return
        edit.setFocus(Qt.FocusReason.OtherFocusReason)
        edit.run_command(command)
        self._update_format_actions(edit)

    # -- history --------------------------------------------------------------------------------

    @property
    def history_dialog(self) -> HistoryDialog | None:
        return self.history.dialog

    def _on_history_triggered(self) -> None:
        if self.data is not None:
            self.history.open(self.data.submission.id, self.data.template, self.data.submission.language,
                              self.snapshot, not self.read_only, self.saver.flush)

    def _on_restored(self, sub: Submission) -> None:
        if self.data is None or sub.id != self.data.submission.id:
            return
        self.data = dataclasses.replace(self.data, submission=sub)
        for key, widget in self.sections.items():
            widget.set_markdown(sub.text_of(key))
        self.title_edit.setText(sub.title)
        self._update_total()
        self.saver.start(sub.id, self.snapshot())
        self.live.now()
        self.set_status(_("Version restored at {time}").format(time=format_time(sub.updated_at)))
        self.sig_saved.emit(sub)

    # -- import from Word ------------------------------------------------------------------------

    def import_word_draft(self) -> None:
        """Ask for a .docx, show where its parts go, and import it on the user's word."""
        if self.data is None or self.read_only:
            return
        self.word_importer.start(self.data.submission.id, self.saver.flush)

    def _on_word_importer_imported(self, sub: Submission) -> None:
        if self.data is None or sub.id != self.data.submission.id:
            return
        self.reload(dataclasses.replace(self.data, submission=sub))
        self.set_status(_("Word draft imported at {time}").format(time=format_time(sub.updated_at)))
        self.sig_saved.emit(sub)

    # -- submit and conflicts ------------------------------------------------------------------------

    @property
    def can_submit(self) -> bool:
        """An editable text with no conflict waiting, no submit under way, and an account that
        may submit (where clearance is required, only a submitter does: never offered otherwise)."""
        return (self.data is not None and not self.read_only and not self.data.conflicts
                and not self.data.submit_refusal and not self.submitter.running)

    def _update_submit(self) -> None:
        refusal = self.data.submit_refusal if self.data is not None and not self.read_only else ""
        self.show_submit_state(self.can_submit, refusal, self.data is not None and bool(self.data.conflicts))
        self.submit_action.setEnabled(self.can_submit)
        self.submit_action.setStatusTip(refusal)

    def submit(self) -> None:
        """Confirm, save, check, then freeze the text and queue it for the secretariat."""
        if self.data is None or not self.can_submit:
            return
        self.submitter.submit(
            self.data.submission.id, self.title_edit.text().strip(),
            save_first=self._lock_for_submit,
            blocked=lambda: self.saver.last_error if self.saver.state is SaveState.FAILED else None)

    def _lock_for_submit(self) -> None:
        """The text being submitted stops changing here, before the last save is queued."""
        self.saver.flush()
        self._set_editable(False)
        self._update_submit()
        self.set_status(_("Submitting…"))

    def _set_editable(self, editable: bool) -> None:
        for widget in self.sections.values():
            widget.set_read_only(not editable)
        self.title_edit.setReadOnly(not editable)
        for act in self.format_actions.values():
            act.setEnabled(editable)

    def _on_submitter_submitted(self, sub: Submission) -> None:
        if self.data is not None and sub.id == self.data.submission.id:
            self.show_data(dataclasses.replace(self.data, submission=sub))
            self.set_status(_("Submitted: it is sent with the next sync."))
        self.sig_submitted.emit(sub.id)

    def _on_submitter_failed(self, _exc: BaseException | None = None) -> None:
        if self.data is not None and not self.read_only:
            self._set_editable(True)
            self.set_status(_("Not submitted."))
        self._update_submit()

    def _on_template_button_clicked(self) -> None:
        if self.data is None or self.read_only:
            return
        self.saver.flush()  # the text typed so far moves with the rest
        app, sid = self._app, self.data.submission.id

        def move() -> EditorData:
            app.move_to_template(sid)
            return load_editor_data(app, sid)

        self._tasks.run(move, lane=Lane.STORAGE, name="move template", on_done=self.show_data)

    def _on_correct_button_clicked(self) -> None:
        if self.data is not None:
            self.sig_correction_requested.emit(self.data.submission.id)

    def _on_resolve_button_clicked(self) -> None:
        if self.data is not None:
            self.saver.flush()
            self.sig_resolve_requested.emit(self.data.submission.id)

    def export(self, fmt: str) -> None:
        """Export to PDF or DOCX: choose a file, save, write."""
        if self.data is None:
            return
        self.export_status.asked(self.data.submission.id)
        self.exporter.export(
            self.data.submission.id, fmt, self.title_edit.text().strip(),
            save_first=lambda: self.saver.flush(),
            blocked=lambda: self.saver.last_error if self.saver.state is SaveState.FAILED else None)
