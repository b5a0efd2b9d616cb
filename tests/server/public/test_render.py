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


# The list of results as the template engine made it before it was put together in Python.
_RESULT_LIST_TEMPLATE = """\
{% macro result_list(items, heading_level=3) %}
<ol class="results" role="list">
{% for item in items %}
  <li class="result">
    <h{{ heading_level }} class="result-title"><a href="{{ submission_url(item.receipt_no) }}" \
lang="{{ item.language }}">{% if item.title %}{{ highlighted(item.marked_title) }}{% else %}\
{{ _("Policy overview") }}{% endif %}</a></h{{ heading_level }}>
    <p class="meta">
      <span>{{ country_name(item.country) }}</span>
      <span>{{ workshop_title(item.workshop_id) }}</span>
      <span>{{ language_label(item.language) }}</span>
      <span>{{ _("Received {date}").format(date=date(item.received_on)) }}</span>
    </p>
    {% if item.superseded_by %}
    <p class="badge">{{ _("Superseded by a newer version") }}</p>
    {% endif %}
    {% if item.snippet %}
    <p class="snippet" lang="{{ item.language }}">{{ highlighted(item.snippet) }}</p>
    {% endif %}
  </li>
{% endfor %}
</ol>
{% endmacro %}
  {{ result_list(items, level) }}
"""


def test_the_list_of_results_is_the_one_the_template_made() -> None:
    import datetime as dt

    from fastapi import FastAPI
    from starlette.requests import Request

    from idm_desktop.core.catalog import load_catalog
    from idm_desktop.server.public import pages
    from idm_desktop.server.public.service import Catalog, Listed
    from idm_desktop.server.public.site import Site

    app = FastAPI()
    site = app.state.public_site = Site.create()
    cat = Catalog({w.id: w for w in load_catalog()})
    workshop = next(iter(cat.workshops))
    when = dt.datetime(2006, 3, 12, 23, 30, tzinfo=dt.UTC)  # the 13th in Geneva
    items = [
        Listed("IDM-2006-FRA-00001", "L’intégration <des> \"migrants\" & 'autres'", "FRA", workshop, "fr",
               when, when, None,
               (("…début ", False), ("intégration", True), (" <fin> & «\u00a0x\u00a0»", False)),
               (("L’", False), ("intégration", True), (" <des> \"migrants\" & 'autres'", False))),
        Listed("IDM-2006-MEX-00002", "", "MEX", "unknown-workshop", "es", when, None, "IDM-2006-MEX-00003",
               ()),
        Listed("IDM-2006-XKX-00004", "Title", "XKX", workshop, "en", when, None, "IDM-2006-XKX-00005",
               (("plain", False),), (("Title", False),)),
    ]
    for lang in ("en", "fr", "es"):
        request = Request({"type": "http", "method": "GET", "path": f"/{lang}/search", "query_string": b"",
                           "headers": [], "app": app})
        context = pages._context(request, lang, cat)
        for level in (2, 3):
            expected = site.env.from_string(_RESULT_LIST_TEMPLATE).render({**context, "items": items,
                                                                          "level": level})
            got = site.env.from_string("  {{ result_list(items, level) }}\n").render(
                {**context, "items": items, "level": level})
            assert got == expected
            assert "&lt;des&gt;" in got
