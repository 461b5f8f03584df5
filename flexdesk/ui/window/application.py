"""The QApplication: create it, show the main window, tidy up on the way out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from flexdesk import __version__
from flexdesk.connection import Connection
from flexdesk.store import OpenedStore, StoreError, open_store
from flexdesk.ui.common.dialogs import inform
from flexdesk.ui.common.icons import app_icon
from flexdesk.ui.window.crash_dialog import install_crash_dialog
from flexdesk.ui.window.main_window import MainWindow
from flexdesk.ui.window.single_instance import SingleInstance

log = logging.getLogger(__name__)

DRAFTS_FILE = "flexdesk.sqlite3"


def open_settings(data_dir: Path) -> QSettings:
    """Settings live in the data folder, so `--data-dir` keeps tenants and tests apart."""
    return QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)


def application(argv: Sequence[str]) -> QApplication:
    """The one QApplication (the first-run dialog may have made it already), named and with
    the app's icon, so every window and dialog carries both from the first one on."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(list(argv))
    app.setApplicationName("flexdesk")
    app.setApplicationDisplayName("flexdesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("flexdesk")
    app.setDesktopFileName("flexdesk")
    app.setWindowIcon(app_icon())
    return app


def run(connection: Connection, data_dir: Path, log_path: Path, argv: Sequence[str],
        instance: SingleInstance) -> int:
    app = application(argv)
    instance.listen()
    settings = open_settings(data_dir)
    windows: list[MainWindow] = []  # the crash dialog sits on the newest
    secrets: list[str] = []
    install_crash_dialog(lambda: windows[-1] if windows else None, log_path, secrets)
    opened = _open_drafts(data_dir / DRAFTS_FILE)
    if opened is None:
        return 1
    notice = opened.notice
    # One drafts file for the whole run: a window of the last profile whose work is still
    # finishing never meets a closed file.
    with opened.store as store:
        while True:  # one window per connection; switching profile opens the next
            secrets.append(connection.token)
            with connection.open_client() as client:
                window = MainWindow(connection, client, settings, store,
                                    log_dir=log_path.parent, store_notice=notice)
                windows[:] = [window]
                instance.raise_requested.connect(window.come_forward)
                window.show()
                log.info("window open on %s", connection.title)
                window.start()
                code = app.exec()
                window.shutdown()
                instance.raise_requested.disconnect(window.come_forward)
                following = window.next_connection
            if following is None:
                return code
            connection, notice = following, ""


def _open_drafts(path: Path) -> OpenedStore | None:
    """The drafts file, whatever state it is in; None (after saying why) if it cannot be
    opened at all: made by a newer flexdesk, held by another program, or a failing disk."""
    try:
        return open_store(path)
    except StoreError as exc:
        log.error("cannot open the drafts file %s: %s", path, exc)
        inform(None, "flexdesk cannot start",
               f"{exc}\n\nflexdesk keeps your unsaved changes in this file and will not start "
               "without it. Nothing was changed in it.")
        return None
