"""Whatever a user types, both exports succeed and the page count agrees with the PDF."""

from __future__ import annotations

import io
import random
import re

import docx
import pytest

from idm_desktop.export import count_pages, render_docx, render_pdf
from idm_desktop.export.markup import parse, plain_text
from tests.export import export_samples as samples

# Markdown's own characters, typography of the three languages, spaces of every kind,
# control characters, characters the font lacks, and link targets reportlab cannot follow.
_PIECES = [
    *"ab Zé*_-+#>`[]()!<>&\\\n\t1.",
    *["\u00a0", "\u202f", "\u2011", "\u00ad", "’", "«", "»", "¿", "¡", "ñ", "—"],
    *["\x00", "\x0b", "\u200b", "\ufeff", "漢", "🙂", "<b>", "&amp;", "    ", "1. ", "- "],
    *["](javascript:x)", "[l](#here)", '[l](http://x.org/"q)', "[](mailto:a@b.org)"],
]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 150)))


@pytest.mark.parametrize("seed", range(30))
def test_any_text_exports(seed: int) -> None:
    rng = random.Random(seed)
    body = {"context": _text(rng), "policies": _text(rng)}
    ctx = samples.context(rng.choice(["en", "fr", "es"]), body)
    result = render_pdf(ctx)
    assert result.data.startswith(b"%PDF-")
    assert count_pages(ctx) == result.page_count
    doc = docx.Document(io.BytesIO(render_docx(ctx)))
    # French typography may add a no-break space inside what was one word ("mot!" ->
    # "mot\u202f!"): every character typed is there, in order, spaces aside.
    # Straight quotes and apostrophes come out typographic (’ “ ” « »): any quote matches any.
    quotes = str.maketrans(dict.fromkeys("'\"‘’“”«»", "'"))
    text = re.sub(r"\s", "", "".join(p.text for p in doc.paragraphs)).translate(quotes)
    for section in body.values():
        for word in plain_text(parse(section)).split():
            assert re.sub(r"\s", "", word).translate(quotes) in text
