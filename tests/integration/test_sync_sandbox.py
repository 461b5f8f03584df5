"""Drafts synced to the real sandbox over loopback: conflicts, merges, failures, the outbox.

A colleague is a second client on the same tenant, changing the record after our draft began.
What matters is what the sandbox received, so the tests read its request log.
"""

from __future__ import annotations

import pytest

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.errors import Conflict
from flexdesk.api.models import Customer
from flexdesk.api.retry import NO_RETRY
from flexdesk.sandbox.faults import Faults
from flexdesk.store import ConnectionKey, Draft, DraftState, Store
from flexdesk.sync import Outcome, WrongConnection, send_outbox
from tests.conftest import TENANT, TOKEN
from tests.integration.conftest import Desk


def test_a_colleagues_change_to_the_same_field_is_not_overwritten(desk: Desk) -> None:
    mine = desk.customers[0]
    desk.start_draft(mine, {"firstName": "Mine"})
    desk.colleague.update_customer(mine.customer_id, {"firstName": "Theirs"})
    desk.sandbox.clear_requests()
    [result] = desk.send()
    assert (result.outcome, result.conflicts) == (Outcome.CONFLICT, ("firstName",))
    assert desk.puts() == []
    assert desk.client.get_customer(mine.customer_id).first_name == "Theirs"
    draft = desk.draft(mine.customer_id)
    assert (draft.state, draft.conflicts) == (DraftState.CONFLICT, ("firstName",))
    assert draft.edits == {"firstName": "Mine"}  # nothing typed is lost


def test_a_colleagues_change_to_another_field_is_merged(desk: Desk) -> None:
    mine = desk.customers[0]
    desk.start_draft(mine, {"firstName": "Mine"})
    desk.colleague.update_customer(mine.customer_id, {"phone": "+31 6 5555 0000"})
    desk.sandbox.clear_requests()
    [result] = desk.send()
    assert result.outcome is Outcome.SENT
    assert desk.puts() == [(mine.customer_id,
                            {"customerId": mine.customer_id, "firstName": "Mine"})]
    now = desk.client.get_customer(mine.customer_id)
    assert (now.first_name, now.phone) == ("Mine", "+31 6 5555 0000")
    assert desk.store.get_draft(desk.here, mine.customer_id) is None


def test_a_colleagues_change_to_another_field_of_the_same_address_is_a_conflict(
        desk: Desk) -> None:
    mine = desk.customers[0]
    assert mine.last_billing_address is not None
    desk.start_draft(mine, {"billingAddress.city": "Mine"})
    theirs = mine.last_billing_address.model_dump(mode="json") | {"streetAddress": "Theirs 1"}
    desk.colleague.update_customer(mine.customer_id, {"billingAddress": theirs})
    desk.sandbox.clear_requests()
    [result] = desk.send()
    assert (result.outcome, result.conflicts) == (Outcome.CONFLICT,
                                                  ("billingAddress.streetAddress",))
    assert desk.puts() == []
    billing = desk.client.get_customer(mine.customer_id).last_billing_address
    assert billing is not None
    assert (billing.street_address, billing.city) == ("Theirs 1",
                                                      mine.last_billing_address.city)


def test_a_save_the_server_cannot_take_waits_and_the_others_go_out(desk: Desk) -> None:
    first, second = desk.customers[:2]
    desk.start_draft(first, {"lastName": "First"})
    desk.start_draft(second, {"lastName": "Second"})
    desk.sandbox.faults.script(*[503] * desk.client.retry.attempts)  # every try of one GET
    results = desk.send(senders=1)  # so the script's answers all go to the first GET
    assert [(r.customer_id, r.outcome) for r in results] == [
        (first.customer_id, Outcome.RETRY_LATER), (second.customer_id, Outcome.SENT)]
    assert [cid for cid, _ in desk.puts()] == [second.customer_id]
    waiting = desk.draft(first.customer_id)
    assert (waiting.state, waiting.edits) == (DraftState.QUEUED, {"lastName": "First"})
    assert desk.send() == []  # not due yet: the server is not asked again at once
    desk.store.make_due(desk.here)  # F9
    assert [r.outcome for r in desk.send()] == [Outcome.SENT]  # the server is fine again
    assert desk.store.draft_count(desk.here) == 0


def test_no_connection_ends_the_run_and_keeps_the_line(desk: Desk) -> None:
    first, second = desk.customers[:2]
    desk.start_draft(first, {"lastName": "First"})
    desk.start_draft(second, {"lastName": "Second"})
    desk.sandbox.faults.script(*[Faults.DROP] * desk.client.retry.attempts)
    results = desk.send(senders=1)  # the second is not taken after the first found no server
    assert [(r.customer_id, r.outcome) for r in results] == [
        (first.customer_id, Outcome.OFFLINE)]
    assert [(d.customer_id, d.state) for d in desk.store.outbox(desk.here)] == [
        (first.customer_id, DraftState.QUEUED), (second.customer_id, DraftState.QUEUED)]
    assert desk.puts() == []
    results = desk.send(senders=1)  # the server is back; one sender, so the order shows
    assert [r.outcome for r in results] == [Outcome.SENT, Outcome.SENT]
    assert [cid for cid, _ in desk.puts()] == [first.customer_id, second.customer_id]
    assert desk.store.draft_count(desk.here) == 0


