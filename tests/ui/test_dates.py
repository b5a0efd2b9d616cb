"""One form of date per language in the whole window (and the command line): every date and time
is made by core/formatting, and the views show what it makes."""

from __future__ import annotations

import ast
import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import idm_desktop
from idm_desktop.app import DesktopApp
from idm_desktop.cli import output
from idm_desktop.core.i18n import set_ui_language
from idm_desktop.ui.main_window import PAGE_SUBMISSIONS, MainWindow
from idm_desktop.ui.submissions.dialogs import load_choices
from idm_desktop.ui.submissions.model import SubmissionsModel
from idm_desktop.ui.tasks import TaskManager
from tests.ui.library_support import import_now, library_view, settle, write_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

PACKAGE = Path(idm_desktop.__file__).parent
JUNE_13 = dt.datetime(2006, 6, 13, 9, 0, tzinfo=dt.UTC)  # 11:00 in Geneva

# What may not appear in the window's or the command line's code: each formats a date its own way.
FORBIDDEN_NAMES = {"QDate", "QDateTime", "QTime", "QDateEdit", "QDateTimeEdit", "QTimeEdit",
                   "QCalendarWidget"}
FORBIDDEN_CALLS = {"strftime", "isoformat", "dateFormat", "timeFormat", "dateTimeFormat", "ctime"}
FORBIDDEN_MODULES = {"babel.dates", "time"}
STRFTIME = re.compile(r"%[aAbBdHIjmMpSyY][^%]{0,3}%[aAbBdHIjmMpSyY]")  # "%d/%m", "%H:%M", not "%d ms"
# The --json shapes carry ISO 8601 for programs, not for people.
ALLOWED = {("cli/output.py", "isoformat")}


def _offences(path: Path) -> list[str]:
    rel = path.relative_to(PACKAGE).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        what = ""
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            what = node.id
        elif isinstance(node, ast.alias) and (node.name in FORBIDDEN_NAMES or node.name in FORBIDDEN_MODULES):
            what = node.name
        elif isinstance(node, ast.ImportFrom) and node.module in FORBIDDEN_MODULES:
            what = node.module or ""
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_CALLS | FORBIDDEN_NAMES:
            what = node.attr
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and STRFTIME.search(node.value):
            what = f"strftime pattern {node.value!r}"
        if what and (rel, what) not in ALLOWED:
            found.append(f"{rel}:{getattr(node, 'lineno', '?')}: {what}")
    return found


def test_the_window_and_the_command_line_format_dates_only_through_core_formatting() -> None:
    files = sorted([*(PACKAGE / "ui").rglob("*.py"), *(PACKAGE / "cli").rglob("*.py")])
    assert len(files) > 30
    offences = [o for path in files for o in _offences(path)]
    assert not offences, "dates formatted outside core/formatting:\n" + "\n".join(offences)


def test_the_scan_sees_each_kind_of_offence(tmp_path: Path) -> None:
    sample = PACKAGE / "ui" / "_sample_for_the_scan.py"
    sample.write_text(
        "from PySide6.QtCore import QDateTime\nfrom babel.dates import format_date\n"
        "x = when.strftime('%d/%m/%Y')\ny = when.isoformat()\n", encoding="utf-8")
    try:
        found = _offences(sample)
    finally:
        sample.unlink()
    assert len(found) >= 5, found


@pytest.fixture
def geneva(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's clock in Geneva (the organisation's), whatever the machine's."""
    monkeypatch.setenv("TZ", "Europe/Zurich")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def library(tmp_path: Path) -> Iterator[DesktopApp]:
    app = DesktopApp.open(tmp_path / "home", clock=lambda: JUNE_13)
    yield app
    app.close()


SAVED = {"en": "13 Jun 2006, 11:00", "fr": "13 juin 2006 à 11\u00a0h\u00a000", "es": "13 jun 2006, 11:00"}


@pytest.mark.usefixtures("geneva")
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_command_line_shows_the_windows_form_of_date(
        lang: str, library: DesktopApp) -> None:
    set_ui_language(lang)
    sub = library.new_submission("idm2006-integration", "CHE", "fr", "Aperçu")
    assert output.local_time(sub.updated_at, lang) == SAVED[lang]


@pytest.mark.usefixtures("geneva")
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_window_shows_one_form_of_date(lang: str, qtbot: QtBot, library: DesktopApp,
                                          tasks: TaskManager) -> None:
    set_ui_language(lang)
    library.new_submission("idm2006-integration", "CHE", "fr", "Aperçu")
    window = MainWindow(library, tasks)
    qtbot.addWidget(window)
    window.show()
    window.show_page(PAGE_SUBMISSIONS)
    table = window.submissions.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 1, timeout=10_000)
    saved = table.model().index(0, SubmissionsModel.COLUMNS.index("saved")).data()
    assert saved == SAVED[lang]
    choices = load_choices(library)
    due = {"en": "due 26 Jun 2006", "fr": "26 juin 2006", "es": "26 jun 2006"}[lang]
    assert any(due in label for _id, label in choices.workshops), choices.workshops[:3]
    window.close()
    qtbot.waitUntil(lambda: tasks.active() == 0, timeout=10_000)
    QApplication.processEvents()


@pytest.mark.usefixtures("geneva")
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_viewer_shows_the_import_date_in_the_same_form(
        lang: str, qtbot: QtBot, tmp_path: Path, library: DesktopApp, tasks: TaskManager) -> None:
    set_ui_language(lang)
    [doc] = import_now(library, [write_text(tmp_path / "files", "note.txt", "Migration and work.\n")])
    view = library_view(qtbot, library, tasks)
    with qtbot.waitSignal(view.viewer.sig_document_shown):
        view.open_document(doc.id)
    day = {"en": "13 Jun 2006", "fr": "13 juin 2006", "es": "13 jun 2006"}[lang]
    assert day in view.viewer.facts_label.text()
    settle(qtbot, view)
