"""Starting with the copy of the tenant kept on this computer: the list fills from it a slice at
a time (the slow part, reading and parsing, never on the GUI thread), offline too, and a pass
over the server then makes it the server's."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.retry import RetryPolicy
from flexdesk.api.rows import CustomerRow
from flexdesk.listing.paging import CopyReader
from flexdesk.listing.tenant_copy import TenantCopy
from flexdesk.sandbox import SandboxServer
from flexdesk.store import ConnectionKey, Place, Store
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


def _loader(store: Store, key: ConnectionKey, client: FlexPortalClient,
            model: CustomerTableModel, jobs: JobRunner, slice_size: int) -> CustomerLoader:
    return CustomerLoader(client, jobs, model, copy=TenantCopy(store, key, client),
                          reader=CopyReader(store, key, slice_size=slice_size))


@pytest.mark.expect_log("loading customers failed")
def test_an_offline_start_shows_the_copy_in_slices_read_off_the_gui_thread(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _dead_url()
    key = ConnectionKey(url, TENANT)
    store = Store.open(tmp_path / "flexdesk.sqlite3")
    store.cache_customers(key, [make_customer(n, status="inactive" if n % 10 == 0 else "active")
                                for n in range(1, 251)], now=1_000.0)
    reads: list[tuple[str, bool]] = []
    read = store.cached_rows

    def watched(connection: ConnectionKey, *, after: Place | None = None,
                limit: int | None = None) -> list[tuple[CustomerRow, float]]:
        reads.append((after[1] if after else "",
                      threading.current_thread() is threading.main_thread()))
        return read(connection, after=after, limit=limit)

    monkeypatch.setattr(store, "cached_rows", watched)
    model = CustomerTableModel()
    jobs = JobRunner()
    client = FlexPortalClient(url, TENANT, TOKEN, retry=RetryPolicy(attempts=1))
    loader = _loader(store, key, client, model, jobs, 100)
    try:
        loader.start()
        qtbot.waitUntil(lambda: loader.error is not None and not loader.loading, timeout=5000)
        assert model.rowCount() == 250  # every customer kept, inactive ones too
        assert loader.cached_since is not None and loader.cached_since.timestamp() == 1_000.0
        active = [f"cust_{n:04d}" for n in range(1, 251) if n % 10]  # read first, in order
        assert [after for after, _ in reads] == ["", active[99], active[199]]
        assert not any(on_gui_thread for _, on_gui_thread in reads)
        assert loader.error is not None and "unreachable" in loader.error  # why, on show
    finally:
        jobs.wait_for_done(5000)
        client.close()
        store.close()


def test_a_copy_from_an_earlier_start_is_shown_then_made_the_servers(
    qtbot: QtBot, tmp_path: Path, big_sandbox: SandboxServer
) -> None:
    key = ConnectionKey(big_sandbox.base_url, TENANT)
    store = Store.open(tmp_path / "flexdesk.sqlite3")
    gone = [make_customer(n) for n in range(1, 201)]  # the server has none of these now
    store.cache_customers(key, gone)
    model = CustomerTableModel()
    jobs = JobRunner()
    client = FlexPortalClient(big_sandbox.base_url, TENANT, TOKEN,
                              retry=RetryPolicy(attempts=1))
    loader = _loader(store, key, client, model, jobs, 10)
    seen: list[int] = []
    model.rowsInserted.connect(lambda: seen.append(model.rowCount()))
    try:
        loader.start()
        qtbot.waitUntil(lambda: loader.complete and not loader.loading, timeout=10000)
        assert seen[0] == 10, "the first slice of the copy showed at once"
        ids = {model.customer_at(row).customer_id for row in range(model.rowCount())}
        assert not ids & {c.customer_id for c in gone}
        assert len(ids) == 260 and loader.cached_since is None
        assert store.cached_count(key) == 260
    finally:
        jobs.wait_for_done(5000)
        client.close()
        store.close()
