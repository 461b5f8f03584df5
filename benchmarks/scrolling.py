"""The largest event-loop stall while scrolling through every loaded customer.

A second timer scrolls the table the way a user does, faster than one could: page-down steps
at 60 per second, with a jump to a random place every tenth step (dragging the scroll bar
thumb). Painting happens in the event loop as in the app, so a slow paint shows as a stall of
the heartbeat. The baseline is the same heartbeat while nothing else happens.
"""

from __future__ import annotations

import random

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractSlider, QScrollBar

from benchmarks.config import Config
from benchmarks.heartbeat import Heartbeat
from benchmarks.loaded_list import loaded_list
from benchmarks.qt import application, run_loop_for
from benchmarks.report import Row, median, ms

TARGET = 0.050
STEP_MS = 16
JUMP_EVERY = 10


class Scroller(QObject):
    def __init__(self, bar: QScrollBar, seed: int) -> None:
        super().__init__()
        self._bar = bar
        self._rng = random.Random(seed)  # the same jumps in every run
        self._steps = 0
        self._timer = QTimer(self)
        self._timer.setInterval(STEP_MS)
        self._timer.timeout.connect(self._step)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _step(self) -> None:
        self._steps += 1
        bar = self._bar
        if self._steps % JUMP_EVERY == 0:
            bar.setValue(self._rng.randint(bar.minimum(), bar.maximum()))
        elif bar.value() >= bar.maximum():
            bar.setValue(bar.minimum())
        else:
            bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)


def _stall(seconds: float, scroller: Scroller | None) -> float:
    heartbeat = Heartbeat()
    heartbeat.start()
    if scroller is not None:
        scroller.start()
    run_loop_for(seconds)
    if scroller is not None:
        scroller.stop()
    heartbeat.stop()
    return heartbeat.largest_stall


def run(config: Config) -> list[Row]:
    widget = loaded_list(config.customers, config.seed).widget
    widget.proxy.set_search_text("")  # the whole list, whatever ran before
    application().processEvents()
    bar = widget.table.verticalScrollBar()
    idle: list[float] = []
    scrolling: list[float] = []
    for run_number in range(config.scroll_runs):
        idle.append(_stall(config.scroll_seconds, None))
        bar.setValue(0)
        scrolling.append(_stall(config.scroll_seconds, Scroller(bar, seed=run_number)))
    stall = median(scrolling)
    return [Row(
        f"largest event-loop stall while scrolling {config.customers:,} customers "
        f"({config.scroll_seconds:g} s of page-downs and jumps; median of {config.scroll_runs})",
        f"idle 10 ms heartbeat: {ms(median(idle))}",
        f"median {ms(stall)}, worst run {ms(max(scrolling))}",
        ms(stall),
        f"<= {ms(TARGET)}",
        stall <= TARGET,
    )]
