"""The real main window for an in-process benchmark run, opened and torn down alike for all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent

from benchmarks.qt import application
from flexdesk.api.client import FlexPortalClient
from flexdesk.connection import Connection
from flexdesk.store import Store
from flexdesk.ui.window.application import DRAFTS_FILE, open_settings
from flexdesk.ui.window.main_window import MainWindow

TENANT = TOKEN = "sandbox"


@contextmanager
def main_window(client: FlexPortalClient, data_dir: Path) -> Iterator[MainWindow]:
    """A window on `client` with its store and settings in `data_dir`, set up as the app does.

    Afterwards the window, the client and the store are closed and the window is deleted at
    once, not during the next run: freeing 100,000 customers takes a while.
    """
    store = Store.open(data_dir / DRAFTS_FILE)
    window = MainWindow(Connection(client.base_url, TENANT, TOKEN, label="benchmark"), client,
                        open_settings(data_dir), store)
    try:
        yield window
    finally:
        window.close()
        window.shutdown()
        client.close()
        store.close()
        window.deleteLater()
        application().sendPostedEvents(None, QEvent.Type.DeferredDelete)
