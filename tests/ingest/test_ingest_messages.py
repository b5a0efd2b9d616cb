"""Refusal messages: one line each, naming the file, in the language shown at that moment."""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from idm_desktop.core import i18n
from idm_desktop.core.errors import IngestError
from idm_desktop.ingest import Extractor, extract, messages
from idm_desktop.ingest.model import Problem


class _Marked(gettext.NullTranslations):
    """A stand-in catalog that marks every message it translates."""

    def gettext(self, message: str) -> str:
        return "[fr] " + message


@pytest.fixture
def marked_language() -> Iterator[None]:
    previous = i18n._current[0]
    i18n._current[0] = _Marked()
    yield
    i18n._current[0] = previous


@pytest.mark.parametrize("problem", list(Problem))
def test_every_problem_has_a_one_line_message_naming_the_file(problem: Problem) -> None:
    message = str(messages.for_problem(problem, "Annex I.pdf"))

    assert "“Annex I.pdf”" in message
    assert "\n" not in message


def test_invisible_characters_in_a_name_are_shown_as_replacement_marks() -> None:
    assert messages.display_name("a\nb\rc\u202ed.pdf") == "a\ufffdb\ufffdc\ufffdd.pdf"


def test_a_problem_found_in_the_reader_process_is_translated_in_the_app(
    make_pdf: Callable[..., Path],
    qpdf: Callable[[Path, Path], None],
    tmp_path: Path,
    marked_language: None,
) -> None:
    locked = tmp_path / "locked.pdf"
    qpdf(make_pdf("plain.pdf", ["Texte"]), locked)

    with Extractor() as extractor, pytest.raises(IngestError) as caught:
        extractor.extract(locked)

    assert str(caught.value).startswith("[fr] “locked.pdf” is password-protected")


def test_a_refusal_before_reading_is_translated(tmp_path: Path, marked_language: None) -> None:
    (tmp_path / "empty.txt").touch()

    with pytest.raises(IngestError, match=r"^\[fr\] “empty.txt” is empty"):
        extract(tmp_path / "empty.txt")
