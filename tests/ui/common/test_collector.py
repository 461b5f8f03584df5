"""Cycles are collected by the GUI thread's timer, never by whichever thread allocates."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QApplication

from flexdesk.ui.common.collector import GuiThreadCollector


class Node:
    def __init__(self) -> None:
        self.me = self
        self.collected_on: list[str] = []


def test_cycles_made_on_a_worker_wait_for_the_gui_thread(
    qapp: QApplication, gui_thread_collector: GuiThreadCollector
) -> None:
    assert not gc.isenabled(), "no automatic collection, on any thread"

    def make_garbage() -> None:
        for _ in range(gc.get_threshold()[0] * 3):
            Node()  # each a cycle, unreachable at once

    worker = threading.Thread(target=make_garbage)
    worker.start()
    worker.join()
    assert gc.get_count()[0] > gc.get_threshold()[0], "the worker collected nothing"
    assert gui_thread_collector.collect() > 0
    assert gc.get_count()[0] <= gc.get_threshold()[0]
