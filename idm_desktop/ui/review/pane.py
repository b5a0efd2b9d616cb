"""The Review pane beside the editor (DESIGN §13): where the draft stands, its comments by section
with their replies, and what the user's roles allow (ask for review, clear, return; reply,
resolve, reopen, accept or reject a suggestion). Every action is an outbox op, taken offline.

Storage work runs on the storage lane; the pane never touches the editor: it says which words
to highlight (:attr:`sig_highlights_changed`) and that the text changed (:attr:`sig_text_changed`),
and the window passes that on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.app import DesktopApp
from idm_desktop.app.review_views import Clearance, CommentView, anchor_label, decision_label
from idm_desktop.core.anchoring import AnchorState
from idm_desktop.core.clearance import Action, ReviewState, Role, may
from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import SubmissionStatus, status_label
from idm_desktop.ui.review.wrapping import WrappingTreeView
from idm_desktop.ui.tasks import TaskManager
from idm_desktop.ui.void_review import ask_with_dialog

COMMENT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, slots=True)
class ReviewData:
    """What the pane shows of one submission."""

    submission_id: str
    clearance: Clearance | None
    comments: tuple[CommentView, ...]
    roles: frozenset[Role]
    section_titles: dict[str, str]
    body: dict[str, str]
    status: SubmissionStatus = SubmissionStatus.DRAFT


def load_review(app: DesktopApp, sid: str) -> ReviewData:
    """Read on the storage lane."""
    sub = app.submission(sid)
    template = app.template_of(sub)
    # The submission's own language, as the editor titles its sections (not the window's).
    titles = {s.key: s.title_in(sub.language) for s in template.sections}
    return ReviewData(sub.id, app.clearance.clearance(sub.id),
                      tuple(app.clearance.comments(sub.id, everything=True)), app.clearance.roles(),
                      titles, dict(sub.body), sub.status)


def state_text(c: Clearance | None, status: SubmissionStatus = SubmissionStatus.DRAFT) -> str:
    """Where the draft stands, and who has the ball."""
    if c is not None and c.returned:
        return _("Returned by {who} with a note: the drafters have it.").format(who=c.by) + (
            f"\n{_('Note: {note}').format(note=c.note)}" if c.note else "")
    if not status.editable:
        # Sent, received, published, returned or withdrawn: the review is over, whatever it was.
        return _("This submission is {status}: it is no longer a draft, so it is not reviewed "
                 "any more.").format(status=status_label(status))
    if c is None or c.state is ReviewState.DRAFT:
        note = f"\n{_('Note: {note}').format(note=c.note)}" if c is not None and c.note else ""
        return _("Draft: the drafters have it.") + note
    if c.state is ReviewState.IN_REVIEW:
        return _("In review, asked by {who}: the reviewers have it.").format(who=c.requested_by or c.by)
    return _("Cleared by {who}: a submitter may submit this text.").format(who=c.by)


class ReviewPane(QWidget):
    """The review of the submission open in the editor."""

    sig_highlights_changed = Signal(object)
    """The quoted words to highlight: {section key: [text, ...]} (the selected comment first)."""

    sig_text_changed = Signal(str)
    """A suggestion was accepted: the submission's text changed (its id)."""

    sig_comment_chosen = Signal(str, str)
    """The user chose a comment whose words are in the text: its section and those words (the
    window scrolls the editor to them)."""

    sig_comment_requested = Signal()
    """The user wants to comment on the words selected in the editor (the window answers with
    :meth:`add_comment`)."""

    sig_text_will_change = Signal()
    """A suggestion is about to be put in the text: what the editor holds must be saved first."""

    sig_review_changed = Signal(str)
    """An action was taken on a submission's review (its id; the action waits in the outbox)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._tasks = tasks
        self.data: ReviewData | None = None
        self.setObjectName("review_pane")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("review_state")
        self.state_label.setWordWrap(True)
        self.ask_button = QPushButton(_("Ask for review…"), self)
        self.clear_button = QPushButton(_("Clear for submission"), self)
        self.return_button = QPushButton(_("Return with a note…"), self)
        self.comment_button = QPushButton(_("Comment on the selected words…"), self)
        self.comment_button.setToolTip(
            _("Select words in the text first; a comment may suggest other words."))
        self.model = QStandardItemModel(self)
        self.tree = WrappingTreeView(self)  # whole comments, wrapped to the pane
        self.tree.setObjectName("review_comments")
        self.tree.setAccessibleName(_("Comments by section"))
        self.tree.setHeaderHidden(True)
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reply_button = QPushButton(_("Reply…"), self)
        self.resolve_button = QPushButton(_("Resolve"), self)
        self.reopen_button = QPushButton(_("Reopen"), self)
        self.accept_button = QPushButton(_("Accept"), self)
        self.reject_button = QPushButton(_("Reject"), self)
        # Narrow beside the editor: the buttons stack rather than widen the pane.
        self.setMinimumWidth(260)
        self.setMaximumWidth(420)
        top = QVBoxLayout()
        for b in (self.ask_button, self.clear_button, self.return_button):
            top.addWidget(b)
        actions = QGridLayout()
        for i, b in enumerate((self.reply_button, self.resolve_button, self.reopen_button,
                               self.accept_button, self.reject_button)):
            actions.addWidget(b, i // 3, i % 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addLayout(top)
        layout.addWidget(self.comment_button)
        layout.addWidget(self.tree, 1)
        layout.addLayout(actions)
        self.ask_button.clicked.connect(self._on_ask_button_clicked)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        self.return_button.clicked.connect(self._on_return_button_clicked)
        self.comment_button.clicked.connect(self.sig_comment_requested)
        self.reply_button.clicked.connect(self._on_reply_button_clicked)
        self.resolve_button.clicked.connect(lambda: self._decide(Action.RESOLVE))
        self.reopen_button.clicked.connect(lambda: self._decide(Action.REOPEN))
        self.reject_button.clicked.connect(lambda: self._decide(Action.REJECT))
        self.accept_button.clicked.connect(self._on_accept_button_clicked)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self._restoring = False  # a reload puts the selection back: the editor is not moved then
        self._update_buttons()

    # -- loading ---------------------------------------------------------------------------------

    def show_submission(self, sid: str | None) -> None:
        """Show the review of ``sid`` (None: nothing open)."""
        if sid is None:
            self.data = None
            self.model.clear()
            self.state_label.clear()
            self._update_buttons()
            return
        self._tasks.run(lambda: load_review(self._app, sid), name="review", on_done=self._show)

    def reload(self) -> None:
        if self.data is not None:
            self.show_submission(self.data.submission_id)

    def _show(self, data: ReviewData) -> None:
        selected = self.selected_comment()
        self.data = data
        self.state_label.setText(state_text(data.clearance, data.status))
        self.model.clear()
        by_section: dict[str, QStandardItem] = {}
        for c in data.comments:
            parent = by_section.get(c.section)
            if parent is None:
                parent = QStandardItem(data.section_titles.get(c.section, c.section))
                parent.setSelectable(False)
                self.model.appendRow(parent)
                by_section[c.section] = parent
            item = QStandardItem(self._comment_text(c))
            item.setData(c.id, COMMENT_ROLE)
            item.setToolTip(self._comment_text(c))  # in full: a narrow pane cuts long lines
            for r in c.replies:
                reply = QStandardItem(f"↳ {r.author}: {r.text}")
                reply.setData(c.id, COMMENT_ROLE)
                item.appendRow(reply)
            parent.appendRow(item)
        self.tree.expandAll()
        if selected is not None:
            self._restoring = True
            try:
                self.select_comment(selected.id)
            finally:
                self._restoring = False
        self._update_buttons()
        self._emit_highlights()

    @staticmethod
    def _comment_text(c: CommentView) -> str:
        lines = [f"«{c.words}» — {c.author}", c.text]
        if c.suggestion is not None:
            lines.append(_("Suggests: «{text}»").format(text=c.suggestion))
        marks = []
        if c.anchor is AnchorState.LOST:
            marks.append(_("(its text is gone)"))
        elif c.anchor is AnchorState.MOVED:
            marks.append(anchor_label(c))
        if decision_label(c):
            marks.append(decision_label(c))
        if marks:
            lines.append(" · ".join(marks))
        return "\n".join(line for line in lines if line)

    # -- selection and highlights ------------------------------------------------------------------

    def selected_comment(self) -> CommentView | None:
        if self.data is None:
            return None
        cid = self.tree.currentIndex().data(COMMENT_ROLE)
        return next((c for c in self.data.comments if c.id == cid), None)

    def select_comment(self, cid: str) -> None:
        for row in range(self.model.rowCount()):
            section = self.model.item(row)
            for child in range(section.rowCount()):
                item = section.child(child)
                if item.data(COMMENT_ROLE) == cid:
                    self.tree.setCurrentIndex(item.index())
                    return

    def _on_tree_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        self._emit_highlights()
        c = self.selected_comment()
        if (c is not None and self.data is not None and not self._restoring
                and c.anchor is not AnchorState.LOST):
            words = self.data.body.get(c.section, "")[c.start:c.end]
            if words:
                self.sig_comment_chosen.emit(c.section, words)

    def highlights(self) -> dict[str, list[str]]:
        """The anchored words of the open comments, by section (the selected comment's first)."""
        if self.data is None:
            return {}
        chosen = self.selected_comment()
        out: dict[str, list[str]] = {}
        shown = [c for c in self.data.comments if c.open or (chosen is not None and c.id == chosen.id)]
        shown.sort(key=lambda c: chosen is None or c.id != chosen.id)
        for c in shown:
            if c.anchor is AnchorState.LOST:
                continue
            words = self.data.body.get(c.section, "")[c.start:c.end]
            if words:
                out.setdefault(c.section, []).append(words)
        return out

    def _emit_highlights(self) -> None:
        self.sig_highlights_changed.emit(self.highlights())

    def _update_buttons(self) -> None:
        data = self.data
        roles = data.roles if data is not None else frozenset()
        state = data.clearance.state if data is not None and data.clearance else ReviewState.DRAFT
        c = self.selected_comment()
        if data is not None and not data.status.editable:
            roles = frozenset()  # the service refuses every review action on a text no longer a draft
        self.ask_button.setEnabled(data is not None and may(Action.REQUEST_REVIEW, roles)
                                   and state is not ReviewState.IN_REVIEW)
        self.clear_button.setEnabled(data is not None and may(Action.CLEAR, roles)
                                     and state is not ReviewState.CLEARED)
        self.return_button.setEnabled(data is not None and may(Action.RETURN, roles))
        self.comment_button.setEnabled(data is not None and may(Action.COMMENT, roles))
        self.reply_button.setEnabled(c is not None and may(Action.REPLY, roles))
        self.resolve_button.setEnabled(c is not None and not c.resolved and may(Action.RESOLVE, roles))
        self.reopen_button.setEnabled(c is not None and c.resolved and may(Action.REOPEN, roles))
        suggestion = c is not None and c.suggestion is not None and c.decision is None
        self.accept_button.setEnabled(suggestion and c is not None and c.anchor is not AnchorState.LOST
                                      and may(Action.ACCEPT, roles))
        self.reject_button.setEnabled(suggestion and may(Action.REJECT, roles))

    # -- actions ---------------------------------------------------------------------------------

    ask_text: Callable[..., tuple[str, bool]] = staticmethod(QInputDialog.getMultiLineText)
    """How a note or a reply is asked for (a dialog; tests put an answer in its place)."""

    ask_void: Callable[[QWidget, SubmissionStatus], bool] = staticmethod(ask_with_dialog)
    """Whether to change a text in review or cleared (the editor's question; tests answer it)."""

    def _ask(self, title: str, label: str) -> str | None:
        text, ok = self.ask_text(self, title, label, "")
        return text.strip() if ok else None

    def _act(self, fn: Callable[[], Any], *, text_changed: bool = False) -> None:
        sid = self.data.submission_id if self.data is not None else None

        def done(_result: Any) -> None:
            if sid is not None:
                self.sig_review_changed.emit(sid)
                if text_changed:
                    self.sig_text_changed.emit(sid)
            self.reload()

        self._tasks.run(fn, name="review action", on_done=done)

    def add_comment(self, section: str, words: str) -> None:
        """Ask for the comment on ``words`` of ``section`` (and, if wanted, a suggestion), and take it."""
        if self.data is None:
            return
        text = self._ask(_("Comment"), _("Your comment on “{words}”:").format(words=words[:80]))
        if not text:
            return
        suggestion = self._ask(_("Suggest other words"),
                               _("Words to put in their place (leave empty for a plain comment):"))
        sid = self.data.submission_id
        self._act(lambda: self._app.clearance.add_comment(sid, section, words, text, suggestion or None))

    def _on_ask_button_clicked(self) -> None:
        if self.data is None:
            return
        note = self._ask(_("Ask for review"), _("A note for the reviewers (optional):"))
        if note is None:
            return
        sid = self.data.submission_id
        self._act(lambda: self._app.clearance.request_review(sid, note or None))

    def _on_clear_button_clicked(self) -> None:
        if self.data is not None:
            sid = self.data.submission_id
            self._act(lambda: self._app.clearance.clear(sid))

    def _on_return_button_clicked(self) -> None:
        if self.data is None:
            return
        note = self._ask(_("Return with a note"), _("Why does the draft go back to its drafters?"))
        if not note:
            return
        sid = self.data.submission_id
        self._act(lambda: self._app.clearance.return_(sid, note))

    def _on_reply_button_clicked(self) -> None:
        c = self.selected_comment()
        if c is None:
            return
        text = self._ask(_("Reply"), _("Your reply:"))
        if text:
            self._act(lambda: self._app.clearance.reply(c.id, text))

    def _decide(self, action: Action) -> None:
        c = self.selected_comment()
        if c is not None:
            self._act(lambda: self._app.clearance.decide(c.id, action))

    def _on_accept_button_clicked(self) -> None:
        c = self.selected_comment()
        data = self.data
        state = data.clearance.state if data is not None and data.clearance else ReviewState.DRAFT
        # Accepting changes the text: in review or cleared, it voids that, as typing would.
        if c is not None and state is not ReviewState.DRAFT and not self.ask_void(
                self, SubmissionStatus(state.value)):
            return
        if c is not None:
            self.sig_text_will_change.emit()  # queued first on the storage lane: saved, then accepted
            self._act(lambda: self._app.clearance.accept(c.id), text_changed=True)
