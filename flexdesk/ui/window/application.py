"""The QApplication: create it, show the main window, tidy up on the way out.

A start paints the window and the customers kept on this computer before it imports the
network stack (httpx, pydantic, the API models: about as long as Python, Qt and a bare window
together) and builds the editor, sync and menus on it (issue #21; tests/ui/window/
test_instant_start.py holds it to that). Nothing else is imported before the first paint that
it does not need: dialogs, the crash dialog, the sandbox, the keyring.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from flexdesk import __version__
from flexdesk.connection import Connection
from flexdesk.store import OpenedStore, Store, StoreError, open_store
from flexdesk.ui.common.collector import GuiThreadCollector
from flexdesk.ui.window.first_paint import AfterFirstRows
from flexdesk.ui.window.main_window import MainWindow
from flexdesk.ui.window.single_instance import SingleInstance

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from flexdesk.api.client import FlexPortalClient

log = logging.getLogger(__name__)

Serve = Callable[[], Connection]

DRAFTS_FILE = "flexdesk.sqlite3"


def open_settings(data_dir: Path) -> QSettings:
    """Settings live in the data folder, so `--data-dir` keeps tenants and tests apart."""
    return QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)


def application(argv: Sequence[str], *, icon: bool = True) -> QApplication:
    """The one QApplication (the first-run dialog may have made it already), named and with
    the app's icon, so every window and dialog carries both from the first one on (without
    `icon`, the caller sets it: a start does after the first paint)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(list(argv))
    app.setApplicationName("flexdesk")
    app.setApplicationDisplayName("flexdesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("flexdesk")
    app.setDesktopFileName("flexdesk")
    GuiThreadCollector(app)  # lives as long as the application, its parent
    if icon:
        from flexdesk.ui.common.icons import app_icon

        app.setWindowIcon(app_icon())
    return app


def run(connection: Connection, data_dir: Path, log_path: Path, argv: Sequence[str],
        instance: SingleInstance, *, serve: Serve | None = None) -> int:
    """`serve`: makes the server and its real connection once the first window has painted
    (the built-in sandbox); `connection` stands for it until then."""
    app = application(argv, icon=False)  # the window sets it once it has painted
    instance.listen()
    settings = open_settings(data_dir)
    windows: list[MainWindow] = []  # the crash dialog sits on the newest
    secrets: list[str] = []
    _crash_dialog_when_needed(lambda: windows[-1] if windows else None, log_path, secrets)
    opened = _open_drafts(data_dir / DRAFTS_FILE)
    if opened is None:
        return 1
    notice = opened.notice
    # One drafts file for the whole run: a window of the last profile whose work is still
    # finishing never meets a closed file.
    with opened.store as store:
        while True:  # one window per connection; switching profile opens the next
            secrets.append(connection.token)
            with ExitStack() as clients:
                window = open_window(connection, settings, store, clients, serve=serve,
                                     log_dir=log_path.parent, store_notice=notice)
                serve = None  # (the next profile's server is there already)
                windows[:] = [window]
                instance.raise_requested.connect(window.come_forward)
                log.info("window open on %s", connection.title)
                code = app.exec()
                window.shutdown()
                instance.raise_requested.disconnect(window.come_forward)
                following = window.next_connection
            if following is None:
                return code
            connection, notice = following, ""


def open_window(connection: Connection, settings: QSettings, store: Store, clients: ExitStack,
                *, serve: Serve | None = None, log_dir: Path | None = None,
                store_notice: str = "") -> MainWindow:
    """The main window, shown and reading the copy on this computer; once its first rows
    are painted, it is connected to the server (its client closes with `clients`), which
    `serve` starts first if given."""
    window = MainWindow(connection, None, settings, store, log_dir=log_dir,
                        store_notice=store_notice)

    def build_rest(client: FlexPortalClient) -> None:
        window.connect_client(client)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # for the dialogs to come
            app.setWindowIcon(window.windowIcon())

    def connect(served: tuple[Connection, FlexPortalClient]) -> None:
        served_on, client = served
        clients.enter_context(client)
        if not window.isVisible():  # closed in the meantime
            return
        window.use_connection(served_on)
        window.serve_from(client)
        if window.customers.rowCount():
            build_rest(client)
        else:  # a first start: the first page is painted before the editor and menus are built
            AfterFirstRows(window.list, window.loader, lambda: build_rest(client),
                           from_server=True)

    def failed(exc: Exception) -> None:
        raise exc  # a bug: the crash dialog says so

    # On a worker: importing httpx, pydantic and the models, and building the models'
    # schemas, keeps the GUI thread free (it only imports the widgets built on them).
    AfterFirstRows(window.list, window.loader, lambda: window.jobs.submit(
        "network stack", lambda: _network_client(serve or (lambda: connection)), connect,
        failed))
    window.show()
    window.start()
    return window


def _network_client(serve: Serve) -> tuple[Connection, FlexPortalClient]:
    """The connection and its client, with the Qt-free modules the window builds on them
    imported here too (the GUI thread then imports only its widgets)."""
    import flexdesk.editing
    import flexdesk.listing.export
    import flexdesk.listing.tenant_copy
    import flexdesk.sync  # noqa: F401

    connection = serve()
    return connection, connection.open_client()


def _crash_dialog_when_needed(parent: Callable[[], QWidget | None], log_path: Path,
                              secrets: list[str]) -> None:
    """Uncaught exceptions go to the crash dialog, imported at the first one (~20 ms that
    no start needs)."""
    previous = sys.excepthook

    def first(kind: type[BaseException], error: BaseException,
              trace: TracebackType | None) -> None:
        from flexdesk.ui.window.crash_dialog import install_crash_dialog

        sys.excepthook = previous
        install_crash_dialog(parent, log_path, secrets)
        sys.excepthook(kind, error, trace)

    sys.excepthook = first


def _open_drafts(path: Path) -> OpenedStore | None:
    """The drafts file, whatever state it is in; None (after saying why) if it cannot be
    opened at all: made by a newer flexdesk, held by another program, or a failing disk."""
    try:
        return open_store(path)
    except StoreError as exc:
        log.error("cannot open the drafts file %s: %s", path, exc)
        from flexdesk.ui.common.dialogs import inform

        inform(None, "flexdesk cannot start",
               f"{exc}\n\nflexdesk keeps your unsaved changes in this file and will not start "
               "without it. Nothing was changed in it.")
        return None
