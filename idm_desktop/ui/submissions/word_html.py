"""Lists in HTML copied from Microsoft Word, made into HTML lists before Qt reads them.

Word does not copy a list as ``<ul>``/``<ol>``: each item is a paragraph styled
``mso-list:l0 level1 lfo1``, whose bullet or number is literal text ("·", "o", "1.") followed by
no-break spaces, wrapped in ``<![if !supportLists]> … <![endif]>`` (``<!--[if !supportLists]-->``
in some versions). Qt knows neither, so a pasted list would arrive as paragraphs starting with
"·" and spaces. This rewrites each run of such paragraphs as nested lists, the marker dropped.
Plain string work: no Qt here.
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
_ORDERED = re.compile(r"^\(?(?:\d+|[a-z]|[ivxlcdm]+)[.)]$", re.IGNORECASE)


def is_word_html(text: str) -> bool:
    """Whether ``text`` looks like HTML that Word put on the clipboard with a list in it."""
    return "mso-list" in text


def _marker_text(body: str) -> str:
    match = _MARKER.search(body)
    if not match:
        return ""
    return html.unescape(_TAG.sub("", match.group("marker"))).replace("\xa0", " ").strip()


def word_lists_to_html(text: str) -> str:
    """``text`` with Word's list paragraphs rewritten as ``<ul>``/``<ol>`` (nested by level)."""
    if not is_word_html(text):
        return text
    out: list[str] = []
    pos = 0  # what of ``text`` is written to ``out``
    run: list[tuple[int, bool, str]] = []  # (level, ordered, item body) of consecutive items
    run_start = run_end = 0
    for match in _LIST_PARA.finditer(text):
        if run and not _BETWEEN.match(text[run_end:match.start()]):
            out += [text[pos:run_start], _lists(run)]
            pos, run = run_end, []
        if not run:
            run_start = match.start()
        ordered = bool(_ORDERED.match(_marker_text(match.group("body"))))
        run.append((max(int(match.group("level")), 1), ordered, _MARKER.sub("", match.group("body"))))
        run_end = match.end()
    if run:
        out += [text[pos:run_start], _lists(run)]
        pos = run_end
    out.append(text[pos:])
    return "".join(out)


def _lists(items: list[tuple[int, bool, str]]) -> str:
    """Nested HTML lists of ``items``: a deeper level opens a list inside the item before."""
    parts: list[str] = []
    open_tags: list[str] = []  # the list tags open, outermost first
    for level, ordered, body in items:
        tag = "ol" if ordered else "ul"
        while len(open_tags) > level:
            parts.append(f"</li></{open_tags.pop()}>")
        if len(open_tags) == level:
            if open_tags[-1] != tag:  # a list of another kind at the same depth
                parts.append(f"</li></{open_tags.pop()}>")
            else:
                parts.append("</li>")
        while len(open_tags) < level:
            parts.append(f"<{tag}>")
            open_tags.append(tag)
        parts.append(f"<li>{body}")
    while open_tags:
        parts.append(f"</li></{open_tags.pop()}>")
    return "".join(parts)
