"""Workshop documents: discussion notes, reports, agendas, annexes."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import N_, _


class DocumentKind(StrEnum):
    DISCUSSION_NOTE = "discussion_note"
    REPORT = "report"
    AGENDA = "agenda"
    ANNEX = "annex"
    BACKGROUND = "background"
    OTHER = "other"


_KINDS = {
    DocumentKind.DISCUSSION_NOTE: N_("Discussion note"),
    DocumentKind.REPORT: N_("Report"),
    DocumentKind.AGENDA: N_("Agenda"),
    DocumentKind.ANNEX: N_("Annex"),
    DocumentKind.BACKGROUND: N_("Background paper"),
    DocumentKind.OTHER: N_("Other"),
}


def kind_label(kind: DocumentKind) -> str:
    """The kind of a document, in the UI language ("Discussion note", "Autre")."""
    return _(_KINDS[kind])


@dataclass(frozen=True, slots=True)
class Document:
    """A document in the local library. Its file and text never change (a new version is a new
    document); what is known about it (title, workshop, kind, languages) can be corrected."""

    id: str
    symbol: str
    title: str
    workshop_id: str | None
    kind: DocumentKind
    language: str
    original_language: str | None
    languages_available: tuple[str, ...]
    date: dt.date | None
    sha256: str
    size: int
    mime: str
    filename: str
    page_count: int
    imported_at: dt.datetime
    supersedes: str | None = None

    @property
    def english_only(self) -> bool:
        """The organisation publishes some documents "English only": a fact to show."""
        return is_english_only(self.languages_available)


def is_english_only(languages_available: tuple[str, ...]) -> bool:
    """Published in English only (the organisation says so of some documents)."""
    return languages_available == ("en",)


class DocumentLine(NamedTuple):
    """What a list of documents shows of each one (``docs list``): read as such, since a list of
    10,000 needs neither the other facts nor 10,000 whole :class:`Document` objects."""

    id: str
    symbol: str
    language: str
    page_count: int
    title: str
    english_only: bool

    @classmethod
    def of(cls, d: Document) -> DocumentLine:
        return cls(d.id, d.symbol, d.language, d.page_count, d.title, d.english_only)


_ROMAN = re.compile(r"^(?=[MDCLXVI])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_ANNEX = re.compile(r"\s*[/,;-]?\s*\b(annex|annexe|anexo)\s*([A-Za-z0-9]+)\s*$", re.IGNORECASE)


def normalize_symbol(raw: str) -> str:
    """Tidy a document symbol leniently: "ic / 2006 / 4  annex i" -> "IC/2006/4 Annex I".

    Symbols stay opaque strings; this only removes the variations people type.
    """
    text = " ".join(raw.split())
    if not text:
        raise InvalidInputError.from_template(N_("A document symbol cannot be empty, e.g. IC/2006/4."))
    annex = ""
    match = _ANNEX.search(text)
    if match:
        label = match.group(2)
        annex = " Annex " + (label.upper() if _ROMAN.match(label.upper()) else label)
        text = text[: match.start()].strip()
    parts = [p.strip() for p in text.split("/")]
    base = "/".join(p.upper() if p.isalpha() else p for p in parts if p)
    return (base + annex).strip()


def guess_kind(symbol: str, title: str) -> DocumentKind:
    """A sensible default kind from the symbol and title."""
    words = f"{symbol} {title}".lower()
    if "annex" in words or "annexe" in words or "anexo" in words:
        return DocumentKind.ANNEX
    if "agenda" in words or "ordre du jour" in words or "programa" in words:
        return DocumentKind.AGENDA
    if "report" in words or "rapport" in words or "informe" in words:
        return DocumentKind.REPORT
    if "note" in words or "nota" in words:
        return DocumentKind.DISCUSSION_NOTE
    return DocumentKind.OTHER


_FILENAME_SYMBOL = re.compile(
    r"^(?P<series>[A-Za-z]{1,6})-(?P<year>\d{4})-(?P<num>\d{1,4})(?:-(?P<annex>annex-[A-Za-z0-9]+))?",
    re.IGNORECASE,
)
_FILENAME_LANG = re.compile(r"[._-](en|fr|es)$", re.IGNORECASE)


def symbol_from_filename(stem: str) -> str | None:
    """A symbol read from a file name, as the secretariat names files: "IC-2006-4-Annex-I" ->
    "IC/2006/4 Annex I". None when the name does not look like a symbol."""
    match = _FILENAME_SYMBOL.match(stem)
    if not match:
        return None
    base = f"{match['series']}/{match['year']}/{match['num']}"
    if match["annex"]:
        base += " " + match["annex"].replace("-", " ")
    return normalize_symbol(base)


def language_from_filename(stem: str) -> str | None:
    """"IC-2006-1.en" -> "en"."""
    match = _FILENAME_LANG.search(stem)
    return match.group(1).lower() if match else None


_MARKERS = {
    "en": ("the", "and", "of", "to", "in", "is", "that", "for", "with", "on"),
    "fr": ("le", "la", "les", "et", "des", "du", "une", "est", "pour", "dans"),
    "es": ("el", "los", "las", "y", "del", "una", "es", "para", "por", "con"),
}


def guess_language(text: str) -> str | None:
    """The most likely of en/fr/es from common words, or None when the text is too short."""
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    if len(words) < 20:
        return None
    seen = Counter(words)
    counts = {lang: sum(seen[m] for m in markers) for lang, markers in _MARKERS.items()}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 3 else None
