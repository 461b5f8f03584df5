"""Sending the outbox over a slow network: 500 queued saves with 50 ms added to every request,
beside a bare sequential httpx loop of the same 500 PUTs, in the same run.

Where each request waits on the network, what counts is how many wait at once: flexdesk makes
two requests per save (the GET for the three-way check, then the PUT) but sends four customers
at once, so it should take well under the bare loop's one-PUT-at-a-time. The sandbox runs in
its own process with `--latency 0.05`; the rest is as in `outbox_sync` (fresh bases each
round, one phone change per customer, both clients warmed up).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.config import Config
from benchmarks.outbox_sync import _active, _time_bare, _time_outbox
from benchmarks.report import Row, median
from benchmarks.sandbox_process import sandbox_process

TARGET_RATIO = 0.6
LATENCY = 0.05


def run(config: Config) -> list[Row]:
    saves = config.latency_saves
    outbox: list[float] = []
    bare: list[float] = []
    with sandbox_process(max(1_000, saves + saves // 4), config.seed, LATENCY) as base_url, \
            tempfile.TemporaryDirectory(prefix="flexdesk-outbox-") as folder:
        for round_ in range(config.latency_runs):
            outbox.append(_time_outbox(base_url, _active(base_url, saves), round_, Path(folder)))
            bare.append(_time_bare(base_url, _active(base_url, saves), round_, read_first=False))
    flexdesk, baseline = median(outbox), median(bare)
    ratio = flexdesk / baseline
    return [Row(
        f"sync of {saves:,} queued saves with {LATENCY * 1000:.0f} ms added to every request "
        f"(flexdesk: GET + three-way check + PUT each, four customers at once; baseline: a "
        f"bare sequential httpx loop of the same {saves:,} PUTs; sandbox in its own process; "
        f"median of {config.latency_runs})[^4]",
        f"{baseline:.2f} s ({baseline / saves * 1000:.1f} ms per PUT)",
        f"{flexdesk:.2f} s ({flexdesk / saves * 1000:.1f} ms per save)",
        f"{ratio:.2f}x",
        f"<= {TARGET_RATIO:g}x",
        ratio <= TARGET_RATIO,
    )]
