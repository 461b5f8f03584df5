"""The outbox's Qt driver against the sandbox: one customer's trouble holds up nobody, and a
save the server cannot take is tried again with restraint, on the store's schedule.

A server that fails for one customer only, every time, is a shape the sandbox cannot make
(its faults go by request order), so the client talks to the sandbox through a transport that
forwards everything but the reads of that one customer.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import Customer
from flexdesk.api.retry import NO_RETRY
from flexdesk.sandbox import SandboxServer
from flexdesk.store import ConnectionKey, Draft, Store
from flexdesk.sync import SENDERS, Backoff, Outcome, SyncResult
from flexdesk.ui.common.workers import JobRunner
from flexdesk.ui.drafts.sync_controller import SyncController
from tests.conftest import TENANT, TOKEN

UNAVAILABLE = {"error": {"code": "SERVICE_UNAVAILABLE", "message": "Service unavailable"}}


class Ceiling(random.Random):
    """Jitter that always picks the top of its range: the waits are known exactly."""

    def uniform(self, a: float, b: float) -> float:
        return b


@dataclass(frozen=True)
class Quick(Backoff):
    """The real policy in fiftieths of a second, so a test sees several retries at once."""

    first: float = 0.02
    shortest: float = 0.02
    rng: random.Random = field(default_factory=Ceiling)


class OneCustomerDown:
    """Forwards every request to the sandbox, but answers 503 to reads of `down`; with
    `hold_puts`, a PUT waits (after `put_arrived` is set) until the test lets it through."""

    def __init__(self, sandbox: SandboxServer) -> None:
        self._http = httpx.Client(base_url=sandbox.base_url)
        self.down = ""
        self.refused_at: list[float] = []  # wall-clock time of each refused read
        self.hold_puts = False
        self.put_arrived = threading.Event()
        self.let_through = threading.Event()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.down and request.method == "GET" and request.url.path.endswith(self.down):
            self.refused_at.append(time.time())
            return httpx.Response(503, json=UNAVAILABLE)
        if self.hold_puts and request.method == "PUT":
            self.put_arrived.set()
            self.let_through.wait(5)
        headers = {k: v for k, v in request.headers.items() if k not in ("host", "content-length")}
        answer = self._http.request(request.method, request.url.path, params=request.url.params,
                                    headers=headers, content=request.content)
        return httpx.Response(answer.status_code, content=answer.content,
                              headers={"content-type": answer.headers["content-type"]})

    def close(self) -> None:
        self._http.close()


@dataclass
class Desk:
    sandbox: SandboxServer
    server: OneCustomerDown
    store: Store
    sync: SyncController
    customers: tuple[Customer, ...]

    def queue(self, customer: Customer, edits: dict[str, str]) -> None:
        here = ConnectionKey(self.sandbox.base_url, TENANT)
        self.store.save_draft(Draft.of(here, customer, edits))
        self.sync.queue(customer.customer_id)

    def puts(self) -> list[str]:
        return [r.path.rsplit("/", 1)[-1] for r in self.sandbox.requests if r.method == "PUT"]


def make_desk(sandbox: SandboxServer, tmp_path: Path, backoff: Backoff) -> Iterator[Desk]:
    server = OneCustomerDown(sandbox)
    client = FlexPortalClient(sandbox.base_url, TENANT, TOKEN, retry=NO_RETRY,
                              requests_per_minute=None, transport=httpx.MockTransport(server))
    customers = client.list_customers(limit=10).customers
    jobs = JobRunner()
    store = Store.open(tmp_path / "drafts.db")
    sync = SyncController(store, ConnectionKey(client.base_url, client.tenant_id), client, jobs,
                          backoff=backoff)
    sandbox.clear_requests()
    try:
        yield Desk(sandbox, server, store, sync, customers)
    finally:
        sync.stop()
        jobs.wait_for_done(5000)
        store.close()
        client.close()
        server.close()


@pytest.fixture
def desk(qtbot: QtBot, sandbox: SandboxServer, tmp_path: Path) -> Iterator[Desk]:
    yield from make_desk(sandbox, tmp_path, Quick())


@pytest.fixture
def patient_desk(qtbot: QtBot, sandbox: SandboxServer, tmp_path: Path) -> Iterator[Desk]:
    """Retries ten minutes away: nothing but the user brings them forward in a test."""
    yield from make_desk(sandbox, tmp_path, Backoff(first=600, shortest=600))


def test_a_customer_the_server_cannot_read_holds_up_nobody(qtbot: QtBot,
                                                          patient_desk: Desk) -> None:
    desk = patient_desk  # its retry is minutes away, so it is still waiting when asked
    down, fine = desk.customers[:2]
    desk.server.down = down.customer_id
    desk.queue(down, {"lastName": "Waits"})
    desk.queue(fine, {"lastName": "Goes out"})
    results: list[SyncResult] = []
    desk.sync.result.connect(results.append)
    with qtbot.waitSignal(desk.sync.run_finished, timeout=5000):
        desk.sync.send_now()
    assert [(r.customer_id, r.outcome) for r in results] == [
        (down.customer_id, Outcome.RETRY_LATER), (fine.customer_id, Outcome.SENT)]
    assert desk.puts() == [fine.customer_id]
    # The server answered: not offline, nothing to probe; the save waits on its own.
    assert (desk.sync.online, desk.sync.problem) == (True, "")
    assert desk.sync.retry_reason == "Service unavailable"
    waiting = desk.store.get_draft(ConnectionKey(desk.sandbox.base_url, TENANT),
                                   down.customer_id)
    assert waiting is not None and waiting.next_attempt_at is not None
    assert desk.sync.next_attempt_at == waiting.next_attempt_at


def test_a_save_the_server_cannot_take_is_tried_ever_less_often(qtbot: QtBot,
                                                                desk: Desk) -> None:
    down = desk.customers[0]
    desk.server.down = down.customer_id
    desk.queue(down, {"lastName": "Waits"})
    desk.sync.send_now()
    qtbot.waitUntil(lambda: len(desk.server.refused_at) == 4, timeout=5000)
    gaps = [later - earlier for earlier, later in pairwise(desk.server.refused_at)]
    assert [gap > wait for gap, wait in zip(gaps, [0.02, 0.04, 0.08], strict=True)] == [
        True, True, True]
    # Only the failing read and its retries: no probe of a server that answers.
    assert {r.path for r in desk.sandbox.requests} <= {f"/v1/customers/{down.customer_id}"}
    desk.server.down = ""
    with qtbot.waitSignal(desk.sync.result, timeout=5000,
                          check_params_cb=lambda r: r.outcome is Outcome.SENT):
        pass
    qtbot.waitUntil(lambda: not desk.sync.sending)
    assert (desk.sync.next_attempt_at, desk.sync.retry_reason) == (None, "")


def test_f9_sends_a_waiting_save_now(qtbot: QtBot, patient_desk: Desk) -> None:
    desk = patient_desk
    down = desk.customers[0]
    desk.server.down = down.customer_id
    desk.queue(down, {"lastName": "Waits"})
    with qtbot.waitSignal(desk.sync.run_finished, timeout=5000):
        desk.sync.send_now()
    next_at = desk.sync.next_attempt_at
    assert next_at is not None and next_at > time.time() + 500
    desk.server.down = ""
    desk.sync.send_now()  # a run for other reasons leaves it waiting
    assert not desk.sync.sending and len(desk.sandbox.requests) == 0
    with qtbot.waitSignal(desk.sync.result, timeout=5000) as sent:
        desk.sync.retry_now()
    assert sent.args is not None and sent.args[0].outcome is Outcome.SENT
    assert desk.puts() == [down.customer_id]
    qtbot.waitUntil(lambda: not desk.sync.sending)


def test_saving_again_sends_a_waiting_save_now(qtbot: QtBot, patient_desk: Desk) -> None:
    desk = patient_desk
    down = desk.customers[0]
    desk.server.down = down.customer_id
    desk.queue(down, {"lastName": "Waits"})
    with qtbot.waitSignal(desk.sync.run_finished, timeout=5000):
        desk.sync.send_now()
    desk.server.down = ""
    with qtbot.waitSignal(desk.sync.result, timeout=5000) as sent:
        desk.queue(down, {"lastName": "Waits no more"})  # Ctrl+S, as the editor does it
        desk.sync.send_now()
    assert sent.args is not None and sent.args[0].outcome is Outcome.SENT
    assert [r.body["lastName"] for r in desk.sandbox.requests if r.method == "PUT"] == [
        "Waits no more"]
    qtbot.waitUntil(lambda: not desk.sync.sending)


def fill_up(db: sqlite3.Connection, customer: Customer) -> None:
    """Make the file really full for the draft of `customer`: no page more than it has
    (`max_page_count`), and small drafts of another tenant filling the room there was, until
    the draft's row cannot grow by even 40 bytes where it is (claiming it adds more)."""
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
    for number in range(100_000):
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE drafts SET reason = ? WHERE customer_id = ?",
                       ("x" * 40, customer.customer_id))
        except sqlite3.OperationalError as full:
            assert "full" in str(full)
            if db.in_transaction:  # SQLite may have rolled back already
                db.execute("ROLLBACK")
            return
        db.execute("ROLLBACK")
        with contextlib.suppress(sqlite3.OperationalError):
            db.execute("INSERT INTO drafts (connection, customer_id, base, edits, state, "
                       "updated_at) VALUES ('filler', ?, '{}', '{}', 'editing', 0)",
                       (f"{number:06d}",))
    pytest.fail("the file did not fill up")


