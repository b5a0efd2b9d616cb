"""Countries: alpha-3 codes, names in the three languages, clear errors."""

from __future__ import annotations

import re

import pytest

from idm_desktop.core.countries import all_countries, country, country_name, government_of
from idm_desktop.core.errors import InvalidInputError


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        ("CIV", "fr", "Côte d’Ivoire"),
        ("CIV", "en", "Côte d’Ivoire"),
        ("CHE", "en", "Switzerland"),
        ("CHE", "fr", "Suisse"),
        ("CHE", "es", "Suiza"),
        ("MEX", "es", "México"),
        ("USA", "fr", "États-Unis d’Amérique"),
        # The UN's official short names (UNTERM), not CLDR's common ones.
        ("IRN", "fr", "Iran (République islamique d’)"),
        ("IRN", "es", "Irán (República Islámica del)"),
        ("BOL", "es", "Bolivia (Estado Plurinacional de)"),
        ("BOL", "en", "Bolivia (Plurinational State of)"),
        ("KOR", "fr", "République de Corée"),
        ("PSE", "fr", "État de Palestine"),
        ("GBR", "es", "Reino Unido de Gran Bretaña e Irlanda del Norte"),
        ("TUR", "fr", "Türkiye"),
        ("VAT", "es", "Santa Sede"),
    ],
)
def test_names_in_the_three_languages(code: str, lang: str, name: str) -> None:
    assert country_name(code, lang) == name


def test_codes_are_read_case_insensitively_and_trimmed() -> None:
    found = country(" civ ")
    assert (found.alpha3, found.alpha2) == ("CIV", "CI")


def test_an_unknown_code_gives_one_clear_line() -> None:
    with pytest.raises(InvalidInputError) as info:
        country("XYZ")
    message = str(info.value)
    assert "\n" not in message
    assert "“XYZ”" in message
    assert "alpha-3" in message
    assert "Did you mean" not in message
    assert info.value.exit_code == 1


def test_a_two_letter_code_gets_a_hint_towards_its_alpha_3() -> None:
    with pytest.raises(InvalidInputError, match=re.escape("Did you mean CIV?")) as info:
        country("ci")
    assert "\n" not in str(info.value)


def test_an_unknown_two_letter_code_gets_no_hint() -> None:
    with pytest.raises(InvalidInputError) as info:
        country("QQ")
    assert "Did you mean" not in str(info.value)


def test_all_countries_are_sorted_by_code_and_named() -> None:
    countries = all_countries()
    codes = [c.alpha3 for c in countries]
    assert codes == sorted(codes)
    # The 193 Member States and the four non-member states the UN lists.
    assert len(codes) == len(set(codes)) == 197
    assert {"CHE", "CIV", "MEX", "THA", "VAT", "PSE", "COK", "NIU"} <= set(codes)
    # Territories are not delegations: the picker does not offer them (their codes still read).
    assert not {"TWN", "FLK", "HKG", "PRI"} & set(codes)
    assert country("TWN").name("en")
    assert all(c.name(lang) for c in countries for lang in ("en", "fr", "es"))


@pytest.mark.parametrize(
    ("code", "lang", "line"),
    [
        ("CHE", "en", "Government of Switzerland"),
        ("CHE", "fr", "Gouvernement de la Suisse"),
        ("CHE", "es", "Gobierno de Suiza"),
        ("MEX", "fr", "Gouvernement du Mexique"),
        ("USA", "fr", "Gouvernement des États-Unis d’Amérique"),
        ("USA", "es", "Gobierno de los Estados Unidos de América"),
        ("AFG", "fr", "Gouvernement de l’Afghanistan"),
        ("AFG", "es", "Gobierno del Afganistán"),
        ("ISR", "fr", "Gouvernement d’Israël"),
        ("PHL", "en", "Government of the Philippines"),
        ("PHL", "es", "Gobierno de las Filipinas"),
        ("BOL", "fr", "Gouvernement de l’État plurinational de Bolivie"),
        ("IRN", "en", "Government of the Islamic Republic of Iran"),
        ("IRN", "es", "Gobierno de la República Islámica del Irán"),
        ("NLD", "fr", "Gouvernement du Royaume des Pays-Bas"),
        ("GBR", "es", "Gobierno del Reino Unido de Gran Bretaña e Irlanda del Norte"),
    ],
)
def test_government_of_in_each_language(code: str, lang: str, line: str) -> None:
    assert government_of(code, lang) == line


def test_every_state_has_its_government_line() -> None:
    """Every state a delegation can be has its article on record, in the three languages."""
    for c in all_countries():
        for lang in ("en", "fr", "es"):
            line = government_of(c.alpha3, lang)
            assert "(" not in line, line
            assert "  " not in line, line
            if lang == "fr":
                assert re.match(r"Gouvernement (de la |du |des |de l’|d’|de )\S", line), line
