"""Two flexdesks on one drafts file never send a save twice: a draft is claimed before it is
sent, in one transaction, and a claim left by a run that is gone is taken over.

Measured before claims: two instances sent 10 queued saves as 97 PUTs. Here the sandbox's
request log counts the PUTs; a little latency makes the two runs overlap for real.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import Customer
from flexdesk.api.retry import NO_RETRY
from flexdesk.sandbox import SandboxServer
from flexdesk.store import ConnectionKey, Draft, DraftState, Store
from flexdesk.store.claims import CLAIM_TTL
from flexdesk.sync import Outcome, SyncResult, send_outbox
from tests.conftest import TENANT, TOKEN

ROOT = Path(__file__).resolve().parents[2]
SAVES = 10


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "flexdesk.sqlite3"


@pytest.fixture
def customers(client: FlexPortalClient) -> list[Customer]:
    return list(client.list_customers(limit=SAVES).customers)


def queue_saves(path: Path, sandbox: SandboxServer, customers: list[Customer]) -> ConnectionKey:
    here = ConnectionKey(sandbox.base_url, TENANT)
    with Store.open(path) as store:
        for number, customer in enumerate(customers):
            store.save_draft(Draft.of(here, customer, {"company": f"Saved once {number}"}))
            store.queue(here, customer.customer_id)
    sandbox.clear_requests()
    return here


def put_counts(sandbox: SandboxServer) -> Counter[str]:
    return Counter(r.path.rsplit("/", 1)[-1] for r in sandbox.requests if r.method == "PUT")


def own_client(sandbox: SandboxServer) -> FlexPortalClient:
    return FlexPortalClient(sandbox.base_url, TENANT, TOKEN, retry=NO_RETRY,
                            requests_per_minute=None)


def test_two_stores_on_one_file_send_every_save_exactly_once(
        sandbox: SandboxServer, customers: list[Customer], path: Path) -> None:
    here = queue_saves(path, sandbox, customers)
    sandbox.faults.latency = 0.01
    start = threading.Barrier(2)
    sent: list[list[SyncResult]] = [[], []]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            with Store.open(path) as store, own_client(sandbox) as client:
                start.wait(timeout=10)
                sent[index] = send_outbox(store, client, here)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert put_counts(sandbox) == Counter({c.customer_id: 1 for c in customers})
    reported = Counter(r.customer_id for results in sent for r in results)
    assert reported == Counter({c.customer_id: 1 for c in customers})
    assert {r.outcome for results in sent for r in results} == {Outcome.SENT}
    with Store.open(path) as store:
        assert store.draft_count(here) == 0


@pytest.mark.slow
def test_two_processes_on_one_file_send_every_save_exactly_once(
        sandbox: SandboxServer, customers: list[Customer], path: Path) -> None:
    here = queue_saves(path, sandbox, customers)
    sandbox.faults.latency = 0.01
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tests.integration.outbox_process", "send",
               sandbox.base_url, str(path)]
    children = [subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 text=True, env=env, cwd=ROOT) for _ in range(2)]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline().strip() == "READY"
        outputs = [child.communicate("go\n", timeout=60)[0] for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert put_counts(sandbox) == Counter({c.customer_id: 1 for c in customers})
    assert sorted(line for out in outputs for line in out.split()) == sorted(
        c.customer_id for c in customers)
    with Store.open(path) as store:
        assert store.draft_count(here) == 0


@pytest.mark.slow
def test_a_claim_left_by_a_process_that_died_is_taken_at_once(
        sandbox: SandboxServer, client: FlexPortalClient, customers: list[Customer],
        path: Path) -> None:
    here = queue_saves(path, sandbox, customers[:2])
    died = subprocess.run(
        [sys.executable, "-m", "tests.integration.outbox_process", "claim-and-die",
         sandbox.base_url, str(path)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
        check=True, timeout=60)
    assert died.stdout.strip() == customers[0].customer_id
    with Store.open(path) as store:
        assert store.outbox(here)[0].state is DraftState.SENDING  # its claim is still there
        results = send_outbox(store, client, here)
    assert [(r.customer_id, r.outcome) for r in results] == [
        (customers[0].customer_id, Outcome.SENT), (customers[1].customer_id, Outcome.SENT)]


def claim_as_elsewhere(path: Path, customer_id: str, claimed_at: float) -> None:
    """What a flexdesk on another machine sharing the folder leaves while it sends."""
    db = sqlite3.connect(path)
    try:
        with db:
            db.execute("UPDATE drafts SET state = 'sending', claimed_by = ?, claimed_at = ? "
                       "WHERE customer_id = ?", ("elsewhere/4242/x", claimed_at, customer_id))
    finally:
        db.close()


@pytest.fixture
def line_of_two(sandbox: SandboxServer, client: FlexPortalClient, customers: list[Customer],
                path: Path) -> Iterator[tuple[Store, ConnectionKey]]:
    here = queue_saves(path, sandbox, customers[:2])
    with Store.open(path) as store:
        yield store, here


def test_a_draft_another_live_run_holds_is_left_to_it(
        line_of_two: tuple[Store, ConnectionKey], client: FlexPortalClient,
        customers: list[Customer], path: Path) -> None:
    store, here = line_of_two
    now = time.time()
    claim_as_elsewhere(path, customers[0].customer_id, now)
    results = send_outbox(store, client, here)
    assert [r.customer_id for r in results] == [customers[1].customer_id]  # not reported
    assert store.outbox(here)[0].state is DraftState.SENDING
    due = store.next_attempt_due(here, now=now)
    assert due == pytest.approx(now + CLAIM_TTL)  # when the claim would run out


@pytest.mark.parametrize("age", [CLAIM_TTL + 1, -(CLAIM_TTL + 1)], ids=["expired", "future"])
def test_a_claim_that_ran_out_or_that_a_clock_put_back_made_odd_is_taken_over(
        line_of_two: tuple[Store, ConnectionKey], client: FlexPortalClient,
        customers: list[Customer], path: Path, age: float) -> None:
    store, here = line_of_two
    claim_as_elsewhere(path, customers[0].customer_id, time.time() - age)
    results = send_outbox(store, client, here)
    assert [r.customer_id for r in results] == [c.customer_id for c in customers[:2]]
