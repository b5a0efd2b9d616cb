"""Numbers in a French export read as a French reader expects: digits grouped by three with a
narrow no-break space from 10 000 up, a no-break space before "%"; years, telephone numbers,
identifiers and decimals' fractional parts printed as typed. English prints what was typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp
from tests.export.export_tools import pdf_text

INTEGRATION = "idm2006-integration"
TYPED = ("En 2006, 12500 migrants, 650000 travailleurs et 1500000000 francs ; 45 % de plus. "
         "Appelez le +221 33 889 00 00 (document IC/2006/4, pi 3,14159). Soit 80 000 et 12500,75.")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[DesktopApp]:
    opened = DesktopApp.open(tmp_path / "home")
    yield opened
    opened.close()


def _printed(app: DesktopApp, tmp_path: Path, lang: str) -> str:
    sub = app.new_submission(INTEGRATION, "SEN", lang)
    app.edit(sub.id, {"national_context": TYPED})
    out = tmp_path / f"{lang}.pdf"
    app.export(sub.id, "pdf", out)
    return " ".join(pdf_text(out).split(" \n"))


def test_french_groups_large_numbers_and_leaves_the_rest_as_typed(app: DesktopApp, tmp_path: Path) -> None:
    text = _printed(app, tmp_path, "fr").replace("\n", " ")
    for grouped in ("12\u202f500 migrants", "650\u202f000 travailleurs",
                    "1\u202f500\u202f000\u202f000 francs", "45\u00a0%", "80\u202f000", "12\u202f500,75"):
        assert grouped in text, (grouped, text)
    for as_typed in ("En 2006,", "+221 33 889 00 00", "IC/2006/4", "3,14159"):
        assert as_typed in text, (as_typed, text)


def test_english_prints_numbers_as_typed(app: DesktopApp, tmp_path: Path) -> None:
    text = _printed(app, tmp_path, "en").replace("\n", " ")
    assert "12500 migrants" in text
    assert "1500000000" in text
