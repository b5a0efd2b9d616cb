"""Writing an export: whole or not at all, with one clear message when it cannot be done."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from idm_desktop.core.errors import ExportError
from idm_desktop.export import ExportContext, write_docx, write_pdf
from idm_desktop.export import files as export_files
from tests.export import export_samples as samples

CTX = samples.context("fr", samples.FRENCH, title="Politique d’intégration")
WRITERS: dict[str, Callable[[ExportContext, Path], Any]] = {"pdf": write_pdf, "docx": write_docx}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_writes_the_file_and_nothing_else(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"submission.{kind}"
    result = WRITERS[kind](CTX, path)
    if kind == "pdf":
        assert result == 1
        assert path.read_bytes().startswith(b"%PDF-")
    else:
        assert path.read_bytes().startswith(b"PK")
    assert os.listdir(tmp_path) == [path.name]
    # Readable by others: an export is made to be circulated.
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_missing_folder_is_a_clear_error(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / f"submission.{kind}"
    with pytest.raises(ExportError) as info:
        WRITERS[kind](CTX, path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert not path.parent.exists()


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_file_in_place_of_the_folder_is_a_clear_error(kind: str, tmp_path: Path) -> None:
    blocker = tmp_path / "reports"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError):
        WRITERS[kind](CTX, blocker / f"submission.{kind}")
    assert os.listdir(tmp_path) == ["reports"]


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_full_disk_leaves_the_previous_file_untouched(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / f"submission.{kind}"
    path.write_bytes(b"previous version")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(export_files.os, "fsync", no_space)
    with pytest.raises(ExportError, match="No space left on device"):
        WRITERS[kind](CTX, path)
    assert path.read_bytes() == b"previous version"
    assert os.listdir(tmp_path) == [path.name]


def test_a_folder_at_the_path_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "submission.pdf"
    target.mkdir()
    with pytest.raises(ExportError):
        write_pdf(CTX, target)
    assert os.listdir(tmp_path) == ["submission.pdf"]
    assert target.is_dir()
