"""Cold start: a fresh process until a populated flexdesk window, against a bare QMainWindow.

Both are timed from the moment the parent spawns the interpreter until the probe reports it
is ready (see startup_probe.py), so Python's own start-up and every import are included. The
sandbox runs in this process, so the probe pays for the HTTP request but not for seeding.
Each probe gets a fresh settings folder: no saved layout, as on a first start. One unmeasured
start of each comes first, so that neither side is timed reading files from a cold disk cache.
"""

from __future__ import annotations

import tempfile

from benchmarks.config import Config
from benchmarks.probes import run_probe
from benchmarks.report import Row, median, ms
from flexdesk.sandbox import SandboxServer

TARGET_RATIO = 1.5
PROBE = "benchmarks.startup_probe"
TENANT = TOKEN = "sandbox"
CUSTOMERS = 500


def _time_to_ready(*args: str) -> float:
    # The probe prints time.monotonic() when ready: one clock for both processes.
    result = run_probe(PROBE, *args)
    return float(result.answer) - result.spawned


def _flexdesk(base_url: str) -> float:
    with tempfile.TemporaryDirectory(prefix="flexdesk-bench-") as data_dir:
        return _time_to_ready("flexdesk", base_url, data_dir)


def run(config: Config) -> list[Row]:
    bare: list[float] = []
    app: list[float] = []
    with SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=CUSTOMERS,
                       seed=config.seed) as sandbox:
        _time_to_ready("bare")
        _flexdesk(sandbox.base_url)
        for _ in range(config.startup_runs):  # alternating, so drift hits both alike
            bare.append(_time_to_ready("bare"))
            app.append(_flexdesk(sandbox.base_url))
    baseline, flexdesk = median(bare), median(app)
    ratio = flexdesk / baseline
    return [Row(
        f"cold start to a populated window (sandbox of {CUSTOMERS}, first page of 100; "
        f"median of {config.startup_runs} fresh processes)",
        f"bare PySide6 `QMainWindow` shown: {ms(baseline)}",
        ms(flexdesk),
        f"{ratio:.2f}x",
        f"<= {TARGET_RATIO:g}x",
        ratio <= TARGET_RATIO,
    )]
