"""Lists in HTML copied from Microsoft Word, made into HTML lists before Qt reads them.

Word does not copy a list as ``<ul>``/``<ol>``: each item is a paragraph styled
``mso-list:l0 level1 lfo1``, whose bullet or number is literal text ("·", "o", "1.") followed by
no-break spaces, wrapped in ``<![if !supportLists]> … <![endif]>`` (``<!--[if !supportLists]-->``
in some versions). Qt knows neither, so a pasted list would arrive as paragraphs starting with
"·" and spaces. This rewrites each run of such paragraphs as nested lists, the marker dropped.
Some copies (Outlook, Word on the web, older Macs) have no conditional comment, only the
marker's ``<span style='mso-list:Ignore'>``: that span is the marker then. A marker "1." "a)"
"iv." "(2)" "1.1." makes a numbered list (from its number: "3." starts at 3); anything else
("·" in Symbol, "o", "§" in Wingdings, "–") a bullet list. Outside list paragraphs (a heading
Word numbers), the marker is kept as text. Plain string work: no Qt here.
"""

from __future__ import annotations

import html
import re

_LIST_PARA = re.compile(
    r"<p\b(?P<attrs>[^>]*?mso-list:\s*l(?P<list>\d+)\s+level(?P<level>\d+)[^>]*)>(?P<body>.*?)</p\s*>",
    re.IGNORECASE | re.DOTALL,
)
_MARKER = re.compile(
    r"<!(?:--)?\[if !supportLists\](?:--)?>(?P<marker>.*?)<!(?:--)?\[endif\](?:--)?>",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<[^>]*>")
_BETWEEN = re.compile(r"^(?:\s|<!--.*?-->|<o:p>\s*</o:p>)*$", re.DOTALL)
_ORDERED = re.compile(r"^\(?(?:\d+(?:\.\d+)*[.)]?|(?:[a-z]|[ivxlcdm]+)[.)])$", re.IGNORECASE)
_FIRST_NUMBER = re.compile(r"^\(?(\d+)[.)]?$")
_IGNORE_START = re.compile(r"<span\b[^>]*mso-list:\s*Ignore[^>]*>", re.IGNORECASE)
_SPAN_TAG = re.compile(r"<(/?)span\b[^>]*>", re.IGNORECASE)


def is_word_html(text: str) -> bool:
    """Whether ``text`` looks like HTML that Word put on the clipboard with a list in it."""
    return "mso-list" in text


def _marker_text(body: str) -> str:
    match = _MARKER.search(body)
    if match:
        raw = match.group("marker")
    else:
        span = _ignored_span(body)
        raw = body[span[0]:span[1]] if span else ""
    return html.unescape(_TAG.sub("", raw)).replace("\xa0", " ").strip()


def _ignored_span(body: str) -> tuple[int, int] | None:
    """Where the ``mso-list:Ignore`` span (the marker) is in ``body``, nested spans included."""
    start = _IGNORE_START.search(body)
    if start is None:
        return None
    depth = 0
    for tag in _SPAN_TAG.finditer(body, start.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return start.start(), tag.end()
    return start.start(), len(body)


def _without_marker(body: str) -> str:
    if _MARKER.search(body):
        return _MARKER.sub("", body)
    span = _ignored_span(body)
    return body[:span[0]] + body[span[1]:] if span else body


def word_lists_to_html(text: str) -> str:
    """``text`` with Word's list paragraphs rewritten as ``<ul>``/``<ol>`` (nested by level)."""
    if not is_word_html(text):
        return text
    text = _lists_in(text)
    # A marker left outside list paragraphs (a heading Word numbers) stays as its text.
    return _MARKER.sub(lambda m: m.group("marker"), text)


def _lists_in(text: str) -> str:
    out: list[str] = []
    pos = 0  # what of ``text`` is written to ``out``
    run: list[tuple[int, str, str]] = []  # (level, marker, item body) of consecutive items
    run_start = run_end = 0
    for match in _LIST_PARA.finditer(text):
        if run and not _BETWEEN.match(text[run_end:match.start()]):
            out += [text[pos:run_start], _lists(run)]
            pos, run = run_end, []
        if not run:
            run_start = match.start()
        body = match.group("body")
        run.append((max(int(match.group("level")), 1), _marker_text(body), _without_marker(body)))
        run_end = match.end()
    if run:
        out += [text[pos:run_start], _lists(run)]
        pos = run_end
    out.append(text[pos:])
    return "".join(out)


def _lists(items: list[tuple[int, str, str]]) -> str:
    """Nested HTML lists of ``items``: a deeper level opens a list inside the item before."""
    parts: list[str] = []
    open_tags: list[str] = []  # the list tags open, outermost first
    for level, marker, body in items:
        tag = "ol" if _ORDERED.match(marker) else "ul"
        while len(open_tags) > level:
            parts.append(f"</li></{open_tags.pop()}>")
        if len(open_tags) == level:
            if open_tags[-1] != tag:  # a list of another kind at the same depth
                parts.append(f"</li></{open_tags.pop()}>")
            else:
                parts.append("</li>")
        while len(open_tags) < level:
            first = _FIRST_NUMBER.match(marker) if tag == "ol" else None
            start = int(first.group(1)) if first else 1
            parts.append(f'<{tag} start="{start}">' if start != 1 else f"<{tag}>")
            open_tags.append(tag)
        parts.append(f"<li>{body}")
    while open_tags:
        parts.append(f"</li></{open_tags.pop()}>")
    return "".join(parts)
