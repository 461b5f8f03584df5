"""Filling the copy of the tenant from the sandbox, in the real window: how long, the largest
event-loop stall meanwhile, and the memory the whole copy takes.

Each run is a fresh process (tenant_fill_probe.py) on a fresh data folder: a first start.
The sandbox runs in a process of its own, with no latency. The baseline is the floor the
network and the server set: the same pages (active customers, then inactive, 100 a page)
fetched by a bare httpx loop that decodes each page's JSON and does nothing else.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.config import Config
from benchmarks.probes import run_probe
from benchmarks.report import NOT_MEASURED, Row, median, ms
from benchmarks.sandbox_process import TENANT, TOKEN, sandbox_process
from flexdesk.api.client import CustomerQuery, user_agent
from flexdesk.api.models import CustomerStatus
from flexdesk.listing.tenant_copy import PAGE_SIZE

TARGET_STALL = 0.050
TARGET_DELTA_MB = 300
STARTER_PAGES_PER_MINUTE = 80  # the fill's share of the Starter plan's 100 requests a minute


def _bare_fill(base_url: str) -> tuple[float, int]:
    """Seconds to page through the whole tenant with plain httpx, and the customers seen."""
    headers = {"Authorization": f"Bearer {TOKEN}", "Tenant-ID": TENANT,
               "User-Agent": user_agent(), "Accept": "application/json"}
    seen = 0
    with httpx.Client(base_url=base_url, headers=headers) as http:
        http.get("/v1/customers", params={"limit": "1"}).raise_for_status()  # warm-up
        started = time.perf_counter()
        for status in (CustomerStatus.ACTIVE, CustomerStatus.INACTIVE):
            params = CustomerQuery(status=status).params() | {"limit": str(PAGE_SIZE)}
            while True:
                answer = http.get("/v1/customers", params=params)
                answer.raise_for_status()
                page = json.loads(answer.content)
                seen += len(page["customers"])
                if not page["hasMore"] or not page["nextCursor"]:
                    break
                params["startAfter"] = page["nextCursor"]
        return time.perf_counter() - started, seen


def run(config: Config) -> list[Row]:
    bare: list[float] = []
    results: list[dict[str, float]] = []
    with sandbox_process(config.customers, config.seed) as base_url, \
            tempfile.TemporaryDirectory(prefix="flexdesk-bench-") as folder:
        for run_number in range(config.loading_runs):
            seconds, seen = _bare_fill(base_url)
            bare.append(seconds)
            data_dir = Path(folder) / f"data-{run_number}"
            data_dir.mkdir()
            answer = run_probe("benchmarks.tenant_fill_probe", base_url, str(data_dir),
                               timeout=1800)
            results.append(json.loads(answer.answer))
    rows = int(results[0]["rows"])
    if rows != seen:
        raise RuntimeError(f"the copy holds {rows:,} customers, the server {seen:,}")
    baseline = median(bare)
    fill = median([r["seconds"] for r in results])
    stalls = [r["stall"] for r in results]
    stall = median(stalls)
    started = median([r["started_mb"] for r in results])
    loaded = median([r["loaded_mb"] for r in results])
    peak = median([r["peak_mb"] for r in results])
    pages = -(-rows // PAGE_SIZE)
    runs = f"median of {config.loading_runs} first starts"
    return [
        Row(f"filling the copy of the tenant: {rows:,} customers, {pages:,}+ pages from the "
            f"sandbox (own process, no latency, no rate limit; {runs}; on the Starter plan "
            f"the fill is paced to {STARTER_PAGES_PER_MINUTE} pages a minute: "
            f"{pages / STARTER_PAGES_PER_MINUTE:.0f} min)",
            f"bare httpx paging: {baseline:.1f} s", f"{fill:.1f} s",
            f"{fill / baseline:.1f}x", "reported (no target)", None),
        Row(f"largest event-loop stall while the copy fills ({rows:,} customers; {runs})",
            NOT_MEASURED, f"median {ms(stall)}, worst run {ms(max(stalls))}", ms(stall),
            f"<= {ms(TARGET_STALL)}", stall <= TARGET_STALL),
        Row(f"memory with the whole copy in the list ({rows:,} customers, after a real fill; "
            f"resident; {runs})",
            f"window shown, before start: {started:.0f} MB",
            f"{loaded:.0f} MB (peak {peak:.0f} MB)", f"+{loaded - started:.0f} MB",
            f"<= +{TARGET_DELTA_MB} MB", loaded - started <= TARGET_DELTA_MB),
    ]

