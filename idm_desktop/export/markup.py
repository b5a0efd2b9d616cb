"""The Markdown subset of a section's text, as a small tree both writers read.

DESIGN §3 allows paragraphs, **bold**, *italic*, bullet and numbered lists and links.
Anything else a user types (a heading, a code block, a quote, a rule) is kept as plain
paragraph text: an export never drops what was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a paragraph."""


Inline = Span | LineBreak


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph: a sequence of spans and line breaks."""

    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list: paragraphs and, possibly, a nested list."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bullet list, or a numbered one counting from ``start``."""

    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1


Block = Para | ListBlock

# Characters that are not text: XML (hence DOCX) refuses them, and a PDF would show a box.
# Lone surrogates can arrive from a badly decoded paste; they cannot be encoded at all.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@cache
def _parser() -> MarkdownIt:
    # CommonMark without raw HTML: "<b>" typed by a user stays visible text. No typographer:
    # the quotes and dashes the user typed are printed as typed.
    return MarkdownIt("commonmark", {"html": False})


@lru_cache(maxsize=256)
def parse(markdown: str) -> tuple[Block, ...]:
    """Parse one section's text into blocks (empty for blank text).

    Cached: the editor's page gauge exports the same sections again and again while the
    user edits one of them. The blocks are immutable, so sharing them is safe.
    """
    text = _NOT_TEXT.sub("", markdown)
    if not text.strip():
        return ()
    blocks, _ = _blocks(_parser().parse(text), 0, None)
    return tuple(blocks)


def plain_text(blocks: Iterable[Block]) -> str:
    """The text a reader sees, one paragraph or list item per line."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            lines.append(inline_text(block.inlines))
        else:
            for item in block.items:
                lines.append(plain_text(item.blocks))
    return "\n".join(lines)


def inline_text(inlines: Iterable[Inline]) -> str:
    """The text of a paragraph, line breaks as newlines."""
    return "".join(i.text if isinstance(i, Span) else "\n" for i in inlines)


def _blocks(tokens: Sequence[Token], i: int, closing: str | None) -> tuple[list[Block], int]:
    """Read blocks from ``tokens[i]`` up to the token of type ``closing`` (or the end)."""
    out: list[Block] = []
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == closing:
            return out, i + 1
        if kind in ("paragraph_open", "heading_open"):
            # A heading typed by the user is outside the subset: its words stay, as a paragraph.
            children = tokens[i + 1].children or []
            para = Para(_inlines(children))
            if para.inlines:
                out.append(para)
            i += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lst, i = _list(tokens, i)
            out.append(lst)
        elif kind in ("code_block", "fence", "html_block"):
            lines = token.content.rstrip("\n").split("\n")
            inlines: list[Inline] = []
            for n, line in enumerate(lines):
                if n:
                    inlines.append(LineBreak())
                inlines.append(Span(line))
            out.append(Para(tuple(inlines)))
            i += 1
        elif kind == "hr":
            # A thematic break ("---", "***") is kept as the characters typed.
            out.append(Para((Span(token.markup),)))
            i += 1
        else:
            # Openings and closings of containers (blockquote) are transparent.
            i += 1
    return out, i


def _list(tokens: Sequence[Token], i: int) -> tuple[ListBlock, int]:
    opening = tokens[i]
    ordered = opening.type == "ordered_list_open"
    close = "ordered_list_close" if ordered else "bullet_list_close"
    start = int(opening.attrGet("start") or 1) if ordered else 1
    items: list[ListItem] = []
    i += 1
    while i < len(tokens) and tokens[i].type != close:
        if tokens[i].type == "list_item_open":
            blocks, i = _blocks(tokens, i + 1, "list_item_close")
            items.append(ListItem(tuple(blocks)))
        else:
            i += 1
    return ListBlock(ordered=ordered, items=tuple(items), start=start), i + 1


def _inlines(children: Sequence[Token]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    bold = italic = 0
    hrefs: list[str] = []

    def add(text: str) -> None:
        if not text:
            return
        href = hrefs[-1] if hrefs else None
        span = Span(text, bold=bold > 0, italic=italic > 0, href=href)
        last = out[-1] if out else None
        # Merge neighbours with the same formatting: fewer runs, simpler markup.
        if isinstance(last, Span) and (last.bold, last.italic, last.href) == (
            span.bold,
            span.italic,
            span.href,
        ):
            out[-1] = Span(last.text + text, span.bold, span.italic, span.href)
        else:
            out.append(span)

    for tok in children:
        kind = tok.type
        if kind == "text" or kind == "code_inline" or kind == "html_inline":
            add(tok.content)
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            out.append(LineBreak())
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            hrefs.append(str(tok.attrGet("href") or ""))
        elif kind == "link_close":
            if hrefs:
                hrefs.pop()
        elif kind == "image":
            # An image cannot be printed from here: its description stands in for it.
            add(tok.content)
        else:
            add(tok.content)
    return tuple(out)
