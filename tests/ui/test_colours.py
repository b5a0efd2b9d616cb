"""Colours come from the palette: every coloured text of the window reads at WCAG AA (4.5:1)
against its background in a light, a dark and two high-contrast palettes, and follows the palette
when the user switches theme while the window is open."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from idm_desktop.app import DesktopApp
from idm_desktop.ui.formatting import (
    BACKGROUND,
    MIN_CONTRAST,
    TABLE_BACKGROUND,
    Tone,
    banner_colors,
    blend,
    contrast_ratio,
    highlight_colors,
    tone_color,
)
from idm_desktop.ui.submissions.editor import SubmissionEditor
from idm_desktop.ui.submissions.view import SubmissionsView
from idm_desktop.ui.tasks import TaskManager
from tests.ui.editor_tools import FIRST, INTEGRATION, close_view, open_editor, shown_view

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

R = QPalette.ColorRole


def _palette(colours: dict[QPalette.ColorRole, str]) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


def dark_palette() -> QPalette:
    """A dark theme as desktops ship it (grey surfaces, near-white text)."""
    return _palette({R.Window: "#2b2b2b", R.WindowText: "#e8e8e8", R.Base: "#1e1e1e",
                     R.AlternateBase: "#262626", R.Text: "#e8e8e8", R.Button: "#353535",
                     R.ButtonText: "#e8e8e8", R.Highlight: "#3d6fb4", R.HighlightedText: "#ffffff",
                     R.PlaceholderText: "#8a8a8a", R.Mid: "#505050", R.Link: "#8ab4f8"})


def black_contrast_palette() -> QPalette:
    """Windows' "Night sky"-like high contrast: white on black."""
    return _palette({R.Window: "#000000", R.WindowText: "#ffffff", R.Base: "#000000",
                     R.AlternateBase: "#101010", R.Text: "#ffffff", R.Button: "#000000",
                     R.ButtonText: "#ffffff", R.Highlight: "#1aebff", R.HighlightedText: "#000000",
                     R.PlaceholderText: "#c0c0c0", R.Mid: "#ffffff"})


def white_contrast_palette() -> QPalette:
    """Windows' "Desert"-like high contrast: black on white."""
    return _palette({R.Window: "#ffffff", R.WindowText: "#000000", R.Base: "#ffffff",
                     R.AlternateBase: "#f2f2f2", R.Text: "#000000", R.Button: "#ffffff",
                     R.ButtonText: "#000000", R.Highlight: "#37006e", R.HighlightedText: "#ffffff",
                     R.PlaceholderText: "#6d6d6d", R.Mid: "#000000"})


def light_palette() -> QPalette:
    return QApplication.style().standardPalette()


PALETTES = {"light": light_palette, "dark": dark_palette, "black": black_contrast_palette,
            "white": white_contrast_palette}


@pytest.mark.parametrize("name", PALETTES)
@pytest.mark.parametrize("tone", list(Tone))
def test_every_tone_reads_on_its_backgrounds(qapp: QApplication, name: str, tone: Tone) -> None:
    palette = PALETTES[name]()
    for roles in (BACKGROUND, TABLE_BACKGROUND, (R.Base,)):
        colour = tone_color(tone, roles, palette)
        for role in roles:
            ratio = contrast_ratio(colour, palette.color(role))
            assert ratio >= MIN_CONTRAST, f"{tone.name} {colour.name()} on {role.name} ({name}): {ratio:.2f}"


@pytest.mark.parametrize("name", PALETTES)
@pytest.mark.parametrize("tone", [Tone.ERROR, Tone.WARNING, Tone.SUCCESS])
def test_banners_and_marked_text_read_on_their_wash(qapp: QApplication, name: str, tone: Tone) -> None:
    palette = PALETTES[name]()
    for role in (R.Window, R.Base):
        background, border, text = banner_colors(tone, palette, role)
        assert contrast_ratio(text, background) >= MIN_CONTRAST
        assert border != background  # the banner has an edge


def test_search_hits_read_in_every_theme() -> None:
    background, text = highlight_colors()
    assert contrast_ratio(text, background) >= MIN_CONTRAST


def test_the_contrast_ratio_is_wcags() -> None:
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21)
    assert contrast_ratio(QColor("#777777"), QColor("#efefef")) == pytest.approx(3.89, abs=0.01)


# -- what the editor shows --------------------------------------------------------------------


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[None]:
    """Puts the application's palette back after a test changed it."""
    original = QPalette(qapp.palette())
    yield
    qapp.setPalette(original)


@pytest.fixture
def editor(qtbot: QtBot, desktop: DesktopApp, tasks: TaskManager) -> Iterator[SubmissionEditor]:
    sid = desktop.new_submission(INTEGRATION, "CHE", "fr", "Aperçu").id
    view: SubmissionsView = shown_view(qtbot, desktop, tasks)
    yield open_editor(qtbot, view, sid)
    close_view(qtbot, view, tasks)


def _shown_text_colour(label: QWidget) -> QColor:
    """The colour the label's text is drawn in, over the window (a translucent one blended)."""
    label.ensurePolished()
    colour = label.palette().color(label.foregroundRole())
    window = QApplication.palette().color(R.Window)
    return blend(QColor(colour.red(), colour.green(), colour.blue()), window, colour.alphaF())


def _coloured_texts(editor: SubmissionEditor) -> dict[str, QLabel]:
    section = editor.sections[FIRST]
    return {"word count": section.words_label, "guidance": section.guidance_label,
            "required mark": section.mark_label, "gauge figure": editor.gauge.figure_label,
            "details line": editor.meta_label}


def _assert_all_read(editor: SubmissionEditor, palette_name: str) -> None:
    window = QApplication.palette().color(R.Window)
    for what, label in _coloured_texts(editor).items():
        colour = _shown_text_colour(label)
        ratio = contrast_ratio(colour, window)
        assert ratio >= MIN_CONTRAST, (what, colour.name(), window.name(), palette_name, ratio)


@pytest.mark.usefixtures("theme")
def test_the_editors_muted_and_status_texts_read_on_the_light_theme(
        qapp: QApplication, editor: SubmissionEditor) -> None:
    qapp.setPalette(light_palette())
    _assert_all_read(editor, "light")


@pytest.mark.usefixtures("theme")
@pytest.mark.parametrize("name", ["dark", "black", "white"])
def test_switching_theme_with_the_editor_open_keeps_every_text_readable(
        qapp: QApplication, qtbot: QtBot, editor: SubmissionEditor, name: str) -> None:
    qapp.setPalette(light_palette())
    before = {what: _shown_text_colour(label).name() for what, label in _coloured_texts(editor).items()}
    qapp.setPalette(PALETTES[name]())  # as Qt does when the desktop's colour scheme changes
    _assert_all_read(editor, name)
    if name != "white":  # on a dark window every colour of the light theme had to change
        after = {what: _shown_text_colour(label).name() for what, label in _coloured_texts(editor).items()}
        assert all(after[what] != before[what] for what in before), (before, after)
    # The conflict banner's wash follows the theme too: a light pink box on a dark window glares.
    banner = editor.conflict_banner
    banner.show()
    image = banner.grab().toImage()
    wash = image.pixelColor(image.width() // 2, 3)
    window = QApplication.palette().color(R.Window)
    assert contrast_ratio(wash, window) < 2, f"banner {wash.name()} on window {window.name()}"
    banner.hide()
