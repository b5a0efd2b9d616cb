"""The sync part of the status bar: offline / syncing n% / up to date at hh:mm / k waiting, and a
link to the conflicts."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QToolButton, QWidget

from idm_desktop.core.i18n import _
from idm_desktop.ui.formatting import Tone, tint, tone_color
from idm_desktop.ui.sync.state import SyncState, attention_text, status_text, status_tooltip


class SyncIndicator(QWidget):
    """Follows :class:`SyncController`'s state; sits at the left of the window's status bar."""

    sig_details_requested = Signal()
    """The user clicked the conflicts (or refused changes): show the Sync view."""

    sig_cancel_requested = Signal()
    """The user asked to stop the sync under way."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)  # nothing claimed until the account and the counts are read
        self.label.setObjectName("connection_state")
        self.label.setAccessibleName(_("Connection state"))
        self.progress = QProgressBar(self)
        self.progress.setObjectName("sync_progress")
        self.progress.setAccessibleName(_("Sync progress"))
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(90)
        self.progress.setMaximumHeight(12)
        self.progress.hide()
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel the sync"))
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.clicked.connect(self.sig_cancel_requested)
        self.cancel_button.hide()
        self.attention_button = QPushButton(self)
        self.attention_button.setObjectName("sync_attention")
        self.attention_button.setFlat(True)
        tint(self.attention_button, lambda: (
            f"QPushButton {{ color: {tone_color(Tone.ERROR).name()}; font-weight: 600;"
            " text-decoration: underline; padding: 0 4px; }"))
        self.attention_button.setToolTip(_("Show them in the Sync view"))
        self.attention_button.clicked.connect(self.sig_details_requested)
        self.attention_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.attention_button)

    def show_state(self, state: SyncState) -> None:
        self.label.setText(status_text(state))
        self.label.setToolTip(status_tooltip(state))
        self.progress.setVisible(state.running)
        self.progress.setValue(state.percent or 0)
        self.cancel_button.setVisible(state.running)
        attention = attention_text(state)
        self.attention_button.setText(attention)
        self.attention_button.setAccessibleName(attention)
        self.attention_button.setVisible(bool(attention))
