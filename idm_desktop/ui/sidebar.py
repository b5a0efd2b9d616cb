"""The window's navigation: a compact sidebar of the four views, each with its icon and, where it
helps, a count (documents in the library, submissions, changes waiting or conflicts to resolve).

The icons are drawn here with QPainter (our own drawings: no image files, no third-party art, no
SVG module in the frozen build), in the palette's text colours, so they follow a dark or a
high-contrast theme. A screen reader hears each entry with its count ("Sync, 1 conflict").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from idm_desktop.ui.formatting import Tone, blend, format_number, readable, tint, tone_color

COUNT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The number shown at the end of an entry (0: none)."""
ALERT_ROLE = Qt.ItemDataRole.UserRole + 2
"""True when the count asks for the user's attention (conflicts, refusals)."""

ICON_SIZE = 20
_Index = QModelIndex | QPersistentModelIndex


def _calendar(path: QPainterPath) -> None:
    path.addRoundedRect(QRectF(3.5, 5, 17, 15.5), 2.5, 2.5)
    path.moveTo(3.5, 10)
    path.lineTo(20.5, 10)
    for x in (8.5, 15.5):
        path.moveTo(x, 3)
        path.lineTo(x, 7)
    for x, y in ((8, 14), (12, 14), (16, 14), (8, 17.5), (12, 17.5)):
        path.addEllipse(QPointF(x, y), 0.4, 0.4)


def _library(path: QPainterPath) -> None:
    path.addRoundedRect(QRectF(3.5, 4, 4.5, 16.5), 1, 1)
    path.addRoundedRect(QRectF(9.5, 6.5, 4.5, 14), 1, 1)
    path.moveTo(3.5, 7.5)
    path.lineTo(8, 7.5)
    # a book leaning on the others
    path.moveTo(15.2, 7.6)
    path.lineTo(18.6, 6.6)
    path.lineTo(21.6, 19.2)
    path.lineTo(18.2, 20.2)
    path.closeSubpath()


def _document(path: QPainterPath) -> None:
    path.moveTo(6, 3)
    path.lineTo(14, 3)
    path.lineTo(19, 8)
    path.lineTo(19, 21)
    path.lineTo(6, 21)
    path.closeSubpath()
    path.moveTo(14, 3)
    path.lineTo(14, 8)
    path.lineTo(19, 8)
    for y, right in ((12.5, 16), (16, 16), (19, 13)):
        path.moveTo(9, y)
        path.lineTo(right, y)


def _sync(path: QPainterPath) -> None:
    centre, radius = QPointF(12, 12), 7.5
    box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
    for start in (20.0, 200.0):
        path.arcMoveTo(box, start)
        path.arcTo(box, start, 140)
        # the arrowhead at the end of the arc, pointing along it
        end = math.radians(start + 140)
        tip = QPointF(centre.x() + radius * math.cos(end), centre.y() - radius * math.sin(end))
        along = end + math.pi / 2  # the direction of travel (counter-clockwise)
        for turn in (math.radians(150), math.radians(-150)):
            a = along + turn
            path.moveTo(tip)
            path.lineTo(tip.x() + 3.2 * math.cos(a), tip.y() - 3.2 * math.sin(a))


DRAWINGS: dict[str, Callable[[QPainterPath], None]] = {
    "workshops": _calendar, "library": _library, "submissions": _document, "sync": _sync}
"""Each view's icon, drawn on a 24×24 grid."""


def draw_icon(kind: str, color: QColor, size: int = ICON_SIZE, ratio: float = 1.0) -> QPixmap:
    """The icon ``kind`` (a key of :data:`DRAWINGS`) as a line drawing in ``color``."""
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    path = QPainterPath()
    DRAWINGS[kind](path)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 24, size / 24)
    pen = QPen(color, 1.7)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.drawPath(path)
    painter.end()
    return pixmap


def nav_icon(kind: str, palette: QPalette, ratio: float = 1.0) -> QIcon:
    """The icon in the palette's text colour, and in its highlighted-text colour when selected."""
    icon = QIcon()
    icon.addPixmap(draw_icon(kind, palette.color(QPalette.ColorRole.WindowText), ratio=ratio))
    icon.addPixmap(draw_icon(kind, palette.color(QPalette.ColorRole.HighlightedText), ratio=ratio),
                   QIcon.Mode.Selected)
    return icon


