"""The public pages' messages are translated in fr and es, with the placeholders of the
original and French typography (a no-break space before : ; ? ! and inside « »)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from idm_desktop.server.public.site import TEMPLATES_DIR

LOCALE = Path(__file__).resolve().parents[3] / "resources" / "locale"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
BAD_BEFORE_MARK = re.compile(r"[^\u00a0][:;?!](\s|$)")  # French: a no-break space before : ; ? !
BAD_IN_QUOTES = re.compile(r"«[^\u00a0]|[^\u00a0]»")  # and inside « »


def _template_messages() -> list[str | tuple[str, ...]]:
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    found = extract_from_dir(str(TEMPLATES_DIR), [("**.html", "jinja2")], keywords=keywords,
                             options_map={"**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}})
    return [message for _file, _line, message, _comments, _ctx in found]


def test_templates_have_messages() -> None:
    messages = _template_messages()
    assert "Migration policy database" in messages
    assert ("{n} overview found", "{n} overviews found") in messages


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_template_message_is_translated(lang: str) -> None:
    with (LOCALE / lang / "LC_MESSAGES" / "idm_desktop.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    bad: list[str] = []
    for message in _template_messages():
        originals = message if isinstance(message, tuple) else (message,)
        entry = catalog.get(originals[0])
        if entry is None or entry.fuzzy:
            bad.append(f"missing or fuzzy: {originals[0]!r}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(PLACEHOLDER.findall(" ".join(originals)))
        for s in strings:
            if not s or set(PLACEHOLDER.findall(s)) != wanted:
                bad.append(f"untranslated or placeholders differ: {originals[0]!r} -> {s!r}")
            if lang == "fr" and (BAD_BEFORE_MARK.search(s) or BAD_IN_QUOTES.search(s)):
                bad.append(f"French typography: {s!r}")
    assert not bad, "\n".join(bad)
