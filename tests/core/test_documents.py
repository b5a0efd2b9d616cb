"""Document symbols and kinds."""

from __future__ import annotations

import pytest

from idm_desktop.core.documents import DocumentKind, guess_kind, normalize_symbol
from idm_desktop.core.errors import InvalidInputError


@pytest.mark.parametrize(
    ("raw", "symbol"),
    [
        ("ic / 2006 / 4  annex i", "IC/2006/4 Annex I"),
        ("IC/2006/1", "IC/2006/1"),
        ("  ic/2006/1 ", "IC/2006/1"),
        ("IC/2006/4 Annex I", "IC/2006/4 Annex I"),
        ("IC/2006/4/Annex IV", "IC/2006/4 Annex IV"),
        ("ic/2006/4, annex v", "IC/2006/4 Annex V"),
        ("IC/2006/4 Annexe II", "IC/2006/4 Annex II"),
        ("IC/2006/4 anexo iii", "IC/2006/4 Annex III"),
        ("IC/2006/4 annex 3", "IC/2006/4 Annex 3"),
        ("mc/inf/285", "MC/INF/285"),
    ],
)
def test_symbols_are_tidied_leniently(raw: str, symbol: str) -> None:
    assert normalize_symbol(raw) == symbol
    assert normalize_symbol(symbol) == symbol


@pytest.mark.parametrize("raw", ["", "   ", "\t\n"])
def test_an_empty_symbol_is_refused_with_an_example(raw: str) -> None:
    with pytest.raises(InvalidInputError, match="IC/2006/4") as info:
        normalize_symbol(raw)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("symbol", "title", "kind"),
    [
        ("IC/2006/4 Annex I", "Summary Report", DocumentKind.ANNEX),
        ("IC/2006/4 Annex II", "", DocumentKind.ANNEX),
        ("", "Annexe V", DocumentKind.ANNEX),
        ("", "Anexo III", DocumentKind.ANNEX),
        ("", "Agenda for the Workshop", DocumentKind.AGENDA),
        ("", "Ordre du jour", DocumentKind.AGENDA),
        ("", "Summary Report of the Workshop", DocumentKind.REPORT),
        ("", "Rapport final", DocumentKind.REPORT),
        ("", "Informe resumido", DocumentKind.REPORT),
        ("IC/2006/1", "Discussion Note", DocumentKind.DISCUSSION_NOTE),
        ("", "Nota de debate", DocumentKind.DISCUSSION_NOTE),
        ("IC/2006/4", "International Dialogue on Migration 2006", DocumentKind.OTHER),
        ("", "Terms of Reference", DocumentKind.OTHER),
    ],
)
def test_guess_kind(symbol: str, title: str, kind: DocumentKind) -> None:
    assert guess_kind(symbol, title) is kind