@pytest.mark.expect_log("sending the outbox stopped")
def test_a_full_disk_stops_sending_in_words_and_the_save_goes_out_once_there_is_room(
        qtbot: QtBot, desk: Desk) -> None:
    customer = desk.customers[0]
    desk.queue(customer, {"lastName": "Kept"})
    db = desk.store._db  # the store's own connection
    fill_up(db, customer)
    with qtbot.waitSignal(desk.sync.run_finished, timeout=5000):
        desk.sync.send_now()
    assert "disk is full" in desk.sync.problem
    assert desk.sync.pending() == 1 and desk.puts() == []  # nothing lost, nothing sent
    db.execute("PRAGMA max_page_count = 1073741823")  # space was freed
    with qtbot.waitSignal(desk.sync.run_finished, timeout=5000):
        desk.sync.retry_now()
    assert desk.sync.pending() == 0 and desk.sync.problem == ""


def test_a_read_only_drafts_file_sends_nothing_and_says_why(
        qtbot: QtBot, sandbox: SandboxServer, tmp_path: Path) -> None:
    path = tmp_path / "drafts.db"
    here = ConnectionKey(sandbox.base_url, TENANT)
    with Store.open(path) as writable, FlexPortalClient(sandbox.base_url, TENANT,
                                                        TOKEN) as client:
        customer = client.list_customers(limit=1).customers[0]
        writable.save_draft(Draft.of(here, customer, {"lastName": "Queued"}))
        writable.queue(here, customer.customer_id)
    sandbox.clear_requests()
    jobs = JobRunner()
    with Store.open(path, read_only=True) as store, FlexPortalClient(
            sandbox.base_url, TENANT, TOKEN) as client:
        sync = SyncController(store, here, client, jobs)
        sync.send_now()
        assert not sync.sending and "read-only" in sync.problem
        assert sync.pending() == 1
        sync.stop()
        jobs.wait_for_done(5000)
    assert list(sandbox.requests) == []


@pytest.mark.parametrize("closed", [False, True], ids=["stopped", "stopped-and-closed"])
def test_stopping_ends_a_run_after_the_drafts_under_way_without_a_crash(
        qtbot: QtBot, desk: Desk, closed: bool) -> None:
    for number, customer in enumerate(desk.customers[:SENDERS + 2]):
        desk.queue(customer, {"lastName": f"Save {number}"})
    desk.server.hold_puts = True
    finished: list[bool] = []
    desk.sync.run_finished.connect(lambda: finished.append(True))
    desk.sync.send_now()
    assert desk.server.put_arrived.wait(5)
    desk.sync.stop()  # the window is closing ...
    if closed:
        desk.store.close()  # ... and its store goes before the run is over
    desk.server.let_through.set()
    qtbot.waitUntil(lambda: finished == [True], timeout=5000)
    # Those under way (one sender each), no other.
    under_way = {c.customer_id for c in desk.customers[:SENDERS]}
    assert 1 <= len(desk.puts()) <= SENDERS
    assert set(desk.puts()) <= under_way
    assert desk.sync.problem == ""  # and nothing to report: no crash
    if not closed:
        assert desk.sync.pending() == SENDERS + 2 - len(desk.puts())
