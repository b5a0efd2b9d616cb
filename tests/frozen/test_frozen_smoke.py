"""The built desktop program (packaging/, dist/idm-desktop/) works without Python.

These tests run the frozen binary itself, from a folder outside the checkout, with an
environment that names no Python, the virtual environment or the checkout, and a temporary
data folder: the command line from the catalog to the exports, the document reader process,
and the window (offscreen), which must open and close cleanly.

Run with scripts/run-frozen-tests (builds the program first), or after packaging/build.sh:
.venv/bin/pytest -m frozen --run-frozen tests/frozen
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.frozen

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "idm-desktop"
PROGRAM = BUNDLE / "idm-desktop"
INTERNAL = BUNDLE / "_internal"
WORKSHOP = "idm2006-integration"

# The offscreen platform's own remarks on every window; they say nothing about the program
# (the same as qt_log_ignore in pyproject.toml).
OFFSCREEN_NOISE = ("This plugin does not support", "QFont::fromString")


@pytest.fixture(scope="module")
def program() -> Path:
    if not PROGRAM.is_file():
        pytest.fail(f"{PROGRAM} is missing: build it with packaging/build.sh "
                    "(scripts/run-frozen-tests does)")
    return PROGRAM


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """What a delegate's session would hold: no Python variables, nothing of the checkout."""
    user = tmp_path / "user"
    user.mkdir()
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(user),
        "XDG_RUNTIME_DIR": str(user),
        "LANG": "C.UTF-8",
        "IDM_DESKTOP_HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
    }


def run(program: Path, env: dict[str, str], cwd: Path, *args: str,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(program), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False)


def run_json(program: Path, env: dict[str, str], cwd: Path, *args: str) -> dict:
    res = run(program, env, cwd, *args, "--json")
    assert res.returncode == 0, f"{args}: exit {res.returncode}\n{res.stderr}"
    return json.loads(res.stdout)


def log_problems(home: Path) -> list[str]:
    """WARNING and worse lines of the program's log, less the offscreen platform's remarks."""
    log = home / "logs" / "idm-desktop.log"
    if not log.exists():
        return []
    lines = log.read_text(encoding="utf-8").splitlines()
    return [line for line in lines
            if re.search(r" (WARNING|ERROR|CRITICAL) ", line)
            and not any(noise in line for noise in OFFSCREEN_NOISE)]


