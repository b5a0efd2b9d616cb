"""The organisation's three official languages."""

from __future__ import annotations

from idm_desktop.core.cldr import LANGUAGE_NAMES
from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import _

LANGUAGES: tuple[str, ...] = ("en", "fr", "es")

# Each language's own name, as a delegate would look for it.
_ENDONYMS = {"en": "English", "fr": "Français", "es": "Español"}


def parse_language(value: str) -> str:
    """Normalise a language code ("FR", "fr-CH" -> "fr"); raise a clear error otherwise."""
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise InvalidInputError(
            _("Unknown language “{value}”: use en, fr or es.").format(value=value)
        )
    return code


def language_name(code: str, in_language: str | None = None) -> str:
    """The name of ``code`` in ``in_language`` (CLDR), or its own name when none is given."""
    if in_language is None:
        return _ENDONYMS[code]
    known = LANGUAGE_NAMES.get(in_language, {}).get(code)
    if known is not None:  # without loading Babel
        return known
    from babel import Locale

    return str(Locale(in_language).languages[code])
