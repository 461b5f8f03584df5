"""Running a probe module in a fresh Python process and reading its one-line answer."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.qt import qt_warnings

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class ProbeResult:
    spawned: float  # time.monotonic() just before the process was started
    answer: str  # the probe's last line of output


def run_probe(module: str, *args: str, timeout: float = 120.0) -> ProbeResult:
    """Run `python -m module args` from the repository root and wait for it to exit.

    The probe's stderr must stay empty: anything there (a Qt warning, a traceback) is kept in
    `qt_warnings` so the run fails loudly instead of reporting a figure from a broken start.
    """
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    spawned = time.monotonic()
    done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
        [sys.executable, "-m", module, *args], cwd=REPO, env=env, capture_output=True,
        text=True, timeout=timeout, check=False,
    )
    if done.stderr.strip():
        complaint = f"{module} {' '.join(args)}: {done.stderr.strip()}"
        qt_warnings.append(complaint)
        print(complaint, file=sys.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"{module} exited with {done.returncode}: {done.stderr.strip()}")
    lines = done.stdout.strip().splitlines()
    return ProbeResult(spawned, lines[-1] if lines else "")
