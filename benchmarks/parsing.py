"""Parsing one page of 100 customers into models, against `json.loads` of the same bytes.

The bytes come from the sandbox over HTTP once, so they are exactly what the client parses.
The network time to fetch that page from the loopback sandbox is reported beside it: parsing
should cost well under fetching.
"""

from __future__ import annotations

import json
import time
import timeit
from collections.abc import Callable

import httpx

from benchmarks.config import Config
from benchmarks.report import Row, median, ms, us
from flexdesk.api.models import CustomerPage
from flexdesk.sandbox import SandboxServer

TARGET_RATIO = 5.0
TENANT = TOKEN = "sandbox"
CUSTOMERS = 500  # enough for a full first page


def interleaved(first: Callable[[], object], second: Callable[[], object],
                runs: int) -> tuple[float, float]:
    """Median seconds per call of each, over `runs` timeit repeats of about 0.2 s each.

    Repeats alternate between the two, so a burst of other load on the machine hits both.
    """
    timers = [timeit.Timer(first), timeit.Timer(second)]
    calls = [timer.autorange()[0] for timer in timers]
    per_call: list[list[float]] = [[], []]
    for _ in range(runs):
        for timer, number, times in zip(timers, calls, per_call, strict=True):
            times.append(timer.timeit(number) / number)
    return median(per_call[0]), median(per_call[1])


def _fetch(sandbox: SandboxServer, runs: int) -> tuple[bytes, float]:
    """The first page's bytes, and the median wall time of fetching them (keep-alive)."""
    with httpx.Client(base_url=sandbox.base_url, headers=sandbox.auth_headers) as http:
        params = {"limit": "100"}
        raw = http.get("/v1/customers", params=params).raise_for_status().content
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            http.get("/v1/customers", params=params).raise_for_status()
            times.append(time.perf_counter() - start)
    return raw, median(times)


def run(config: Config) -> list[Row]:
    with SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=CUSTOMERS,
                       seed=config.seed) as sandbox:
        raw, fetching = _fetch(sandbox, config.fetch_runs)
    count = len(json.loads(raw)["customers"])
    baseline, parsed = interleaved(lambda: json.loads(raw),
                                   lambda: CustomerPage.model_validate_json(raw),
                                   config.parse_runs)
    ratio = parsed / baseline
    return [Row(
        f"parse one page of {count} customers ({len(raw) / 1024:.0f} KiB) into models "
        f"(median of {config.parse_runs} timeit repeats); fetching it from the loopback "
        f"sandbox takes {ms(fetching)} (median of {config.fetch_runs})",
        f"`json.loads`: {us(baseline)}",
        f"`CustomerPage.model_validate_json`: {us(parsed)} "
        f"({parsed / fetching:.0%} of the fetch)",
        f"{ratio:.1f}x",
        f"<= {TARGET_RATIO:g}x",
        ratio <= TARGET_RATIO,
    )]
