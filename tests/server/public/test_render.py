"""A section's Markdown subset as HTML: the subset rendered, everything else escaped."""

from __future__ import annotations

import re

from idm_desktop.export.markup import parse
from idm_desktop.server.public.render import blocks_html, safe_href


def html(text: str) -> str:
    return str(blocks_html(parse(text)))


def test_the_subset_is_rendered() -> None:
    out = html("A **bold** and *italic* [link](https://example.org/a?b=1&c=2).\n\n- one\n- two\n\n3. three")
    assert "<strong>bold</strong>" in out
    assert "<em>italic</em>" in out
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener">link</a>' in out
    assert "<ul><li><p>one</p></li><li><p>two</p></li></ul>" in out
    assert '<ol start="3">' in out


def test_html_typed_by_a_delegate_stays_text() -> None:
    out = html('<script>alert("x")</script> <img src=x onerror=alert(1)> & "quotes"')
    assert "<script" not in out
    assert "<img" not in out
    assert "&lt;script&gt;" in out
    assert "&amp;" in out


def test_only_web_and_mail_links_are_links() -> None:
    for target in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x",
                   "/relative", "file:///etc/passwd"):
        assert "<a " not in html(f"[click]({target})"), target
        assert safe_href(target) is None
    assert safe_href("mailto:desk@example.org") == "mailto:desk@example.org"
    out = html('[x](<https://example.org/" onmouseover="alert(1)>)')
    assert re.search(r'<a href="[^"<>]*" rel="nofollow noopener">x</a>', out), out
