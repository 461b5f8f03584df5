"""Resident memory with every customer loaded, against the same process right after start.

Measured in fresh processes (memory_probe.py) so that nothing this process holds (the list
used by the search benchmarks, say) counts. The pages are written once to a temporary file:
the probe reads bytes as if from the network, without a sandbox of 100,000 customers to seed.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from benchmarks.config import Config
from benchmarks.customers import seed_pages
from benchmarks.probes import run_probe
from benchmarks.report import Row, median
from flexdesk.sandbox import SandboxServer

TARGET_DELTA_MB = 300
TARGET_ABSOLUTE_MB = 400
TENANT = TOKEN = "sandbox"
FIRST_PAGE_CUSTOMERS = 500  # the sandbox the window starts against; its seed starts the pages


def _write_pages(path: Path, count: int, seed: int) -> None:
    with path.open("wb") as out:
        for page in seed_pages(count, seed=seed, tenant=TENANT):
            out.write(page + b"\n")  # JSON escapes newlines inside strings: one page a line


def run(config: Config) -> list[Row]:
    results: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="flexdesk-bench-") as folder:
        pages = Path(folder) / "pages.jsonl"
        _write_pages(pages, config.customers, config.seed)
        with SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=FIRST_PAGE_CUSTOMERS,
                           seed=config.seed) as sandbox:
            for run_number in range(config.memory_runs):
                data_dir = Path(folder) / f"data-{run_number}"
                data_dir.mkdir()
                result = run_probe("benchmarks.memory_probe", sandbox.base_url, str(data_dir),
                                   str(pages), timeout=600)
                results.append(json.loads(result.answer))
    started = median([r["started_mb"] for r in results])
    loaded = median([r["loaded_mb"] for r in results])
    peak = median([r["peak_mb"] for r in results])
    rows = int(results[0]["rows"])
    delta = loaded - started
    return [Row(
        f"memory with {rows:,} customers loaded (resident; median of {config.memory_runs} "
        "fresh processes)",
        f"right after start: {started:.0f} MB",
        f"{loaded:.0f} MB (peak {peak:.0f} MB)",
        f"+{delta:.0f} MB",
        f"<= +{TARGET_DELTA_MB} MB and < {TARGET_ABSOLUTE_MB} MB",
        delta <= TARGET_DELTA_MB and loaded < TARGET_ABSOLUTE_MB,
    )]
