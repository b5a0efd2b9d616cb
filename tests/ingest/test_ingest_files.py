"""Refusals that happen before a file's content is looked at: type, existence, size."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pytest

from idm_desktop.ingest import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, Extractor, extract
from idm_desktop.ingest import files as ingest_files

Refused = Callable[..., str]


def test_supported_suffixes_are_the_documented_ones() -> None:
    assert SUPPORTED_SUFFIXES == (".pdf", ".docx", ".txt", ".md", ".markdown")
    assert MAX_FILE_BYTES == 100 * 1024 * 1024


@pytest.mark.parametrize("name", ["report.doc", "scan.rtf", "README", "table.xlsx"])
def test_unsupported_type_lists_the_supported_ones(tmp_path: Path, refused: Refused, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"whatever")

    refused(lambda: extract(path), name, ".pdf, .docx, .txt, .md, .markdown")


def test_missing_file_is_refused(tmp_path: Path, refused: Refused) -> None:
    refused(lambda: extract(tmp_path / "absent.pdf"), "absent.pdf", "not found")


def test_folder_is_refused(tmp_path: Path, refused: Refused) -> None:
    (tmp_path / "folder.txt").mkdir()

    refused(lambda: extract(tmp_path / "folder.txt"), "folder.txt", "not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path, refused: Refused) -> None:
    os.mkfifo(tmp_path / "pipe.txt")

    refused(lambda: extract(tmp_path / "pipe.txt"), "pipe.txt", "not a regular file")


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.txt", "empty.md"])
def test_empty_file_is_refused(tmp_path: Path, refused: Refused, name: str) -> None:
    (tmp_path / name).touch()

    refused(lambda: extract(tmp_path / name), name, "is empty")


def test_200_mb_file_is_refused_before_being_read(
    tmp_path: Path, refused: Refused, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: takes no room on disk

    def must_not_read(fh: BinaryIO, limit: int) -> bytes:
        raise AssertionError("the file was read before its size was checked")

    monkeypatch.setattr(ingest_files, "_read_all", must_not_read)

    refused(lambda: extract(path), "huge.pdf", "too large", "200 MB", "the limit is 100 MB")


def test_size_cap_can_be_lowered(tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "note.txt"
    path.write_text("x" * 2048, encoding="utf-8")

    refused(lambda: extract(path, max_bytes=1024), "note.txt", "too large")
    assert extract(path, max_bytes=2048).size == 2048


def test_a_file_name_with_a_newline_still_gives_one_line(tmp_path: Path, refused: Refused) -> None:
    path = tmp_path / "two\nlines.doc"
    path.write_bytes(b"x")

    refused(lambda: extract(path), "two\ufffdlines.doc")


def test_extracting_writes_nothing_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_pdf: Callable[..., Path]
) -> None:
    source = make_pdf("paper.pdf", ["Texte de la note."])
    text = tmp_path / "note.txt"
    text.write_text("Texte.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.rglob("*"))

    with Extractor() as extractor:
        extractor.extract(source)
        extractor.extract(text)

    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize("bad", [{"max_bytes": 0}, {"timeout": 0}, {"timeout": -1.0}])
def test_limits_must_be_positive(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="positive"):
        Extractor(**bad)  # type: ignore[arg-type]
