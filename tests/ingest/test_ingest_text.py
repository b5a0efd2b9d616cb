"""Plain text and Markdown files: encodings, binary junk, titles and page estimates."""

from __future__ import annotations

import hashlib
import random
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from idm_desktop.ingest import extract

Refused = Callable[..., str]

FRENCH = "L’Organisation « partenaire » s’engage : l’État et la société civile coopèrent déjà."
SPANISH = "¿Cómo lograr la integración? ¡Con diálogo! La señora Núñez habló en Ginebra."


def test_utf8_text_round_trips_with_accents_and_typographic_marks(tmp_path: Path) -> None:
    content = f"Notes du 26 juin\n\n{FRENCH}\n{SPANISH}\n"
    path = tmp_path / "notes.txt"
    path.write_text(content, encoding="utf-8")

    result = extract(path)

    assert result.text == content
    assert result.mime == "text/plain"
    assert result.filename == "notes.txt"
    assert result.size == len(content.encode("utf-8"))
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.data == path.read_bytes()
    assert result.page_count == 1
    assert result.title == "Notes du 26 juin"


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (b"\xef\xbb\xbf" + SPANISH.encode("utf-8"), "utf-8 with BOM"),
        (b"\xff\xfe" + SPANISH.encode("utf-16-le"), "utf-16 LE with BOM"),
        (b"\xfe\xff" + SPANISH.encode("utf-16-be"), "utf-16 BE with BOM"),
    ],
)
def test_byte_order_marks_are_understood_and_dropped(tmp_path: Path, encoded: bytes, label: str) -> None:
    path = tmp_path / "nota.txt"
    path.write_bytes(encoded)

    assert extract(path).text == SPANISH, label


def test_line_ends_and_unicode_forms_are_normalised(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Société\r\nÉtat\rAño")
    path = tmp_path / "mixed.txt"
    path.write_bytes(decomposed.encode("utf-8"))

    assert extract(path).text == "Société\nÉtat\nAño"


def test_markdown_title_is_the_first_level_one_heading(tmp_path: Path) -> None:
    path = tmp_path / "draft.markdown"
    path.write_text(
        "Intro line\n\n```sh\n# not a heading\n```\n\n## Context\n\n# Política de integración #\n",
        encoding="utf-8",
    )

    result = extract(path)

    assert result.mime == "text/markdown"
    assert result.title == "Política de integración"


def test_markdown_without_level_one_heading_uses_first_short_line(tmp_path: Path) -> None:
    path = tmp_path / "NOTES.MD"
    path.write_text("---\n\n## Contexte général\n\nTexte.\n", encoding="utf-8")

    result = extract(path)

    assert result.mime == "text/markdown"
    assert result.title == "Contexte général"


def test_text_without_letters_has_no_title(tmp_path: Path) -> None:
    path = tmp_path / "numbers.txt"
    path.write_text("2006\n----\n12 13\n", encoding="utf-8")

    assert extract(path).title is None


@pytest.mark.parametrize(("words", "pages"), [(1, 1), (500, 1), (501, 2), (1200, 3)])
def test_page_count_is_estimated_from_words(tmp_path: Path, words: int, pages: int) -> None:
    path = tmp_path / "long.txt"
    path.write_text(" ".join(["mot"] * words), encoding="utf-8")

    assert extract(path).page_count == pages


def test_binary_junk_named_txt_is_refused(tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(random.Random(4).randbytes(4096))

    refused(lambda: extract(path), "junk.txt", "not a text file")


def test_control_characters_without_nul_are_refused_as_binary(tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "controls.md"
    path.write_bytes(b"text" + bytes(range(1, 9)) * 20 + b"more text")

    refused(lambda: extract(path), "controls.md", "binary data")


def test_utf16_without_byte_order_mark_is_refused(tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "nobom.txt"
    path.write_bytes(FRENCH.encode("utf-16-le"))

    refused(lambda: extract(path), "nobom.txt", "UTF-8")


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "mac-roman"])
def test_text_that_is_not_utf8_is_refused_with_advice(
    tmp_path: Path, refused: Refused, encoding: str
) -> None:
    path = tmp_path / f"ancien-{encoding}.txt"
    path.write_bytes("Société civile, État, année, señora".encode(encoding))

    refused(lambda: extract(path), path.name, "not UTF-8 text", "save it with the encoding UTF-8")


def test_utf16_with_broken_surrogates_is_refused(tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "broken16.txt"
    path.write_bytes(b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")

    refused(lambda: extract(path), "broken16.txt", "UTF-8")


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_random_bytes_behind_a_utf16_byte_order_mark_are_refused(tmp_path: Path, refused: Refused,
                                                                 bom: bytes) -> None:
    """Random bytes that decode as UTF-16 (no broken surrogates) are still not text: most of their
    characters belong to no writing system."""
    rng = random.Random(16)
    units = [rng.choice([u for u in range(0x20, 0xFFFE) if not 0xD800 <= u <= 0xDFFF]) for _ in range(3000)]
    codec = "utf-16-le" if bom == b"\xff\xfe" else "utf-16-be"
    path = tmp_path / "junk16.txt"
    path.write_bytes(bom + "".join(map(chr, units)).encode(codec))

    refused(lambda: extract(path), "junk16.txt", "not a text file")


def test_text_in_other_scripts_is_accepted(tmp_path: Path) -> None:
    """The plausibility check refuses code points of no writing system, not other writing systems."""
    text = ("移民与发展：政策协调。 Миграция и развитие. الهجرة والتنمية. प्रवासन और विकास। "
            "Μετανάστευση και ανάπτυξη. 이주와 개발. ") * 40
    path = tmp_path / "scripts.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    assert "移民与发展" in extract(path).text
    path.write_bytes(text.encode("utf-8"))
    assert "الهجرة" in extract(path).text
