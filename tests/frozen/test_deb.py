"""The Debian package (packaging/build-deb.sh) installs, runs from /usr/bin and removes cleanly.

As a Linux desktop user would: ``apt-get install ./idm-desktop_*.deb`` (which brings the libraries
it depends on), the command line and the window (offscreen) from ``/usr/bin/idm-desktop``, then
``apt-get remove``, after which none of its files is left. Needs root (or sudo without a
password): scripts/run-frozen-tests builds the package first.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.frozen

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "idm-desktop"


def _as_root() -> list[str]:
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True,
                                               check=False).returncode == 0:
        return ["sudo", "-n"]
    if os.environ.get("CI"):
        pytest.fail("installing the .deb needs root or sudo without a password")
    pytest.skip("installing the .deb needs root or sudo without a password")


def _apt(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run([*_as_root(), "apt-get", "-y", "-q", *args], capture_output=True, text=True,
                          env=env, check=False, timeout=900)


def _installed() -> bool:
    res = subprocess.run(["dpkg-query", "-W", "-f=${Status}", PACKAGE], capture_output=True, text=True,
                         check=False)
    return res.returncode == 0 and "installed" in res.stdout.split()


@pytest.fixture(scope="module")
def deb() -> Path:
    found = sorted((ROOT / "dist").glob(f"{PACKAGE}_*.deb"))
    if not found:
        pytest.fail("dist/idm-desktop_*.deb is missing: build it with packaging/build-deb.sh "
                    "(scripts/run-frozen-tests does)")
    return found[-1]


@pytest.fixture(scope="module")
def installed(deb: Path) -> Iterator[list[str]]:
    """The package installed with apt-get; its file list (dpkg -L). Removed afterwards."""
    if _installed():
        _apt("remove", PACKAGE)
    res = _apt("install", "--no-install-recommends", str(deb))
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    files = subprocess.run(["dpkg", "-L", PACKAGE], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    try:
        yield files
    finally:
        if _installed():
            _apt("remove", PACKAGE)


@pytest.fixture
def user_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "user"
    home.mkdir()
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "XDG_RUNTIME_DIR": str(home),
            "IDM_DESKTOP_HOME": str(tmp_path / "library")}


def test_the_package_declares_what_the_window_needs(deb: Path) -> None:
    fields = subprocess.run(["dpkg-deb", "--field", str(deb)], capture_output=True, text=True,
                            check=True).stdout
    depends = next(line for line in fields.splitlines() if line.startswith("Depends:"))
    for lib in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "libxcb-xkb1"):
        assert lib in depends
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True,
                             check=True).stdout
    assert "./opt/idm-desktop/idm-desktop" in listing
    assert "./usr/bin/idm-desktop -> /opt/idm-desktop/idm-desktop" in listing
    assert "./usr/share/applications/idm-desktop.desktop" in listing
    assert "./usr/share/icons/hicolor/256x256/apps/idm-desktop.png" in listing


def test_installed_command_line_and_window(installed: list[str], user_env: dict[str, str]) -> None:
    assert Path("/usr/bin/idm-desktop").resolve() == Path("/opt/idm-desktop/idm-desktop")
    res = subprocess.run(["/usr/bin/idm-desktop", "workshops", "--json"], env=user_env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    assert any(w["id"] == "idm2006-integration" for w in json.loads(res.stdout)["workshops"])
    # Found by name on the PATH, as the menu entry's Exec= and TryExec= find it.
    res = subprocess.run(["idm-desktop", "--version"], env=user_env, capture_output=True, text=True,
                         timeout=60, check=False)
    assert res.returncode == 0
    assert res.stdout.startswith("idm-desktop ")
    window = subprocess.run(["/usr/bin/idm-desktop"], capture_output=True, text=True, timeout=120,
                            env=dict(user_env, QT_QPA_PLATFORM="offscreen", IDM_DESKTOP_QUIT_AFTER_MS="1500"),
                            check=False)
    assert window.returncode == 0, window.stderr
    # The packaged program never writes into its own folder.
    assert not any(p.name == "__pycache__" for p in Path("/opt/idm-desktop").rglob("*"))
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", "/usr/share/applications/idm-desktop.desktop"],
                               capture_output=True, text=True, check=False)
        assert check.returncode == 0, check.stdout + check.stderr


def test_remove_leaves_nothing(installed: list[str]) -> None:
    res = _apt("remove", PACKAGE)
    assert res.returncode == 0, res.stderr
    assert not _installed()
    shared = {"/", "/.", "/opt", "/usr", "/usr/bin", "/usr/share", "/usr/share/applications",
              "/usr/share/icons", "/usr/share/icons/hicolor", "/usr/share/icons/hicolor/256x256",
              "/usr/share/icons/hicolor/256x256/apps", "/usr/share/doc"}
    left = [f for f in installed if f not in shared and os.path.lexists(f)]
    assert left == []
    assert not Path("/opt/idm-desktop").exists()
    assert not os.path.lexists("/usr/bin/idm-desktop")
