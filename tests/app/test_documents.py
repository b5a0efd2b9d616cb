"""Documents reach their workshop: by the catalog's symbols at import and for documents imported
before, and by the user's own correction of a document's facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp, ImportOptions
from idm_desktop.core.documents import DocumentKind
from idm_desktop.core.errors import InvalidInputError, NotFoundError
from idm_desktop.storage import catalog as catalog_repo
from idm_desktop.storage.meta import set_meta

TEXT = "Report of the expert workshop on indigenous peoples and migration.\n"


def _file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "files" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(TEXT + name, encoding="utf-8")
    return path


def test_an_imported_document_reaches_the_workshop_the_catalog_lists_it_for(tmp_path: Path) -> None:
    app = DesktopApp.open(tmp_path / "home")
    try:
        [result] = app.import_documents([_file(tmp_path, "IC-2006-4-Annex-V.en.txt")])
        assert result.document is not None
        assert result.document.symbol == "IC/2006/4 Annex V"
        assert result.document.workshop_id == "idm2006-indigenous"
        assert [d.symbol for d in app.documents("idm2006-indigenous")] == ["IC/2006/4 Annex V"]
        # A symbol the catalog does not list stays without a workshop; one chosen is kept.
        [other] = app.import_documents([_file(tmp_path, "IC-2006-4-Annex-II.en.txt")])
        assert other.document is not None
        assert other.document.workshop_id is None
        [chosen] = app.import_documents([_file(tmp_path, "IC-2006-1.en.txt")],
                                        ImportOptions(workshop_id="idm2006-integration"))
        assert chosen.document is not None
        assert chosen.document.workshop_id == "idm2006-integration"
    finally:
        app.close()


def test_documents_imported_before_the_catalog_knew_them_are_linked_on_opening(tmp_path: Path) -> None:
    app = DesktopApp.open(tmp_path / "home")
    try:
        [result] = app.import_documents([_file(tmp_path, "IC-2006-4-Annex-I.en.txt")])
        assert result.document is not None
        doc_id = result.document.id
        # As a library of the previous program version holds it: no workshop, older catalog.
        with app.db.session() as s:
            app.edit_document(doc_id, title="Health workers", workshop_id=None,
                              kind=DocumentKind.REPORT, languages_available=("en",))
            set_meta(s, catalog_repo.CATALOG_KEY, "1")
    finally:
        app.close()
    again = DesktopApp.open(tmp_path / "home")
    try:
        assert again.document(doc_id).workshop_id == "idm2006-health"
    finally:
        again.close()


def test_a_documents_facts_can_be_corrected(tmp_path: Path) -> None:
    app = DesktopApp.open(tmp_path / "home")
    try:
        [result] = app.import_documents([_file(tmp_path, "IC-2006-4-Annex-II.en.txt")])
        assert result.document is not None
        doc = app.edit_document(result.document.id, title="  Terms of reference of the  Board ",
                                workshop_id="idm2006-integration", kind=DocumentKind.ANNEX,
                                languages_available=("EN", "fr", "en"))
        assert (doc.title, doc.workshop_id, doc.kind, doc.languages_available) == (
            "Terms of reference of the Board", "idm2006-integration", DocumentKind.ANNEX, ("en", "fr"))
        assert app.document(doc.id) == doc
        assert [h.id for h in app.search("Board")] == [doc.id]  # the search knows the new title
        with pytest.raises(InvalidInputError):
            app.edit_document(doc.id, title=" ", workshop_id=None, kind=DocumentKind.ANNEX,
                              languages_available=())
        with pytest.raises(NotFoundError):
            app.edit_document(doc.id, title="x", workshop_id="no-such-workshop",
                              kind=DocumentKind.ANNEX, languages_available=())
    finally:
        app.close()


def test_documents_imported_before_lines_were_joined_get_the_joined_text_once(tmp_path: Path) -> None:
    from idm_desktop.app.library import TEXT_SHAPING_KEY
    from idm_desktop.storage.models import DocumentRow

    wrapped = ("Participants at the expert workshop stressed that migrants send remit-\n"
               "tances home to their communities, and that the states of origin and of\n"
               "destination should work together on the matter.")
    app = DesktopApp.open(tmp_path / "home")
    try:
        [result] = app.import_documents([_file(tmp_path, "IC-2006-4-Annex-V.en.txt")])
        assert result.document is not None
        doc_id = result.document.id
        # As an earlier version of the program stored it: the lines as the file broke them.
        with app.db.session() as s:
            row = s.query(DocumentRow).filter_by(id=doc_id).one()
            row.text = wrapped
            set_meta(s, TEXT_SHAPING_KEY, "")
        assert app.search("remittances") == []
    finally:
        app.close()
    again = DesktopApp.open(tmp_path / "home")
    try:
        text = again.document_text(doc_id)
        assert "send remittances home to their communities, and that the states of origin and of " \
               "destination should" in text
        assert [h.id for h in again.search("remittances")] == [doc_id]
    finally:
        again.close()
