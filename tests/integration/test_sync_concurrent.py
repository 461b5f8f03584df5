"""Several customers at once, over real HTTP and a real drafts file: up to `SENDERS` saves
overlap, never more, and never two of one customer; going offline halfway loses nothing.

Overlap is read from the sandbox's request log (when it began to read each request and when
its answer was decided), not from a wall clock: latency makes each request last long enough
for the senders to meet in it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path

import pytest

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import Customer
from flexdesk.api.retry import NO_RETRY
from flexdesk.sandbox import RecordedRequest, SandboxServer
from flexdesk.store import ConnectionKey, Draft, DraftState, Store
from flexdesk.sync import SENDERS, Outcome, SyncResult, send_outbox
from tests.conftest import TENANT, TOKEN
from tests.integration.conftest import Desk

LATENCY = 0.1


def most_at_once(requests: Iterable[RecordedRequest]) -> int:
    """The most requests the sandbox was handling at one moment."""
    edges = sorted(edge for r in requests for edge in ((r.started, 1), (r.finished, -1)))
    most = now = 0
    for _, step in edges:
        now += step
        most = max(most, now)
    return most


def of_customers(requests: Iterable[RecordedRequest]) -> list[RecordedRequest]:
    return [r for r in requests if r.path.startswith("/v1/customers/")]


def test_four_customers_are_sent_at_once_and_never_more(desk: Desk) -> None:
    saves = desk.customers[:3 * SENDERS]
    for number, customer in enumerate(saves):
        desk.start_draft(customer, {"company": f"At once {number}"})
    desk.sandbox.clear_requests()
    desk.sandbox.faults.latency = LATENCY
    results = desk.send()
    assert [r.outcome for r in results] == [Outcome.SENT] * len(saves)
    requests = of_customers(desk.sandbox.requests)
    assert len(requests) == 2 * len(saves)  # a GET and a PUT each, nothing more
    assert most_at_once(requests) == SENDERS
    # Results come in line order, whatever order the senders finished in.
    assert [r.customer_id for r in results] == [c.customer_id for c in saves]
    assert desk.store.draft_count(desk.here) == 0


def test_one_customers_saves_never_overlap_and_stay_in_order(desk: Desk) -> None:
    target, *others = desk.customers[:2 * SENDERS]
    desk.start_draft(target, {"company": "First save"})
    for number, customer in enumerate(others):
        desk.start_draft(customer, {"company": f"Other {number}"})
    desk.sandbox.clear_requests()
    desk.sandbox.faults.latency = LATENCY / 2
    saved_again = threading.Event()

    def save_again_while_sending(draft: Draft, result: SyncResult | None) -> None:
        if draft.customer_id == target.customer_id and not saved_again.is_set():
            saved_again.set()  # Ctrl+S again while the first save is on its way
            desk.store.save_draft(Draft.of(desk.here, target, {"company": "Second save"}))
            desk.store.queue(desk.here, target.customer_id)

    results = send_outbox(desk.store, desk.client, desk.here, on_progress=save_again_while_sending)
    for _ in range(2):  # a save queued behind the run's place in line goes in the next run
        if not desk.store.outbox(desk.here):
            break
        results += desk.send()
    assert {r.outcome for r in results} == {Outcome.SENT}
    mine = [r for r in of_customers(desk.sandbox.requests) if r.path.endswith(target.customer_id)]
    assert [r.method for r in sorted(mine, key=lambda r: r.started)] == ["GET", "PUT"] * 2
    ordered = sorted(mine, key=lambda r: r.started)
    # One request of this customer at a time.
    assert all(later.started >= earlier.finished for earlier, later in pairwise(ordered))
    assert [body["company"] for _, body in desk.puts() if body["customerId"] ==
            target.customer_id] == ["First save", "Second save"]
    assert desk.client.get_customer(target.customer_id).company == "Second save"


def test_runs_of_two_stores_on_one_file_each_with_senders_send_every_save_once(
        sandbox: SandboxServer, desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    saves = desk.customers[:3 * SENDERS]
    with Store.open(path) as store:
        for number, customer in enumerate(saves):
            store.save_draft(Draft.of(desk.here, customer, {"company": f"Once {number}"}))
            store.queue(desk.here, customer.customer_id)
    sandbox.clear_requests()
    sandbox.faults.latency = LATENCY / 4
    start = threading.Barrier(2)
    results: list[list[SyncResult]] = [[], []]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            with Store.open(path) as store, FlexPortalClient(
                    sandbox.base_url, TENANT, TOKEN, retry=NO_RETRY,
                    requests_per_minute=None) as client:
                start.wait(timeout=10)
                results[index] = send_outbox(store, client, desk.here)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    puts: defaultdict[str, int] = defaultdict(int)
    for request in sandbox.requests:
        if request.method == "PUT":
            puts[request.path.rsplit("/", 1)[-1]] += 1
    assert puts == {c.customer_id: 1 for c in saves}
    sent = sorted(r.customer_id for run_results in results for r in run_results)
    assert sent == sorted(c.customer_id for c in saves)
    with Store.open(path) as store:
        assert store.draft_count(desk.here) == 0


@pytest.mark.slow
def test_going_offline_halfway_keeps_the_rest_queued_and_sends_it_when_back(
        tmp_path: Path) -> None:
    data = tmp_path / "sandbox.sqlite3"
    here = ConnectionKey("sandbox:test", TENANT)  # the same server at whatever port
    first = SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=40, seed=3, db=data)
    first.start()
    port = first.port
    try:
        with FlexPortalClient(first.base_url, TENANT, TOKEN, identity=here.base_url,
                              requests_per_minute=None) as client:
            customers = client.list_customers(limit=30).customers
        saves = _queue_saves(tmp_path / "drafts.db", here, customers)
        first.faults.latency = LATENCY / 2
        went_down = threading.Event()

        def go_offline_after_five(draft: Draft, result: SyncResult | None) -> None:
            if result is not None and result.outcome is Outcome.SENT and \
                    not went_down.is_set() and len(first.requests) >= 10:
                went_down.set()
                first.stop()  # the network goes: requests under way are cut off

        with Store.open(tmp_path / "drafts.db") as store, FlexPortalClient(
                first.base_url, TENANT, TOKEN, identity=here.base_url, retry=NO_RETRY,
                requests_per_minute=None) as client:
            results = send_outbox(store, client, here, on_progress=go_offline_after_five)
            assert went_down.is_set()
            outcomes = {r.outcome for r in results}
            assert outcomes <= {Outcome.SENT, Outcome.OFFLINE} and Outcome.OFFLINE in outcomes
            sent = {r.customer_id for r in results if r.outcome is Outcome.SENT}
            left = store.outbox(here)
            assert 0 < len(sent) < len(saves)
            assert {d.customer_id for d in left} == {c.customer_id for c in saves} - sent
            assert {d.state for d in left} == {DraftState.QUEUED}  # none stuck as sending
    finally:
        first.stop()
    with SandboxServer(port=port, tenant=TENANT, token=TOKEN, seed=3, db=data) as back, \
            Store.open(tmp_path / "drafts.db") as store, FlexPortalClient(
                back.base_url, TENANT, TOKEN, identity=here.base_url,
                requests_per_minute=None) as client:
        later = send_outbox(store, client, here)
        # A PUT cut off with its answer may have landed: then it is found there, not resent.
        assert {r.outcome for r in later} <= {Outcome.SENT, Outcome.ALREADY_THERE}
        assert {r.customer_id for r in later} == {d.customer_id for d in left}
        assert store.draft_count(here) == 0
        assert [client.get_customer(c.customer_id).company for c in saves] == [
            f"Offline {number}" for number in range(len(saves))]


def _queue_saves(path: Path, here: ConnectionKey, customers: Sequence[Customer]
                 ) -> Sequence[Customer]:
    with Store.open(path) as store:
        for number, customer in enumerate(customers):
            store.save_draft(Draft.of(here, customer, {"company": f"Offline {number}"}))
            store.queue(here, customer.customer_id)
    return customers
