"""Helpers for the Library tests: real files written under tmp_path and imported for real."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from idm_desktop.app import DesktopApp, ImportOptions
from idm_desktop.core.documents import Document
from idm_desktop.ui.library.view import LibraryView
from idm_desktop.ui.tasks import TaskManager

INTEGRATION_EN = (
    "Migrants and the Host Society\n\n"
    "Partnerships for success. Integration is a two-way "
    "process of mutual adaptation between migrants and the societies in which they live. "
    "Labour market integration matters most; integration policies differ from State to State. "
    "Language training supports integration of newcomers in the host society."
)
LABOUR_EN = (
    "Labour Migration\n\n"
    "Managing the movement of workers across borders. Temporary labour "
    "programmes, recognition of qualifications and the protection of migrant workers are "
    "discussed, as well as the role of recruitment agencies and the welfare of families."
)
ETAT_FR = (
    "Le rôle de l'État\n\n"
    "La migration de main-d'œuvre et le rôle de l'État. L'État d'accueil et la société civile "
    "travaillent ensemble pour l'intégration des migrants et de leurs familles dans la société."
)


def write_text(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def write_pdf(path: Path, pages: Sequence[str]) -> Path:
    """A real PDF with one line of text per page (standard Helvetica, plain ASCII)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle(path.stem)
    for text in pages:
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, 760, text)
        pdf.showPage()
    pdf.save()
    return path


def import_now(desktop: DesktopApp, paths: Sequence[Path],
               options: ImportOptions | None = None) -> list[Document]:
    """Import for the test's setup (on the test's thread), failing on any refused file."""
    results = desktop.import_documents(list(paths), options or ImportOptions())
    docs = [r.document for r in results if r.document is not None]
    assert len(docs) == len(paths), [r.error for r in results]
    return docs


def library_view(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> LibraryView:
    """A Library view with its list read, as when the user opens the page."""
    view = LibraryView(desktop, tasks)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    with qtbot.waitSignal(view.sig_documents_listed):
        view.refresh()
    return view


def settle(qtbot: QtBot, view: LibraryView) -> None:
    """Wait until the rows, searches and imports the test started have all arrived."""
    qtbot.waitUntil(lambda: not view.model.loading() and not view.search.pending()
                    and not view.importer.busy() and not view.viewer.loading())
