"""One line naming the machine and the versions that shaped the figures."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown CPU"


def describe() -> str:
    import PySide6
    from PySide6.QtCore import qVersion

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"Machine: {cpu_model()}, {cores} cores, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
            f"Qt {qVersion()}, QPA platform {os.environ.get('QT_QPA_PLATFORM', 'default')}")
