"""Cold start: a fresh process until the flexdesk window shows what it should, against a bare
QMainWindow and against the stack's floor, measured in the same run.

Every side is timed from the moment the parent spawns the interpreter until the probe reports
it is ready (see startup_probe.py), so Python's own start-up and every import are included. The
sandbox runs in this process, so the probes pay for the HTTP request but not for seeding.
Three moments of a flexdesk start (issue #21): the window shown; the first rows painted from
the copy on this computer (a second start, 100,000 customers kept, written beforehand,
untimed); and the first page painted from the sandbox (a first start: a fresh data folder, no
saved layout). One unmeasured start of each comes first, so that none is timed reading files
from a cold disk cache.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.config import Config
from benchmarks.customers import load_customers
from benchmarks.probes import run_probe
from benchmarks.report import Row, median, ms
from flexdesk.sandbox import SandboxServer
from flexdesk.store import ConnectionKey, Store
from flexdesk.ui.window.application import DRAFTS_FILE

SHOWN_RATIO = 1.3  # the window shown, against the bare window
CACHED_RATIO = 1.5  # the first cached rows painted, against the bare window
FIRST_RATIO = 1.1  # the first page from the server painted, against the stack's floor
PROBE = "benchmarks.startup_probe"
TENANT = TOKEN = "sandbox"
CUSTOMERS = 500


def _time_to_ready(*args: str) -> float:
    # The probe prints time.monotonic() when ready: one clock for both processes.
    result = run_probe(PROBE, *args)
    return float(result.answer) - result.spawned


def _first_start(base_url: str) -> float:
    with tempfile.TemporaryDirectory(prefix="flexdesk-bench-") as data_dir:
        return _time_to_ready("flexdesk", base_url, data_dir)


def _keep_copy(data_dir: Path, base_url: str, count: int) -> None:
    """The copy of a tenant of `count` customers, as a finished pass leaves it."""
    key = ConnectionKey(base_url, TENANT)
    customers = load_customers(count)
    with Store.open(data_dir / DRAFTS_FILE) as store:
        store.start_pass(key)
        state = store.copy_state(key)
        for start in range(0, count, 1000):
            store.keep_page(key, customers[start:start + 1000], state)
        store.finish_pass(key)


def run(config: Config) -> list[Row]:
    bare: list[float] = []
    stack: list[float] = []
    shown: list[float] = []
    cached: list[float] = []
    first: list[float] = []
    with SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=CUSTOMERS,
                       seed=config.seed) as sandbox, \
            tempfile.TemporaryDirectory(prefix="flexdesk-bench-") as kept:
        url = sandbox.base_url
        _keep_copy(Path(kept), url, config.customers)
        warm_up = [("bare",), ("stack", url), ("shown", url, kept), ("cached", url, kept)]
        for args in warm_up:
            _time_to_ready(*args)
        _first_start(url)
        for _ in range(config.startup_runs):  # interleaved, so drift hits all alike
            bare.append(_time_to_ready("bare"))
            stack.append(_time_to_ready("stack", url))
            shown.append(_time_to_ready("shown", url, kept))
            cached.append(_time_to_ready("cached", url, kept))
            first.append(_first_start(url))
    baseline, floor = median(bare), median(stack)
    window, rows, page = median(shown), median(cached), median(first)
    runs = f"median of {config.startup_runs} fresh processes"
    return [
        Row(f"cold start to the window shown (its first paint; {runs})",
            f"bare PySide6 `QMainWindow` shown: {ms(baseline)}", ms(window),
            f"{window / baseline:.2f}x", f"<= {SHOWN_RATIO:g}x",
            window / baseline <= SHOWN_RATIO),
        Row(f"cold start to the first rows painted from the copy on this computer (second "
            f"start, {config.customers:,} customers kept; {runs})",
            f"bare window: {ms(baseline)}", ms(rows), f"{rows / baseline:.2f}x",
            f"<= {CACHED_RATIO:g}x", rows / baseline <= CACHED_RATIO),
        Row(f"cold start to the first page painted from the sandbox (first start, sandbox of "
            f"{CUSTOMERS}, first page of 100; {runs})",
            f"the stack's floor: the bare window plus flexdesk's API client (httpx, pydantic) "
            f"fetching the same page, no flexdesk UI: {ms(floor)} ({floor / baseline:.2f}x "
            f"bare)", ms(page), f"{page / floor:.2f}x floor ({page / baseline:.2f}x bare)",
            f"<= {FIRST_RATIO:g}x floor", page / floor <= FIRST_RATIO),
    ]
