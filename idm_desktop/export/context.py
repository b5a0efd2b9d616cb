"""What an export prints, decided once for both the PDF and the DOCX writer."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from idm_desktop.core.countries import country_name
from idm_desktop.core.i18n import N_, translator
from idm_desktop.core.submissions import Submission
from idm_desktop.core.templates import Template
from idm_desktop.core.workshops import Workshop
from idm_desktop.export.dates import un_date
from idm_desktop.export.markup import Block, parse

CREATOR = "IDM Delegate Desktop"

# The page and the body text, the same in the PDF and the DOCX.
MARGIN_CM = 2.5
BODY_PT = 11.5
BODY_LEADING_PT = 14.5
DOCX_FONT = "Times New Roman"
"""The DOCX font: the PDF's Liberation Serif has the same metrics."""

# The language tag written into the files: a PDF's /Lang, Word's w:lang. The English of
# UN-system documents follows British spelling, so Word should proof it as en-GB.
_LANG_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}

FOOTER = N_("Page {page} of {pages}")
# The footer in French and Spanish when the message catalog does not translate it yet:
# a French submission must never be printed with an English footer. The catalog wins.
_FOOTER_FALLBACK = {"fr": "Page {page} sur {pages}", "es": "Página {page} de {pages}"}
_FIELD = re.compile(r"(\{page\}|\{pages\})")

_PAGE_FORMATS = ("A4", "LETTER")


@dataclass(frozen=True, slots=True)
class ExportComment:
    """An open comment of the delegation's review, for the DOCX (never the PDF): DESIGN §13."""

    section: str
    quote: str
    text: str
    author: str
    suggestion: str | None = None
    replies: tuple[tuple[str, str], ...] = ()  # (author, text)


@dataclass(frozen=True, slots=True)
class ExportContext:
    """Everything an export needs; ``date`` is the date printed on the document; ``comments``:
    the open comments a DOCX carries as Word comments."""

    submission: Submission
    template: Template
    workshop: Workshop | None
    date: dt.date
    comments: tuple[ExportComment, ...] = ()


@dataclass(frozen=True, slots=True)
class PdfResult:
    """A rendered PDF and its number of pages."""

    data: bytes
    page_count: int


@dataclass(frozen=True, slots=True)
class Heading:
    """The heading block at the top of the first page (empty strings are left out)."""

    workshop: str
    country: str
    title: str
    date: str


@dataclass(frozen=True, slots=True)
class Section:
    """One printed section: its title in the submission's language and its text."""

    key: str
    title: str
    blocks: tuple[Block, ...]


def language(ctx: ExportContext) -> str:
    """The submission's language, the one the whole document is printed in."""
    return ctx.submission.language


def lang_tag(lang: str) -> str:
    """The BCP 47 tag of ``lang`` written into the files ("fr" -> "fr-FR")."""
    return _LANG_TAGS.get(lang, lang)


def page_format(ctx: ExportContext) -> str:
    """The template's page format, "A4" or "LETTER" (anything unknown is A4)."""
    fmt = (ctx.template.page_format or "A4").strip().upper()
    return fmt if fmt in _PAGE_FORMATS else "A4"


def heading(ctx: ExportContext) -> Heading:
    """The workshop, country, title and date, all in the submission's language."""
    lang = language(ctx)
    sub = ctx.submission
    return Heading(
        workshop=ctx.workshop.title_in(lang) if ctx.workshop else "",
        country=country_name(sub.country, lang),
        title=sub.title.strip() or ctx.template.title_in(lang),
        date=un_date(ctx.date, lang),
    )


def subject(ctx: ExportContext) -> str:
    """The document's subject (metadata, DOCX header): the workshop, else the template."""
    lang = language(ctx)
    return ctx.workshop.title_in(lang) if ctx.workshop else ctx.template.title_in(lang)


def sections(ctx: ExportContext) -> list[Section]:
    """The sections that have text, in template order.

    Empty sections are left out (the check reports required ones). Text kept under a key
    the template no longer has (after a move to a newer template) follows, under its key:
    nothing a user wrote is left out of an export.
    """
    lang = language(ctx)
    body = ctx.submission.body
    out: list[Section] = []
    for sec in ctx.template.sections:
        blocks = parse(body.get(sec.key, ""))
        if blocks:
            out.append(Section(sec.key, sec.title_in(lang), blocks))
    known = set(ctx.template.keys)
    for key, text in body.items():
        if key not in known:
            blocks = parse(text)
            if blocks:
                out.append(Section(key, key, blocks))
    return out


def footer_template(lang: str) -> str:
    """The footer's pattern in ``lang``, e.g. "Página {page} de {pages}"."""
    text = translator(lang).gettext(FOOTER)
    if text == FOOTER:
        text = _FOOTER_FALLBACK.get(lang, FOOTER)
    return text


def footer_text(lang: str, page: int, pages: int) -> str:
    """The footer of one page, e.g. "Page 2 sur 3"."""
    return footer_template(lang).format(page=page, pages=pages)


def footer_parts(lang: str) -> list[str]:
    """The footer cut around its fields: ["Página ", "{page}", " de ", "{pages}", ""]."""
    return _FIELD.split(footer_template(lang))
