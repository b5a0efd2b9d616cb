"""The warning before an edit voids a review (DESIGN §13): a text in review or cleared goes back to
draft with any change, so the first keystroke, paste, drop or input-method text on it is held
until the user says yes. "No" leaves the text as it was."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

from idm_desktop.core.submissions import SubmissionStatus
from idm_desktop.ui.void_review import VOIDED, ask_with_dialog

_EDITING = (QEvent.Type.KeyPress, QEvent.Type.InputMethod, QEvent.Type.Drop)
_MOVES = {
    QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.SelectAll,
    QKeySequence.StandardKey.MoveToNextChar,
    QKeySequence.StandardKey.MoveToPreviousChar, QKeySequence.StandardKey.MoveToNextLine,
    QKeySequence.StandardKey.MoveToPreviousLine, QKeySequence.StandardKey.MoveToNextPage,
    QKeySequence.StandardKey.MoveToPreviousPage, QKeySequence.StandardKey.MoveToStartOfLine,
    QKeySequence.StandardKey.MoveToEndOfLine, QKeySequence.StandardKey.MoveToNextWord,
    QKeySequence.StandardKey.MoveToPreviousWord,
}


class VoidGuard(QObject):
    """An event filter on the editor's text fields while the text is in review or cleared."""

    def __init__(self, parent: QWidget, ask: Callable[[QWidget, SubmissionStatus], bool] = ask_with_dialog
                 ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.ask = ask
        self.status: SubmissionStatus | None = None
        self.asked = False

    def arm(self, status: SubmissionStatus) -> None:
        """Guard a text of ``status`` (in review or cleared); any other status disarms."""
        self.status = status if status in VOIDED else None
        self.asked = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.status is None or self.asked or event.type() not in _EDITING:
            return False
        if isinstance(event, QKeyEvent) and ((not event.text() and event.key() not in _DELETING)
                                             or any(event.matches(k) for k in _MOVES)):
            return False  # moving around or copying changes nothing
        if self.ask(self._parent, self.status):
            self.asked = True
            return False  # the keystroke goes through: the text is a draft from now on
        return True  # held: nothing changed


_DELETING = {0x01000003, 0x01000007}  # Qt.Key_Backspace, Qt.Key_Delete
