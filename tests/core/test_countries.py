"""Countries: alpha-3 codes, names in the three languages, clear errors."""

from __future__ import annotations

import re

import pytest

from idm_desktop.core.countries import all_countries, country, country_name
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
        ("USA", "fr", "États-Unis"),
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
    assert len(codes) == len(set(codes)) > 200
    assert {"CHE", "CIV", "MEX", "THA"} <= set(codes)
    assert all(c.name(lang) for c in countries for lang in ("en", "fr", "es"))
