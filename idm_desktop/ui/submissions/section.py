"""One section of the template in the editor: its title, the text, and the guidance beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QWidget

from idm_desktop.core.i18n import _, ngettext
from idm_desktop.core.templates import TemplateSection
from idm_desktop.core.word_draft import NOT_PLACED_KEY
from idm_desktop.ui.formatting import TextSize, Tone, format_number, set_text_size, tint
from idm_desktop.ui.submissions.text_edit import RichTextEdit


class SectionWidget(QFrame):
    """A section: "2. Policy and legal framework (required)", its text and its guidance."""

    sig_edited = Signal(str)
    """The user changed this section's text (its key)."""

    def __init__(self, section: TemplateSection, number: int, language: str, ui_lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = section.key
        self.setObjectName(f"section_{section.key}")
        title = section.title_in(language)
        self.title = title
        self.required = section.required

        # "&&": the label is the text's buddy, and a single "&" would make a mnemonic.
        self.title_label = QLabel(f"{number}. {title}".replace("&", "&&"), self)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        set_text_size(self.title_label, TextSize.SECTION)
        self.title_label.setWordWrap(True)
        if section.key == NOT_PLACED_KEY:
            # Not an optional section: the area to empty before sending (the check stops a submit).
            self.mark_label = QLabel(_("to empty before sending"), self)
            tint(self.mark_label, Tone.WARNING, bold=True)
        else:
            self.mark_label = QLabel(_("required") if section.required else _("optional"), self)
            tint(self.mark_label, Tone.ERROR if section.required else Tone.MUTED, bold=section.required)
        self.words_label = QLabel(self)
        self.words_label.setObjectName("section_words")
        tint(self.words_label, Tone.MUTED)
        self.words_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.edit = RichTextEdit(self)
        self.edit.quotes_language = language  # the text's language sets its quotation marks
        self.edit.setObjectName(f"text_{section.key}")
        self.edit.setAccessibleName(_("Text of the section “{title}”").format(title=title))
        guidance = section.guidance_in(ui_lang)
        self.edit.setAccessibleDescription(guidance)
        self.edit.sig_edited.connect(self._on_edit_edited)
        self.title_label.setBuddy(self.edit)

        self.guidance_label = QLabel(guidance, self)
        self.guidance_label.setTextFormat(Qt.TextFormat.PlainText)
        self.guidance_label.setObjectName("section_guidance")
        self.guidance_label.setWordWrap(True)
        self.guidance_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.guidance_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tint(self.guidance_label, Tone.MUTED)
        self.guidance_label.setAccessibleName(_("Guidance for “{title}”").format(title=title))

        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self.title_label, 1)
        header.addWidget(self.mark_label)
        header.addStretch(0)
        header.addWidget(self.words_label)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 6, 0, 14)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        # The guidance above the text, the text the column's whole width: side by side, at a
        # 1280-pixel window, each was left a narrow strip.
        grid.addLayout(header, 0, 0)
        grid.addWidget(self.guidance_label, 1, 0)
        grid.addWidget(self.edit, 2, 0, Qt.AlignmentFlag.AlignTop)
        self.update_words()

    def markdown(self) -> str:
        return self.edit.markdown()

    def set_markdown(self, markdown: str) -> None:
        self.edit.set_markdown(markdown)
        self.update_words()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        # A text that cannot be edited does not look like a field to type in.
        self.edit.setStyleSheet("QTextEdit { background: palette(window); }" if read_only else "")
        self.edit.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            if read_only else Qt.TextInteractionFlag.TextEditorInteraction)

    def words(self) -> int:
        return self.edit.words()

    def update_words(self) -> None:
        n = self.words()
        self.words_label.setText(
            ngettext("{n} word", "{n} words", n).format(n=format_number(n)))

    def _on_edit_edited(self) -> None:
        self.update_words()
        self.sig_edited.emit(self.key)
