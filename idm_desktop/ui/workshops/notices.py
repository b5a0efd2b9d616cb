"""The secretariat's notices and the deadline reminders, above the programme in the Workshops
view: each notice stays until read ("Mark as read"); reminders come and go with the date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from idm_desktop.core.i18n import _
from idm_desktop.core.notices import Notice, Reminder, reminder_text
from idm_desktop.ui.formatting import Tone, banner_style, tint


class NoticesPanel(QFrame):
    """Reminders first, then the notices not read yet, newest first."""

    sig_read = Signal(str)
    """The user read this notice (its id); "" for all of them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notices_panel")
        self.setAccessibleName(_("Notices"))
        tint(self, lambda: banner_style(Tone.WARNING, "QFrame#notices_panel") +
             " QFrame#notices_panel { padding: 4px; }")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 6, 8, 6)
        self.hide()

    def show_items(self, reminders: Sequence[Reminder], notices: Sequence[Notice], titles: Mapping[str, str],
                   lang: str) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for r in reminders:
            label = QLabel(reminder_text(r, titles.get(r.workshop_id, r.workshop_id), lang), self)
            label.setObjectName("reminder")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            self._layout.addWidget(label)
        for n in notices:
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            about = titles.get(n.workshop_id, n.workshop_id) if n.workshop_id else ""
            text = _("{workshop}: {notice}").format(workshop=about, notice=n.text_in(lang)) if about \
                else n.text_in(lang)
            label = QLabel(text, row)
            label.setObjectName("notice")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            button = QPushButton(_("Mark as read"), row)
            button.setAccessibleName(_("Mark as read: {text}").format(text=text[:80]))
            button.clicked.connect(lambda _checked=False, ident=n.id: self.sig_read.emit(ident))
            line.addWidget(label, 1)
            line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self._layout.addWidget(row)
        if len(notices) > 1:
            every = QPushButton(_("Mark all as read"), self)
            every.clicked.connect(lambda: self.sig_read.emit(""))
            self._layout.addWidget(every, 0, Qt.AlignmentFlag.AlignLeft)
        self.setVisible(bool(reminders or notices))
