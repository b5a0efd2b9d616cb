"""Render resources/icons/idm-desktop.svg to the PNG next to it (256 px), with Qt's SVG renderer.

Run after changing the SVG: .venv/bin/python packaging/render_icon.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter on a QImage needs one
    renderer = QSvgRenderer(str(ICONS / "idm-desktop.svg"))
    if not renderer.isValid():
        sys.stderr.write("render_icon: the SVG did not parse\n")
        return 1
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    out = ICONS / "idm-desktop.png"
    if not image.save(str(out), "PNG"):
        sys.stderr.write(f"render_icon: could not write {out}\n")
        return 1
    sys.stdout.write(f"{out} ({out.stat().st_size} bytes)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
