"""The rich text editor of one section: the Markdown subset, its shortcuts, and a clean paste."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextListFormat,
)
from PySide6.QtWidgets import QFrame, QMenu, QSizePolicy, QTextEdit, QWidget

from idm_desktop.core.quotes import AUTOCORRECTED, as_typed
from idm_desktop.core.text import word_count
from idm_desktop.ui.submissions.dialogs import LinkDialog
from idm_desktop.ui.submissions.rich_text import (
    block_format,
    bullet_style,
    document_markdown,
    insert_markdown,
    is_bold,
    is_ordered,
    link_format,
    load_markdown,
)
from idm_desktop.ui.submissions.spelling import SpellHighlighter, add_spelling_actions
from idm_desktop.ui.submissions.word_html import word_lists_to_html

_CTRL = Qt.KeyboardModifier.ControlModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier
# Ctrl+Shift+8 and Ctrl+Shift+7 arrive as the shifted character on most layouts.
_BULLET_KEYS = {Qt.Key.Key_8, Qt.Key.Key_Asterisk, Qt.Key.Key_ParenLeft}
_NUMBER_KEYS = {Qt.Key.Key_7, Qt.Key.Key_Ampersand, Qt.Key.Key_Slash}
MIN_LINES = 5


class RichTextEdit(QTextEdit):
    """A QTextEdit that holds the Markdown subset and grows with its text (no inner scrollbar)."""

    sig_edited = Signal()
    """The user changed the text or its formatting."""

    sig_focus_left = Signal()
    """The editor lost the keyboard focus."""

    sig_focus_entered = Signal()
    """The editor got the keyboard focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._markdown: str | None = ""
        self._loading = False
        self.link_dialog: LinkDialog | None = None
        self.spell: SpellHighlighter | None = None
        self.context_menu: QMenu | None = None
        self.quotes_language: str | None = None
        """The text's language: a straight ' or " typed becomes its typographic mark (None: off)."""
        self.setTabChangesFocus(True)  # Tab moves on through the form, as everywhere else
        self.setAcceptRichText(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(6)
        self.document().contentsChanged.connect(self._on_document_contents_changed)
        layout = self.document().documentLayout()
        layout.documentSizeChanged.connect(lambda _size: self.updateGeometry())

    # -- content -----------------------------------------------------------------------------

    def markdown(self) -> str:
        """The text as Markdown (computed once per change)."""
        if self._markdown is None:
            self._markdown = document_markdown(self.document())
        return self._markdown

    def set_markdown(self, markdown: str) -> None:
        """Show ``markdown``; this is not an edit (no sig_edited, no undo step)."""
        self._loading = True
        try:
            load_markdown(self.document(), markdown, self.palette().link().color())
        finally:
            self._loading = False
        self._markdown = None

    def words(self) -> int:
        return word_count(self.markdown())

    def attach_spelling(self, highlighter: SpellHighlighter) -> None:
        """Underline misspelt words with ``highlighter`` (built on this editor's document)."""
        self.spell = highlighter
        highlighter.start()

    def _on_document_contents_changed(self) -> None:
        if self.spell is not None and self.spell.drawing:
            return  # the spelling line is drawn: the text did not change
        self._markdown = None
        if not self._loading:
            self.sig_edited.emit()

    # -- commands ------------------------------------------------------------------------------

    def toggle_bold(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Normal if is_bold(self.currentCharFormat())
                          else QFont.Weight.Bold)
        self.mergeCurrentCharFormat(fmt)

    def toggle_italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.currentCharFormat().fontItalic())
        self.mergeCurrentCharFormat(fmt)

    def toggle_list(self, ordered: bool) -> None:
        """Make the selected paragraphs a bullet (or numbered) list, or plain paragraphs again."""
        if self.isReadOnly():
            return
        cursor = self.textCursor()
        current = cursor.currentList()
        cursor.beginEditBlock()
        if current is not None and is_ordered(current.format()) == ordered:
            self._remove_from_lists(cursor)
        elif current is not None:
            fmt = current.format()
            fmt.setStyle(QTextListFormat.Style.ListDecimal if ordered
                         else bullet_style(fmt.indent() - 1))
            current.setFormat(fmt)
        else:
            fmt = QTextListFormat()
            fmt.setIndent(1)
            fmt.setStyle(QTextListFormat.Style.ListDecimal if ordered else bullet_style(0))
            cursor.createList(fmt)
            cursor.mergeBlockFormat(block_format(list_item=True))
        cursor.endEditBlock()

    def _remove_from_lists(self, cursor: QTextCursor) -> None:
        doc = self.document()
        block = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        while block.isValid():
            lst = block.textList()
            if lst is not None:
                lst.remove(block)
                plain = QTextCursor(block)
                fmt = plain.blockFormat()
                fmt.setIndent(0)
                fmt.setBottomMargin(block_format().bottomMargin())
                plain.setBlockFormat(fmt)
            if block == last:
                break
            block = block.next()

    def edit_link(self) -> None:
        """Ask for a link's text and address (the selection, or the link under the cursor)."""
        if self.isReadOnly():
            return
        cursor = self.textCursor()
        fmt = cursor.charFormat()
        if not cursor.hasSelection() and fmt.isAnchor():
            self._select_anchor(cursor, fmt.anchorHref())
            self.setTextCursor(cursor)
        dialog = LinkDialog(cursor.selectedText(), fmt.anchorHref() if fmt.isAnchor() else "", self)
        dialog.accepted.connect(lambda: self._apply_link(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.link_dialog = dialog
        dialog.open()

    def _select_anchor(self, cursor: QTextCursor, href: str) -> None:
        block = cursor.block()
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().anchorHref() == href and frag.contains(cursor.position()):
                cursor.setPosition(frag.position())
                cursor.setPosition(frag.position() + frag.length(), QTextCursor.MoveMode.KeepAnchor)
                return
            it += 1

    def _apply_link(self, dialog: LinkDialog) -> None:
        cursor = self.textCursor()
        text, href = dialog.link_text(), dialog.address()
        plain = _without_link(cursor.charFormat())
        fmt = QTextCharFormat(plain)
        if href:
            fmt.merge(link_format(href, self.palette().link().color()))
        cursor.beginEditBlock()
        cursor.insertText(text or href, fmt)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.setCurrentCharFormat(plain)  # what is typed next is no longer part of the link
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.link_dialog = None

    # -- keys -----------------------------------------------------------------------------------

    def _command_for(self, event: QKeyEvent) -> str | None:
        mods = event.modifiers() & (_CTRL | _SHIFT | Qt.KeyboardModifier.AltModifier)
        key = event.key()
        if mods == _CTRL:
            return {Qt.Key.Key_B: "bold", Qt.Key.Key_I: "italic", Qt.Key.Key_K: "link",
                    Qt.Key.Key_Y: "redo"}.get(Qt.Key(key))
        if mods == _CTRL | _SHIFT:
            if key == Qt.Key.Key_Z:
                return "redo"  # both redo keys, whatever keys the platform's scheme gives Redo
            if key in _BULLET_KEYS:
                return "bullets"
            if key in _NUMBER_KEYS:
                return "numbers"
        return None

    def event(self, event: QEvent) -> bool:
        # Inside the text these keys format (or redo), whatever the window binds them to.
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and not self.isReadOnly() and self._command_for(event) is not None):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        command = None if self.isReadOnly() else self._command_for(event)
        if command is not None:
            self.run_command(command)
            event.accept()
            return
        cursor = self.textCursor()
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & (_SHIFT | _CTRL)
                and cursor.currentList() is not None and cursor.block().length() <= 1):
            self._remove_from_lists(cursor)  # Enter on an empty item ends the list
            event.accept()
            return
        if event.text() and self.currentCharFormat().isAnchor() and self._at_anchor_end(cursor):
            self.setCurrentCharFormat(_without_link(self.currentCharFormat()))
        super().keyPressEvent(event)
        if event.text() in AUTOCORRECTED and self.quotes_language and not self.isReadOnly():
            self._autocorrect_quote(event.text())

    def _autocorrect_quote(self, typed: str) -> None:
        """Replace the straight mark just typed, as its own undo step (as Word's autocorrect does):
        one Ctrl+Z gives the straight mark back."""
        cursor = self.textCursor()
        if cursor.hasSelection() or cursor.positionInBlock() < 1:
            return
        line = cursor.block().text()[: cursor.positionInBlock()]
        if not line.endswith(typed):
            return
        found = as_typed(line[:-1], typed, self.quotes_language or "en")
        if found is None:
            return
        drop, replacement = found
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.PreviousCharacter, QTextCursor.MoveMode.KeepAnchor,
                            1 + drop)
        cursor.insertText(replacement)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def run_command(self, command: str) -> None:
        """Run a command by name: bold, italic, bullets, numbers, link, redo."""
        {
            "redo": self.redo,
            "bold": self.toggle_bold,
            "italic": self.toggle_italic,
            "bullets": lambda: self.toggle_list(False),
            "numbers": lambda: self.toggle_list(True),
            "link": self.edit_link,
        }[command]()

    def _at_anchor_end(self, cursor: QTextCursor) -> bool:
        """Whether the cursor stands right after the last character of a link."""
        if cursor.hasSelection():
            return False
        if cursor.atBlockEnd():
            return True
        after = QTextCursor(cursor)
        after.movePosition(QTextCursor.MoveOperation.NextCharacter)
        return after.charFormat().anchorHref() != cursor.charFormat().anchorHref()

    # -- spelling ---------------------------------------------------------------------------------

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self.spell is not None and not self.isReadOnly():
            add_spelling_actions(menu, self.spell, self.cursorForPosition(event.pos()),
                                 self.replace_range)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.context_menu = menu
        menu.popup(event.globalPos())

    def replace_range(self, start: int, length: int, text: str) -> None:
        """Replace ``length`` characters at ``start`` with ``text``, keeping their format (one undo step)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        fmt = cursor.charFormat()
        cursor.beginEditBlock()
        cursor.insertText(text, fmt)
        cursor.endEditBlock()

    # -- paste: only the subset comes in ----------------------------------------------------

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasText() or source.hasHtml()

    def insertFromMimeData(self, source: QMimeData) -> None:
        if self.isReadOnly():
            return
        cursor = self.textCursor()
        cursor.beginEditBlock()
        in_item = False  # the paste replaces text selected inside one list item
        if cursor.hasSelection():
            doc = self.document()
            first = doc.findBlock(cursor.selectionStart())
            in_item = (first == doc.findBlock(cursor.selectionEnd())
                       and first.textList() is not None)
            self._remove_selection(cursor)
        if source.hasHtml():
            # Formatting from a word processor or a web page is kept where the subset has it
            # (bold, italic, lists, links); fonts, colours, tables and images are not.
            scratch = QTextDocument()
            scratch.setHtml(word_lists_to_html(source.html()))
            insert_markdown(cursor, document_markdown(scratch), self.palette().link().color(),
                            in_item=in_item)
        elif source.hasText():
            cursor.insertText(source.text(), _without_link(cursor.charFormat()))
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _remove_selection(self, cursor: QTextCursor) -> None:
        """Delete the selection; the paste then starts a paragraph where the selection started.

        Qt gives the block left after deleting across paragraphs the list of the block where
        the selection ended: select all in a text ending with a list, paste, and the first
        pasted paragraph would become a bullet.
        """
        started_in_list = self.document().findBlock(cursor.selectionStart()).textList() is not None
        cursor.removeSelectedText()
        if not started_in_list and cursor.currentList() is not None:
            self._remove_from_lists(cursor)

    # -- size and focus ---------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        doc_height = self.document().documentLayout().documentSize().height()
        lines = self.fontMetrics().lineSpacing() * MIN_LINES + 2 * self.document().documentMargin()
        frame = 2 * self.frameWidth()
        return QSize(super().sizeHint().width(), int(max(doc_height, lines)) + frame + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.sizeHint().height())

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.updateGeometry()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.sig_focus_entered.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:  # a context menu is not leaving
            self.sig_focus_left.emit()


def _without_link(fmt: QTextCharFormat) -> QTextCharFormat:
    plain = QTextCharFormat(fmt)
    plain.setAnchor(False)
    plain.setAnchorHref("")
    plain.setFontUnderline(False)
    plain.clearForeground()
    return plain

