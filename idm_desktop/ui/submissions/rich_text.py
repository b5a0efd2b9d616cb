"""A section's text between the editor's QTextDocument and the Markdown subset it is stored in.

Qt's own Markdown support does not keep a delegate's text: ``QTextDocument.toMarkdown`` leaves
``*``, ``_``, `````, ``<`` and ``&`` unescaped (so "__init__" comes back as "_init_",
"<b>x</b>" as bold, "*stars*" as italics), and ``setMarkdown`` reads HTML that the export
prints as text. So both directions are ours, and both go through the export's own parser
(:mod:`idm_desktop.export.markup`): the editor shows what the PDF prints, and every paragraph
written is parsed back (see :mod:`.inline_markdown`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextList,
    QTextListFormat,
)

from idm_desktop.export.inline_markdown import inline_markdown
from idm_desktop.export.markup import Block, Inline, LineBreak, ListBlock, Para, Span, parse

LINE_BREAK = "\u2028"  # what Shift+Enter inserts in a QTextEdit
_BOLD_WEIGHT = 600  # from DemiBold up, a pasted weight counts as bold
_PARAGRAPH_GAP = 6.0
_ITEM_GAP = 2.0
_BULLET_STYLES = (
    QTextListFormat.Style.ListDisc,
    QTextListFormat.Style.ListCircle,
    QTextListFormat.Style.ListSquare,
)
_ORDERED_STYLES = {
    QTextListFormat.Style.ListDecimal,
    QTextListFormat.Style.ListLowerAlpha,
    QTextListFormat.Style.ListUpperAlpha,
    QTextListFormat.Style.ListLowerRoman,
    QTextListFormat.Style.ListUpperRoman,
}
# Characters that are not text (see export.markup), and the object placeholder of images.
_DROPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffc\u2029]")


def is_bold(fmt: QTextCharFormat) -> bool:
    return fmt.fontWeight() >= _BOLD_WEIGHT


def is_ordered(fmt: QTextListFormat) -> bool:
    return fmt.style() in _ORDERED_STYLES


def bullet_style(depth: int) -> QTextListFormat.Style:
    """The bullet of a list ``depth`` levels deep (0 is the outermost)."""
    return _BULLET_STYLES[depth % len(_BULLET_STYLES)]


def link_format(href: str, color: QColor | None = None) -> QTextCharFormat:
    """The character format of link text pointing at ``href``."""
    fmt = QTextCharFormat()
    fmt.setAnchor(True)
    fmt.setAnchorHref(href)
    fmt.setFontUnderline(True)
    fmt.setForeground(color or QGuiApplication.palette().link().color())
    return fmt


# -- Markdown -> document ----------------------------------------------------------------------


def block_format(list_item: bool = False) -> QTextBlockFormat:
    """A paragraph's spacing on screen: paragraphs apart, list items close (as in the PDF)."""
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(_ITEM_GAP if list_item else _PARAGRAPH_GAP)
    return fmt


def load_markdown(doc: QTextDocument, markdown: str, link_color: QColor | None = None) -> None:
    """Replace the content of ``doc`` with ``markdown`` (read as the export reads it)."""
    doc.clear()
    cursor = QTextCursor(doc)
    cursor.setBlockFormat(block_format())  # paragraphs typed later copy it
    insert_markdown(cursor, markdown, link_color)
    doc.clearUndoRedoStacks()


def insert_markdown(cursor: QTextCursor, markdown: str, link_color: QColor | None = None, *,
                    in_item: bool = False) -> None:
    """Insert ``markdown`` at ``cursor``: the first paragraph joins the current one, except that
    a pasted paragraph never becomes a list item by landing in one: in an empty item it takes
    the item out of its list, and several paragraphs pasted at the end of an item start after
    it (one pasted at the end of an item, or inside one, joins the item as typed text would).
    ``in_item``: the paste replaces text selected in an item, and belongs to that item."""
    blocks = parse(markdown)
    _Inserter(cursor, link_color, several=len(blocks) > 1, in_item=in_item).blocks(blocks, 0)