class _CountDelegate(QStyledItemDelegate):
    """Draws the entry as the style does, then its count in a small pill at the right end."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + self._pill_width(option, 999), max(hint.height(), 34))

    @staticmethod
    def _pill_width(option: QStyleOptionViewItem, count: int) -> int:
        metrics = option.fontMetrics
        return max(metrics.height() + 4, metrics.horizontalAdvance(format_number(count)) + 12)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        super().paint(painter, option, index)
        count = int(index.data(COUNT_ROLE) or 0)
        if count <= 0:
            return
        palette = option.palette
        # Asked of the list, not of option.state: reading that loads QStyle's Python enums, some
        # 6 ms of the window's start.
        view = self.parent()
        selected = isinstance(view, QAbstractItemView) and view.selectionModel().isSelected(index)
        window = palette.color(QPalette.ColorRole.Window)
        if index.data(ALERT_ROLE):
            fill = tone_color(Tone.ERROR)  # the theme's red for text: its own ink reads on it too
            ink = readable(window, [fill])
        elif selected:
            highlight = palette.color(QPalette.ColorRole.Highlight)
            ink = palette.color(QPalette.ColorRole.HighlightedText)
            fill = blend(ink, highlight, 0.22)
            ink = readable(ink, [fill])
        else:
            text = palette.color(QPalette.ColorRole.WindowText)
            fill = blend(text, window, 0.12)
            ink = readable(text, [fill])
        label = format_number(count)
        metrics = option.fontMetrics
        height = metrics.height() + 2
        width = self._pill_width(option, count)
        rect = option.rect
        pill = QRectF(rect.right() - 10 - width, rect.center().y() - height / 2 + 1, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(ink)
        painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), label)
        painter.restore()


class Sidebar(QListWidget):
    """The views, one entry each: icon, name, count. Its rows are the pages of the window."""

    def __init__(self, entries: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        """``entries``: (icon kind, name) of each view, in page order."""
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setItemDelegate(_CountDelegate(self))
        self._kinds = [kind for kind, _name in entries]
        self._names = [name for _kind, name in entries]
        self._spoken: list[str] = [""] * len(entries)
        for _kind, name in entries:
            item = QListWidgetItem(name, self)
            item.setData(COUNT_ROLE, 0)
            item.setData(ALERT_ROLE, False)
        self._draw_icons()
        tint(self, self._style_sheet)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.paletteChanged.connect(self._on_app_palette_changed)
        self.setFixedWidth(self._width())

    def set_count(self, row: int, count: int, *, alert: bool = False, spoken: str = "") -> None:
        """Show ``count`` at the end of entry ``row`` (none when 0); ``spoken`` is what a screen
        reader hears after the name ("2 waiting")."""
        item = self.item(row)
        item.setData(COUNT_ROLE, max(count, 0))
        item.setData(ALERT_ROLE, alert and count > 0)
        name = self._names[row]
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name}, {spoken}" if spoken and count else name)
        item.setToolTip(spoken if spoken and count else "")

    def count_of(self, row: int) -> int:
        return int(self.item(row).data(COUNT_ROLE) or 0)

    def _width(self) -> int:
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(name) for name in self._names)
        pill = max(metrics.height() + 4, metrics.horizontalAdvance(format_number(999)) + 12)
        # list padding, item padding, icon and its gap, the name, the pill and its margin
        return 2 * 8 + 2 * 10 + ICON_SIZE + 10 + widest + 14 + pill

    def _draw_icons(self) -> None:
        palette = self.palette()
        ratio = self.devicePixelRatioF()
        for row, kind in enumerate(self._kinds):
            self.item(row).setIcon(nav_icon(kind, palette, ratio))

    def _on_app_palette_changed(self, _palette: QPalette) -> None:
        self._draw_icons()

    @staticmethod
    def _style_sheet() -> str:
        palette = QGuiApplication.palette()
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        panel = blend(text, window, 0.035)  # a shade off the window, as mail and chat sidebars are
        hover = blend(text, window, 0.08)
        edge = blend(text, window, 0.18)
        return (
            f"QListWidget#navigation {{ background: {panel.name()}; border: none;"
            f" border-right: 1px solid {edge.name()}; padding: 8px; outline: 0; }}"
            " QListWidget#navigation::item { padding: 6px 10px; margin: 1px 0px; border-radius: 6px;"
            f" color: {text.name()}; }}"
            f" QListWidget#navigation::item:hover:!selected {{ background: {hover.name()}; }}"
            " QListWidget#navigation::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
            # the keyboard's place: a ring inside the selected entry while the list has the focus
            " QListWidget#navigation::item:selected:focus { border: 2px solid palette(highlighted-text);"
            " padding: 4px 8px; }")
