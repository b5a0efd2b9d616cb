"""One paragraph's formatted text as Markdown that parses back to exactly that text.

The writer escapes only what could start a Markdown construct (the stored text stays readable
in diffs and on the command line), keeps emphasis delimiters off spaces, and checks its output
with the export's own parser: when no delimiters express a formatting (bold starting on
punctuation inside a word, say), the formatting is dropped, never a character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache

from markdown_it import MarkdownIt

from idm_desktop.export.markup import Inline, LineBreak, Para, Span, parse

_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_LINE_START_ESCAPED = set("#>-+=*~")
_ORDERED_MARKER = re.compile(r"\d{1,9}[.)]")
_PLAIN_DEST = re.compile(r"[^\s()<>\\]+")
# Emphasis delimiters to try, in order, when a combination does not parse back.
_DELIMITERS = (("**", "*"), ("**", "_"), ("__", "*"), ("__", "_"))


def inline_markdown(inlines: Sequence[Inline]) -> str:
    """One paragraph's spans as Markdown that parses back to the same text and formatting.

    When no way of writing the emphasis parses back (e.g. bold starting on punctuation inside
    a word), the emphasis is dropped, then the links: the text itself always survives.
    """
    return _inline_markdown(tuple(inlines))


@lru_cache(maxsize=2048)
def _inline_markdown(inlines: tuple[Inline, ...]) -> str:
    # Cached: as the user types, every other paragraph of the section is unchanged.
    want = normalised(inlines)
    if not want:
        return ""
    attempts = [(strong, em, True, True, escape_all)
                for escape_all in (False, True) for strong, em in _DELIMITERS]
    attempts += [("**", "*", False, links, escape_all)
                 for links in (True, False) for escape_all in (False, True)]
    md = ""
    for strong, em, emphasis, links, escape_all in attempts:
        md = _write(want, strong, em, keep_emphasis=emphasis, keep_links=links,
                    escape_all=escape_all)
        if _parses_to(md, want, emphasis=emphasis, links=links):
            return md
    return md  # every ASCII punctuation escaped: the text is kept whatever happened above


def normalised(inlines: Sequence[Inline]) -> list[Inline]:
    """The spans as Markdown keeps them: no spaces at line ends, neighbours merged."""
    lines: list[list[Span]] = [[]]
    for inline in inlines:
        if isinstance(inline, LineBreak):
            lines.append([])
        elif inline.text:
            lines[-1].append(inline)
    out: list[Inline] = []
    for n, spans in enumerate(lines):
        _strip_edges(spans)
        if n and out:
            out.append(LineBreak())
        for span in spans:
            last = out[-1] if out else None
            if isinstance(last, Span) and _same_format(last, span):
                out[-1] = Span(last.text + span.text, span.bold, span.italic, span.href)
            else:
                out.append(span)
    while out and isinstance(out[-1], LineBreak):
        out.pop()
    while out and isinstance(out[0], LineBreak):
        out.pop(0)
    return out


def _strip_edges(spans: list[Span]) -> None:
    while spans and not spans[0].text.lstrip(" \t"):
        spans.pop(0)
    if spans:
        first = spans[0]
        spans[0] = Span(first.text.lstrip(" \t"), first.bold, first.italic, first.href)
    while spans and not spans[-1].text.rstrip(" \t"):
        spans.pop()
    if spans:
        last = spans[-1]
        spans[-1] = Span(last.text.rstrip(" \t"), last.bold, last.italic, last.href)


def _same_format(a: Span, b: Span) -> bool:
    return (a.bold, a.italic, a.href) == (b.bold, b.italic, b.href)


def _write(inlines: Sequence[Inline], strong: str, em: str, *, keep_emphasis: bool,
           keep_links: bool, escape_all: bool) -> str:
    out: list[str] = []
    lines: list[list[Span]] = [[]]
    for inline in inlines:
        if isinstance(inline, LineBreak):
            lines.append([])
        else:
            lines[-1].append(inline if keep_emphasis else Span(inline.text, href=inline.href))
    for n, spans in enumerate(lines):
        if n:
            out.append("\\\n")
        line = "".join(s.text for s in spans)
        pos = i = 0
        while i < len(spans):
            href = spans[i].href if keep_links else None
            group: list[Span] = []
            while i < len(spans) and (spans[i].href if keep_links else None) == href:
                group.append(spans[i])
                i += 1
            text = _emphasis(group, strong, em, _Escaper(line, pos, escape_all))
            pos += sum(len(s.text) for s in group)
            # The target as the parser stores it ("é" and spaces %-encoded): a save after a
            # load then writes the same text again.
            out.append(f"[{text}]({_destination(_link_normaliser().normalizeLink(href))})"
                       if href else text)
    return "".join(out)


def _emphasis(spans: Sequence[Span], strong: str, em: str, escaper: _Escaper) -> str:
    """Spans with the same link target, with emphasis delimiters kept off the spaces."""
    pieces: list[tuple[str, frozenset[str] | None]] = []
    for span in spans:
        want = frozenset(k for k, on in (("b", span.bold), ("i", span.italic)) if on)
        core = span.text.strip()
        if not core:
            pieces.append((span.text, None))
            continue
        lead = span.text[: len(span.text) - len(span.text.lstrip())]
        trail = span.text[len(span.text.rstrip()):]
        pieces += [(lead, None), (core, want), (trail, None)]
    marks = {"b": strong, "i": em}
    out: list[str] = []
    open_: list[str] = []
    for n, (text, wanted) in enumerate(pieces):
        if not text:
            continue
        spaces = wanted is None
        if wanted is None:  # spaces: inside only what the next word keeps open
            following = next((w for _, w in pieces[n + 1:] if w is not None), frozenset())
            want = frozenset(open_) & following
        else:
            want = wanted
        while any(k not in want for k in open_):
            out.append(marks[open_.pop()])
        for k in ("b", "i"):
            if k in want and k not in open_ and not spaces:
                open_.append(k)
                out.append(marks[k])
        out.append(escaper.next(len(text)))
    while open_:
        out.append(marks[open_.pop()])
    return "".join(out)


class _Escaper:
    """Escapes one line's text piece by piece, each character seen with its neighbours."""

    def __init__(self, line: str, pos: int, escape_all: bool) -> None:
        self.line = line
        self.pos = pos
        self.escape_all = escape_all

    def next(self, length: int) -> str:
        """The next ``length`` characters as Markdown text: what could start a construct is
        escaped, nothing more (the stored text stays readable), or every ASCII punctuation."""
        line, start = self.line, self.pos
        self.pos += length
        out: list[str] = []
        for n in range(start, start + length):
            ch = line[n]
            if (self.escape_all and ch in _ASCII_PUNCTUATION) or _needs_escape(line, n):
                out.append("\\" + ch)
            elif ch.isspace() and ch not in " \t" and (n == 0 or n == len(line) - 1):
                # A no-break space at either end of a line, which the parser would strip.
                out.append(f"&#x{ord(ch):X};")
            else:
                out.append(ch)
        return "".join(out)


