"""A real main window on a real sandbox, settings in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.retry import RetryPolicy
from flexdesk.connection import Connection
from flexdesk.sandbox import SandboxServer
from flexdesk.store import Store
from flexdesk.ui.common.collector import GuiThreadCollector
from flexdesk.ui.window.application import open_settings
from flexdesk.ui.window.main_window import MainWindow
from tests.conftest import TENANT, TOKEN

WindowFactory = Callable[[], MainWindow]


@pytest.fixture
def big_sandbox() -> Iterator[SandboxServer]:
    """Enough customers for three pages."""
    server = SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=260, seed=3).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return open_settings(tmp_path)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """The drafts database, shared by every window of a test, as by two runs of the app."""
    with Store.open(tmp_path / "flexdesk.sqlite3") as opened:
        yield opened


@pytest.fixture
def make_window(qtbot: QtBot, big_sandbox: SandboxServer, settings: QSettings,
                store: Store) -> Iterator[WindowFactory]:
    made: list[tuple[MainWindow, FlexPortalClient]] = []

    def make() -> MainWindow:
        # Give up on a dead server quickly; the retry policy itself is tested elsewhere.
        client = FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN,
                                  retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02))
        window = MainWindow(Connection(big_sandbox.base_url, TENANT, TOKEN, label="sandbox"),
                            client, settings, store)
        window.sync.first_probe_ms = 100
        qtbot.addWidget(window)
        made.append((window, client))
        return window

    yield make
    # Closed here, before the store fixture closes the drafts file: closing writes the open
    # draft, and qtbot would only close the windows after every other fixture is gone.
    for window, client in made:
        window.close()
        window.shutdown()
        client.close()


@pytest.fixture
def window(qtbot: QtBot, make_window: WindowFactory) -> MainWindow:
    """Shown, active (so window shortcuts fire) and with its first page loaded."""
    main = make_window()
    with qtbot.waitActive(main):
        main.show()
        main.activateWindow()
    main.start()
    qtbot.waitUntil(lambda: main.customers.rowCount() > 0 and not main.loader.loading,
                    timeout=5000)
    return main


@pytest.fixture(autouse=True, scope="session")
def gui_thread_collector(qapp: QApplication) -> GuiThreadCollector:
    """As in the app: cycles are collected on the GUI thread only, never on a worker."""
    return GuiThreadCollector(qapp)
