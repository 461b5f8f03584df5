"""`send_outbox` with a real store file and an in-memory API: states, order, recovery."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flexdesk.api.errors import (
    FlexPortalError,
    RateLimited,
    ServerError,
    Unauthorized,
    Unreachable,
    ValidationFailed,
)
from flexdesk.api.models import Customer
from flexdesk.store import ConnectionKey, Draft, DraftState, Store
from flexdesk.sync import UNEXPECTED_ERROR, Outcome, SyncResult, WrongConnection, send_outbox
from tests.factories import make_customer
from tests.unit.test_sync_sender import CONNECTION, FakeApi

IDS = [f"cust_{n:04d}" for n in range(1, 5)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "drafts.db") as opened:
        yield opened


@pytest.fixture
def api() -> FakeApi:
    return FakeApi([make_customer(n) for n in range(1, 5)])


def queue(store: Store, number: int, at: float, **edits: str) -> Draft:
    store.save_draft(Draft.of(CONNECTION, make_customer(number),
                              edits or {"firstName": f"New{number}"}))
    return store.queue(CONNECTION, f"cust_{number:04d}", now=at)


def an_hour_on() -> float:
    """A clock past any retry a failed attempt just now can have scheduled."""
    return time.time() + 3600


def states(store: Store) -> dict[str, tuple[DraftState, str]]:
    return {d.customer_id: (d.state, d.reason) for d in store.drafts(CONNECTION)}


def test_saves_go_one_at_a_time_in_the_order_queued(store: Store, api: FakeApi) -> None:
    for number, at in [(3, 10.0), (1, 20.0), (2, 30.0)]:
        queue(store, number, at)
    results = send_outbox(store, api, CONNECTION)
    assert [r.customer_id for r in results] == ["cust_0003", "cust_0001", "cust_0002"]
    assert api.calls == [
        (method, cid) for cid in ("cust_0003", "cust_0001", "cust_0002")
        for method in ("GET", "PUT")]
    assert {r.outcome for r in results} == {Outcome.SENT}
    assert store.draft_count(CONNECTION) == 0


def test_saves_go_in_the_order_saved_when_the_clock_is_put_back(store: Store,
                                                                 api: FakeApi) -> None:
    for number, clock in [(1, 7200.0), (2, 3600.0), (3, 0.0)]:  # an hour back each time
        queue(store, number, clock)
    results = send_outbox(store, api, CONNECTION)
    assert [r.customer_id for r in results] == ["cust_0001", "cust_0002", "cust_0003"]


def test_drafts_being_edited_are_not_sent(store: Store, api: FakeApi) -> None:
    store.save_draft(Draft.of(CONNECTION, make_customer(1), {"firstName": "Typing"}))
    assert send_outbox(store, api, CONNECTION) == []
    assert api.calls == []


def test_the_server_record_is_cached_after_a_send(store: Store, api: FakeApi) -> None:
    queue(store, 1, 10.0)
    send_outbox(store, api, CONNECTION)
    cached = store.cached_customer(CONNECTION, "cust_0001")
    assert cached is not None and cached.customer.first_name == "New1"


def test_a_conflict_and_a_failure_are_recorded_and_the_run_goes_on(store: Store,
                                                                  api: FakeApi) -> None:
    queue(store, 1, 10.0)
    queue(store, 2, 20.0, email="not an email")
    queue(store, 3, 30.0)
    api.change("cust_0001", firstName="Colleague")
    results = send_outbox(store, api, CONNECTION)
    assert [r.outcome for r in results] == [Outcome.CONFLICT, Outcome.FAILED, Outcome.SENT]
    conflict = store.get_draft(CONNECTION, "cust_0001")
    assert conflict is not None
    assert (conflict.state, conflict.conflicts) == (DraftState.CONFLICT, ("firstName",))
    failed = store.get_draft(CONNECTION, "cust_0002")
    assert failed is not None and failed.state is DraftState.FAILED
    assert "Email" in failed.reason and "email:" in failed.reason  # message and field errors
    assert store.get_draft(CONNECTION, "cust_0003") is None
    cached = store.cached_customer(CONNECTION, "cust_0001")
    assert cached is not None and cached.customer.first_name == "Colleague"
    # Failed and conflicting drafts wait for the user: the next run leaves them alone.
    api.calls.clear()
    assert send_outbox(store, api, CONNECTION) == []
    assert api.calls == []


def test_the_servers_field_errors_go_in_the_reason(store: Store, api: FakeApi) -> None:
    queue(store, 1, 10.0)
    api.fail_next(ValidationFailed("Invalid request", field_errors={"phone": "too long"}),
                  on="PUT")
    send_outbox(store, api, CONNECTION)
    assert states(store)["cust_0001"] == (
        DraftState.FAILED, "The server refused the changes: Invalid request (phone: too long)")


@pytest.mark.parametrize(("failure", "outcome"), [
    (Unreachable("unreachable"), Outcome.OFFLINE),
    (Unauthorized("Missing or invalid API key"), Outcome.UNAUTHORIZED),
])
def test_trouble_that_concerns_every_draft_keeps_the_line_and_stops(
        store: Store, api: FakeApi, failure: FlexPortalError, outcome: Outcome) -> None:
    queue(store, 1, 10.0)
    queue(store, 2, 20.0)
    api.fail_next(failure)
    # One sender: the second draft is not taken once the first says no other would pass.
    results = send_outbox(store, api, CONNECTION, senders=1)
    assert [(r.customer_id, r.outcome) for r in results] == [("cust_0001", outcome)]
    assert [d.customer_id for d in store.outbox(CONNECTION)] == ["cust_0001", "cust_0002"]
    first = store.outbox(CONNECTION)[0]
    assert (first.state, first.queued_at) == (DraftState.QUEUED, 10.0)
    assert first.reason  # why the last attempt did not get through
    # Once the server is back, the next run sends both, still in order.
    results = send_outbox(store, api, CONNECTION)
    assert [(r.customer_id, r.outcome) for r in results] == [
        ("cust_0001", Outcome.SENT), ("cust_0002", Outcome.SENT)]
    assert store.draft_count(CONNECTION) == 0


@pytest.mark.parametrize("failure", [
    ServerError("Service unavailable", status=503),
    RateLimited("Too many requests", retry_after=30.0),
    ServerError("The server's answer could not be read"),  # a malformed answer
])
def test_one_customers_server_trouble_does_not_hold_up_the_others(
        store: Store, api: FakeApi, failure: FlexPortalError) -> None:
    queue(store, 1, 10.0)
    queue(store, 2, 20.0)
    queue(store, 3, 30.0)
    api.fail_next(failure, on="PUT")
    results = send_outbox(store, api, CONNECTION, senders=1)  # so the first PUT is cust_0001
    assert [(r.customer_id, r.outcome) for r in results] == [
        ("cust_0001", Outcome.RETRY_LATER), ("cust_0002", Outcome.SENT),
        ("cust_0003", Outcome.SENT)]
    waiting = store.get_draft(CONNECTION, "cust_0001")
    assert waiting is not None
    assert (waiting.state, waiting.reason) == (DraftState.QUEUED, failure.message)
    assert [r.customer_id for r in send_outbox(store, api, CONNECTION, clock=an_hour_on)] == [
        "cust_0001"]
    assert store.draft_count(CONNECTION) == 0


def test_a_send_interrupted_by_a_crash_is_finished_by_the_next_run(store: Store,
                                                                   api: FakeApi) -> None:
    draft = queue(store, 1, 10.0)
    queue(store, 2, 20.0)
    # The last run marked it sending, its PUT arrived, and the app died before the delete.
    store.set_state(CONNECTION, "cust_0001", DraftState.SENDING)
    api.update_customer("cust_0001", {"firstName": "New1"})
    api.calls.clear()
    results = send_outbox(store, api, CONNECTION)
    assert [(r.customer_id, r.outcome) for r in results] == [
        ("cust_0001", Outcome.ALREADY_THERE), ("cust_0002", Outcome.SENT)]
    assert ("PUT", "cust_0001") not in api.calls  # nothing sent twice
    assert store.get_draft(CONNECTION, draft.customer_id) is None


def test_a_send_interrupted_before_its_put_is_sent_by_the_next_run(store: Store,
                                                                   api: FakeApi) -> None:
    queue(store, 1, 10.0)
    store.set_state(CONNECTION, "cust_0001", DraftState.SENDING)
    results = send_outbox(store, api, CONNECTION)
    assert [r.outcome for r in results] == [Outcome.SENT]
    assert api.customer("cust_0001").first_name == "New1"


def test_every_draft_taken_is_reported_once(store: Store, api: FakeApi,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    queue(store, 1, 10.0)
    queue(store, 2, 20.0, email="not an email")
    queue(store, 3, 30.0)
    queue(store, 4, 40.0)
    api.change("cust_0001", firstName="Colleague")
    api.fail_next(ServerError("Service unavailable", status=503), on="PUT")  # customer 3
    seen: list[tuple[str, Outcome | None]] = []
    results = send_outbox(store, api, CONNECTION, senders=1, on_progress=lambda d, r: seen.append(
        (d.customer_id, None if r is None else r.outcome)))
    outcomes = [Outcome.CONFLICT, Outcome.FAILED, Outcome.RETRY_LATER, Outcome.SENT]
    assert seen == [(cid, outcome) for cid, final in zip(IDS, outcomes, strict=True)
                    for outcome in (None, final)]
    assert [(r.customer_id, r.outcome) for r in results] == list(zip(IDS, outcomes,
                                                                     strict=True))


def test_progress_is_reported_and_a_stop_is_honoured_between_drafts(store: Store,
                                                                    api: FakeApi) -> None:
    for number in (1, 2, 3):
        queue(store, number, float(number))
    seen: list[tuple[str, Outcome | None]] = []

    def progress(draft: Draft, result: SyncResult | None) -> None:
        seen.append((draft.customer_id, None if result is None else result.outcome))
        if result is None:  # while it is sending, the store says so
            assert states(store)[draft.customer_id][0] is DraftState.SENDING

    results = send_outbox(store, api, CONNECTION, on_progress=progress, senders=1,
                          should_stop=lambda: len(seen) >= 4)
    assert seen == [("cust_0001", None), ("cust_0001", Outcome.SENT),
                    ("cust_0002", None), ("cust_0002", Outcome.SENT)]
    assert len(results) == 2
    assert [d.customer_id for d in store.outbox(CONNECTION)] == ["cust_0003"]


def test_a_save_queued_during_the_run_is_sent_in_it(store: Store, api: FakeApi) -> None:
    queue(store, 1, 10.0)

    def progress(draft: Draft, result: SyncResult | None) -> None:
        if result is not None and draft.customer_id == "cust_0001":
            queue(store, 2, 20.0)

    results = send_outbox(store, api, CONNECTION, on_progress=progress)
    assert [r.customer_id for r in results] == ["cust_0001", "cust_0002"]


@pytest.mark.expect_log("failed unexpectedly")
def test_a_bug_in_one_save_is_that_saves_trouble_and_the_run_goes_on(
        store: Store, api: FakeApi, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    queue(store, 1, 10.0)
    queue(store, 2, 20.0)
    original = api.get_customer

    def broken_for_one(customer_id: str) -> Customer:
        if customer_id == "cust_0001":
            raise KeyError("a bug")
        return original(customer_id)

    monkeypatch.setattr(api, "get_customer", broken_for_one)
    with caplog.at_level(logging.ERROR, logger="flexdesk.sync.outbox"):
        results = send_outbox(store, api, CONNECTION)
    assert [(r.customer_id, r.outcome) for r in results] == [
        ("cust_0001", Outcome.RETRY_LATER), ("cust_0002", Outcome.SENT)]
    assert results[0].reason == UNEXPECTED_ERROR
    assert states(store)["cust_0001"] == (DraftState.QUEUED, UNEXPECTED_ERROR)
    [record] = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is KeyError  # the traceback


def test_an_interrupt_mid_send_puts_the_draft_back_and_ends_the_run(
        store: Store, api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> None:
    queue(store, 1, 10.0)

    def interrupted(customer_id: str) -> Customer:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "get_customer", interrupted)
    with pytest.raises(KeyboardInterrupt):
        send_outbox(store, api, CONNECTION)
    assert states(store)["cust_0001"] == (DraftState.QUEUED, "")
    monkeypatch.undo()  # the next run need not wait for the interrupted one's claim to expire
    assert [r.outcome for r in send_outbox(store, api, CONNECTION)] == [Outcome.SENT]


def test_the_outbox_of_one_tenant_is_never_sent_to_another(store: Store, api: FakeApi) -> None:
    other = ConnectionKey(CONNECTION.base_url, "someone-else")
    store.save_draft(Draft.of(other, make_customer(1), {"firstName": "Theirs"}))
    store.queue(other, "cust_0001")
    with pytest.raises(WrongConnection):
        send_outbox(store, api, other)
    assert api.calls == []
    assert store.outbox(other)[0].state is DraftState.QUEUED
    assert send_outbox(store, api, CONNECTION) == []  # its own outbox is empty
