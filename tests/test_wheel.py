"""The wheel carries everything the app needs at run time (DESIGN §2): build it, install it in a
clean virtual environment, and use the CLI from there, far from the source checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_installed_wheel_runs_the_cli_with_its_resources(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(dist), str(ROOT)], check=True, capture_output=True)
    wheel = next(dist.glob("idm_desktop-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "idm_desktop/_resources/catalog/idm-2005-2006.json" in names
    assert "idm_desktop/_resources/fonts/LiberationSerif-Regular.ttf" in names
    assert "idm_desktop/_resources/locale/fr/LC_MESSAGES/idm_desktop.mo" in names
    assert "idm_desktop/_migrations/client/versions/0001_initial.py" in names
    # One distribution, two console scripts: the service, its migrations and pages are in it too
    # (the desktop build leaves them out, not the wheel).
    assert "idm_desktop/server/app.py" in names
    assert "idm_desktop/server/public/templates/base.html" in names
    assert "idm_desktop/server/templates/_page.html" in names  # the pages both faces extend
    assert "idm_desktop/_migrations/server/versions/0001_initial.py" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    # Dependencies come from the test environment's site-packages; the app itself only from
    # the wheel (the checkout is not on the path: the editable install works through a .pth
    # file, which PYTHONPATH does not read).
    env = dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"],
               IDM_DESKTOP_HOME=str(tmp_path / "home"))
    work = tmp_path / "elsewhere"
    work.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(env_dir / "bin" / "idm-desktop"), *args], cwd=work, env=env,
                              capture_output=True, text=True, check=False)

    where = subprocess.run([str(py), "-c", "import idm_desktop; print(idm_desktop.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    assert str(env_dir) in where.stdout
    res = run("workshops", "--json")
    assert res.returncode == 0, res.stderr
    assert any(w["id"] == "idm2006-integration" for w in json.loads(res.stdout)["workshops"])
    sid = run("submission", "new", "--workshop", "idm2006-integration", "--country", "FRA",
              "--language", "fr").stdout.strip()
    assert run("submission", "edit", sid, "national_context", "--text", "Texte « ici ».").returncode == 0
    out = tmp_path / "x.pdf"
    res = run("export", sid, "--format", "pdf", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert out.read_bytes().startswith(b"%PDF")
    # The service from the wheel: it migrates its database and seeds the bundled catalog.
    server = subprocess.run([str(env_dir / "bin" / "idm-server"), "--home", str(tmp_path / "srv"), "--json",
                             "admin", "list-users"], cwd=work, env=env, capture_output=True, text=True,
                            check=False)
    assert server.returncode == 0, server.stderr
    assert json.loads(server.stdout) == {"users": []}
    # The compiled catalog in the wheel translates messages.
    res = run("--lang", "fr", "submission", "show", "nonexistent")
    assert res.returncode == 1
    assert "No submissions" not in res.stderr