def test_the_outbox_sends_in_the_order_saved(desk: Desk) -> None:
    order = [desk.customers[3], desk.customers[0], desk.customers[2], desk.customers[1]]
    for position, customer in enumerate(order):
        desk.store.save_draft(Draft.of(desk.here, customer, {"company": f"Saved {position}"}))
        desk.store.queue(desk.here, customer.customer_id, now=1000.0 + position)
    desk.sandbox.clear_requests()
    results = desk.send(senders=1)
    assert {r.outcome for r in results} == {Outcome.SENT}
    # One sender: one customer at a time: each PUT right after its own GET, never two interleaved.
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in desk.sandbox.requests] == [
        (method, c.customer_id) for c in order for method in ("GET", "PUT")]


def test_a_draft_of_one_tenant_is_never_sent_to_another(desk: Desk) -> None:
    assert desk.sandbox.add_tenant("tenant-b", customers=20)
    desk.start_draft(desk.customers[0], {"firstName": "Tenant A only"})
    there = ConnectionKey(desk.sandbox.base_url, "tenant-b")
    desk.sandbox.clear_requests()
    with FlexPortalClient(desk.sandbox.base_url, "tenant-b", TOKEN, retry=NO_RETRY) as client_b:
        assert send_outbox(desk.store, client_b, there) == []  # nothing of A's in B's outbox
        with pytest.raises(WrongConnection):
            send_outbox(desk.store, client_b, desk.here)
    assert list(desk.sandbox.requests) == []
    assert desk.store.outbox(desk.here)[0].state is DraftState.QUEUED
    [result] = desk.send()
    assert result.outcome is Outcome.SENT
    assert {r.headers["tenant-id"] for r in desk.sandbox.requests} == {TENANT}


def test_a_customer_missing_on_the_server_fails_with_its_reason_and_is_kept(
        desk: Desk) -> None:
    gone = Customer.model_validate(desk.customers[0].model_dump(mode="json")
                                   | {"customerId": "cust_gone"})
    desk.start_draft(gone, {"firstName": "Lost?"})
    [result] = desk.send()
    assert result.outcome is Outcome.FAILED
    draft = desk.draft("cust_gone")
    assert draft.state is DraftState.FAILED
    assert draft.reason == "Deleted on the server: Customer cust_gone not found"
    assert draft.edits == {"firstName": "Lost?"}
    assert desk.puts() == []
    assert desk.send() == []  # kept, and not retried, until the user discards it
    assert desk.store.discard(desk.here, "cust_gone")


def test_a_customer_deactivated_by_a_colleague_fails(desk: Desk) -> None:
    for candidate in desk.customers:  # one without open subscriptions or orders
        try:
            desk.colleague.delete_customer(candidate.customer_id)
        except Conflict:
            continue
        break
    else:
        pytest.fail("the seed has no customer that can be deactivated")
    desk.start_draft(candidate, {"phone": "+31 6 0000 0000"})
    [result] = desk.send()
    assert result.outcome is Outcome.FAILED
    draft = desk.draft(candidate.customer_id)
    assert draft.state is DraftState.FAILED
    assert "Deactivated" in draft.reason
    assert desk.puts() == []


def test_a_crash_between_the_put_and_the_delete_sends_nothing_twice(desk: Desk) -> None:
    mine = desk.customers[0]
    assert mine.last_billing_address is not None
    desk.start_draft(mine, {"firstName": "Mine", "billingAddress.city": "Leiden"})
    desk.store.set_state(desk.here, mine.customer_id, DraftState.SENDING)
    address = mine.last_billing_address.model_dump(mode="json") | {"city": "Leiden"}
    desk.client.update_customer(mine.customer_id, {"firstName": "Mine", "billingAddress": address})
    desk.store.close()  # ... and the app died before confirming
    desk.sandbox.clear_requests()
    with Store.open(desk.store.path) as restarted:
        [result] = send_outbox(restarted, desk.client, desk.here)
        assert result.outcome is Outcome.ALREADY_THERE
        assert restarted.draft_count(desk.here) == 0
    assert desk.puts() == []


def test_no_token_reaches_the_database_in_a_full_flow(desk: Desk) -> None:
    store, first, second, third, fourth = desk.store, *desk.customers[:4]
    store.cache_customers(desk.here, desk.client.iter_customers())
    desk.start_draft(first, {"firstName": "Sent"})
    desk.start_draft(second, {"firstName": "Mine"})
    desk.start_draft(third, {"email": "bad"})
    desk.start_draft(fourth, {"lastName": "Still editing"}, queue=False)
    desk.colleague.update_customer(second.customer_id, {"firstName": "Theirs"})
    assert [r.outcome for r in desk.send()] == [Outcome.SENT, Outcome.CONFLICT, Outcome.FAILED]
    files = [p for p in store.path.parent.iterdir() if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files)
    content = b"".join(p.read_bytes() for p in files)
    assert fourth.customer_id.encode() in content  # the rows are there to search
    assert TOKEN.encode() not in content
    store.close()
    assert TOKEN.encode() not in store.path.read_bytes()
