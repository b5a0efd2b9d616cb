"""A small structural check of a page's HTML: the accessibility basics a test can see."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))


def problems(html: str) -> list[str]:
    """What is wrong with ``html`` (an empty list when nothing is)."""
    page = _Page()
    page.feed(html)
    found: list[str] = []
    tags = [t for t, _ in page.tags]
    html_tag = next((a for t, a in page.tags if t == "html"), {})
    if html_tag.get("lang") not in ("en", "fr", "es"):
        found.append("<html> has no lang")
    for landmark in ("header", "main", "footer", "nav"):
        if landmark not in tags:
            found.append(f"no <{landmark}>")
    if tags.count("main") != 1:
        found.append("not exactly one <main>")
    if page.headings.count(1) != 1:
        found.append(f"{page.headings.count(1)} <h1>")
    level = 0
    for h in page.headings:
        if h > level + 1:
            found.append(f"heading level jumps from h{level} to h{h}")
        level = h
    ids = Counter(a["id"] for _, a in page.tags if "id" in a)
    found += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    labelled = {a.get("for") for t, a in page.tags if t == "label"}
    for t, a in page.tags:
        needs_label = t == "select" or (t == "input" and a.get("type") not in ("hidden", "submit"))
        if needs_label and a.get("id") not in labelled and not a.get("aria-label"):
            found.append(f"<{t} name={a.get('name')}> has no label")
        if t == "nav" and not a.get("aria-label"):
            found.append("<nav> without aria-label")
        if t == "a" and a.get("href", "").startswith("#") and a["href"][1:] not in ids:
            found.append(f"link to missing #{a['href'][1:]}")
        if t == "img" and "alt" not in a:
            found.append("<img> without alt")
    if not any(t == "a" and a.get("href") == "#main" for t, a in page.tags):
        found.append("no skip link")
    return found
