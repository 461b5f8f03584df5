"""Starting offline with a large cache: the list fills from it a slice at a time, and the
slow part (reading and parsing) never runs on the GUI thread."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import CustomerStatus
from flexdesk.api.retry import RetryPolicy
from flexdesk.listing.paging import CustomerCache
from flexdesk.sandbox import SandboxServer
from flexdesk.sandbox.faults import Faults
from flexdesk.store import CachedCustomer, ConnectionKey, Store
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.customers.customer_loader import CustomerLoader
from flexdesk.ui.customers.customer_table import CustomerTableModel
from tests.conftest import TENANT, TOKEN
from tests.factories import make_customer


def _dead_url() -> str:
    """A loopback port nobody listens on: every request is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.mark.expect_log("loading customers failed")
def test_an_offline_start_shows_the_cache_in_slices_read_off_the_gui_thread(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _dead_url()
    key = ConnectionKey(url, TENANT)
    store = Store.open(tmp_path / "flexdesk.sqlite3")
    store.cache_customers(key, [make_customer(n, status="inactive" if n % 10 == 0 else "active")
                                for n in range(1, 251)], now=1_000.0)
    reads: list[tuple[str, bool]] = []
    read = store.cached_customers

    def watched(connection: ConnectionKey, *, after: str = "",
                limit: int | None = None) -> list[CachedCustomer]:
        reads.append((after, threading.current_thread() is threading.main_thread()))
        return read(connection, after=after, limit=limit)

    monkeypatch.setattr(store, "cached_customers", watched)
    model = CustomerTableModel()
    jobs = JobRunner()
    client = FlexPortalClient(url, TENANT, TOKEN, retry=RetryPolicy(attempts=1))
    loader = CustomerLoader(client, jobs, model, cache=CustomerCache(store, key, slice_size=100))
    try:
        loader.reload()
        qtbot.waitUntil(lambda: loader.cached_since is not None and not loader.loading,
                        timeout=5000)
        shown = [model.customer_at(row) for row in range(model.rowCount())]
        assert len(shown) == 225  # the active ones: the list's default scope
        assert all(c.status is CustomerStatus.ACTIVE for c in shown)
        assert loader.cached_since is not None and loader.cached_since.timestamp() == 1_000.0
        assert [after for after, _ in reads] == ["", "cust_0100", "cust_0200"]
        assert not any(on_gui_thread for _, on_gui_thread in reads)
        assert loader.error is not None  # why the server was not reached stays on show
    finally:
        jobs.wait_for_done(5000)
        client.close()
        store.close()


@pytest.mark.expect_log("loading customers failed")
def test_back_online_while_the_cache_is_read_the_servers_rows_replace_it(
    qtbot: QtBot, tmp_path: Path, big_sandbox: SandboxServer
) -> None:
    key = ConnectionKey(big_sandbox.base_url, TENANT)
    store = Store.open(tmp_path / "flexdesk.sqlite3")
    store.cache_customers(key, [make_customer(n) for n in range(1, 201)])
    big_sandbox.faults.script(Faults.DROP)  # the first page finds nobody home
    model = CustomerTableModel()
    jobs = JobRunner()
    client = FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN,
                              retry=RetryPolicy(attempts=1))
    loader = CustomerLoader(client, jobs, model, cache=CustomerCache(store, key, slice_size=10))
    reading: list[bool] = []

    def server_back() -> None:  # right after the first slice, as the sync probe might
        reading.append(loader.reading_cache)
        loader.reload_if_cached()

    model.rowsInserted.connect(lambda: reading or QTimer.singleShot(0, server_back))
    try:
        loader.reload()
        qtbot.waitUntil(lambda: bool(reading), timeout=5000)
        assert reading == [True]  # 20 slices of 10: still going
        qtbot.waitUntil(lambda: not loader.loading and model.rowCount() > 0, timeout=5000)
        ids = {model.customer_at(row).customer_id for row in range(model.rowCount())}
        assert not any(i.startswith("cust_0") for i in ids)  # none of the cached ones
        assert loader.cached_since is None and not loader.reading_cache
        assert model.rowCount() == 100  # the server's first page, and nothing after it
    finally:
        jobs.wait_for_done(5000)
        client.close()
        store.close()
