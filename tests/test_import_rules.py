"""The layering of DESIGN §2, checked with import-linter's contracts in pyproject.toml (one
``layers`` contract for the desktop, independence of the window's slices and the service's faces)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower() or " 0 broken" in result.stdout


def test_core_imports_without_third_party_frameworks() -> None:
    code = (
        "import sys, idm_desktop.core.validation, idm_desktop.core.catalog, "
        "idm_desktop.core.search_query, idm_desktop.core.countries;"
        "bad = [m for m in ('sqlalchemy','PySide6','reportlab','docx','pypdfium2') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
