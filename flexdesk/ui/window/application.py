"""The QApplication: create it, show the main window, tidy up on the way out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from flexdesk import __version__
from flexdesk.connection import Connection
from flexdesk.store import Store
from flexdesk.ui.common.icons import app_icon
from flexdesk.ui.window.crash_dialog import install_crash_dialog
from flexdesk.ui.window.main_window import MainWindow
from flexdesk.ui.window.single_instance import SingleInstance

DRAFTS_FILE = "flexdesk.sqlite3"


def open_settings(data_dir: Path) -> QSettings:
    """Settings live in the data folder, so `--data-dir` keeps tenants and tests apart."""
    return QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)


def application(argv: Sequence[str]) -> QApplication:
    """The one QApplication (the first-run dialog may have made it already)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    return QApplication(list(argv))


def run(connection: Connection, data_dir: Path, log_path: Path, argv: Sequence[str],
        instance: SingleInstance) -> int:
    app = application(argv)
    instance.listen()
    app.setApplicationName("flexdesk")
    app.setApplicationDisplayName("flexdesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("flexdesk")
    app.setDesktopFileName("flexdesk")
    app.setWindowIcon(app_icon())
    settings = open_settings(data_dir)
    windows: list[MainWindow] = []  # the crash dialog sits on the newest
    secrets: list[str] = []
    install_crash_dialog(lambda: windows[-1] if windows else None, log_path, secrets)
    while True:  # one window per connection; switching profile opens the next
        secrets.append(connection.token)
        with connection.open_client() as client, Store.open(data_dir / DRAFTS_FILE) as store:
            window = MainWindow(connection, client, settings, store, log_dir=log_path.parent)
            windows[:] = [window]
            instance.raise_requested.connect(window.come_forward)
            window.show()
            window.start()
            code = app.exec()
            window.shutdown()
            following = window.next_connection
        if following is None:
            return code
        connection = following
