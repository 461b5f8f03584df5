"""What flexdesk.spec leaves out of the bundle, and the icon and version it gives the app.

Kept apart from the spec so the choices can be tested (tests/unit/test_bundle_parts.py).
What is left out was read off the running app, never guessed: `/proc/<pid>/maps` and
`sys.modules` of `flexdesk --self-test` offscreen and on X11 (Xvfb) show the Qt libraries of
QtCore, QtGui, QtWidgets, QtSvg and QtNetwork (QLocalServer), and one platform plugin (plus
the compose input context on X11); flexdesk draws its own icons from SVG.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

# Qt plugins flexdesk never loads, by folder, or by folder and name without "lib" and suffix.
UNUSED_PLUGIN_FOLDERS = frozenset({
    "egldeviceintegrations",  # EGL full-screen on bare hardware (embedded devices)
    "generic",  # evdev and tuio input for the framebuffer platforms
    "networkinformation",  # QNetworkInformation: flexdesk asks its server instead
    "tls",  # Qt's TLS: HTTPS is httpx's, through Python's ssl
    "qmltooling",
})
UNUSED_PLUGINS = {
    # Kept: xcb and wayland (Linux desktops), windows, cocoa, and offscreen (the self-test).
    "platforms": frozenset({"qeglfs", "qlinuxfb", "qminimal", "qminimalegl", "qvnc",
                            "qvkkhrdisplay"}),
    # The GTK theme plugin loads the system's GTK, which is not in the bundle: it would run
    # against the bundle's cairo and pango of another release. Qt's own theme is used instead.
    "platformthemes": frozenset({"qgtk3"}),
    # flexdesk draws its icons from SVG (QtSvg) and Qt reads PNG without a plugin; kept: the
    # SVG and ICO readers that a system icon theme or Windows may hand to Qt.
    "imageformats": frozenset({"qgif", "qicns", "qjpeg", "qpdf", "qtga", "qtiff", "qwbmp",
                               "qwebp"}),
}
# Qt's translations of Qt Help, a module flexdesk does not use; its own strings' translations
# (qtbase_*, qt_*) stay, for the dialogs Qt draws.
UNUSED_TRANSLATIONS = ("qt_help_",)
# pycountry's translations of country names into ~160 languages (22 MB): flexdesk names
# countries in English and never asks pycountry for a translation.
UNUSED_DATA_FOLDERS = ("pycountry/locales/",)


def is_unused_binary(dest: str) -> bool:
    """A Qt plugin flexdesk never loads, by its place in the bundle (`.../plugins/KIND/FILE`)."""
    parts = PurePath(dest.replace("\\", "/")).parts
    if "plugins" not in parts[:-1]:
        return False
    at = parts.index("plugins")
    if len(parts) != at + 3:
        return False
    folder, name = parts[at + 1], parts[at + 2]
    if folder in UNUSED_PLUGIN_FOLDERS:
        return True
    stem = name.split(".")[0]
    stem = stem.removeprefix("lib")
    return stem in UNUSED_PLUGINS.get(folder, frozenset())


def is_unused_data(dest: str) -> bool:
    path = dest.replace("\\", "/")
    if path.startswith(UNUSED_DATA_FOLDERS):
        return True
    name = PurePath(path).name
    return name.endswith(".qm") and name.startswith(UNUSED_TRANSLATIONS)


def loaded_only_by(dropped: Iterable[str], kept: Iterable[str],
                   loads: Callable[[str], Iterable[str]]) -> set[str]:
    """The libraries (real paths) that only the dropped binaries need: not a kept binary,
    nor loaded by one, unless it is itself there only for the dropped ones.

    `loads(path)` is the libraries one binary loads (PyInstaller's `bindepend.get_imports`).
    """
    def closure(paths: Iterable[str]) -> set[str]:
        found: set[str] = set()
        todo = list(paths)
        while todo:
            for library in loads(todo.pop()):
                real = os.path.realpath(library)
                if real not in found:
                    found.add(real)
                    todo.append(library)
        return found

    theirs = closure(dropped)
    others = [path for path in kept if os.path.realpath(path) not in theirs]
    return theirs - closure(others)


def app_icon(work: Path, kind: str) -> str:
    """The app's SVG drawn at 1024 px into a PNG, for PyInstaller to turn into `kind` (ico,
    icns) with Pillow: the same picture as the window icon and the Linux desktop entry."""
    from importlib.resources import files

    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    svg = files("flexdesk.resources").joinpath("flexdesk.svg").read_bytes()
    image = QImage(1024, 1024, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(QByteArray(svg)).render(painter)
    painter.end()
    work.mkdir(parents=True, exist_ok=True)
    target = work / f"flexdesk-icon-for-{kind}.png"
    if not image.save(str(target)):  # PNG, by the name
        raise RuntimeError(f"could not write {target}")
    return str(target)


def windows_version_info(work: Path, version: str) -> str:
    """The version resource Windows shows in the file's properties and the installer reads."""
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    numbers = tuple(int(part) for part in version.split(".")[:3] if part.isdigit())
    four = (*numbers, 0, 0, 0, 0)[:4]
    info = VSVersionInfo(
        ffi=FixedFileInfo(filevers=four, prodvers=four),
        kids=[
            StringFileInfo([StringTable("040904B0", [
                StringStruct("CompanyName", "flexdesk"),
                StringStruct("FileDescription", "flexdesk: FlexPortal customer records"),
                StringStruct("FileVersion", version),
                StringStruct("InternalName", "flexdesk"),
                StringStruct("OriginalFilename", "flexdesk.exe"),
                StringStruct("ProductName", "flexdesk"),
                StringStruct("ProductVersion", version),
            ])]),
            VarFileInfo([VarStruct("Translation", [0x0409, 1200])]),
        ],
    )
    target = work / "flexdesk-version-info.txt"
    work.mkdir(parents=True, exist_ok=True)
    target.write_text(str(info), encoding="utf-8")
    return str(target)
