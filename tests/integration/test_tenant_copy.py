"""The copy of the tenant, filled from the sandbox over real HTTP into a real drafts file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flexdesk.api.client import CustomerQuery, FlexPortalClient
from flexdesk.api.errors import Unreachable
from flexdesk.api.models import CustomerPage, CustomerStatus
from flexdesk.listing.tenant_copy import TenantCopy
from flexdesk.sandbox import Faults, SandboxServer
from flexdesk.store import ConnectionKey, Draft, Store
from tests.conftest import TENANT
from tests.factories import make_customer


class Recording:
    """The real client, noting which pages were background work."""

    def __init__(self, client: FlexPortalClient) -> None:
        self.client = client
        self.background: list[bool] = []

    def list_customers(self, query: CustomerQuery | None = None, **kwargs: Any) -> CustomerPage:
        self.background.append(kwargs.get("background", False))
        return self.client.list_customers(query, **kwargs)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "flexdesk.sqlite3")


def everyone(client: FlexPortalClient) -> set[str]:
    return {c.customer_id for status in CustomerStatus
            for c in client.iter_customers(CustomerQuery(status=status))}


def fill(copy: TenantCopy) -> int:
    steps = 0
    while True:
        steps += 1
        if copy.step().done:
            return steps


def test_a_first_fill_copies_every_customer_active_or_not(
    client: FlexPortalClient, sandbox: SandboxServer, store: Store
) -> None:
    key = ConnectionKey(sandbox.base_url, TENANT)
    client.delete_customer(next(c.customer_id for c in client.iter_customers()
                                if not c.rental_ids))  # one inactive customer too
    pages = Recording(client)
    copy = TenantCopy(store, key, pages)
    assert copy.work_to_do()
    fill(copy)
    cached = {c.customer.customer_id for c in store.cached_customers(key)}
    assert cached == everyone(client)
    state = copy.state()
    assert state.complete and state.last_total == len(cached)
    assert state.completed_at is not None
    # The first page was for an empty list someone looks at; the rest are background work.
    assert pages.background[0] is False and all(pages.background[1:])
    assert not copy.work_to_do(), "a fresh copy needs no pass"
    assert copy.work_to_do(now=state.completed_at + copy.max_age + 1), "an old one does"
    store.close()


def test_a_fill_goes_on_after_a_restart_from_the_page_it_had_reached(
    client: FlexPortalClient, sandbox: SandboxServer, tmp_path: Path
) -> None:
    key = ConnectionKey(sandbox.base_url, TENANT)
    path = tmp_path / "flexdesk.sqlite3"
    with Store.open(path) as first:
        copy = TenantCopy(first, key, client, page_size=10)
        copy.work_to_do()
        copy.step()
        copy.step()  # and then the app was closed
        reached = copy.state()
    assert (reached.fetched, reached.complete) == (20, False)
    sandbox.clear_requests()
    with Store.open(path) as again:
        copy = TenantCopy(again, key, client, page_size=10)
        assert copy.work_to_do()
        fill(copy)
        assert {c.customer.customer_id for c in again.cached_customers(key)} == everyone(client)
    first_asked = sandbox.requests[0]
    assert first_asked.query.get("startAfter") == reached.cursor, "not from the beginning"


def test_a_refresh_replaces_changes_drops_the_departed_and_keeps_drafts(
    client: FlexPortalClient, sandbox: SandboxServer, store: Store
) -> None:
    key = ConnectionKey(sandbox.base_url, TENANT)
    copy = TenantCopy(store, key, client)
    copy.work_to_do()
    fill(copy)
    someone = client.list_customers(limit=1).customers[0]
    client.update_customer(someone.customer_id, {"company": "Changed Meanwhile B.V."})
    departed = make_customer(9999)  # in the copy, but the server no longer has it
    store.cache_customers(key, [departed])
    store.save_draft(Draft.of(key, departed, {"phone": "+31 6 0000 0000"}))

    copy.refresh()
    while not (step := copy.step()).done:
        pass
    assert step.gone == (departed.customer_id,)
    assert store.cached_customer(key, departed.customer_id) is None
    now = store.cached_customer(key, someone.customer_id)
    assert now is not None and now.customer.company == "Changed Meanwhile B.V."
    assert store.get_draft(key, departed.customer_id) is not None, "drafts are not the copy's"
    store.close()


def test_offline_a_step_fails_and_nothing_moves(
    client: FlexPortalClient, sandbox: SandboxServer, store: Store
) -> None:
    key = ConnectionKey(sandbox.base_url, TENANT)
    copy = TenantCopy(store, key, client)
    copy.work_to_do()
    before = copy.state()
    sandbox.faults.script(*[Faults.DROP] * 10)
    with pytest.raises(Unreachable):
        copy.step()
    assert copy.state() == before
    store.close()