def _needs_escape(line: str, n: int) -> bool:
    ch = line[n]
    before = line[n - 1] if n else " "
    after = line[n + 1] if n + 1 < len(line) else ""
    if n == 0 and ch in _LINE_START_ESCAPED:
        return True
    if ch in ".)" and (marker := _ORDERED_MARKER.match(line)) is not None and marker.end() == n + 1:
        return True  # "2006. " at the start of a line would start a numbered list
    if ch in "`[]":
        return True
    if ch == "\\":  # before a letter a backslash is a backslash
        return not after or after in _ASCII_PUNCTUATION
    if ch == "*":  # "5 * 3" cannot be emphasis
        return not (before.isspace() and after.isspace())
    if ch == "_":  # neither can "snake_case" or "a _ b"
        return not ((before.isalnum() and after.isalnum())
                    or (before.isspace() and after.isspace()))
    if ch == "&":  # "AT&T" could be an entity, "R & D" cannot
        return bool(after) and (after.isalnum() or after == "#")
    if ch == "<":  # an autolink starts "<http", "a < b" is text
        return bool(after) and not after.isspace()
    return False


def _destination(href: str) -> str:
    if _PLAIN_DEST.fullmatch(href):
        return href
    return "<" + re.sub(r"([<>\\])", r"\\\1", href.replace("\n", " ")) + ">"


@cache
def _link_normaliser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def _parses_to(md: str, want: Sequence[Inline], *, emphasis: bool = True, links: bool = True
               ) -> bool:
    blocks = parse(md)
    if len(blocks) != 1 or not isinstance(blocks[0], Para):
        return False
    return _signature(blocks[0].inlines, True, True) == _signature(want, emphasis, links)


def _signature(inlines: Sequence[Inline], emphasis: bool, links: bool) -> list[tuple[object, ...]]:
    """Per character: the character and, unless it is a space, its formatting."""
    normalise = _link_normaliser().normalizeLink
    out: list[tuple[object, ...]] = []
    for inline in inlines:
        if isinstance(inline, LineBreak):
            out.append(("\n",))
            continue
        href = normalise(inline.href) if inline.href and links else None
        for ch in inline.text:
            if ch.isspace() or unicodedata.category(ch) == "Zs":
                out.append((ch, href))
            else:
                out.append((ch, inline.bold and emphasis, inline.italic and emphasis, href))
    return out