def make_pdf(path: Path, text: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Labour mobility corridors")
    pdf.drawString(72, 770, "Labour mobility corridors")
    pdf.drawString(72, 740, text)
    pdf.showPage()
    pdf.save()


def make_docx(path: Path, text: str) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Integration of migrants in host communities", level=1)
    document.add_paragraph(text)
    document.save(str(path))


def test_catalog_in_english_and_french(program: Path, clean_env: dict[str, str], tmp_path: Path) -> None:
    data = run_json(program, clean_env, tmp_path, "workshops")
    ids = [w["id"] for w in data["workshops"]]
    assert WORKSHOP in ids
    # The compiled French catalog and Babel's French data are in the bundle.
    res = run(program, clean_env, tmp_path, "--lang", "fr", "workshops")
    assert res.returncode == 0, res.stderr
    assert "DIM 2006" in res.stdout
    assert "Genève" in res.stdout
    assert log_problems(Path(clean_env["IDM_DESKTOP_HOME"])) == []


def test_import_search_submission_and_exports(program: Path, clean_env: dict[str, str],
                                              tmp_path: Path) -> None:
    pdf, docx_file = tmp_path / "corridors.pdf", tmp_path / "integration.docx"
    make_pdf(pdf, "Seasonal workers follow the quokkaline corridor between two regions.")
    make_docx(docx_file, "Municipal wombatry programmes welcome newly arrived families.")

    # PDF and DOCX are read in the document reader process: the frozen program started again.
    imported = run_json(program, clean_env, tmp_path, "docs", "import", str(pdf), str(docx_file),
                        "--workshop", WORKSHOP)
    assert imported["errors"] == []
    assert sorted(d["filename"] for d in imported["imported"]) == ["corridors.pdf", "integration.docx"]
    listed = run_json(program, clean_env, tmp_path, "docs", "list")
    assert len(listed["documents"]) == 2

    for word, filename in (("quokkaline", "corridors.pdf"), ("wombatry", "integration.docx")):
        results = run_json(program, clean_env, tmp_path, "search", word)["results"]
        assert [r["kind"] for r in results] == ["document"], results
        shown = run_json(program, clean_env, tmp_path, "docs", "show", results[0]["id"])
        assert shown["document"]["filename"] == filename

    sub = run_json(program, clean_env, tmp_path, "submission", "new", "--workshop", WORKSHOP,
                   "--country", "FRA", "--language", "fr")["submission"]
    text = "La France accueille les travailleurs saisonniers grâce à un guichet unique."
    run_json(program, clean_env, tmp_path, "submission", "edit", sub["id"], "national_context",
             "--text", text)
    found = run_json(program, clean_env, tmp_path, "search", "guichet")["results"]
    assert [r["kind"] for r in found] == ["submission"]

    out_pdf, out_docx = tmp_path / "submission.pdf", tmp_path / "submission.docx"
    exported = run_json(program, clean_env, tmp_path, "export", sub["id"], "--format", "pdf",
                        "--out", str(out_pdf))["export"]
    assert exported["pages"] >= 1
    pdftotext = subprocess.run(["pdftotext", "-layout", str(out_pdf), "-"], capture_output=True,
                               text=True, check=True).stdout
    assert "guichet unique" in " ".join(pdftotext.split())
    fonts = subprocess.run(["pdffonts", str(out_pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert "LiberationSerif" in fonts  # the bundled fonts, embedded

    run_json(program, clean_env, tmp_path, "export", sub["id"], "--format", "docx", "--out",
             str(out_docx))
    import docx

    paragraphs = [p.text for p in docx.Document(str(out_docx)).paragraphs]
    assert any("guichet unique" in p for p in paragraphs)
    assert log_problems(Path(clean_env["IDM_DESKTOP_HOME"])) == []


def _mapped_files(pid: int) -> set[str]:
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return set()
    return {line.split(maxsplit=5)[5] for line in maps.splitlines() if len(line.split()) == 6}


@pytest.fixture
def window_process(program: Path, clean_env: dict[str, str],
                   tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    env = dict(clean_env, IDM_DESKTOP_QUIT_AFTER_MS="4000")
    proc = subprocess.Popen([str(program), "--lang", "fr"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield proc
    if proc.poll() is None:
        proc.kill()
        proc.communicate()


def test_window_opens_and_closes_cleanly(window_process: subprocess.Popen[str],
                                         clean_env: dict[str, str]) -> None:
    home = Path(clean_env["IDM_DESKTOP_HOME"])
    # While the window is up: every library it runs on comes from the bundle or the system,
    # none from a Python installation or the checkout.
    time.sleep(2.5)
    mapped = _mapped_files(window_process.pid)
    assert any("libQt6Widgets" in f for f in mapped), "the window process was gone too early"
    qt = [f for f in mapped if "libQt6" in f or "/PySide6/" in f]
    assert qt
    assert all(f.startswith(str(INTERNAL)) for f in qt), qt
    python_places = (str(ROOT), sys.prefix, sysconfig.get_paths()["stdlib"], "/usr/lib/python3")
    outside = [f for f in mapped if not f.startswith(str(BUNDLE))]
    assert [f for f in outside if f.startswith(python_places)] == []
    assert all(f.startswith(str(INTERNAL)) for f in mapped if "libpython" in f)

    _stdout, stderr = window_process.communicate(timeout=60)
    assert window_process.returncode == 0, stderr
    state = home / "window.ini"
    assert state.is_file(), "the window did not close itself"
    assert "geometry" in state.read_text()
    log = (home / "logs" / "idm-desktop.log").read_text(encoding="utf-8")
    # Qt's own strings in French, from the bundle's translations.
    assert re.search(r"Qt's own strings in fr: .*/_internal/PySide6/Qt/translations/qtbase_fr\.qm", log)
    assert log_problems(home) == []
    assert "Traceback" not in stderr


def test_bundle_holds_what_it_needs_and_nothing_unused(program: Path) -> None:
    res = INTERNAL / "idm_desktop" / "_resources"
    assert (res / "catalog" / "idm-2005-2006.json").is_file()
    assert (res / "templates" / "submission-v1.json").is_file()
    assert (res / "fonts" / "LiberationSerif-Regular.ttf").is_file()
    assert (res / "icons" / "idm-desktop.png").is_file()
    for lang in ("fr", "es"):
        assert (res / "locale" / lang / "LC_MESSAGES" / "idm_desktop.mo").is_file()
    assert not list(res.rglob("*.po"))
    assert (INTERNAL / "idm_desktop" / "_migrations" / "client" / "versions" / "0001_initial.py").is_file()
    assert (INTERNAL / "idm_desktop" / "_migrations" / "client" / "env.py").is_file()
    assert not (INTERNAL / "idm_desktop" / "server").exists()

    qt = INTERNAL / "PySide6" / "Qt"
    assert sorted(p.name for p in (qt / "translations").iterdir()) == ["qtbase_es.qm", "qtbase_fr.qm"]
    assert (qt / "plugins" / "imageformats" / "libqpdf.so").is_file()
    assert (qt / "plugins" / "platforms" / "libqxcb.so").is_file()
    names = {p.name for p in INTERNAL.rglob("*")}
    for unused in ("libQt6WebEngineCore.so.6", "libQt6Qml.so.6", "libQt6Quick.so.6",
                   "libQt6VirtualKeyboard.so.6", "libqtvirtualkeyboardplugin.so", "QtQml.abi3.so"):
        assert unused not in names
    assert not (qt / "qml").exists()

    # Every library finds what only the bundle can give it (Qt, ICU, PySide6, Python, and the
    # libraries wheels vendor under hashed names), with _internal on the library path as the
    # program sets it; the desktop session's own libraries (X11, Wayland, GL, fontconfig) come
    # from the system, which here may lack some of them. No link dangles.
    assert [p for p in INTERNAL.rglob("*") if p.is_symlink() and not p.exists()] == []
    bundle_only = re.compile(r"^(libQt6|libicu|libpyside6|libshiboken6|libpython)|-[0-9a-f]{8}\.so")
    env = dict(os.environ, LD_LIBRARY_PATH=str(INTERNAL))
    unresolved = {}
    for path in INTERNAL.rglob("*.so*"):
        if path.is_symlink() or not path.is_file():
            continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env,
                             check=False).stdout
        missing = sorted({name for name in re.findall(r"^\s*(\S+) => not found", out, re.M)
                          if bundle_only.search(name)})
        if missing:
            unresolved[str(path.relative_to(INTERNAL))] = missing
    assert unresolved == {}


def test_a_signed_changes_bundle_is_verified_by_the_built_program(program: Path, clean_env: dict[str, str],
                                                                  tmp_path: Path) -> None:
    """The built program checks an Ed25519 signature (cryptography and what it loads must be in
    the bundle): a changes bundle exported by idm-server is applied with the published
    fingerprint, and the same bundle with one byte changed is refused, nothing applied."""
    server = Path(sys.executable).parent / "idm-server"
    srv_home = tmp_path / "srv"
    key = subprocess.run([str(server), "--home", str(srv_home), "--json", "admin", "show-key"],
                         capture_output=True, text=True, check=True, timeout=120)
    fingerprint = json.loads(key.stdout)["key_id"]
    bundle = tmp_path / "changes.idmbundle"
    subprocess.run([str(server), "--home", str(srv_home), "admin", "export-bundle", "--delegation", "FRA",
                    "--out", str(bundle)], capture_output=True, text=True, check=True, timeout=120)
    work = tmp_path / "work"
    work.mkdir()
    damaged = tmp_path / "damaged.idmbundle"
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    refused = run(program, clean_env, work, "bundle", "import", str(damaged), "--fingerprint", fingerprint)
    assert refused.returncode == 1, refused.stderr
    assert refused.stderr.count("\n") == 1
    applied = run(program, clean_env, work, "bundle", "import", str(bundle), "--fingerprint", fingerprint)
    assert applied.returncode == 0, applied.stderr
    assert "ModuleNotFoundError" not in applied.stderr