class _Inserter:
    def __init__(self, cursor: QTextCursor, link_color: QColor | None, *,
                 several: bool = False, in_item: bool = False) -> None:
        self.cursor = cursor
        self.link_color = link_color
        self.several = several
        self.in_item = in_item
        self.first = True

    def blocks(self, blocks: Sequence[Block], depth: int) -> None:
        for block in blocks:
            if isinstance(block, Para):
                self._new_block(list_ok=False)
                self.inlines(block.inlines)
            else:
                self._list(block, depth)

    def _list(self, block: ListBlock, depth: int) -> None:
        fmt = QTextListFormat()
        fmt.setIndent(depth + 1)
        if block.ordered:
            fmt.setStyle(QTextListFormat.Style.ListDecimal)
            fmt.setStart(block.start)
        else:
            fmt.setStyle(bullet_style(depth))
        lst: QTextList | None = None
        for item in block.items:
            lst = self._item_block(lst, fmt)
            nested = False
            wrote = False
            for sub in item.blocks:
                if isinstance(sub, ListBlock):
                    self._list(sub, depth + 1)
                    nested = True
                    continue
                if nested:  # text after a nested list starts a new item of this list
                    lst = self._item_block(lst, fmt)
                    nested = wrote = False
                if wrote:  # a second paragraph of one item: Qt has one block per item
                    self.cursor.insertText(LINE_BREAK)
                self.inlines(sub.inlines)
                wrote = True

    def _item_block(self, lst: QTextList | None, fmt: QTextListFormat) -> QTextList:
        self._new_block(list_ok=True)
        if lst is None:
            return self.cursor.createList(fmt)
        lst.add(self.cursor.block())
        return lst

    def _new_block(self, *, list_ok: bool) -> None:
        if self.first:
            self.first = False
            if not list_ok and not self.in_item and self.cursor.currentList() is not None:
                self._paragraph_in_a_list()
                return
            if not list_ok or self.cursor.block().length() <= 1:
                return  # write into the block the cursor is in
        self.cursor.insertBlock(block_format(list_ok), QTextCharFormat())

    def _paragraph_in_a_list(self) -> None:
        """The first pasted block is a paragraph and the cursor is in a list item."""
        if self.cursor.block().length() > 1:  # an item with text
            if not (self.several and self.cursor.atBlockEnd()):
                return  # inside the item, or one paragraph: it joins the item as typed text
            self.cursor.insertBlock(block_format(), QTextCharFormat())
        lst = self.cursor.currentList()
        if lst is not None:
            lst.remove(self.cursor.block())
        self.cursor.setBlockFormat(block_format())  # no list indent left

    def inlines(self, inlines: Sequence[Inline]) -> None:
        for inline in inlines:
            if isinstance(inline, LineBreak):
                self.cursor.insertText(LINE_BREAK, QTextCharFormat())
                continue
            fmt = link_format(inline.href, self.link_color) if inline.href else QTextCharFormat()
            if inline.bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            if inline.italic:
                fmt.setFontItalic(True)
            self.cursor.insertText(inline.text, fmt)


# -- document -> Markdown ----------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    """One block of the document: a paragraph, or a list item at ``depth``."""

    inlines: list[Inline] = field(default_factory=list)
    list_key: int | None = None
    depth: int = 0
    ordered: bool = False
    number: int = 1


def document_markdown(doc: QTextDocument) -> str:
    """The Markdown of ``doc``: paragraphs, lists, **bold**, *italic*, links and line breaks.

    Empty paragraphs and list items are left out; leading and trailing spaces of a line are
    dropped (Markdown cannot keep them). Everything else of the text is kept exactly.
    """
    chunks: list[str] = []
    items: list[str] = []
    cols: list[int] = []  # the content column of the open item at each depth
    last_list: dict[int, tuple[int, bool, bool]] = {}  # depth -> (list, ordered, alternate)
    for line in _lines(doc):
        text = inline_markdown(line.inlines)
        if not text:
            continue
        if line.list_key is None:
            if items:
                chunks.append("\n".join(items))
                items, cols, last_list = [], [], {}
            chunks.append(text)
            continue
        depth = min(line.depth, len(cols))
        cols = cols[:depth]
        alternate = False
        previous = last_list.get(depth)
        if previous is not None and previous[0] == line.list_key:
            alternate = previous[2]
        elif previous is not None:
            # Another list right after one: a blank line between them at the top level,
            # and a different marker when it is of the same kind (else the two would merge).
            alternate = previous[2] != (previous[1] == line.ordered)
            if depth == 0 and items:
                chunks.append("\n".join(items))
                items = []
        last_list = {d: v for d, v in last_list.items() if d < depth}
        last_list[depth] = (line.list_key, line.ordered, alternate)
        bullet = "*" if alternate else "-"
        marker = f"{line.number}{')' if alternate else '.'}" if line.ordered else bullet
        indent = cols[-1] if cols else 0
        cols.append(indent + len(marker) + 1)
        # Lines after a line break are indented under the item's text, for the reader.
        text = text.replace("\\\n", "\\\n" + " " * cols[-1])
        items.append(" " * indent + marker + " " + text)
    if items:
        chunks.append("\n".join(items))
    return "\n\n".join(chunks)


def _lines(doc: QTextDocument) -> Iterator[_Line]:
    block = doc.begin()
    while block.isValid():
        yield _line(block)
        block = block.next()


def _line(block: QTextBlock) -> _Line:
    line = _Line()
    lst = block.textList()
    if lst is not None:
        list_format = lst.format()
        line.list_key = lst.objectIndex()
        line.depth = max(list_format.indent(), 1) - 1
        line.ordered = is_ordered(list_format)
        line.number = list_format.start() + lst.itemNumber(block) if line.ordered else 1
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        it += 1
        if not frag.isValid():
            continue
        fmt = frag.charFormat()
        href = fmt.anchorHref() if fmt.isAnchor() and fmt.anchorHref() else None
        for n, part in enumerate(frag.text().split(LINE_BREAK)):
            if n:
                line.inlines.append(LineBreak())
            part = _DROPPED.sub("", part.replace("\r", "").replace("\n", " "))
            if part:
                line.inlines.append(Span(part, is_bold(fmt), fmt.fontItalic(), href))
    return line
