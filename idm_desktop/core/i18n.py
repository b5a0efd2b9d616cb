"""gettext for the whole program.

The user interface language is process-wide, like a locale: the entry point (``cli/main.py``,
before the window or a command runs) calls :func:`set_ui_language` once, and messages everywhere
use :func:`_`.
Exports are written in the *submission's* language, not the UI's: they ask for an explicit
:func:`translator`.

Compiled catalogs (.mo) are build outputs; in a source checkout where none was compiled yet,
the .po file is compiled in memory with Babel, so the program is never silently untranslated.
"""

from __future__ import annotations

import gettext
import io
from functools import cache

from idm_desktop.core.cldr import whole_number
from idm_desktop.core.resources import resource

DOMAIN = "idm_desktop"
UI_LANGUAGES = ("en", "fr", "es")

_current: list[gettext.NullTranslations] = [gettext.NullTranslations()]
_current_lang: list[str] = ["en"]


@cache
def translator(lang: str) -> gettext.NullTranslations:
    """The translations of one language (English is the source language: no catalog)."""
    if lang == "en" or lang not in UI_LANGUAGES:
        return gettext.NullTranslations()
    folder = resource("locale", lang, "LC_MESSAGES")
    mo_path = folder / f"{DOMAIN}.mo"
    po_path = folder / f"{DOMAIN}.po"
    if mo_path.exists() and (not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po_path.exists():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return gettext.GNUTranslations(buf)
    return gettext.NullTranslations()


def set_ui_language(lang: str) -> None:
    """Switch the language of every message shown from now on."""
    _current[0] = translator(lang)
    _current_lang[0] = lang if lang in UI_LANGUAGES else "en"


def ui_language() -> str:
    """The language messages are shown in."""
    return _current_lang[0]


def _(message: str) -> str:
    """Translate ``message`` into the UI language."""
    return _current[0].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count into the UI language."""
    return _current[0].ngettext(singular, plural, n)


def count(n: int) -> str:
    """A count as the UI language writes it: "10,000" (en), "10 000" (fr), "10.000" (es)."""
    if 0 <= n < 1000:  # plain digits in every UI language: no need to load Babel's locale data
        return str(n)
    lang = ui_language()
    quick = whole_number(n, lang)
    if quick is not None:  # without loading Babel (core.cldr)
        return quick
    from babel.numbers import format_decimal

    return str(format_decimal(n, locale={"en": "en_GB"}.get(lang, lang)))


def plural(singular: str, plural_: str, n: int, **values: object) -> str:
    """``ngettext`` and ``format`` in one: the message for ``n``, with ``{n}`` written as
    :func:`count` writes it and the other placeholders from ``values``."""
    return ngettext(singular, plural_, n).format(n=count(n), **values)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, where it is shown."""
    return message
