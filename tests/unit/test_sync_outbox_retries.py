"""Retries with restraint: a save the server cannot take waits longer each time, on a
schedule kept in the store, and the server's `Retry-After` is taken as given. And a run
whose store goes away under it ends quietly, losing nothing."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from flexdesk.api.errors import RateLimited, ServerError, Unreachable
from flexdesk.api.models import Customer, CustomerUpdate
from flexdesk.store import DraftState, Store
from flexdesk.sync import Backoff, Outcome, send_outbox
from tests.factories import make_customer
from tests.unit.test_sync_outbox import queue
from tests.unit.test_sync_sender import CONNECTION, FakeApi

T = 1_000_000.0


class Ceiling(random.Random):
    """Jitter that always picks the top of its range, so the ceiling itself is seen."""

    def uniform(self, a: float, b: float) -> float:
        return b


class Floor(random.Random):
    def uniform(self, a: float, b: float) -> float:
        return a


class Clock:
    def __init__(self) -> None:
        self.now = T

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "drafts.db") as opened:
        yield opened


@pytest.fixture
def api() -> FakeApi:
    return FakeApi([make_customer(n) for n in range(1, 3)])


def unavailable() -> ServerError:
    return ServerError("Service unavailable", status=503)


def waits(store: Store, clock: Clock) -> float:
    """Seconds until the draft of customer 1 is due again."""
    waiting = store.get_draft(CONNECTION, "cust_0001")
    assert waiting is not None and waiting.next_attempt_at is not None
    return waiting.next_attempt_at - clock.now


def test_each_failed_attempt_waits_twice_as_long_up_to_ten_minutes(store: Store,
                                                                    api: FakeApi) -> None:
    queue(store, 1, 10.0)
    clock, backoff = Clock(), Backoff(rng=Ceiling())
    ceilings = []
    for _ in range(10):
        api.fail_next(unavailable())
        [result] = send_outbox(store, api, CONNECTION, backoff=backoff, clock=clock)
        assert result.outcome is Outcome.RETRY_LATER
        ceilings.append(waits(store, clock))
        clock.now += ceilings[-1]
    assert ceilings == [5, 10, 20, 40, 80, 160, 320, 600, 600, 600]
    assert [r.outcome for r in send_outbox(store, api, CONNECTION, clock=clock)] == [
        Outcome.SENT]


def test_the_jitter_spreads_waits_over_the_whole_range_but_not_below_a_second() -> None:
    rng = random.Random(7)
    waits = [Backoff(rng=rng).delay(4) for _ in range(500)]
    assert 1.0 <= min(waits) < 3 and 37 < max(waits) <= 40
    assert Backoff(rng=Floor()).delay(1) == 1.0


def test_the_servers_retry_after_is_taken_as_given(store: Store, api: FakeApi) -> None:
    queue(store, 1, 10.0)
    clock = Clock()
    api.fail_next(RateLimited("Too many requests", retry_after=90.0))
    send_outbox(store, api, CONNECTION, backoff=Backoff(rng=Ceiling()), clock=clock)
    assert waits(store, clock) == 90.0
    assert Backoff().delay(1, retry_after=7200.0) == 3600.0  # but not nonsense


def test_a_save_that_is_not_due_is_neither_sent_nor_reported(store: Store,
                                                            api: FakeApi) -> None:
    queue(store, 1, 10.0)
    clock = Clock()
    api.fail_next(unavailable())
    send_outbox(store, api, CONNECTION, backoff=Backoff(rng=Ceiling()), clock=clock)
    queue(store, 2, 20.0)
    api.calls.clear()
    clock.now += 4
    results = send_outbox(store, api, CONNECTION, clock=clock)
    assert [(r.customer_id, r.outcome) for r in results] == [("cust_0002", Outcome.SENT)]
    assert ("GET", "cust_0001") not in api.calls
    assert store.next_attempt_due(CONNECTION, now=clock.now) == T + 5


def test_a_restart_does_not_hammer_a_server_in_trouble(store: Store, api: FakeApi) -> None:
    queue(store, 1, 10.0)
    api.fail_next(unavailable())
    send_outbox(store, api, CONNECTION, backoff=Backoff(rng=Ceiling()))
    store.close()
    api.calls.clear()
    with Store.open(store.path) as restarted:
        assert send_outbox(restarted, api, CONNECTION) == []
    assert api.calls == []


def test_no_connection_is_not_held_against_the_draft(store: Store, api: FakeApi) -> None:
    queue(store, 1, 10.0)
    api.fail_next(Unreachable("The server cannot be reached"))
    [result] = send_outbox(store, api, CONNECTION)
    assert result.outcome is Outcome.OFFLINE
    waiting = store.get_draft(CONNECTION, "cust_0001")
    assert waiting is not None
    assert (waiting.state, waiting.attempts, waiting.next_attempt_at) == (
        DraftState.QUEUED, 0, None)  # due the moment the server is back


def test_a_store_closed_under_a_run_ends_it_quietly_and_the_next_run_finishes_the_save(
        store: Store, api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> None:
    queue(store, 1, 10.0)
    queue(store, 2, 20.0)
    original = api.update_customer

    def put_as_the_window_closes(customer_id: str, changes: CustomerUpdate) -> Customer:
        store.close()
        return original(customer_id, changes)

    monkeypatch.setattr(api, "update_customer", put_as_the_window_closes)
    assert send_outbox(store, api, CONNECTION) == []  # no sqlite3 error out of the worker
    monkeypatch.undo()
    api.calls.clear()
    with Store.open(store.path) as reopened:
        results = send_outbox(reopened, api, CONNECTION)
        assert [(r.customer_id, r.outcome) for r in results] == [
            ("cust_0001", Outcome.ALREADY_THERE), ("cust_0002", Outcome.SENT)]
        assert reopened.draft_count(CONNECTION) == 0
    assert ("PUT", "cust_0001") not in api.calls
