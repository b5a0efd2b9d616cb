"""Guessing a document's title from its metadata or its first lines."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

MAX_TITLE_CHARS = 200
"""A line longer than this is a paragraph, not a title; metadata titles are cut to it."""

_LINES_TO_TRY = 10
"""How many non-empty lines at the top of a text may hold its title."""

# Values that tools write when nobody gave a title: not worth showing as one.
_PLACEHOLDERS = {"untitled", "(anonymous)", "(unspecified)", "anonymous", "title", "document"}
# Word's PDF printer titles a PDF after the file it came from: "Microsoft Word - IC-2006-1.doc".
_APP_PREFIX = re.compile(r"^microsoft (?:word|powerpoint|excel) - ", re.IGNORECASE)
_FILE_NAME = re.compile(r"^\S+\.(?:docx?|rtf|odt|pdf|txt|md)$", re.IGNORECASE)
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
_LETTER = re.compile(r"[^\W\d_]")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str) -> str:
    if len(text) <= MAX_TITLE_CHARS:
        return text
    cut = text[: MAX_TITLE_CHARS - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_TITLE_CHARS // 2 else cut) + "…"


def tidy(text: str) -> str | None:
    """``text`` on one line and at most :data:`MAX_TITLE_CHARS` long; None if blank."""
    return _cut(_one_line(text)) or None


def from_metadata(raw: str | None) -> str | None:
    """A title recorded in a file's properties, or None when it is empty or a tool's default."""
    if not raw:
        return None
    title = _one_line("".join(ch for ch in raw if ch.isprintable() or ch.isspace()))
    if title.lower() in _PLACEHOLDERS:
        return None
    if _APP_PREFIX.match(title) or _FILE_NAME.match(title):
        rest = _APP_PREFIX.sub("", title)
        if not rest or _FILE_NAME.match(rest):
            return None
        title = rest
    return _cut(title) or None


def _non_empty_lines(text: str) -> Iterator[str]:
    for line in text.splitlines():
        stripped = _one_line(line)
        if stripped:
            yield stripped


# A line ending in one of these runs on into the next ("Contribution of the" / "IOM BOARD").
_RUNS_ON = re.compile(r"\b(?:of|the|to|and|for|on|in|de|du|des|la|le|les|et|del|el|los|las|y|en)$",
                      re.IGNORECASE)


def first_short_line(text: str, *, markdown: bool = False) -> str | None:
    """The first short line among the top lines of ``text`` that holds a letter, or None.

    Lines of punctuation only ("---", "* * *") are skipped; in Markdown, heading marks are
    taken off. A line whose sentence runs on into a next line starting in lower case is the
    start of a paragraph, not a title; a line ending in "of the" is joined with the next.
    """
    lines = list(itertools.islice(_non_empty_lines(text), _LINES_TO_TRY + 1))
    in_paragraph = False
    for i, line in enumerate(lines[:_LINES_TO_TRY]):
        if markdown:
            heading = _ATX_HEADING.match(line)
            if heading:
                line = heading.group(2) or ""
        following = lines[i + 1] if i + 1 < len(lines) else ""
        continued = in_paragraph and line[:1].islower()
        runs_into_next = following[:1].islower() and not line.endswith((".", ":", "!", "?"))
        in_paragraph = runs_into_next or continued
        if in_paragraph or not _LETTER.search(line) or len(line) > MAX_TITLE_CHARS:
            continue
        if _RUNS_ON.search(line) and following and len(line) <= 60:
            return _cut(f"{line} {following}")
        return line
    return None


def first_markdown_heading(text: str) -> str | None:
    """The text of the first level-one heading ("# Title") of a Markdown text, or None.

    Lines inside fenced code blocks are skipped: a "# comment" there is not a heading.
    """
    in_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = _ATX_HEADING.match(line)
        if heading and len(heading.group(1)) == 1 and heading.group(2):
            title = _one_line(heading.group(2))
            if title:
                return _cut(title)
    return None


def guess(text: str, *, recorded: str | None = None, markdown: bool = False) -> str | None:
    """The title to show: the recorded one, else (Markdown) the first "# " heading, else the
    first short line, else None."""
    if recorded:
        return recorded
    if markdown:
        heading = first_markdown_heading(text)
        if heading:
            return heading
    return first_short_line(text, markdown=markdown)
