"""A Word draft brought into a submission's template: its paragraphs, and where each goes.

The reader (ingest/word_draft.py) turns a .docx into :class:`DraftPara` items; :func:`place`
matches the draft's headings to the template's sections by title in the submission's language
(accents, case and punctuation aside, "1." "I." "a)" numbering aside), then by number, and puts
every other paragraph under the section whose heading it follows. Whatever matches no section,
the text before the first heading included, goes to "not placed", which the user distributes:
nothing is dropped. No Qt, no file format here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from idm_desktop.core.templates import Template

NOT_PLACED_KEY = "not_placed"
"""The body key of the text an import could not place in a section. The editor shows it after
the template's sections, the check warns while it holds text, and an export prints it under
"Text not placed" (never leaves it out)."""

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# "1.", "1)", "2.3", "IV.", "a)", "B." at the start of a heading, then its words.
_NUMBERING = re.compile(
    r"^\s*(?:(?P<sub>\d{1,3}(?:\.\d{1,3})+)\.?\s+"
    r"|(?:(?P<arabic>\d{1,3})|(?P<roman>[IVXLC]{1,6})|(?P<letter>[A-Za-z]))\s*[.)\-–:]\s*)"
    r"(?P<rest>.*)$",
    re.DOTALL,
)
# How alike a heading and a section title must be to match when not equal ("Contexte
# national et enjeux" for "Contexte national").
_SIMILAR = 0.82


CELL_SEPARATOR = " | "
"""Between the cells of a Word table's row, once it is a line of text."""


def tables_flattened(paras: list[DraftPara]) -> int:
    """How many Word tables became lines of text."""
    return len({p.table for p in paras if p.table is not None})


