"""Countries by ISO 3166-1 alpha-3 code, with names in the three languages.

An intergovernmental product names states as the UN does: the official short names of UNTERM
in English, French and Spanish ("Iran (République islamique d’)", "Bolivia (Estado Plurinacional
de)"), from ``resources/countries/un-names.csv`` (refreshed by scripts/update-country-names).
Those 197 states (the Member States and the non-member states the UN lists) are the ones a
delegation can be, and the ones a picker offers. Any other ISO 3166-1 code (pycountry) is still
understood, and named as CLDR (Babel) names it.
"""

from __future__ import annotations

import re
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
        """The country's name in ``lang`` (en, fr or es): the UN's official short name, or CLDR's
        for a territory the UN does not list as a state."""
        un = _un_names().get(self.alpha3)
        if un is not None:
            return un.get(lang) or un["en"]
        return _names(lang).get(self.alpha2, self.alpha3)

    @property
    def un_state(self) -> bool:
        """A UN Member State or a non-member state the UN lists (a possible delegation)."""
        return self.alpha3 in _un_names()


@cache
def _un_names() -> dict[str, dict[str, str]]:
    import csv

    from idm_desktop.core.resources import resource

    with resource("countries", "un-names.csv").open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {r["alpha3"]: {"en": r["en"], "fr": r["fr"], "es": r["es"]} for r in rows}


@cache
def _countries() -> dict[str, Country]:
    return {alpha3: Country(alpha3=alpha3, alpha2=alpha2) for alpha3, alpha2 in _iso_codes()}


def _iso_codes() -> list[tuple[str, str]]:
    """ISO 3166-1's (alpha-3, alpha-2) codes, in pycountry's order, from pycountry's own data
    file: importing pycountry reads every installed package's metadata for its version, some
    30 ms of a one-shot command. Where the file cannot be found so, pycountry answers."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("pycountry")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        data = Path(folder, "databases", "iso3166-1.json")
        if data.is_file():
            with data.open(encoding="utf-8") as fh:
                return [(c["alpha_3"], c["alpha_2"]) for c in json.load(fh)["3166-1"]]
    import pycountry

    return [(c.alpha_3, c.alpha_2) for c in pycountry.countries]


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
    """The states a delegation can be (UN Member States and listed non-member states), ordered
    by alpha-3 code."""
    return sorted((c for c in _countries().values() if c.un_state), key=lambda c: c.alpha3)


# "Government of" in the three languages; the article or preposition that follows depends on the
# state, and comes from resources/countries/government-of.csv.
_GOVERNMENT = {"en": "Government of", "fr": "Gouvernement", "es": "Gobierno"}
_FALLBACK_PREPOSITION = {"en": "", "fr": "de", "es": "de"}
# An inverted UN short name: "Bolivie (État plurinational de)", "Iran (République islamique d’)".
_INVERTED = re.compile(r"^(?P<name>[^(]+?)\s*\((?P<head>[^)]+)\)$")


def upright_name(name: str) -> str:
    """A UN short name read the right way round, as a sentence needs it:
    "Bolivie (État plurinational de)" -> "État plurinational de Bolivie",
    "Iran (République islamique d’)" -> "République islamique d’Iran"."""
    m = _INVERTED.match(name.strip())
    if m is None:
        return name
    head = m.group("head").strip()
    joiner = "" if head.endswith(("’", "'")) else " "
    return f"{head}{joiner}{m.group('name').strip()}"


def government_of(code: str, lang: str) -> str:
    """"Government of Switzerland", "Gouvernement du Royaume des Pays-Bas", "Gobierno del Estado
    Plurinacional de Bolivia": the line a government's paper carries, in ``lang`` (en, fr or es;
    another language is printed in English).

    A territory the UN does not list as a state has no article on record: it is named after
    "de" (French "d’" before a vowel), which reads correctly for most names.
    """
    if lang not in _GOVERNMENT:
        lang = "en"
    found = country(code)
    name = upright_name(found.name(lang))
    prep = _prepositions().get(found.alpha3, {}).get(lang)
    if prep is None:
        prep = _FALLBACK_PREPOSITION[lang]
        if lang == "fr" and name[:1].lower() in "aeiouyéèêâîôûh" and not name.startswith("H"):
            prep = "d’"
    if lang == "en":
        words = [_GOVERNMENT[lang], prep, name] if prep else [_GOVERNMENT[lang], name]
        return " ".join(words)
    joined = f"{prep}{name}" if prep.endswith("’") else f"{prep} {name}"
    return f"{_GOVERNMENT[lang]} {joined}"


@cache
def _prepositions() -> dict[str, dict[str, str]]:
    import csv

    from idm_desktop.core.resources import resource

    with resource("countries", "government-of.csv").open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {r["alpha3"]: {"en": r["en"], "fr": r["fr"], "es": r["es"]} for r in rows}
