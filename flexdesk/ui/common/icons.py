"""Icons from resources/ (installed as flexdesk.resources), read with importlib.resources."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

_SIZES = (16, 24, 32, 48, 64, 128, 256)


def svg_icon(name: str) -> QIcon:
    """Render the SVG at every common size, so the taskbar never scales a bitmap up."""
    data = files("flexdesk.resources").joinpath(name).read_bytes()
    renderer = QSvgRenderer(QByteArray(data))
    icon = QIcon()
    for size in _SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


@cache
def app_icon() -> QIcon:
    return svg_icon("flexdesk.svg")
