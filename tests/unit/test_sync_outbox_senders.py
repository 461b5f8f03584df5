"""How many senders work at once: two while saves are quick (more would only take turns at
the GIL), all of them once a save proves slow (waiting on the network is what more senders
hide). The fake server holds each GET until as many as expected are inside, so overlap is
forced rather than hoped for; a GET that had to give up waiting means fewer came than
expected."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from flexdesk.api.models import Customer
from flexdesk.store import Store
from flexdesk.sync import FIRST_SENDERS, SENDERS, Outcome, send_outbox
from tests.factories import make_customer
from tests.unit.test_sync_outbox import queue
from tests.unit.test_sync_sender import CONNECTION, FakeApi

GIVE_UP = 5.0  # seconds a GET waits for the others; only reached when the test fails


class GatheringApi(FakeApi):
    """Each GET after the first `free` ones waits until `gather` GETs are inside at once."""

    def __init__(self, customers: list[Customer], gather: int, free: int = 0) -> None:
        super().__init__(customers)
        self.free = free
        self.inside = self.most_inside = self.gets = 0
        self.gave_up = False
        self._count = threading.Lock()
        self._gathering = threading.Barrier(gather)

    def get_customer(self, customer_id: str) -> Customer:
        with self._count:
            self.gets += 1
            waits = self.gets > self.free
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
        try:
            if waits:
                try:
                    self._gathering.wait(timeout=GIVE_UP)
                except threading.BrokenBarrierError:
                    self.gave_up = True
            return super().get_customer(customer_id)
        finally:
            with self._count:
                self.inside -= 1


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "drafts.db") as opened:
        yield opened


def test_while_saves_are_quick_only_the_first_senders_work(store: Store) -> None:
    api = GatheringApi([make_customer(n) for n in range(1, 7)], gather=FIRST_SENDERS)
    for number in range(1, 7):
        queue(store, number, float(number))
    results = send_outbox(store, api, CONNECTION, slow_save=float("inf"))
    assert [r.outcome for r in results] == [Outcome.SENT] * 6
    assert api.most_inside == FIRST_SENDERS < SENDERS
    assert not api.gave_up


def test_once_a_save_is_slow_every_sender_joins_in(store: Store) -> None:
    # The first two saves go freely and count as slow: then four at a time, twice.
    count = FIRST_SENDERS + 2 * SENDERS
    api = GatheringApi([make_customer(n) for n in range(1, count + 1)], gather=SENDERS,
                       free=FIRST_SENDERS)
    for number in range(1, count + 1):
        queue(store, number, float(number))
    results = send_outbox(store, api, CONNECTION, slow_save=0.0)
    assert [r.outcome for r in results] == [Outcome.SENT] * count
    assert api.most_inside == SENDERS
    assert not api.gave_up
