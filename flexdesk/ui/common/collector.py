"""Python's cyclic garbage collector, run on the GUI thread only.

Python collects in whichever thread happens to allocate past its threshold. A cycle holding a
Qt object (a dialog and the function connected to its signal, say) collected on a worker
thread deletes that object off the GUI thread: a crash now and then, with no Python frame on
the crashing worker (seen in the export tests). So, as qutebrowser does, the automatic
collector is switched off and the GUI thread runs it from a timer, each generation when its
threshold says so. Reference counting frees everything else at once, as before.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> int:
        """Collect the oldest generation whose count passed its threshold; how many
        objects were unreachable."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] <= thresholds[0]:
            return 0
        generation = 2 if counts[2] > thresholds[2] else 1 if counts[1] > thresholds[1] else 0
        return gc.collect(generation)
