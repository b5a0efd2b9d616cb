"""The side-by-side resolver: for each section edited both here and on the server, the user keeps
their text, takes the server's, or edits the text to keep (DESIGN §5: never last-writer-wins).

Both texts stay in the library until a section is settled; settling one runs on the storage
lane (``app.sync.resolve``). The dialog closes itself when none is left.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from idm_desktop.app import DesktopApp
from idm_desktop.core.i18n import _, plural, ui_language
from idm_desktop.core.merge import TITLE_KEY
from idm_desktop.ui.formatting import TextSize, Tone, set_text_size, tint, tone_style
from idm_desktop.ui.sync.model import section_name
from idm_desktop.ui.tasks import Lane, TaskManager

TEXT_HEIGHT = 130


@dataclass(frozen=True, slots=True)
class ConflictText:
    """One conflicting section: the text both sides started from, this computer's, the server's."""

    key: str
    name: str
    base: str
    mine: str
    theirs: str


@dataclass(frozen=True, slots=True)
class ResolverData:
    submission_id: str
    title: str
    sections: tuple[ConflictText, ...]


def load_resolver_data(app: DesktopApp, sid: str) -> ResolverData:
    """The conflicts of ``sid``. "Mine" is the text in the library now: edits made since the
    conflict arose are part of it. Runs on the storage lane."""
    sub = app.submission(sid)
    template = app.template_of(sub)
    lang = ui_language()
    sections = tuple(
        ConflictText(c.key, section_name(template, c.key, lang), c.base,
                     sub.title if c.key == TITLE_KEY else sub.text_of(c.key), c.theirs)
        for c in app.sync.conflicts(sid))
    return ResolverData(sid, sub.title, sections)


def _text_view(text: str, name: str, parent: QWidget, *, editable: bool = False) -> QPlainTextEdit:
    view = QPlainTextEdit(text, parent)
    view.setReadOnly(not editable)
    view.setAccessibleName(name)
    view.setTabChangesFocus(True)  # Tab moves on to the buttons, as in a form
    view.setMinimumHeight(TEXT_HEIGHT // 2)
    view.setFixedHeight(TEXT_HEIGHT)
    return view


def _caption(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet("font-weight: 600;")
    return label


class ConflictPanel(QFrame):
    """One section: the base (folded), mine and theirs side by side, the text to keep."""

    sig_chosen = Signal(str, str)
    """The user settled this section: (key, the text to keep)."""

    def __init__(self, conflict: ConflictText, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        name = conflict.name
        self.setObjectName(f"conflict_{conflict.key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(_("Conflict in {section}").format(section=name))
        self.heading = QLabel(name, self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        set_text_size(self.heading, TextSize.SECTION)
        self.base_toggle = QToolButton(self)
        self.base_toggle.setText(_("Show the text you both started from"))
        self.base_toggle.setCheckable(True)
        self.base_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.base_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.base_toggle.setAutoRaise(True)
        self.base_toggle.setAccessibleName(
            _("Show the text you both started from in {section}").format(section=name))
        self.base_view = _text_view(conflict.base, _("Text you both started from in {section}")
                                    .format(section=name), self)
        tint(self.base_view, lambda: tone_style(Tone.MUTED, roles=(QPalette.ColorRole.Base,)))
        self.base_view.setFixedHeight(TEXT_HEIGHT * 2 // 3)
        self.base_view.hide()
        self.base_toggle.toggled.connect(self._on_base_toggle_toggled)
        self.mine_view = _text_view(conflict.mine, _("Your text of {section}").format(section=name), self)
        self.theirs_view = _text_view(conflict.theirs, _("The server’s text of {section}")
                                      .format(section=name), self)
        self.merged_edit = _text_view(conflict.mine, _("Text to keep for {section}").format(section=name),
                                      self, editable=True)
        self.mine_button = self._button(_("Take mine"), _("Take my text for {section}").format(section=name))
        self.theirs_button = self._button(_("Take theirs"),
                                          _("Take the server’s text for {section}").format(section=name))
        self.edited_button = self._button(_("Use edited text"),
                                          _("Use the edited text for {section}").format(section=name))
        self.mine_button.clicked.connect(lambda: self._choose(self.conflict.mine))
        self.theirs_button.clicked.connect(lambda: self._choose(self.conflict.theirs))
        self.edited_button.clicked.connect(lambda: self._choose(self.merged_edit.toPlainText()))
        self.done_label = QLabel(self)
        self.done_label.setObjectName("resolved_label")
        tint(self.done_label, Tone.SUCCESS, bold=True)
        self.done_label.hide()

        grid = QGridLayout()
        grid.addWidget(_caption(_("Your text (this computer)"), self), 0, 0)
        grid.addWidget(_caption(_("Their text (the server)"), self), 0, 1)
        grid.addWidget(self.mine_view, 1, 0)
        grid.addWidget(self.theirs_view, 1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mine_button)
        buttons.addWidget(self.theirs_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_label)
        buttons.addWidget(self.edited_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.base_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.base_view)
        layout.addLayout(grid)
        layout.addWidget(_caption(_("Text to keep (starts as yours; edit it, then “Use edited text”)"),
                                  self))
        layout.addWidget(self.merged_edit)
        layout.addLayout(buttons)

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.setAutoDefault(False)
        return button

    def _on_base_toggle_toggled(self, shown: bool) -> None:
        self.base_view.setVisible(shown)
        self.base_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.base_toggle.setText(_("Hide the text you both started from") if shown
                                 else _("Show the text you both started from"))

    def _choose(self, text: str) -> None:
        self.set_busy(True)
        self.sig_chosen.emit(self.conflict.key, text)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.mine_button, self.theirs_button, self.edited_button, self.merged_edit):
            widget.setEnabled(not busy)

    def mark_resolved(self, text: str) -> None:
        """Settled: the text kept is shown, nothing more to choose."""
        self.merged_edit.setPlainText(text)
        self.merged_edit.setReadOnly(True)
        for widget in (self.mine_button, self.theirs_button, self.edited_button):
            widget.hide()
        self.done_label.setText(_("Settled"))
        self.done_label.show()


class ResolverDialog(QDialog):
    """The conflicts of one submission, section by section."""

    sig_resolved = Signal(str, int)
    """A section was settled: (submission id, how many conflicts remain)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, data: ResolverData,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resolver_dialog")
        self._app = app
        self._tasks = tasks
        self.data = data
        self.settled = 0
        self.setWindowTitle(_("Resolve conflicts"))
        self.setAccessibleName(_("Resolve conflicts"))
        heading = QLabel(_("Conflicts in “{title}”").format(title=data.title or _("(untitled)")), self)
        set_text_size(heading, TextSize.TITLE)
        heading.setWordWrap(True)
        intro = QLabel(_("These sections were changed both on this computer and on another one. For each, "
                         "keep your text, take theirs, or edit the text to keep. Your text is not sent "
                         "until every section is settled; both texts stay until then."), self)
        intro.setWordWrap(True)
        self.panels: dict[str, ConflictPanel] = {}
        host = QWidget(self)
        host_layout = QVBoxLayout(host)
        host_layout.setSpacing(12)
        for conflict in data.sections:
            panel = ConflictPanel(conflict, host)
            panel.sig_chosen.connect(self._on_panel_chosen)
            host_layout.addWidget(panel)
            self.panels[conflict.key] = panel
        host_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(host)
        self.left_label = QLabel(self)
        self.left_label.setObjectName("conflicts_left")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.left_label, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.resize(1000, 720)
        self._show_left(len(data.sections))
        first = next(iter(self.panels.values()), None)
        if first is not None:
            first.mine_button.setFocus()

    def _show_left(self, n: int) -> None:
        self.left_label.setText(plural("{n} section left to settle.", "{n} sections left to settle.", n))

    def _on_panel_chosen(self, key: str, text: str) -> None:
        app, sid = self._app, self.data.submission_id
        self._tasks.run(lambda: app.sync.resolve(sid, key, text), lane=Lane.STORAGE, name="resolve",
                        on_done=lambda left: self._on_resolved(key, text, left),
                        on_error=lambda exc: self._on_resolve_failed(key, exc))

    def _on_resolved(self, key: str, text: str, left: int) -> None:
        self.settled += 1
        self.panels[key].mark_resolved(text)
        self._show_left(left)
        self.sig_resolved.emit(self.data.submission_id, left)
        if left == 0:
            self.accept()
            return
        following = [p for p in self.panels.values() if not p.mine_button.isHidden()]
        if following:
            following[0].mine_button.setFocus()

    def _on_resolve_failed(self, key: str, exc: BaseException) -> None:
        self.panels[key].set_busy(False)
        self._tasks.default_error(exc)
