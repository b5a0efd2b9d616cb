"""Screenshots of the main views in each interface language, for the documentation.

Builds a small demonstration library in a temporary folder (a few documents written here, and a
French submission with some text), connects it to a demonstration idm-server started in this
process (on 127.0.0.1, its database in the same temporary folder) where a colleague's computer
changed the same sections, opens the main window offscreen in English, French and Spanish, shows
each view as a delegate would see it, and saves ``docs/screenshots/<view>-<lang>.png`` at
1280×800 (the resolver: the dialog alone, in English only).

Run: scripts/screenshots [--out DIR] [--langs en,fr,es]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer, QTranslator
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget

from idm_desktop.app import DesktopApp, ImportOptions
from idm_desktop.core.i18n import set_ui_language
from idm_desktop.ui.main_window import (
    PAGE_LIBRARY,
    PAGE_SUBMISSIONS,
    PAGE_SYNC,
    PAGE_WORKSHOPS,
    MainWindow,
)
from idm_desktop.ui.qt_i18n import install_qt_translations
from idm_desktop.ui.run import make_qapplication
from idm_desktop.ui.tasks import TaskManager

log = logging.getLogger("screenshots")

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1280, 800)
MAX_BYTES = 200_000
INTEGRATION = "idm2006-integration"
# Thirteen days before the integration workshop's deadline, so the countdown has something to say.
DEMO_NOW = dt.datetime(2006, 6, 13, 8, 0, tzinfo=dt.UTC)
SEARCH = "partnerships"

# Demonstration documents, written for these screenshots (not the organisation's text).
DOCUMENTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("DEMO-2006-1.txt", INTEGRATION, "DEMO/2006/1", "Integration workshop: practical arrangements",
     "The workshop on migrants and the host society meets in Geneva on 12 and 13 July 2006.\n\n"
     "Delegations are asked to send a short overview of their integration policies, with the "
     "partnerships they rely on: employers, local authorities, schools and migrant associations."),
    ("DEMO-2006-2.txt", INTEGRATION, "DEMO/2006/2", "Partnerships for integration: questions to consider",
     "How do partnerships between government, business and civil society help newcomers find "
     "work, learn the language and take part in local life? Which partnerships have lasted, and why?"),
    ("DEMO-2006-3.md", "idm2006-health", "DEMO/2006/3", "Health workers on the move: background",
     "# Health workers on the move\n\nCountries of origin and destination share an interest in "
     "training, recruitment codes and partnerships that keep health systems staffed on both sides."),
    ("DEMO-2006-4.txt", "idm2006-environment", "DEMO/2006/4",
     "Environment and migration: scope of the workshop",
     "Environmental change can move people within and across borders. The workshop looks at data, "
     "preparedness and partnerships with regional bodies."),
)

FRENCH_TEXT = {
    "national_context": (
        "La France accueille chaque année des personnes venues pour travailler, étudier ou "
        "rejoindre leur famille. Leur intégration est une responsabilité partagée entre l’État, "
        "les collectivités locales et la société civile."),
    "policy_framework": (
        "Le contrat d’accueil et d’intégration propose une formation civique, des cours de "
        "langue et un bilan de compétences professionnelles.\n\n"
        "- formation linguistique adaptée au niveau de chacun\n"
        "- information sur les droits et les devoirs\n"
        "- accompagnement vers l’emploi"),
    "partnerships": (
        "Des **partenariats** avec les entreprises, les associations et les communes relaient "
        "cette politique au plus près des personnes."),
}


# What the delegate reworded on the laptop, and what a colleague reworded meanwhile at the office.
REWORDED_TEXT = {
    "national_context": (
        "La France accueille chaque année quelque 200 000 personnes venues pour travailler, étudier "
        "ou rejoindre leur famille. Leur intégration est une responsabilité partagée."),
    "partnerships": (
        "Des **partenariats** avec les entreprises et les communes relaient cette politique."),
}
COLLEAGUE_TEXT = {
    "national_context": (
        "La France accueille chaque année des personnes venues pour travailler, étudier ou rejoindre "
        "leur famille ; leur intégration engage l’État, les collectivités locales et la société civile."),
    "partnerships": (
        "Des **partenariats** avec les entreprises, les associations et les communes relaient cette "
        "politique au plus près des personnes, en particulier pour l’accès à l’emploi."),
}


def wait_until_idle(qapp: QApplication, tasks: TaskManager, settle_ms: int = 400) -> None:
    """Let background work finish and deliver its results, then let debounce timers fire."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        tasks.wait_idle()
        qapp.processEvents()
        loop = QEventLoop()
        QTimer.singleShot(settle_ms, loop.quit)
        loop.exec()
        if tasks.active() == 0:
            return
    log.warning("background work still running after 60 s")


