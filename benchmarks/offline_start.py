"""The largest event-loop stall while a window starts offline and fills its list from the cache.

The server does not answer (a loopback port nobody listens on), so the first page fails as
unreachable and the list shows the customers cached by earlier sessions, as it would on a
train. The cache (100,000 customers) is written beforehand, untimed. The heartbeat runs from
`start()` until the last cached customer is in the list. The baseline is what the same read
costs in one piece, as the loader used to do it on the GUI thread.
"""

from __future__ import annotations

import socket
import tempfile
import time
from pathlib import Path

from benchmarks.config import Config
from benchmarks.customers import load_customers
from benchmarks.heartbeat import Heartbeat
from benchmarks.qt import application, wait_until
from benchmarks.report import Row, median, ms
from benchmarks.window import TENANT, TOKEN, main_window
from flexdesk.api.client import FlexPortalClient
from flexdesk.api.retry import RetryPolicy
from flexdesk.store import ConnectionKey, Store
from flexdesk.ui.window.application import DRAFTS_FILE

TARGET = 0.050


def _dead_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _fill_cache(path: Path, key: ConnectionKey, count: int) -> float:
    """Cache `count` customers; how long reading them all back in one piece takes."""
    customers = load_customers(count)
    with Store.open(path) as store:
        for start in range(0, count, 1000):
            store.cache_customers(key, customers[start:start + 1000])
        del customers
        started = time.perf_counter()
        store.cached_customers(key)
        return time.perf_counter() - started


def _offline_start(url: str, data_dir: Path) -> tuple[float, float, float, int]:
    """(largest stall, seconds to the first rows, seconds to all rows, rows)."""
    client = FlexPortalClient(url, TENANT, TOKEN, retry=RetryPolicy(attempts=1))
    with main_window(client, data_dir) as window:
        loader = window.loader
        window.show()
        application().processEvents()
        heartbeat = Heartbeat()
        heartbeat.start()
        started = time.perf_counter()
        window.start()
        wait_until(lambda: window.customers.rowCount() > 0)
        first = time.perf_counter() - started
        wait_until(lambda: loader.cached_since is not None and not loader.loading)
        everything = time.perf_counter() - started
        heartbeat.stop()
        return heartbeat.largest_stall, first, everything, window.customers.rowCount()


def run(config: Config) -> list[Row]:
    url = _dead_url()
    stalls: list[float] = []
    firsts: list[float] = []
    alls: list[float] = []
    rows = 0
    with tempfile.TemporaryDirectory(prefix="flexdesk-bench-") as folder:
        data_dir = Path(folder)
        whole_read = _fill_cache(data_dir / DRAFTS_FILE, ConnectionKey(url, TENANT),
                                 config.customers)
        for _ in range(config.loading_runs):
            stall, first, everything, rows = _offline_start(url, data_dir)
            stalls.append(stall)
            firsts.append(first)
            alls.append(everything)
    stall = median(stalls)
    return [Row(
        f"largest event-loop stall while starting offline and filling the list from "
        f"{config.customers:,} cached customers ({rows:,} active shown; first rows after "
        f"{ms(median(firsts))}, all after {median(alls):.1f} s; median of "
        f"{config.loading_runs})",
        f"reading the whole cache in one piece: {whole_read:.2f} s",
        f"median {ms(stall)}, worst run {ms(max(stalls))}",
        ms(stall),
        f"<= {ms(TARGET)}",
        stall <= TARGET,
    )]
