"""A section's Markdown subset as HTML, from the same parse the PDF is printed from (the public
pages and the desk draw text the same way).

Everything a delegate typed is escaped: raw HTML was already plain text to the parser
(markdown-it with ``html`` off), and here every run of text goes through ``escape``. Links
keep only http, https and mailto targets and carry ``rel="nofollow"``; any other target
(``javascript:``, ``data:``, a relative path) leaves the words as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from idm_desktop.export.markup import Block, Inline, LineBreak, ListBlock, Para, Span

_SAFE_SCHEMES = ("http", "https", "mailto")


def safe_href(href: str | None) -> str | None:
    """``href`` when it is a link a reader may follow from this site, else None."""
    if not href:
        return None
    try:
        scheme = urlsplit(href.strip()).scheme.lower()
    except ValueError:
        return None
    return href.strip() if scheme in _SAFE_SCHEMES else None


def _inline(inlines: Iterable[Inline]) -> str:
    out: list[str] = []
    for item in inlines:
        if isinstance(item, LineBreak):
            out.append("<br>")
            continue
        assert isinstance(item, Span)
        html = str(escape(item.text))
        if item.italic:
            html = f"<em>{html}</em>"
        if item.bold:
            html = f"<strong>{html}</strong>"
        href = safe_href(item.href)
        if href is not None:
            html = f'<a href="{escape(href)}" rel="nofollow noopener">{html}</a>'
        out.append(html)
    return "".join(out)


def _blocks(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(f"<p>{_inline(block.inlines)}</p>")
        elif isinstance(block, ListBlock):
            items = "".join(f"<li>{_blocks(item.blocks)}</li>" for item in block.items)
            if block.ordered:
                start = f' start="{block.start}"' if block.start != 1 else ""
                out.append(f"<ol{start}>{items}</ol>")
            else:
                out.append(f"<ul>{items}</ul>")
    return "\n".join(out)


def blocks_html(blocks: Sequence[Block]) -> Markup:
    """``blocks`` as HTML, safe to put in a page as it is."""
    return Markup(_blocks(blocks))  # every text run above is escaped


def highlighted(segments: Iterable[tuple[str, bool]]) -> Markup:
    """Snippet or title segments as HTML, the hits in ``<mark>``."""
    return Markup("".join(f"<mark>{escape(text)}</mark>" if hit else str(escape(text))
                          for text, hit in segments))
