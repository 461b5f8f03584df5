"""A 10 ms heartbeat on the GUI thread: the longest gap between its ticks is the worst stall.

Anything that blocks the event loop (Python work in a slot, painting, a held GIL) delays the
next tick, so `largest_stall` is what a user would feel as a freeze, minus the interval itself.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, Qt, QTimer

INTERVAL_MS = 10


class Heartbeat(QObject):
    def __init__(self, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__()
        self.interval = interval_ms / 1000
        self.gaps: list[float] = []
        self._last = 0.0
        self._timer = QTimer(self)
        # A coarse timer may legally fire up to 5% late; a precise one keeps the baseline honest.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        # Every run starts from a collected heap, so that whether a full collection falls
        # inside it depends on what the run allocates, not on leftovers of earlier runs.
        # Collections the run itself provokes still stall it, and count.
        gc.collect()
        self.gaps.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._tick()  # a stall still going on when the measurement ends counts too

    @property
    def largest_stall(self) -> float:
        """Seconds by which the longest gap exceeded the interval (0 when none did)."""
        return max(0.0, max(self.gaps, default=self.interval) - self.interval)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now
