"""The language of messages, as a user expects it: the window's setting is the command line's
default, ``--lang`` changes it for one run only, and ``config set lang`` changes it for good (the
window then opens in it too)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from idm_desktop.config.paths import resolve_paths
from idm_desktop.config.settings import load_settings, save_settings
from tests.cli.conftest import Result

Cli = Callable[..., Result]


def _workshops_line(cli: Cli, *args: str) -> str:
    res = cli("workshops", *args)
    assert res.code == 0, res.err
    return res.out.splitlines()[0]


def test_lang_for_one_run_and_config_set_lang_for_good(cli: Cli, tmp_path: Path) -> None:
    settings = resolve_paths(None).settings
    assert _workshops_line(cli).startswith("IDM 2005")
    assert _workshops_line(cli, "--lang", "fr").startswith("DIM 2005 — Vers la cohérence")
    assert _workshops_line(cli).startswith("IDM 2005")  # --lang was for that run only
    # The window's choice is the command line's default.
    save_settings(settings, load_settings(settings).with_(ui_language="es"))
    assert _workshops_line(cli).startswith("DIM 2005 — Hacia la coherencia")
    res = cli("config", "set", "lang", "fr", "--json")
    assert res.code == 0, res.err
    assert json.loads(res.out) == {"config": {"lang": "fr", "author": None}}
    assert load_settings(settings).ui_language == "fr"  # what the window opens in
    assert _workshops_line(cli).startswith("DIM 2005 — Vers la cohérence")
    assert _workshops_line(cli, "--lang", "en").startswith("IDM 2005")
    shown = cli("config", "show")
    assert shown.out.splitlines()[0] == "lang    fr (français)"


def test_a_bad_value_changes_nothing(cli: Cli) -> None:
    settings = resolve_paths(None).settings
    res = cli("config", "set", "lang", "de")
    assert (res.code, res.err.strip()) == (1, "idm-desktop: Unknown language “de”: use en, fr or es.")
    assert load_settings(settings).ui_language == "en"
    assert cli("config", "set", "colour", "red").code == 2  # not a setting: usage
    res = cli("config", "set", "author", "Ana Pérez", "--json")
    assert res.json == {"config": {"lang": "en", "author": "Ana Pérez"}}


def test_choosing_a_language_is_said_in_that_language(cli: Cli) -> None:
    res = cli("config", "set", "lang", "es")
    assert (res.code, res.out) == (0, "Guardado: lang = es.\n")
    res = cli("config", "set", "lang", "fr", "--lang", "en")  # --lang still rules its own run
    assert res.out == "Saved: lang = fr.\n"
