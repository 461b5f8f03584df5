"""Sending the outbox: `send_outbox` of many queued saves against a bare httpx loop doing the
same protocol work (a GET, then a PUT, per customer).

The sandbox runs in its own process (`python -m flexdesk.sandbox --port 0`), so its request
handling does not share the GIL with what is timed. No latency is injected: this is about
what flexdesk adds per save, not about the network (`outbox_latency` is about that).

Each round reads the customers afresh (untimed), so every draft's base is the server's record
as it is now: one small change each (the phone, a new value every round, so there is always
something to send). The sync side queues one draft per customer in a store on a temporary file
and times `send_outbox` (its usual four senders, the client as a profile of unknown plan
makes it); the baseline GETs each customer and PUTs the same body (customerId + phone) with a
plain `httpx.Client`, the same headers, one after another. Both clients are warmed up with one
request first, so neither pays for its connection or CA bundle in the timed part.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from urllib.parse import quote

import httpx

from benchmarks.config import Config
from benchmarks.report import Row, median
from benchmarks.sandbox_process import TENANT, TOKEN, sandbox_process
from flexdesk.api.client import CustomerQuery, FlexPortalClient, user_agent
from flexdesk.api.models import Customer, CustomerStatus
from flexdesk.api.plans import TenantPlan
from flexdesk.store import ConnectionKey, Draft, Store
from flexdesk.sync import Outcome, send_outbox

TARGET_RATIO = 1.3


def _active(base_url: str, count: int) -> list[Customer]:
    """The first `count` active customers as the server holds them now."""
    with FlexPortalClient(base_url, TENANT, TOKEN, requests_per_minute=None) as client:
        query = CustomerQuery(status=CustomerStatus.ACTIVE)
        customers = list(islice(client.iter_customers(query), count))
    if len(customers) < count:
        raise RuntimeError(f"the sandbox has only {len(customers)} active customers")
    return customers


def _phone(round_: int, side: int, index: int) -> str:
    return f"+31 20 {round_ * 2 + side:03d} {index:04d}"


def _time_outbox(base_url: str, customers: Sequence[Customer], round_: int,
                 folder: Path) -> float:
    with FlexPortalClient(base_url, TENANT, TOKEN, plan=TenantPlan.UNKNOWN) as client, \
            Store.open(folder / f"outbox-{round_}.db") as store:
        connection = ConnectionKey(client.base_url, client.tenant_id)
        for index, customer in enumerate(customers):
            store.save_draft(Draft.of(connection, customer,
                                      {"phone": _phone(round_, 0, index)}))
            store.queue(connection, customer.customer_id)
        client.list_customers(limit=1)  # warm-up: connection and CA bundle
        started = time.perf_counter()
        results = send_outbox(store, client, connection)
        elapsed = time.perf_counter() - started
        sent = sum(result.outcome is Outcome.SENT for result in results)
        if sent != len(customers) or store.outbox(connection):
            outcomes = {result.outcome for result in results}
            raise RuntimeError(f"only {sent} of {len(customers)} saves were sent: {outcomes}")
    return elapsed


def _time_bare(base_url: str, customers: Sequence[Customer], round_: int, *,
               read_first: bool) -> float:
    """A plain loop, one customer after another: with `read_first`, a GET before each PUT."""
    headers = {"Authorization": f"Bearer {TOKEN}", "Tenant-ID": TENANT,
               "User-Agent": user_agent(), "Accept": "application/json"}
    bodies = [(customer.customer_id,
               {"customerId": customer.customer_id, "phone": _phone(round_, 1, index)})
              for index, customer in enumerate(customers)]
    with httpx.Client(base_url=base_url, headers=headers) as http:
        http.get("/v1/customers", params={"limit": "1"}).raise_for_status()  # warm-up
        started = time.perf_counter()
        for customer_id, body in bodies:
            path = f"/v1/customers/{quote(customer_id, safe='')}"
            if read_first:
                http.get(path).raise_for_status()
            http.put(path, json=body).raise_for_status()
        return time.perf_counter() - started


def run(config: Config) -> list[Row]:
    saves = config.sync_saves
    outbox: list[float] = []
    bare: list[float] = []
    with sandbox_process(max(1_000, saves + saves // 4), config.seed) as base_url, \
            tempfile.TemporaryDirectory(prefix="flexdesk-outbox-") as folder:
        for round_ in range(config.sync_runs):
            outbox.append(_time_outbox(base_url, _active(base_url, saves), round_, Path(folder)))
            bare.append(_time_bare(base_url, _active(base_url, saves), round_, read_first=True))
    flexdesk, baseline = median(outbox), median(bare)
    ratio = flexdesk / baseline
    return [Row(
        f"sync of {saves:,} queued saves to the sandbox (baseline: a bare httpx loop doing "
        f"the same protocol work, a GET then a PUT per customer, one after another; sandbox "
        f"in its own process, no latency; median of {config.sync_runs})[^2]",
        f"{baseline:.2f} s ({baseline / saves * 1000:.2f} ms per GET + PUT)",
        f"{flexdesk:.2f} s ({flexdesk / saves * 1000:.2f} ms per save)",
        f"{ratio:.2f}x",
        f"<= {TARGET_RATIO:g}x",
        ratio <= TARGET_RATIO,
    )]
