"""Titles guessed from the first lines of a text."""

from __future__ import annotations

import pytest

from idm_desktop.ingest.titles import first_short_line


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Migration and health\n\nSome body text.", "Migration and health"),
        # The first lines of a paragraph are not a title.
        ("Nurses who move abroad send\nmoney home to their families\n", None),
        ("Contribution of the\n\nNATIONAL BOARD\n\nto the dialogue", "Contribution of the NATIONAL BOARD"),
        ("---\n\n# Heading\n", "# Heading"),
        ("   \n\n  Terms of Reference \n(revised)\n", "Terms of Reference"),
    ],
)
def test_first_short_line(text: str, title: str | None) -> None:
    assert first_short_line(text) == title
