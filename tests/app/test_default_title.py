"""A new submission's title is what a government heads its paper with ("Policy overview: Mexico"),
in the submission's language; page 1 of its PDF never prints the workshop's title twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from idm_desktop.app import DesktopApp
from tests.export.export_tools import pdf_text, squash

INTEGRATION = "idm2006-integration"
WORKSHOP = {"en": "Migrants and the Host Society: Partnerships for Success",
            "fr": "Les migrants et la société d’accueil", "es": "Los migrantes y la sociedad de acogida"}


@pytest.fixture
def app(tmp_path: Path) -> Iterator[DesktopApp]:
    opened = DesktopApp.open(tmp_path / "home")
    yield opened
    opened.close()


@pytest.mark.parametrize(("lang", "title"), [
    ("en", "Policy overview: Mexico"),
    ("fr", "Aperçu des politiques\u00a0: Mexique"),
    ("es", "Reseña de políticas: México"),
])
def test_the_default_title_is_a_government_s_and_page_one_prints_each_line_once(
        app: DesktopApp, tmp_path: Path, lang: str, title: str) -> None:
    sub = app.new_submission(INTEGRATION, "MEX", lang)
    assert sub.title == title
    app.edit(sub.id, {"national_context": "Text."})
    out = tmp_path / "overview.pdf"
    app.export(sub.id, "pdf", out)
    page_one = squash(pdf_text(out, first=1, last=1))
    workshop = squash(WORKSHOP[lang])
    assert page_one.count(workshop) == 1, page_one
    assert squash(title.replace("\u00a0", " ")) in page_one


def test_a_title_that_repeats_the_workshop_prints_the_default_instead(app: DesktopApp,
                                                                       tmp_path: Path) -> None:
    # The default of earlier versions: the workshop's own title.
    sub = app.new_submission(INTEGRATION, "CHE", "en", WORKSHOP["en"])
    out = tmp_path / "overview.pdf"
    app.export(sub.id, "pdf", out)
    page_one = squash(pdf_text(out, first=1, last=1))
    assert page_one.count(squash(WORKSHOP["en"])) == 1
    assert "Policy overview: Switzerland" in page_one


@pytest.mark.parametrize("typed", ["Les migrants et la société d'accueil : des partenariats pour réussir",
                                   "LES MIGRANTS  et la société d’accueil : des partenariats pour réussir"])
def test_a_title_repeating_the_workshop_is_recognised_whatever_its_apostrophe(
        app: DesktopApp, tmp_path: Path, typed: str) -> None:
    sub = app.new_submission(INTEGRATION, "CHE", "fr", typed)
    out = tmp_path / "overview.pdf"
    app.export(sub.id, "pdf", out)
    page_one = squash(pdf_text(out, first=1, last=1))
    assert page_one.count(squash(WORKSHOP["fr"])) == 1, page_one
    assert squash("Aperçu des politiques : Suisse") in page_one
