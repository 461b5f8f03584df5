"""Issue #21: the window and the customers kept on this computer are painted before httpx,
pydantic and the API models are imported. The real start-up path runs in a fresh process
(instant_start_probe.py) in which those imports fail until the list has painted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from flexdesk.sandbox import SandboxServer
from flexdesk.store import ConnectionKey, Store
from flexdesk.ui.window.application import DRAFTS_FILE
from tests.conftest import TENANT, TOKEN
from tests.factories import make_customer

ROOT = Path(__file__).resolve().parents[3]
CACHED = 2_500  # more than one slice of the copy


def _start(sandbox: SandboxServer, data_dir: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.window.instant_start_probe", sandbox.base_url,
         str(data_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "FLEXDESK_TOKEN": TOKEN, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_a_second_start_paints_the_kept_customers_before_the_network_stack(
    big_sandbox: SandboxServer, tmp_path: Path
) -> None:
    with Store.open(tmp_path / DRAFTS_FILE) as store:
        key = ConnectionKey(big_sandbox.base_url, TENANT)
        customers = [make_customer(n) for n in range(1, CACHED + 1)]
        for start in range(0, CACHED, 1000):
            store.cache_customers(key, customers[start:start + 1000])

    report = _start(big_sandbox, tmp_path)

    assert "too_early" not in report, report
    assert report["held_back"] is False, "the network stack was never imported"
    assert report["shown"] is True
    assert 0 < report["rows_painted"] <= report["rows"]  # the first slice at least
    assert report["rows_from_server"] > 0
    assert report["exit"] == 0


def test_a_first_start_says_loading_then_shows_the_first_page(
    big_sandbox: SandboxServer, tmp_path: Path
) -> None:
    report = _start(big_sandbox, tmp_path)

    assert "too_early" not in report, report
    assert report["shown"] is True
    assert report["rows_painted"] == 0
    assert report["placeholder"] == "Loading customers…"
    assert report["rows_from_server"] > 0  # the first page, once the server answered
    assert report["exit"] == 0
