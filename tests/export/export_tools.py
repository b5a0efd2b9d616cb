"""The real readers (poppler, qpdf, LibreOffice) the export tests check files with.

These tools are required, not optional: a missing one fails the test with the package to
install, because an export nobody has opened in a real reader proves little.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

_PACKAGES = {
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "qpdf": "qpdf",
    "soffice": "libreoffice-writer",
}


def tool(name: str) -> str:
    """The path of a required command-line tool; fail clearly when it is missing."""
    found = shutil.which(name)
    if found is None and name == "soffice":
        found = shutil.which("libreoffice")
    if found is None:
        pytest.fail(
            f"{name} is required by the export tests and was not found on PATH: "
            f"install the Debian package {_PACKAGES.get(name, name)}",
            pytrace=False,
        )
    return found


def run(args: Sequence[str | Path], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run a tool, failing the test with its output when it exits non-zero."""
    cmd = [tool(str(args[0])), *map(str, args[1:])]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def pdf_text(path: Path, *, first: int | None = None, last: int | None = None) -> str:
    """The text layer of a PDF, as poppler extracts it."""
    pages: list[str] = []
    if first is not None:
        pages += ["-f", str(first)]
    if last is not None:
        pages += ["-l", str(last)]
    return run(["pdftotext", "-enc", "UTF-8", *pages, path, "-"]).stdout


def pdf_info(path: Path) -> dict[str, str]:
    """pdfinfo's fields, e.g. {"Pages": "3", "Title": ...}."""
    out = run(["pdfinfo", "-enc", "UTF-8", path]).stdout
    return {
        k.strip(): v.strip()
        for k, _, v in (line.partition(":") for line in out.splitlines())
        if k.strip()
    }


def pdf_fonts(path: Path) -> list[dict[str, str]]:
    """pdffonts' table: one dict per font with name, type, emb."""
    lines = run(["pdffonts", path]).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        cols = line.split()
        # name type [type words...] encoding emb sub uni object ID
        fonts.append({"name": cols[0], "emb": cols[-5], "sub": cols[-4], "uni": cols[-3]})
    return fonts


def squash(text: str) -> str:
    """Whitespace (including no-break spaces) folded to single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()
