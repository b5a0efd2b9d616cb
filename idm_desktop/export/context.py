"""What an export prints, decided once for both the PDF and the DOCX writer."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from idm_desktop.core.countries import country_name, government_of
from idm_desktop.core.formatting import meeting_dates
from idm_desktop.core.i18n import N_, translator
from idm_desktop.core.languages import language_name
from idm_desktop.core.quotes import same_words, typographic
from idm_desktop.core.submissions import Submission, default_title
from idm_desktop.core.templates import Template
from idm_desktop.core.text import pick
from idm_desktop.core.word_draft import NOT_PLACED_KEY
from idm_desktop.core.workshops import Workshop
from idm_desktop.export.dates import un_date
from idm_desktop.export.markup import Block, Inline, ListBlock, ListItem, Para, Span, parse
from idm_desktop.export.typography import for_language, french

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
DIALOGUE = N_("International Dialogue on Migration {year}")
ORIGINAL = N_("Original: {language}")
# The lines of the heading block in French and Spanish when the catalog lacks them (as the footer).
_HEADING_FALLBACK = {
    DIALOGUE: {
        "fr": "Dialogue international sur la migration {year}",
        "es": "Diálogo Internacional sobre la Migración {year}",
    },
    ORIGINAL: {"fr": "Original\u00a0: {language}", "es": "Original: {language}"},
}
NOT_PLACED = N_("Text not placed")
_HEADING_FALLBACK[NOT_PLACED] = {"fr": "Texte non placé", "es": "Texto sin ubicar"}
_GENEVA = N_("Geneva")
_FIELD = re.compile(r"(\{page\}|\{pages\})")

_PAGE_FORMATS = ("A4", "LETTER")


@dataclass(frozen=True, slots=True)
class ExportReply:
    """A reply to an :class:`ExportComment`: a Word reply (a comment whose parent is the first)."""

    text: str
    author: str
    at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ExportComment:
    """An open comment of the delegation's review, for the DOCX (never the PDF): DESIGN §13.

    ``quote``: the words the comment is on in the text as it stands (the anchored span, which
    may have moved since the comment was written); ``occurrence``: which of the section's places
    holding those words it is (0: the first); ``at``: when it was written."""

    section: str
    quote: str
    text: str
    author: str
    at: dt.datetime | None = None
    suggestion: str | None = None
    replies: tuple[ExportReply, ...] = ()
    occurrence: int = 0


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
    """The heading block at the top of the first page, as governments' papers to an
    intergovernmental meeting carry it (empty strings are left out):

    the dialogue and its year, the year's theme, the meeting and where and when it sits, then
    the government, the original language, the title and the date.
    """

    dialogue: str
    """"International Dialogue on Migration 2006"."""
    programme: str
    """The year's theme: "Partnerships in Migration: Engaging Business and Civil Society"."""
    workshop: str
    meeting: str
    """Where and when: "Geneva, 12–13 July 2006"."""
    government: str
    """"Government of Switzerland", "Gouvernement de la Suisse"."""
    original: str
    """"Original: English", "Original : français"."""
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
    """The heading block, all in the submission's language (French spacing for French)."""
    lang = language(ctx)
    sub = ctx.submission
    w = ctx.workshop

    def typeset(text: str) -> str:
        return for_language(text, lang)

    return Heading(
        dialogue=typeset(_in(lang, DIALOGUE).format(year=w.year)) if w else "",
        programme=typeset(pick(w.programme, lang)) if w else "",
        workshop=typeset(w.title_in(lang)) if w else "",
        meeting=typeset(meeting_line(w, lang)) if w else "",
        government=typeset(government_of(sub.country, lang)),
        original=typeset(_in(lang, ORIGINAL).format(language=language_name(lang, lang))),
        country=country_name(sub.country, lang),
        title=typeset(printed_title(ctx)),
        date=un_date(ctx.date, lang),
    )


def printed_title(ctx: ExportContext) -> str:
    """The title printed under the government's name. A title that only repeats the workshop's
    (the default of earlier versions) would print the same line twice on page 1: the default
    title is printed instead; an empty one prints the template's."""
    lang = language(ctx)
    sub, w = ctx.submission, ctx.workshop
    title = sub.title.strip()
    if w is not None and title and same_words(title, w.title_in(lang)):
        return default_title(sub.country, lang)
    return title or ctx.template.title_in(lang)


def meeting_line(w: Workshop, lang: str) -> str:
    """"Geneva, 12–13 July 2006", "IOM Headquarters, Genève, 6–7 avril 2006": the venue,
    the city and the dates in words, whichever the catalog has."""
    city = translator(lang).gettext(_GENEVA) if w.city == "Geneva" else w.city
    return ", ".join(x for x in (w.venue, city, meeting_dates(w, lang)) if x)


def _in(lang: str, message: str) -> str:
    text = translator(lang).gettext(message)
    if text == message:
        text = _HEADING_FALLBACK.get(message, {}).get(lang, message)
    return text


def subject(ctx: ExportContext) -> str:
    """The document's subject (metadata, DOCX header): the workshop, else the template."""
    lang = language(ctx)
    text = ctx.workshop.title_in(lang) if ctx.workshop else ctx.template.title_in(lang)
    return for_language(text, lang)


def sections(ctx: ExportContext) -> list[Section]:
    """The sections that have text, in template order.

    Empty sections are left out (the check reports required ones). Text kept under a key
    the template no longer has (after a move to a newer template) follows, under its key.
    Text a Word import could not place is never exported.
    """
    lang = language(ctx)
    body = ctx.submission.body
    out: list[Section] = []
    for sec in ctx.template.sections:
        blocks = _typeset(parse(body.get(sec.key, "")), lang)
        if blocks:
            out.append(Section(sec.key, for_language(sec.title_in(lang), lang), blocks))
    # Text an import from Word could not place is the user's working material, not part of the
    # overview: it is left out (the check stops a submit while it holds text, and the editor and
    # the export command say it is not in the file), so the page count is the file's.
    known = {*ctx.template.keys, NOT_PLACED_KEY}
    for key, text in body.items():
        if key not in known:
            blocks = _typeset(parse(text), lang)
            if blocks:
                out.append(Section(key, for_language(key, lang), blocks))
    return out


def not_placed_title(lang: str) -> str:
    """The title of the text a Word import could not place, in ``lang``."""
    return _in(lang, NOT_PLACED)


def _typeset(blocks: tuple[Block, ...], lang: str) -> tuple[Block, ...]:
    """``blocks`` with the quotes and spacing of ``lang`` in every span of text (links keep their
    target)."""
    return tuple(_typeset_block(b, lang) for b in blocks)


def _typeset_block(block: Block, lang: str) -> Block:
    if isinstance(block, Para):
        inlines = block.inlines
        out: list[Inline] = []
        typed = ""  # the paragraph's text so far: a quote at a run's start opens or closes
        for n, i in enumerate(inlines):
            if isinstance(i, Span):
                before = isinstance(inlines[n - 1], Span) if n else False
                after = n + 1 < len(inlines) and isinstance(inlines[n + 1], Span)
                text = typographic(i.text, lang, typed)
                typed += text
                if lang == "fr":
                    text = french(text, after_text=before, before_text=after)
                out.append(Span(text, i.bold, i.italic, i.href))
            else:
                typed = ""
                out.append(i)
        return Para(tuple(out))
    return ListBlock(
        block.ordered,
        tuple(ListItem(_typeset(item.blocks, lang)) for item in block.items),
        block.start,
    )


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