def build_demo_library(home: Path) -> tuple[DesktopApp, str]:
    app = DesktopApp.open(home, clock=lambda: DEMO_NOW)
    sources = home.parent / "demo-documents"
    sources.mkdir(parents=True, exist_ok=True)
    for filename, workshop_id, symbol, title, text in DOCUMENTS:
        path = sources / filename
        path.write_text(text + "\n", encoding="utf-8")
        results = app.import_documents([path], ImportOptions(
            workshop_id=workshop_id, symbol=symbol, title=title, language="en", available=("en",)))
        for result in results:
            if result.error:
                raise SystemExit(f"screenshots: could not import {filename}: {result.error}")
    sub = app.new_submission(INTEGRATION, "FRA", "fr")
    app.edit(sub.id, sections=FRENCH_TEXT)
    return app, sub.id


class DemoServer:
    """idm-server on 127.0.0.1 in a background thread, its files in ``home`` (as the tests run it)."""

    PASSWORD = "demonstration only"

    def __init__(self, home: Path) -> None:
        import uvicorn

        from idm_desktop.server.app import create_app
        from idm_desktop.server.config import Settings
        from idm_desktop.server.context import ServerContext

        self.ctx = ServerContext.open(Settings(home=home))
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._sock.bind(("127.0.0.1", 8470))  # a steady address for the pictures
        except OSError:
            self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://localhost:{self._sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(self.ctx), log_config=None, access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]},
                                        name="demo-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise SystemExit("screenshots: the demonstration server did not start")
            time.sleep(0.05)

    def add_user(self, name: str, delegation: str) -> None:
        from idm_desktop.server import accounts

        with self.ctx.db.write() as session:
            accounts.add_user(session, name, self.PASSWORD, "drafter", delegation)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=20)
        self._sock.close()
        self.ctx.close()


def connect_demo_library(app: DesktopApp, sub_id: str, tmp: Path) -> DemoServer:
    """Sign the library in to a demonstration server, and leave it with a conflict: a colleague
    reworded two sections of the French submission that were reworded here too. The token is
    kept in the temporary folder (never in the user's keyring)."""
    server = DemoServer(tmp / "server")
    server.add_user("claire", "FRA")
    server.add_user("marc", "FRA")
    app.sync.login(server.url, "claire", server.PASSWORD, device_name="laptop", token_file=True)
    app.sync.run()
    colleague = DesktopApp.open(tmp / "colleague", clock=lambda: DEMO_NOW)
    try:
        colleague.sync.login(server.url, "marc", server.PASSWORD, device_name="office", token_file=True)
        colleague.sync.run()
        colleague.edit(sub_id, sections=COLLEAGUE_TEXT)
        colleague.sync.run()
    finally:
        colleague.close()
    app.edit(sub_id, sections=REWORDED_TEXT)
    app.sync.run()  # merges the colleague's text: the two sections edited on both sides conflict
    return server


def use_language(qapp: QApplication, app: DesktopApp, lang: str,
                 installed: list[QTranslator]) -> list[QTranslator]:
    for translator in installed:
        qapp.removeTranslator(translator)
    set_ui_language(lang)
    app.settings = app.settings.with_(ui_language=lang)  # the language menu's tick
    return install_qt_translations(qapp, lang)


def _find(view: QWidget, kind: type[QWidget], hint: str) -> QWidget | None:
    """A child widget of ``kind`` whose object or accessible name mentions ``hint``."""
    candidates = [w for w in view.findChildren(kind) if w.isVisible()]
    for widget in candidates:
        if hint in widget.objectName().lower() or hint in widget.accessibleName().lower():
            return widget
    return candidates[0] if candidates else None


def show_workshops(window: MainWindow, _sub_id: str) -> None:
    window.show_page(PAGE_WORKSHOPS)
    window.workshops.select_workshop(INTEGRATION)


