"""Answers with odd values, over real HTTP: what can be read is read, the rest is told plainly.

The sandbox sends the bytes as scripted (`Fault(200, body=...)`), so these are exactly the
answers a misbehaving server would give.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.errors import ServerError
from flexdesk.sandbox import Fault, SandboxServer


def _first_page(client: FlexPortalClient, sandbox: SandboxServer) -> dict[str, Any]:
    """A page of four real customers, as JSON to spoil."""
    customers = [c.model_dump(mode="json") for c in client.list_customers(limit=4).customers]
    sandbox.clear_requests()
    return {"customers": customers, "count": 4, "limit": 4, "hasMore": True, "nextCursor": "x"}


def test_one_broken_customer_does_not_cost_the_page(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    page = _first_page(client, sandbox)
    ids = [c["customerId"] for c in page["customers"]]
    page["customers"][1]["email"] = {"address": "x"}  # editable field: this one is lost
    page["customers"][2]["updatedAt"] = 1e20  # a read-only fact: only the fact is lost
    page["customers"][3]["totalOrders"] = "1e999"
    sandbox.faults.script(Fault(200, body=json.dumps(page).replace(
        '"1e999"', "1e999").encode()))
    got = client.list_customers(limit=4)
    assert [c.customer_id for c in got.customers] == [ids[0], ids[2], ids[3]]
    assert got.skipped == ("customers[1].email: not a string",)
    assert [c.unreadable_fields for c in got.customers] == [(), ("updatedAt",),
                                                          ("totalOrders",)]
    assert (got.has_more, got.next_cursor) == (True, "x")
    assert len(sandbox.requests) == 1


@pytest.mark.parametrize(("raw", "message"), [
    (b'{"customerId": "cust_1", "email": "a@b.c", "firstN',
     "the server's answer could not be read (cut off, or not JSON)"),
    (b'{"customerId": "cust_1", "email": ["a@b.c"]}',
     "the server's answer does not match the API (email: not a string, and 4 more)"),
])
def test_an_unreadable_customer_is_a_short_plain_error(
    client: FlexPortalClient, sandbox: SandboxServer, raw: bytes, message: str
) -> None:
    sandbox.faults.script(Fault(200, body=raw))
    with pytest.raises(ServerError) as caught:
        client.get_customer("cust_1")
    assert caught.value.message == message
    assert caught.value.status == 200
