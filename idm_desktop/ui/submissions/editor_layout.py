"""The editor's widgets and their arrangement (the behaviour is in editor.py)."""

from __future__ import annotations

import html
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.core.formatting import local, long_date
from idm_desktop.core.i18n import _, plural, ui_language
from idm_desktop.core.submissions import Submission, SubmissionStatus
from idm_desktop.core.templates import Template
from idm_desktop.core.text import pick
from idm_desktop.core.word_draft import NOT_PLACED_KEY
from idm_desktop.ui.formatting import (
    TextSize,
    Tone,
    banner_style,
    format_datetime,
    set_text_size,
    show_focus,
    tint,
    untint,
)
from idm_desktop.ui.submissions.check_panel import CheckPanel
from idm_desktop.ui.submissions.editor_data import EditorData
from idm_desktop.ui.submissions.gauge import PageGauge
from idm_desktop.ui.submissions.rich_text import is_bold, is_ordered
from idm_desktop.ui.submissions.text_edit import RichTextEdit

HEADING_STYLE = "font-weight: 600;"


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet(HEADING_STYLE)
    return label


class EditorLayout(QWidget):
    """Header (back, title, history, export), status line, banner, formatting toolbar,
    the sections in a scroll area, and a side panel with the page gauge and the check."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submission_editor")
        self.back_button = QPushButton(_("← Back to the list"), self)
        self.back_button.setAccessibleName(_("Back to the list"))
        self.back_button.setToolTip(QKeySequence(QKeySequence.StandardKey.Back).toString(
            QKeySequence.SequenceFormat.NativeText))
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("submission_title")
        self.title_edit.setAccessibleName(_("Title of the submission"))
        self.title_edit.setPlaceholderText(_("Title of the submission"))
        set_text_size(self.title_edit, TextSize.TITLE, bold=False)
        self.import_docx_button = self._button(_("Import Word…"), _("Import a Word draft"),
                                               "Ctrl+Shift+I")
        self.history_button = self._button(_("History…"), _("History of the submission"), "Ctrl+Shift+H")
        self.export_pdf_button = self._button(_("Export to PDF…"), _("Export to PDF"), "Ctrl+E")
        self.export_docx_button = self._button(_("Export to Word…"), _("Export to Word (DOCX)"),
                                                 "Ctrl+Shift+E")
        self.submit_button = self._button(_("Submit…"), _("Submit to the secretariat"), "Ctrl+Shift+Return")
        self.submit_button.setObjectName("submit")
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addStretch(1)
        for button in (self.import_docx_button, self.history_button, self.export_pdf_button,
                       self.export_docx_button, self.submit_button):
            header.addWidget(button)

        self.meta_label = QLabel(self)
        self.meta_label.setTextFormat(Qt.TextFormat.PlainText)
        self.meta_label.setObjectName("submission_meta")
        self.meta_label.setWordWrap(True)
        tint(self.meta_label, Tone.MUTED)
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setObjectName("save_status")
        self.status_label.setAccessibleName(_("Save status"))
        self.export_label = QLabel(self)
        self.export_label.setTextFormat(Qt.TextFormat.PlainText)
        self.export_label.setObjectName("export_status")
        self.open_button = QPushButton(_("Open"), self)
        self.open_button.setAccessibleName(_("Open the exported file"))
        self.open_button.hide()
        # The title on a line of its own, the whole width: it is a line of the printed page, and
        # beside the commands it was left a few letters at common window widths.
        self.title_edit.setMinimumWidth(0)
        # Why this account is not offered Submit, and who can send the text (DESIGN §13).
        self.submit_note = QLabel(self)
        self.submit_note.setTextFormat(Qt.TextFormat.PlainText)
        self.submit_note.setObjectName("submit_note")
        self.submit_note.setWordWrap(True)
        tint(self.submit_note, Tone.MUTED)
        self.submit_note.hide()
        status_row = QHBoxLayout()
        status_row.addWidget(self.meta_label, 1)
        status_row.addWidget(self.status_label)
        status_row.addSpacing(16)
        status_row.addWidget(self.export_label)
        status_row.addWidget(self.open_button)

        self.banner = QLabel(self)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setObjectName("frozen_banner")
        self.banner.setWordWrap(True)
        tint(self.banner, lambda: banner_style(Tone.WARNING, "QLabel#frozen_banner", "QLabel#frozen_banner")
             + " QLabel#frozen_banner { padding: 8px; }")
        self.banner.setAccessibleName(_("This submission is read only"))
        self.banner.hide()
        self.correct_button = QPushButton(_("Prepare a correction"), self)
        self.correct_button.setObjectName("prepare_correction")
        self.correct_button.setAccessibleName(_("Prepare a correction"))
        self.correct_button.setToolTip(_("A new draft with this text, which replaces this submission once "
                                         "you submit it"))
        self.correct_button.hide()
        self.withdraw_button = QPushButton(_("Withdraw…"), self)
        self.withdraw_button.setObjectName("withdraw")
        self.withdraw_button.setAccessibleName(_("Withdraw the submission"))
        self.withdraw_button.setToolTip(_("Take this submission back from the secretariat, saying why"))
        self.withdraw_button.hide()
        # A newer template is offered, never forced; text it has no section for stays in view.
        self.template_button = QPushButton(self)
        self.template_button.setObjectName("move_template")
        self.template_button.hide()
        self.kept_label = QLabel(self)
        self.kept_label.setObjectName("kept_text")
        self.kept_label.setTextFormat(Qt.TextFormat.PlainText)
        self.kept_label.setWordWrap(True)
        self.kept_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tint(self.kept_label, lambda: banner_style(Tone.WARNING, "QLabel#kept_text", "QLabel#kept_text")
             + " QLabel#kept_text { padding: 8px; }")
        self.kept_label.hide()

        # Conflicts with the server's text: said above the text, with the way out beside it.
        self.conflict_banner = QFrame(self)
        self.conflict_banner.setObjectName("conflict_banner")
        tint(self.conflict_banner, lambda: banner_style(Tone.ERROR, "QFrame#conflict_banner"))
        self.conflict_label = QLabel(self.conflict_banner)
        self.conflict_label.setTextFormat(Qt.TextFormat.PlainText)
        self.conflict_label.setObjectName("conflict_message")
        self.conflict_label.setWordWrap(True)
        self.resolve_button = QPushButton(_("Resolve…"), self.conflict_banner)
        self.resolve_button.setAccessibleName(_("Resolve the conflicts"))
        conflict_row = QHBoxLayout(self.conflict_banner)
        conflict_row.setContentsMargins(8, 4, 8, 4)
        conflict_row.addWidget(self.conflict_label, 1)
        conflict_row.addWidget(self.resolve_button)
        self.conflict_banner.hide()

        self.toolbar = QToolBar(_("Formatting"), self)
        self.toolbar.setAccessibleName(_("Formatting"))
        self.format_actions: dict[str, QAction] = {}
        for command, text, name, keys in (
            # TRANSLATORS: the one-letter label of the Bold button ("G" in French).
            ("bold", _("B"), _("Bold"), "Ctrl+B"),
            # TRANSLATORS: the one-letter label of the Italic button ("I" in French).
            ("italic", _("I"), _("Italic"), "Ctrl+I"),
            ("bullets", _("• List"), _("Bulleted list"), "Ctrl+Shift+8"),
            ("numbers", _("1. List"), _("Numbered list"), "Ctrl+Shift+7"),
            ("link", _("Link…"), _("Link"), "Ctrl+K"),
        ):
            act = QAction(text, self)
            act.setCheckable(command != "link")
            native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            act.setToolTip(f"{name} ({native})")
            self.toolbar.addAction(act)
            tool = self.toolbar.widgetForAction(act)
            tool.setAccessibleName(name)
            if command in ("bold", "italic"):
                bfont = QFont(tool.font())
                bfont.setBold(command == "bold")
                bfont.setItalic(command == "italic")
                tool.setFont(bfont)
            self.format_actions[command] = act

        self.intro_label = QLabel(self)
        self.intro_label.setTextFormat(Qt.TextFormat.PlainText)
        self.intro_label.setWordWrap(True)
        tint(self.intro_label, Tone.MUTED)
        self.sections_host = QWidget(self)
        self.sections_host.setObjectName("sections")
        self.sections_layout = QVBoxLayout(self.sections_host)
        self.sections_layout.setContentsMargins(12, 8, 16, 8)
        self.sections_layout.addWidget(self.intro_label)
        self.sections_layout.addStretch(1)
        # The writing column: the whole width there is, up to a comfortable line (about 95
        # characters), then centred; it grows with the window.
        self.sections_host.setMaximumWidth(self.reading_width())
        column = QWidget(self)
        column.setObjectName("writing_column")
        column_layout = QHBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(0)
        column_layout.addStretch(1)
        column_layout.addWidget(self.sections_host, 1000)
        column_layout.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(column)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.toolbar)
        content_layout.addWidget(self.scroll_area, 1)
        self.content_layout = content_layout

        self.side = self._side_panel()
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(content)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([900, 260])
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.title_edit)
        layout.addLayout(status_row)
        layout.addWidget(self.submit_note)
        layout.addWidget(self.banner)
        sent_row = QHBoxLayout()
        sent_row.addWidget(self.correct_button)
        sent_row.addWidget(self.withdraw_button)
        sent_row.addStretch(1)
        layout.addLayout(sent_row)
        layout.addWidget(self.template_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.kept_label)
        layout.addWidget(self.conflict_banner)
        layout.addWidget(splitter, 1)

    def _button(self, text: str, name: str, keys: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setToolTip(f"{name} ({QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)})")
        return button

    def _side_panel(self) -> QWidget:
        outer = QScrollArea(self)
        outer.setObjectName("editor_side_panel")
        outer.setWidgetResizable(True)
        outer.setFrameShape(QFrame.Shape.NoFrame)
        show_focus(outer, framed=False)  # a Tab stop (arrows scroll it): it must show when it has the focus
        outer.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.setMinimumWidth(270)
        outer.setMaximumWidth(420)
        outer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        side = QWidget(outer)
        self.gauge = PageGauge(side)
        self.total_label = QLabel(side)
        self.total_label.setObjectName("total_words")
        self.check_panel = CheckPanel(side)
        self.questions_heading = _heading(_("Guiding questions of the workshop"), side)
        self.questions_label = QLabel(side)
        self.questions_label.setWordWrap(True)
        self.questions_label.setTextFormat(Qt.TextFormat.RichText)
        tint(self.questions_label, Tone.MUTED)
        layout = QVBoxLayout(side)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addWidget(_heading(_("Length"), side))
        layout.addWidget(self.gauge)
        layout.addWidget(self.total_label)
        layout.addSpacing(12)
        self.check_heading = _heading(_("Check"), side)
        layout.addWidget(self.check_heading)
        layout.addWidget(self.check_panel, 1)
        layout.addSpacing(12)
        layout.addWidget(self.questions_heading)
        layout.addWidget(self.questions_label)
        layout.addStretch(0)
        outer.setWidget(side)
        return outer

    # -- filling in ------------------------------------------------------------------------------

    def reading_width(self) -> int:
        """The widest the writing column gets: about 95 characters of the text's font, and its
        margins (guidance and text share it, one above the other)."""
        return self.fontMetrics().horizontalAdvance("x" * 95) + 60

    def show_header(self, data: EditorData) -> None:
        sub = data.submission
        parts = [data.workshop.title_in(data.ui_language) if data.workshop else sub.workshop_id,
                 data.country, data.language]
        if data.deadline:
            parts.append(data.deadline)
        self.meta_label.setText(" · ".join(parts))
        self.intro_label.setText(pick(data.template.intro, data.ui_language))
        questions = data.workshop.questions_in(data.ui_language) if data.workshop else ()
        self.questions_label.setText(
            "<ul style='margin-left:-20px'>"
            + "".join(f"<li>{html.escape(q)}</li>" for q in questions) + "</ul>")
        self.questions_heading.setVisible(bool(questions))
        self.questions_label.setVisible(bool(questions))

    def show_banner(self, sub: Submission, read_only: bool, *, may_withdraw: bool = False,
                    withdrawal_pending: bool = False) -> None:
        # A sent text is not checked any more: what it lacks is for the next submission.
        self.check_heading.setVisible(not read_only)
        self.check_panel.setVisible(not read_only)
        # A sent text is corrected by a new submission that supersedes it (one correction each).
        self.correct_button.setVisible(read_only and bool(sub.receipt_no) and not sub.superseded_by)
        self.withdraw_button.setVisible(read_only and may_withdraw and sub.status.withdrawable
                                        and not withdrawal_pending)
        if not read_only:
            self.banner.hide()
            return
        if withdrawal_pending and sub.status is not SubmissionStatus.WITHDRAWN:
            self.banner.setText(_("Withdrawal asked for: it is sent to the secretariat with the next sync."))
            self.banner.show()
            return
        if sub.status is SubmissionStatus.RETURNED:
            note = sub.return_note or ""
            text = _("The secretariat returned it for correction: “{note}”").format(note=note)
        elif sub.status is SubmissionStatus.RECEIVED and sub.receipt_no:
            received = local(sub.received_at or sub.updated_at)
            text = _("Submitted — receipt {receipt} received {date}.").format(
                receipt=sub.receipt_no, date=long_date(received.date(), ui_language()))
            text += " " + _("This text is final and can no longer be edited.")
        elif sub.status is SubmissionStatus.PUBLISHED:
            text = _("Published in the migration policy database. This text is final and can "
                     "no longer be edited.")
        elif sub.status is SubmissionStatus.WITHDRAWN:
            text = _("Withdrawn. This text can no longer be edited.")
        elif sub.status.editable:
            # Still a draft: read only because the account reviews (DESIGN §13).
            self.banner.setText(_("You review this text: comment, clear or return it in the Review pane. "
                                  "Reviewers do not edit the text itself."))
            self.banner.show()
            return
        else:
            # Submitted here, not yet received: say that it still waits to be sent.
            text = _("Submitted on {date} — waiting to be sent to the secretariat. The text is frozen "
                     "and can no longer be edited.").format(date=format_datetime(sub.updated_at))
        if sub.superseded_by:
            self.banner.setText(text + " " + _("A correction replaces it."))
        elif self.correct_button.isVisibleTo(self):
            self.banner.setText(text)  # the button below says what to do
        else:
            self.banner.setText(text + " " + _("To correct it, start a new submission that "
                                               "supersedes it."))
        self.banner.show()

    def show_template(self, sub: Submission, template: Template, newer: Template | None) -> None:
        """Offer the newer template (drafts only), and show the text kept from an earlier one."""
        if newer is not None:
            self.template_button.setText(_("Use the newer template (version {version})…").format(
                version=newer.version))
            self.template_button.setToolTip(_("Sections move by key; text the new template has no section "
                                              "for is kept and shown here."))
        self.template_button.setVisible(newer is not None)
        kept = [(key, text.strip()) for key, text in sub.body.items()
                if key not in (*template.keys, NOT_PLACED_KEY) and text.strip()]
        self.kept_label.setText("\n\n".join(
            _("Kept from the earlier template — “{key}”:").format(key=key) + "\n" + text
            for key, text in kept))
        self.kept_label.setVisible(bool(kept))

    def show_conflicts(self, names: tuple[str, ...]) -> None:
        """The banner over the text while sections wait to be resolved."""
        n = len(names)
        self.conflict_label.setText(plural(
            "Conflicts wait in {n} section: {names}. Your text there is kept until you choose.",
            "Conflicts wait in {n} sections: {names}. Your text there is kept until you choose.", n,
            names="; ".join(names)))
        self.conflict_label.setAccessibleName(self.conflict_label.text())
        self.conflict_banner.setVisible(bool(names))

    def set_tab_order(self, edits: list[QWidget]) -> None:
        """Tab goes from the title through the sections, then to the commands and the check."""
        chain = [self.back_button, self.correct_button, self.withdraw_button, self.resolve_button,
                 self.title_edit, *edits,
                 self.history_button,
                 self.export_pdf_button, self.export_docx_button, self.submit_button, self.open_button,
                 self.check_panel.view, self.check_panel.check_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def show_submit_state(self, enabled: bool, refusal: str, conflicts: bool) -> None:
        """Offer Submit, or say why not: who can send the text where this account cannot (on a line
        under the header and on the button), or the conflicts to resolve first."""
        self.submit_button.setEnabled(enabled)
        self.submit_note.setText(refusal)
        self.submit_note.setVisible(bool(refusal))
        if refusal:
            tip = refusal
        elif conflicts:
            tip = _("Resolve the conflicts first.")
        else:
            keys = QKeySequence("Ctrl+Shift+Return").toString(QKeySequence.SequenceFormat.NativeText)
            tip = _("Submit to the secretariat") + f" ({keys})"
        self.submit_button.setToolTip(tip)

    def set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        if error:
            tint(self.status_label, Tone.ERROR)
        else:
            untint(self.status_label)
        if not error:
            self.status_label.setToolTip("")

    def _update_format_actions(self, edit: RichTextEdit) -> None:
        fmt = edit.currentCharFormat()
        lst = edit.textCursor().currentList()
        self.format_actions["bold"].setChecked(is_bold(fmt))
        self.format_actions["italic"].setChecked(fmt.fontItalic())
        self.format_actions["bullets"].setChecked(lst is not None and not is_ordered(lst.format()))
        self.format_actions["numbers"].setChecked(lst is not None and is_ordered(lst.format()))
