"""Counts shown to people are written as their language writes them ("10,000", "10 000",
"10.000"): through core.i18n.plural or the window's format_number, never a bare int put into a
plural message (as "10000 documents" once was)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ngettext(...)...format(n=<name>) with <name> a plain variable: the count unformatted.
BARE = re.compile(
    r"ngettext\((?:[^()]|\([^()]*\))*?\)\s*\.format\([^)]*\bn=[A-Za-z_][\w.\[\]\"']*\s*[,)]", re.S)


def test_no_plural_message_gets_a_bare_count() -> None:
    found = []
    for folder in ("ui", "cli", "app"):
        for path in (ROOT / "idm_desktop" / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for match in BARE.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}")
    assert not found, "use core.i18n.plural (or format_number) for these counts: " + ", ".join(found)
