"""The QApplication: create it, show the main window, tidy up on the way out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from flexdesk import __version__
from flexdesk.connection import Connection
from flexdesk.store import Store
from flexdesk.ui.crash_dialog import install_crash_dialog
from flexdesk.ui.icons import app_icon
from flexdesk.ui.main_window import MainWindow

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


def run(connection: Connection, data_dir: Path, log_path: Path, argv: Sequence[str]) -> int:
    app = application(argv)
    app.setApplicationName("flexdesk")
    app.setApplicationDisplayName("flexdesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("flexdesk")
    app.setDesktopFileName("flexdesk")
    app.setWindowIcon(app_icon())
    with connection.open_client() as client, Store.open(data_dir / DRAFTS_FILE) as store:
        window = MainWindow(connection, client, open_settings(data_dir), store,
                            log_dir=log_path.parent)
        install_crash_dialog(lambda: window, log_path, [connection.token])
        window.show()
        window.start()
        code = app.exec()
        window.shutdown()
    return code
