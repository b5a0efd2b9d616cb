"""Every environment the scripts make holds exactly what uv.lock says, and the pins that the
lock cannot hold (the build's own tools) follow it."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UV = ROOT / ".uv" / "bin" / "uv"


def _lock_versions() -> dict[str, str]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return {p["name"]: p["version"] for p in lock["package"] if "version" in p}


def _check(env_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if not UV.exists():
        pytest.skip("no .uv/bin/uv: the environments were not made by scripts/bootstrap")
    env = dict(os.environ, UV_PROJECT_ENVIRONMENT=str(env_dir), UV_PYTHON_DOWNLOADS="never")
    return subprocess.run([str(UV), "sync", "--locked", "--check", "--offline", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False, timeout=120)


def test_the_test_environment_is_exactly_the_lock() -> None:
    """This very environment (.venv): nothing more, nothing less, no other version."""
    res = _check(Path(sys.prefix), "--no-default-groups", "--group", "dev")
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.slow
def test_the_app_environment_is_exactly_the_lock() -> None:
    """What scripts/run-app makes (.venv-app, through the same script): the lock's runtime
    packages, nothing more, nothing less, no other version."""
    if not UV.exists():
        pytest.skip("no .uv/bin/uv: the environments were not made by scripts/bootstrap")
    made = subprocess.run([str(ROOT / "scripts" / "bootstrap"), "--app"], cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=600)
    assert made.returncode == 0, made.stderr
    res = _check(ROOT / ".venv-app", "--no-dev")
    assert res.returncode == 0, res.stdout + res.stderr


def test_the_app_environment_holds_no_development_tool() -> None:
    """What scripts/run-app installs, read from the lock for the app alone."""
    if not UV.exists():
        pytest.skip("no .uv/bin/uv")
    res = subprocess.run([str(UV), "export", "--locked", "--offline", "--no-dev", "--no-hashes",
                          "--format", "requirements-txt"], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=120)
    names = {line.split("==")[0].strip() for line in res.stdout.splitlines() if "==" in line}
    assert "pyside6" in names
    assert "reportlab" in names
    for tool in ("pytest", "mypy", "ruff", "pyinstaller", "playwright", "fastapi", "psycopg"):
        assert tool not in names


def test_build_pins_follow_the_lock() -> None:
    """The isolated build of the project (hatchling, Babel for the catalogs) uses the versions
    the lock holds; scripts/upgrade-deps rewrites these pins."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = project["tool"]["uv"]["build-constraint-dependencies"]
    locked = _lock_versions()
    assert pins
    for pin in pins:
        name, version = pin.split("==")
        assert locked.get(name.lower()) == version, f"{pin}: the lock has {locked.get(name.lower())}"
