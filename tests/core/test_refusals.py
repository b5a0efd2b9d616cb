"""The server's refusals reach the user in their language, by code (issue: they arrived in
English), and an unknown code still says what the server said."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from idm_desktop.core.i18n import set_ui_language
from idm_desktop.core.refusals import refusal_text
from idm_desktop.core.sync import OutboxItem

ROOT = Path(__file__).resolve().parents[2]


def _server_codes() -> set[str]:
    """Every code the service's pushes and errors answer with, read from its source."""
    server = ROOT / "idm_desktop" / "server"
    pushes = (server / "pushes.py").read_text(encoding="utf-8")
    errors = (server / "errors.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'_reject\(op, "([a-z_]+)"', pushes))
    codes |= set(re.findall(r'default_code = "([a-z_]+)"', errors))
    return codes


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    set_ui_language("en")


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_code_the_server_sends_is_told_in_the_users_language(lang: str) -> None:
    codes = _server_codes()
    assert {"frozen", "forbidden", "not_found", "unauthorized"} <= codes
    set_ui_language("en")
    english = {c: refusal_text(c, "server words") for c in codes}
    set_ui_language(lang)
    for code in codes:
        told = refusal_text(code, "server words")
        assert told != "server words", f"{code} has no sentence of its own"
        assert told != english[code], f"{code} is not translated into {lang}"


def test_an_unknown_code_falls_back_to_the_servers_message() -> None:
    assert refusal_text("new_in_v2", "A newer rule refused it.") == "A newer rule refused it."
    assert refusal_text(None, None) == "The server refused the change."


def test_the_outbox_shows_the_reason_in_the_ui_language() -> None:
    item = OutboxItem("op", "save", "sub", "Title", True, 1, True, "This submission is received …", "frozen")
    set_ui_language("fr")
    assert item.reason.startswith("Cette contribution a été soumise")
    waiting = OutboxItem("op", "save", "sub", "Title", False, 0, False, None)
    assert waiting.reason == ""