def show_library(window: MainWindow, _sub_id: str) -> None:
    window.show_page(PAGE_LIBRARY)
    field = _find(window.library, QLineEdit, "search")
    if isinstance(field, QLineEdit):
        field.setFocus()
        field.clear()
        QTest.keyClicks(field, SEARCH)
    else:
        log.warning("the Library view has no search field to type into")


def show_submissions(window: MainWindow, sub_id: str) -> None:
    window.show_page(PAGE_SUBMISSIONS)
    view = window.submissions
    for name in ("open_submission", "open_editor", "edit_submission", "open"):
        opener = getattr(view, name, None)
        if callable(opener):
            opener(sub_id)
            return
    listing = _find(view, QAbstractItemView, "submission")
    if isinstance(listing, QAbstractItemView) and listing.model() is not None:
        index = listing.model().index(0, 0)
        if index.isValid():
            listing.setCurrentIndex(index)
            listing.activated.emit(index)
            return
    log.warning("the Submissions view offers no way to open the editor")


def show_sync(window: MainWindow, _sub_id: str) -> None:
    window.show_page(PAGE_SYNC)


def show_resolver(window: MainWindow, sub_id: str) -> QWidget | None:
    window.show_page(PAGE_SYNC)
    window.sync_view.open_resolver(sub_id)
    return None  # the dialog opens once its texts are read: see resolver_dialog()


def resolver_dialog(window: MainWindow) -> QWidget | None:
    dialog = window.sync_view.resolver
    if dialog is not None:
        dialog.resize(1100, 800)
    return dialog


VIEWS: dict[str, Callable[[MainWindow, str], object]] = {
    "workshops": show_workshops,
    "library": show_library,
    "submissions": show_submissions,
    "sync": show_sync,
    "resolver": show_resolver,
}
ENGLISH_ONLY = {"resolver"}


def save(window: QWidget, path: Path) -> int:
    """Save the window as a small PNG: an adaptive palette of 256 colours, without dithering
    (a window has few colours; text stays crisp), half the size of full colour."""
    from PIL import Image  # Pillow comes with reportlab

    image = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    path.parent.mkdir(parents=True, exist_ok=True)

    data = bytes(image.constBits())
    rgb = Image.frombuffer("RGB", (image.width(), image.height()), data, "raw", "RGB",
                           image.bytesPerLine(), 1)
    paletted = rgb.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    paletted.save(path, "PNG", optimize=True)
    return path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--langs", default="en,fr,es")
    parser.add_argument("--views", default=",".join(VIEWS))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    langs = [x.strip() for x in args.langs.split(",") if x.strip()]
    views = [x.strip() for x in args.views.split(",") if x.strip()]

    qapp = make_qapplication(sys.argv[:1], "en")
    QCoreApplication.setApplicationName("IDM Delegate Desktop (screenshots)")
    tasks = TaskManager()
    status = 0
    with tempfile.TemporaryDirectory(prefix="idm-screenshots-") as tmp:
        app, sub_id = build_demo_library(Path(tmp) / "home")
        server = connect_demo_library(app, sub_id, Path(tmp))
        installed: list[QTranslator] = []
        try:
            for lang in langs:
                installed = use_language(qapp, app, lang, installed)
                window = MainWindow(app, tasks)
                window.resize(*SIZE)
                window.show()
                wait_until_idle(qapp, tasks)
                for view in views:
                    if view in ENGLISH_ONLY and lang != "en":
                        continue
                    VIEWS[view](window, sub_id)
                    wait_until_idle(qapp, tasks)
                    shown: QWidget = window
                    if view == "resolver":
                        dialog = resolver_dialog(window)
                        if dialog is None:
                            log.warning("the resolver did not open")
                            continue
                        wait_until_idle(qapp, tasks)
                        shown = dialog
                    path = args.out / f"{view}-{lang}.png"
                    size = save(shown, path)
                    if view == "resolver" and window.sync_view.resolver is not None:
                        window.sync_view.resolver.reject()
                    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                          f"{size // 1000} KB")
                    if size > MAX_BYTES:
                        print(f"  over {MAX_BYTES // 1000} KB", file=sys.stderr)
                        status = 1
                window.close()
                wait_until_idle(qapp, tasks)
                window.deleteLater()
        finally:
            tasks.shutdown()
            app.close()
            server.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
