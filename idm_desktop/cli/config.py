"""``idm-desktop config``: the settings the window keeps, from the command line.

The language of messages is the window's (``ui_language`` in settings.json): the command line
follows it, and ``--lang`` changes it for one run only. To change it for good without opening
the window: ``idm-desktop config set lang fr``.
"""

from __future__ import annotations

import argparse

from idm_desktop.app import DesktopApp
from idm_desktop.cli import output as out
from idm_desktop.config.settings import save_settings
from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import _, set_ui_language
from idm_desktop.core.languages import LANGUAGES, language_name

# The name on the command line -> the setting it changes.
KEYS = {"lang": "ui_language", "author": "author"}


def set_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("key", metavar="KEY", choices=sorted(KEYS),
                   help=_("lang (the language of the window and of messages) or author (your name in "
                          "the history)"))
    p.add_argument("value", metavar="VALUE", help=_("the new value (lang: en, fr or es)"))


def _payload(app: DesktopApp) -> dict[str, object]:
    s = app.settings
    return {"config": {"lang": s.ui_language, "author": s.author or None}}


def cmd_config_show(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    s = app.settings

    def text() -> str:
        # The keys as ``config set`` takes them (not translated), and their values.
        return "\n".join([f"lang    {s.ui_language} ({language_name(s.ui_language, lang)})",
                          "author  " + (s.author or _("(the computer's user name)"))])

    out.emit(args, _payload(app), text)
    return 0


def cmd_config_set(app: DesktopApp, args: argparse.Namespace, lang: str) -> int:
    value = args.value.strip()
    if args.key == "lang":
        value = value.lower()
        if value not in LANGUAGES:
            raise InvalidInputError(_("Unknown language “{value}”: use en, fr or es.")
                                    .format(value=args.value))
    elif len(value) > 200:
        raise InvalidInputError(_("The name is over 200 characters: shorten it."))
    app.settings = app.settings.with_(**{KEYS[args.key]: value})
    save_settings(app.paths.settings, app.settings)
    if args.key == "lang" and not getattr(args, "lang", None):
        set_ui_language(value)  # said in the language just chosen (unless --lang asked otherwise)
    out.emit(args, _payload(app), _("Saved: {key} = {value}.").format(key=args.key, value=value or "—"))
    return 0
