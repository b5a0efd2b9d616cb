"""Countries by ISO 3166-1 alpha-3 code, with names in the three languages.

The list of codes comes from the ISO tables (pycountry); the names from CLDR (Babel),
which has proper French and Spanish names ("Côte d’Ivoire", "Suiza", "États-Unis").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import _


@dataclass(frozen=True, slots=True)
class Country:
    """A country: its alpha-3 code (the one we store) and alpha-2 code (CLDR's key)."""

    alpha3: str
    alpha2: str

    def name(self, lang: str) -> str:
        """The country's name in ``lang`` (en, fr or es)."""
        return _names(lang).get(self.alpha2, self.alpha3)


@cache
def _countries() -> dict[str, Country]:
    import pycountry

    return {
        c.alpha_3: Country(alpha3=c.alpha_3, alpha2=c.alpha_2)
        for c in pycountry.countries
    }


@cache
def _names(lang: str) -> dict[str, str]:
    from babel import Locale

    return {str(k): str(v) for k, v in Locale.parse(lang).territories.items()}


def country(code: str) -> Country:
    """Look up an alpha-3 code (case-insensitive); raise a clear error for an unknown one."""
    key = code.strip().upper()
    found = _countries().get(key)
    if found is None:
        hint = ""
        if len(key) == 2:
            for c in _countries().values():
                if c.alpha2 == key:
                    hint = " " + _("Did you mean {code}?").format(code=c.alpha3)
                    break
        raise InvalidInputError(
            _("Unknown country code “{code}”: use the ISO 3166-1 alpha-3 code, e.g. CHE, FRA, MEX.")
            .format(code=code)
            + hint
        )
    return found


def country_name(code: str, lang: str) -> str:
    """Shortcut: the name of the country with alpha-3 ``code`` in ``lang``."""
    return country(code).name(lang)


def all_countries() -> list[Country]:
    """Every country, ordered by alpha-3 code."""
    return sorted(_countries().values(), key=lambda c: c.alpha3)
