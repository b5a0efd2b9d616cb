"""What the service's two faces of pages (the public site and the secretariat's desk) share: the
templates both extend (``templates/_page.html``, ``templates/_overview.html``) and the words their
pages use for countries, languages and numbers."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.numbers import format_decimal
from jinja2 import ChoiceLoader, FileSystemLoader

from idm_desktop.core.cldr import whole_number
from idm_desktop.core.countries import country_name
from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.formatting import babel_locale
from idm_desktop.core.languages import language_name

SHARED_TEMPLATES = Path(__file__).parent / "templates"


def loader(own: Path) -> ChoiceLoader:
    """A face's templates first, then the shared ones."""
    return ChoiceLoader([FileSystemLoader(own), FileSystemLoader(SHARED_TEMPLATES)])


def country_label(code: str, lang: str) -> str:
    """A country's short name in ``lang``; a code that is not ISO is shown as it is."""
    try:
        return country_name(code, lang)
    except InvalidInputError:
        return code


@lru_cache(maxsize=4096)
def number(n: int, lang: str) -> str:
    """``n`` as the language writes it ("2 000" in French, "1229" and "12.290" in Spanish), as the
    desktop writes it (core.cldr); the same few counts again and again."""
    quick = whole_number(n, lang)
    return quick if quick is not None else str(format_decimal(n, locale=babel_locale(lang)))


def language_label(code: str, lang: str) -> str:
    """A language's name in ``lang``, capitalised as a label: "Français", "Inglés"."""
    name = language_name(code, lang)
    return name[:1].upper() + name[1:]