@dataclass(frozen=True, slots=True)
class DraftRun:
    """A run of text with one formatting; ``href`` when it is (part of) a link."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass(frozen=True, slots=True)
class DraftPara:
    """One paragraph of the draft.

    ``heading`` is its outline level (1 for Heading 1, 0 for the document's Title) or None;
    ``list_level`` its depth in a list (0 the first level) or None; ``ordered`` whether that
    list is numbered; ``number`` the number Word prints before it when Word numbers it itself
    (not typed in the text); ``table`` the number of the Word table (from 1) it is a row of, its
    cells joined by :data:`CELL_SEPARATOR` (the overview has no tables: DESIGN §3, README).
    """

    runs: tuple[DraftRun, ...]
    heading: int | None = None
    list_level: int | None = None
    ordered: bool = False
    number: int | None = None
    table: int | None = None

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a draft's paragraphs go: per section key (template order), and not placed.

    ``matched`` lists each heading of the draft with the key it was matched to (None: not
    placed), for the preview and the command line.
    """

    sections: dict[str, list[DraftPara]] = field(default_factory=dict)
    not_placed: list[DraftPara] = field(default_factory=list)
    matched: list[tuple[str, str | None]] = field(default_factory=list)
    title: str | None = None
    """The text of the draft's first "Title" paragraph: the submission's title to be."""


def fold(text: str) -> str:
    """``text`` as headings are compared: no accents, no case, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def split_numbering(text: str) -> tuple[int | None, str]:
    """"2. Politiques" -> (2, "Politiques"); "IV – Lessons" -> (4, "Lessons"); no number ->
    (None, text)."""
    m = _NUMBERING.match(text)
    if m is None or not m.group("rest").strip():
        return None, text.strip()
    rest = m.group("rest").strip()
    if m.group("sub"):
        return None, rest  # "2.3" numbers a sub-heading, not a section
    if m.group("arabic"):
        return int(m.group("arabic")), rest
    if m.group("roman"):
        value = _roman(m.group("roman"))
        if value is not None:
            return value, rest
        return None, text.strip()
    return ord(m.group("letter").lower()) - ord("a") + 1, rest


def _roman(numeral: str) -> int | None:
    total = 0
    values = [_ROMAN[c] for c in numeral]
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    return total if 0 < total < 40 else None


def match_heading(
    text: str, number: int | None, template: Template, lang: str, *, by_number: bool = True
) -> str | None:
    """The key of the section a heading stands for, or None.

    By title first (in ``lang``; equal once folded, else one contains the other or they are
    very alike), then by number: "2." or "II." (typed, or ``number`` when Word numbers the
    heading) is the template's second section.
    """
    typed_number, rest = split_numbering(text)
    wanted = fold(rest)
    titles = [(s.key, fold(s.title_in(lang))) for s in template.sections]
    if wanted:
        for key, title in titles:
            if wanted == title:
                return key
        best: tuple[float, str | None] = (0.0, None)
        for key, title in titles:
            if not title:
                continue
            if wanted.startswith(title + " ") or title.startswith(wanted + " "):
                score = 0.9
            else:
                import difflib  # only for a heading no title matches as it is

                score = difflib.SequenceMatcher(None, wanted, title).ratio()
            if score > best[0]:
                best = (score, key)
        if best[0] >= _SIMILAR:
            return best[1]
        # A heading reworded from the section's title ("Partenariats avec le secteur privé" for
        # "Partenariats avec le monde de l'entreprise…"): the same first word, no other section's.
        first = _first_word(wanted)
        keyed = [key for key, title in titles if first and _first_word(title) == first]
        if len(keyed) == 1:
            return keyed[0]
    n = typed_number if typed_number is not None else number
    if by_number and n is not None and 1 <= n <= len(template.sections):
        return template.sections[n - 1].key
    return None


# Words a title may start with that say nothing of its subject.
_LEADING = frozenset({"le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "the", "a", "an", "of",
                      "el", "los", "las", "lo", "del", "una", "uno"})
_MAX_HEADING_WORDS = 14


def _first_word(folded: str) -> str | None:
    for word in folded.split():
        if word not in _LEADING and len(word) > 3:
            return word
    return None


def looks_like_heading(para: DraftPara, template: Template, lang: str) -> bool:
    """A short paragraph in Word's Normal style, all bold, whose words are a section's title: a
    heading typed by hand (the drafter made it bold instead of choosing a Heading style)."""
    if para.list_level is not None or para.table is not None or not para.runs:
        return False
    if not all(r.bold for r in para.runs if r.text.strip()):
        return False
    if len(para.text.split()) > _MAX_HEADING_WORDS or para.text.rstrip().endswith((".", ":", ";")):
        return False
    return match_heading(para.text, None, template, lang, by_number=False) is not None


def place(paras: list[DraftPara], template: Template, lang: str) -> Placement:
    """Put every paragraph of a draft under a section of ``template``, or in "not placed".

    A heading that matches a section opens it (text under two headings of the same section
    is joined). A heading that matches none goes, as a paragraph, into the section it sits
    in when it is below the level of that section's heading (a sub-heading), else it starts
    text that is not placed. Text before the first heading is not placed.
    """
    out = Placement(sections={s.key: [] for s in template.sections})
    current: str | None = None
    current_level = 0
    title: str | None = None
    for para in paras:
        if para.heading == 0 and title is None and para.text.strip():
            title = " ".join(para.text.split())
            continue
        if para.heading is None and looks_like_heading(para, template, lang):
            para = DraftPara(para.runs, heading=1)  # typed bold in Normal style, a section's title
        if para.heading is None:
            _target(out, current).append(para)
            continue
        # Below the heading of the current section, a number ("1.", "a)") numbers a
        # sub-heading: only a title can open another section there.
        below = current is not None and para.heading > current_level
        key = (
            match_heading(para.text, para.number, template, lang, by_number=not below)
            if para.heading > 0
            else None
        )
        if key is not None:
            out.matched.append((para.text, key))
            current, current_level = key, para.heading
            continue
        if current is not None and para.heading > current_level:
            out.matched.append((para.text, current))
        else:
            out.matched.append((para.text, None))
            current = None
        # An unmatched heading's words stay, as a paragraph of their own.
        _target(out, current).append(
            DraftPara(tuple(DraftRun(r.text, True, r.italic, r.href) for r in para.runs))
        )
    return replace(out, title=title)


def _target(out: Placement, key: str | None) -> list[DraftPara]:
    return out.not_placed if key is None else out.sections[key]
