"""Fixtures of the export tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.export.export_tools import run


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """Convert a .docx to PDF with LibreOffice (a throwaway profile); return the PDF's path."""
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(docx: Path) -> Path:
        outdir = docx.parent / "lo-out"
        outdir.mkdir(exist_ok=True)
        run(
            [
                "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                outdir,
                docx,
            ],
            timeout=240,
        )
        pdf = outdir / (docx.stem + ".pdf")
        if not pdf.exists():
            pytest.fail(f"LibreOffice reported success but wrote no {pdf.name}")
        return pdf

    return convert
