"""One word per concept in each language (the product's glossary, UN usage): the catalogs, the
workshop catalog and the template never use the variants the glossary replaced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# language -> (a variant the glossary replaced, the term to use instead)
REPLACED = {
    "fr": [(r"\batelier intersessions?\b", "atelier d’intersession"),
           (r"\bgroupe de haut niveau\b", "réunion-débat de haut niveau"),
           (r"\bséance de formation\b", "session de formation"),
           (r"\ben anglais uniquement\b", "en anglais seulement")],
    "es": [(r"\bordenador(es)?\b", "computadora"),
           (r"\btaller intermedio\b", "taller entre reuniones"),
           (r"\bgrupo de alto nivel\b", "mesa redonda de alto nivel"),
           (r"\bsesión de formación\b", "sesión de capacitación")],
}


def _texts(lang: str) -> str:
    """The translations (the msgid lines are English) and every bundled JSON text."""
    po = (ROOT / "resources" / "locale" / lang / "LC_MESSAGES" / "idm_desktop.po").read_text(encoding="utf-8")
    data = [block[block.index("msgstr"):] for block in po.split("\n\n") if "msgstr" in block]
    for folder in ("catalog", "templates"):
        data += [p.read_text(encoding="utf-8") for p in (ROOT / "resources" / folder).glob("*.json")]
    return "\n".join(data)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_glossarys_terms_are_used(lang: str) -> None:
    text = _texts(lang).lower()
    found = [f"{pattern} (say “{term}”)" for pattern, term in REPLACED[lang] if re.search(pattern, text)]
    assert not found
