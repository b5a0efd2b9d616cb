"""The Library's filters: workshop, kind and language, each a combo box with "All" first."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from idm_desktop.core.documents import DocumentKind, kind_label
from idm_desktop.core.i18n import _, ui_language
from idm_desktop.core.languages import LANGUAGES
from idm_desktop.core.workshops import Workshop
from idm_desktop.ui.library.model import language_label

Filters = tuple[str | None, DocumentKind | None, str | None]
"""(workshop id, kind, language); None means "all"."""


class FilterBar(QWidget):
    """Three combo boxes that narrow the list of documents, each with its label (its buddy: what a
    screen reader announces with the combo box's value, and Alt+letter moves to it)."""

    sig_filters_changed = Signal()
    """The user chose another workshop, kind or language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workshop_ids: list[str] = []
        self.workshop_combo = self._combo("library_workshop_filter", _("Filter by workshop"))
        self.workshop_combo.addItem(_("All workshops"), None)
        self.kind_combo = self._combo("library_kind_filter", _("Filter by kind"))
        self.kind_combo.addItem(_("All kinds"), None)
        for kind in DocumentKind:
            self.kind_combo.addItem(kind_label(kind), kind.value)
        self.language_combo = self._combo("library_language_filter", _("Filter by language"))
        self.language_combo.addItem(_("All languages"), None)
        for code in LANGUAGES:
            self.language_combo.addItem(language_label(code), code)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        labels = (_("&Workshop:"), _("&Kind:"), _("Lan&guage:"))
        for text, combo in zip(labels, self.combos(), strict=True):
            label = QLabel(text, self)
            label.setBuddy(combo)
            layout.addWidget(label)
            layout.addWidget(combo, 1)

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setToolTip(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        combo.currentIndexChanged.connect(self._on_combo_index_changed)
        return combo

    def combos(self) -> tuple[QComboBox, QComboBox, QComboBox]:
        return self.workshop_combo, self.kind_combo, self.language_combo

    def filters(self) -> Filters:
        kind = self.kind_combo.currentData()
        return (self.workshop_combo.currentData(), DocumentKind(kind) if kind else None,
                self.language_combo.currentData())

    def active(self) -> bool:
        """Whether any filter narrows the list."""
        return any(value is not None for value in self.filters())

    def reset(self) -> None:
        """Show everything again (without announcing it: the caller lists the documents)."""
        for combo in self.combos():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)

    def set_workshops(self, workshops: Sequence[Workshop]) -> None:
        """The workshops to offer, keeping the one chosen if it is still there."""
        ids = [w.id for w in workshops]
        if ids == self._workshop_ids:
            return
        self._workshop_ids = ids
        combo = self.workshop_combo
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        lang = ui_language()
        for workshop in workshops:
            title = f"{workshop.year} — {workshop.title_in(lang)}"
            combo.addItem(title, workshop.id)
            combo.setItemData(combo.count() - 1, title, Qt.ItemDataRole.ToolTipRole)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def _on_combo_index_changed(self, _index: int) -> None:
        self.sig_filters_changed.emit()
