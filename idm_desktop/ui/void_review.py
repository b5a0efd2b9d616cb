"""The one question asked before a change voids a review (DESIGN §13): a text in review or cleared
goes back to draft with any change, whether typed in the editor or an accepted suggestion."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from idm_desktop.core.i18n import _
from idm_desktop.core.submissions import SubmissionStatus

VOIDED = (SubmissionStatus.IN_REVIEW, SubmissionStatus.CLEARED)
"""The statuses a change voids."""


def void_question(status: SubmissionStatus) -> str:
    if status is SubmissionStatus.CLEARED:
        return _("This text was cleared for submission. Any change voids the clearance and sends it "
                 "back to draft: a reviewer must clear it again. Change it anyway?")
    return _("This text is in review. Any change ends the review and sends it back to draft: you "
             "will have to ask for review again. Change it anyway?")


def ask_with_dialog(parent: QWidget, status: SubmissionStatus) -> bool:
    """Ask whether to change a text of ``status`` (in review or cleared); True: yes."""
    answer = QMessageBox.question(parent, _("Void the review?"), void_question(status),
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
