"""What a word processor's user reaches for around the text: spell check, find and replace
across the sections, zoom (remembered), and print (through the exported PDF).

Print goes through the PDF the export writes, opened in the computer's PDF viewer, which prints
it as laid out (same pages as the page gauge counts). Qt's print dialog would need Qt Print
Support in the desktop build and would lay the text out a second, different way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QWidget

from idm_desktop.app import DesktopApp
from idm_desktop.app.spelling import available as spelling_available
from idm_desktop.config.settings import save_settings
from idm_desktop.core.i18n import _
from idm_desktop.ui.submissions.find_bar import FindBar
from idm_desktop.ui.submissions.spelling import SpellHighlighter, SpellSession
from idm_desktop.ui.submissions.text_edit import RichTextEdit
from idm_desktop.ui.tasks import Lane, TaskManager

log = logging.getLogger(__name__)

ZOOM_MIN, ZOOM_MAX = -4, 12  # steps of one point from the default text size


def clamp_zoom(value: object) -> int:
    """A zoom step from the settings file (hostile until checked)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return 0
    try:
        number = int(value)
    except ValueError:
        return 0
    return max(ZOOM_MIN, min(ZOOM_MAX, number))


class EditingTools(QObject):
    """Find/replace, zoom and print for one editor; ``edits`` gives its sections in order."""

    sig_printed = Signal(object)
    """The PDF to print was written and handed to the PDF viewer (its path)."""

    def __init__(self, app: DesktopApp, tasks: TaskManager, host: QWidget,
                 edits: Callable[[], list[RichTextEdit]]) -> None:
        super().__init__(host)
        self._app = app
        self._tasks = tasks
        self._host = host
        self._edits = edits
        self.zoom = clamp_zoom(app.settings.editor_zoom)
        self.find_bar = FindBar(edits, host)
        self.spell_session: SpellSession | None = None

        def action(text: str, keys: list[QKeySequence], slot: Callable[[], object]) -> QAction:
            act = QAction(text, host)
            act.setShortcuts(keys)
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            host.addAction(act)
            return act

        self.find_action = action(_("Find…"), [QKeySequence("Ctrl+F")],
                                  lambda: self.open_find(replace=False))
        self.replace_action = action(_("Replace…"), [QKeySequence("Ctrl+H")],
                                     lambda: self.open_find(replace=True))
        self.zoom_in_action = action(_("Zoom in"), [QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")],
                                     lambda: self.set_zoom(self.zoom + 1))
        self.zoom_out_action = action(_("Zoom out"), [QKeySequence("Ctrl+-")],
                                      lambda: self.set_zoom(self.zoom - 1))
        self.zoom_reset_action = action(_("Actual size"), [QKeySequence("Ctrl+0")],
                                        lambda: self.set_zoom(0))
        self.print_action = action(_("Print…"), [QKeySequence("Ctrl+P")], lambda: None)
        self._print_request: Callable[[], None] | None = None
        self.print_action.triggered.connect(self._on_print_action_triggered)

    # -- spelling ----------------------------------------------------------------------------------

    def start_spelling(self, language: str, enabled: bool) -> None:
        """Spell check the sections in ``language`` (a new session: nothing ignored yet)."""
        if self.spell_session is not None:
            self.spell_session.stop()
            self.spell_session.deleteLater()
            self.spell_session = None
        if not enabled or not spelling_available(language):
            return
        session = SpellSession(self._app.spelling, self._tasks, language, self)
        self.spell_session = session
        for edit in self._edits():
            edit.attach_spelling(SpellHighlighter(edit.document(), session, self._host.palette()))

    # -- find --------------------------------------------------------------------------------------

    def open_find(self, replace: bool) -> None:
        read_only = all(e.isReadOnly() for e in self._edits())
        self.find_bar.open_bar(replace, read_only)

    # -- zoom --------------------------------------------------------------------------------------

    def apply_zoom(self, edit: RichTextEdit) -> None:
        """Give a section's text the current zoom (a section shown after a zoom change)."""
        base = edit.property("base_point_size")
        if base is None:
            base = edit.font().pointSizeF()
            edit.setProperty("base_point_size", base)
        font = edit.font()
        font.setPointSizeF(max(4.0, float(base) + self.zoom))
        edit.setFont(font)
        edit.document().setDefaultFont(font)
        edit.updateGeometry()

    def set_zoom(self, steps: int) -> None:
        """Make the text of every section ``steps`` points bigger than the default; remembered."""
        self.zoom = clamp_zoom(steps)
        for edit in self._edits():
            self.apply_zoom(edit)
        if self._app.settings.editor_zoom != self.zoom:
            self._app.settings = self._app.settings.with_(editor_zoom=self.zoom)
            settings, path = self._app.settings, self._app.paths.settings
            self._tasks.run(lambda: save_settings(path, settings), lane=Lane.STORAGE,
                            name="save zoom")

    # -- print -------------------------------------------------------------------------------------

    def set_print_request(self, request: Callable[[], None]) -> None:
        """What Print does first: the editor saves, then calls :meth:`print_pdf`."""
        self._print_request = request

    def _on_print_action_triggered(self) -> None:
        if self._print_request is not None:
            self._print_request()

    def print_pdf(self, sid: str, save_first: Callable[[], object]) -> None:
        """Save, export the text to a PDF in the data folder and open it in the PDF viewer."""
        folder = self._app.paths.home / "print"
        path = folder / f"{sid}.pdf"
        app = self._app

        def write() -> Path:
            folder.mkdir(parents=True, exist_ok=True)
            app.export(sid, "pdf", path)
            return path

        save_first()
        # Queued behind the saves on the storage lane: the PDF is of the text as it is now.
        def after_saves(_result: object) -> None:
            self._tasks.run(write, lane=Lane.EXPORT, name="print", on_done=self._on_print_written)

        self._tasks.run(lambda: None, lane=Lane.STORAGE, name="print: wait for saves",
                        on_done=after_saves)

    def _on_print_written(self, path: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            log.warning("no PDF viewer opened %s", path)
        self.sig_printed.emit(path)
