"""Bringing a Word draft (.docx) into a submission: a preview first, then the text replaced.

The reading is ingest's, in its reader process (hostile input: size cap, zip checks, time and
memory limits), the matching core's
(core/word_draft.py), the Markdown the export's writer of the editor's subset. Sections that
receive text have it replaced (the previous text stays in the history, restorable); the others
are left as they are. Text no section matched goes under
:data:`~idm_desktop.core.word_draft.NOT_PLACED_KEY`, after any text already waiting there: the
editor shows it below the sections for the user to distribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from idm_desktop.core.errors import IngestError
from idm_desktop.core.i18n import _, plural
from idm_desktop.core.quotes import same_words, typographic, typographic_markdown
from idm_desktop.core.submissions import SaveReason, Submission, default_title, ensure_editable
from idm_desktop.core.text import word_count
from idm_desktop.core.word_draft import NOT_PLACED_KEY, DraftPara, place, tables_flattened
from idm_desktop.export.inline_markdown import inline_markdown
from idm_desktop.export.markup import Span
from idm_desktop.ingest import messages
from idm_desktop.ingest.extractor import DEFAULT_TIMEOUT
from idm_desktop.ingest.model import MAX_FILE_BYTES, Failure
from idm_desktop.ingest.word_draft import read_word_draft
from idm_desktop.ingest.worker import Worker

if TYPE_CHECKING:
    from idm_desktop.app.desktop import DesktopApp

# A list marker's width: nested items are indented to their parent's text.
_BULLET = "- "
_NUMBER = "1. "


@dataclass(frozen=True, slots=True)
class IncomingSection:
    """The text a section of the template will receive."""

    key: str
    title: str  # in the submission's language
    markdown: str
    headings: tuple[str, ...]  # the draft's headings that led here

    @property
    def words(self) -> int:
        return word_count(self.markdown)


@dataclass(frozen=True, slots=True)
class WordImportPreview:
    """What an import would do, shown before anything is replaced."""

    submission_id: str
    filename: str
    sections: tuple[IncomingSection, ...]  # only the sections that receive text
    not_placed: str  # Markdown; "" when everything found a section
    not_placed_headings: tuple[str, ...]
    tables: int = 0  # Word tables that became lines of text (one a row, cells between " | ")
    title: str | None = None  # the draft's Title paragraph, for a submission still titled by default

    @property
    def not_placed_words(self) -> int:
        return word_count(self.not_placed)


def preview_word_draft(app: DesktopApp, ident: str, path: Path) -> WordImportPreview:
    """Read ``path`` and say where each part of it would go in submission ``ident``.

    Raise IngestError (a clear line) for a file that cannot be read, FrozenSubmissionError for a
    submission that may no longer be edited; nothing is changed either way.
    """
    sub = app.submission(ident)
    ensure_editable(sub)
    template = app.template_of(sub)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise messages.too_large(path.name, size, MAX_FILE_BYTES)
        data = path.read_bytes()
    except OSError as err:
        raise messages.unreadable(path.name, err.strerror or str(err)) from err
    if not data:
        raise messages.empty(path.name)
    # In the reader process, as any import: a hostile file that hangs lxml or eats memory
    # is stopped by its time and memory limits instead of the program.
    worker = Worker()
    try:
        paras = worker.call(read_word_draft, data, timeout=DEFAULT_TIMEOUT, filename=path.name)
    finally:
        worker.close()
    if isinstance(paras, Failure):
        raise messages.for_problem(paras.problem, path.name)
    if not paras:
        raise IngestError(
            _("“{name}” has no text to import: check that it is the right file.").format(
                name=messages.display_name(path.name)
            )
        )
    placed = place(paras, template, sub.language)
    sections = []
    for section in template.sections:
        # Straight marks from Word (autocorrect off) become the language's, as typed in the editor.
        text = typographic_markdown(to_markdown(placed.sections.get(section.key, [])), sub.language)
        if text:
            headings = tuple(h for h, k in placed.matched if k == section.key)
            sections.append(IncomingSection(section.key, section.title_in(sub.language), text,
                                            headings))
    not_placed = to_markdown(placed.not_placed)
    title = None
    if placed.title is not None:
        if not sub.title.strip() or same_words(sub.title, default_title(sub.country, sub.language)):
            title = typographic(placed.title, sub.language)  # the draft's Title names the submission
        elif not same_words(placed.title, sub.title):
            # The user titled it already: the draft's title waits with the text not placed.
            not_placed = "\n\n".join(x for x in (f"**{placed.title}**", not_placed) if x)
    return WordImportPreview(
        submission_id=sub.id,
        filename=path.name,
        sections=tuple(sections),
        not_placed=typographic_markdown(not_placed, sub.language),
        not_placed_headings=tuple(h for h, k in placed.matched if k is None),
        tables=tables_flattened(paras),
        title=title,
    )


def tables_note(preview: WordImportPreview) -> str:
    """What became of the draft's tables, in one line ("" when it had none)."""
    if not preview.tables:
        return ""
    return plural("{n} table became lines of text: one line a row, its cells separated by “ | ” (an "
                  "overview has no tables; a list often reads better).",
                  "{n} tables became lines of text: one line a row, its cells separated by “ | ” (an "
                  "overview has no tables; a list often reads better).", preview.tables)


def apply_word_draft(app: DesktopApp, preview: WordImportPreview) -> Submission:
    """Replace the sections that receive text and add the text not placed; one new version."""
    sub = app.submission(preview.submission_id)
    ensure_editable(sub)
    body = {s.key: s.markdown for s in preview.sections}
    if preview.not_placed:
        waiting = sub.body.get(NOT_PLACED_KEY, "").strip()
        body[NOT_PLACED_KEY] = f"{waiting}\n\n{preview.not_placed}" if waiting else preview.not_placed
    return app.edit(sub.id, sections=body, title=preview.title, reason=SaveReason.WORD_IMPORT)


def to_markdown(paras: Sequence[DraftPara]) -> str:
    """Paragraphs as the editor's Markdown subset: paragraphs, nested bullet and numbered
    lists, **bold**, *italic*, [links](…); every character of the text kept (escaped where
    Markdown would read it as markup)."""
    blocks: list[str] = []
    items: list[str] = []
    indents: list[int] = []  # the text column of each open list level
    for para in paras:
        text = inline_markdown(
            [Span(r.text, r.bold, r.italic, r.href) for r in para.runs]
        ).replace("\n", " ")
        if not text.strip():
            continue
        if para.list_level is None:
            if items:
                blocks.append("\n".join(items))
                items, indents = [], []
            blocks.append(text)
            continue
        level = min(para.list_level, len(indents))  # never skip a level
        del indents[level:]
        indent = indents[-1] if indents else 0
        marker = _NUMBER if para.ordered else _BULLET
        items.append(" " * indent + marker + text)
        indents.append(indent + len(marker))
    if items:
        blocks.append("\n".join(items))
    return "\n\n".join(blocks)
