"""The client's calls against the sandbox over real loopback HTTP."""

from __future__ import annotations

import pytest

from flexdesk import __version__
from flexdesk.api.client import CustomerQuery, FlexPortalClient
from flexdesk.api.errors import Conflict, NotFound, ValidationFailed
from flexdesk.api.models import Address, CustomerStatus, CustomerType, CustomerUpdate
from flexdesk.sandbox import SandboxServer
from tests.conftest import TENANT
from tests.contract.schemas import schema_validator


def test_every_request_names_tenant_client_and_key(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    client.list_customers(limit=5)
    seen = sandbox.requests[-1]
    assert seen.headers["tenant-id"] == TENANT
    assert seen.headers["user-agent"].startswith(f"flexdesk/{__version__}")
    assert seen.headers["authorization"] == "<redacted>"  # present, and the log hides it
    assert seen.query["limit"] == "5"


def test_pages_follow_the_cursor_to_every_active_customer(client: FlexPortalClient) -> None:
    first = client.list_customers(limit=25)
    assert first.count == len(first.customers) == 25
    assert first.has_more and first.next_cursor

    everyone = list(client.iter_customers(page_size=25))
    ids = [c.customer_id for c in everyone]
    assert len(ids) == len(set(ids)), "a customer appeared on two pages"
    assert ids[:25] == [c.customer_id for c in first.customers]
    assert all(c.status is CustomerStatus.ACTIVE for c in everyone)

    inactive = list(client.iter_customers(CustomerQuery(status=CustomerStatus.INACTIVE)))
    assert inactive, "the seed should hold some inactive customers"
    assert len(everyone) + len(inactive) == 60


def test_filters_and_sorting_reach_the_server(client: FlexPortalClient) -> None:
    businesses = list(client.iter_customers(CustomerQuery(customer_type=CustomerType.BUSINESS)))
    assert businesses and all(c.customer_type is CustomerType.BUSINESS for c in businesses)

    renting = list(client.iter_customers(CustomerQuery(has_active_rentals=True)))
    assert renting and all(c.rental_ids for c in renting)

    by_name = list(client.iter_customers(CustomerQuery(sort_by="lastName", sort_order="asc")))
    names = [c.last_name for c in by_name]
    assert names == sorted(names)

    target = by_name[3]
    found = client.list_customers(CustomerQuery(email=target.email))
    assert [c.customer_id for c in found.customers] == [target.customer_id]


def test_a_bad_sort_field_is_refused_before_any_request(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    with pytest.raises(ValueError, match="cannot sort by"):
        client.list_customers(CustomerQuery(sort_by="shoeSize"))
    assert sandbox.requests == []


def test_get_and_not_found(client: FlexPortalClient) -> None:
    some = client.list_customers(limit=1).customers[0]
    assert client.get_customer(some.customer_id) == some
    with pytest.raises(NotFound) as caught:
        client.get_customer("cust_does_not_exist")
    assert caught.value.code == "NOT_FOUND"


def test_update_sends_only_the_changes_and_returns_the_new_record(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    before = client.list_customers(limit=1).customers[0]
    sandbox.clear_requests()

    after = client.update_customer(before.customer_id, {"phone": "+31 6 1234 5678"})

    put = sandbox.requests[-1]
    assert put.method == "PUT"
    assert put.body == {"customerId": before.customer_id, "phone": "+31 6 1234 5678"}
    schema_validator("CustomerUpdate").validate(put.body)
    assert after.phone == "+31 6 1234 5678"
    assert after.email == before.email
    assert after.updated_at is not None and before.updated_at is not None
    assert after.updated_at > before.updated_at
    assert client.get_customer(before.customer_id) == after


def test_an_address_is_sent_whole_under_its_write_name(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    customer = client.list_customers(limit=1).customers[0]
    new_address = Address(
        contact_name="Finance Department",
        company="Acme B.V.",
        street_address="Oudegracht 12",
        city="Utrecht",
        postal_code="3511 AB",
        country="Netherlands",
    )
    update = CustomerUpdate(customer_id=customer.customer_id, billing_address=new_address)

    after = client.update_customer(customer.customer_id, update)

    body = sandbox.requests[-1].body
    schema_validator("CustomerUpdate").validate(body)
    assert set(body) == {"customerId", "billingAddress"}
    assert body["billingAddress"]["streetAddress"] == "Oudegracht 12"
    assert after.last_billing_address == new_address
    assert after.last_shipping_address == customer.last_shipping_address


def test_invalid_changes_are_refused_locally_and_nothing_is_sent(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    sandbox.clear_requests()
    with pytest.raises(ValidationFailed) as caught:
        client.update_customer(
            "cust_x",
            {"firstName": "", "email": "not-an-email",
             "billingAddress": {"contactName": "A", "streetAddress": "B", "country": "NL"}},
        )
    assert caught.value.field_errors == {"firstName": "empty",
                                         "email": "not a valid email address",
                                         "billingAddress.city": "missing"}
    assert caught.value.message == ("the changes are not valid: "
                                    "email: not a valid email address; firstName: empty; "
                                    "billingAddress.city: missing")
    assert sandbox.requests == []


def test_the_servers_field_errors_reach_the_caller(client: FlexPortalClient) -> None:
    customer = client.list_customers(limit=1).customers[0]
    # model_construct skips our own checks, to prove the server's answer is understood.
    unchecked = CustomerUpdate.model_construct(
        customer_id=customer.customer_id, first_name="", last_name=""
    )
    with pytest.raises(ValidationFailed) as caught:
        client.update_customer(customer.customer_id, unchecked)
    assert caught.value.status == 422
    assert {"firstName", "lastName"} <= set(caught.value.field_errors)


def test_delete_deactivates_refuses_renters_and_reactivation_works(
    client: FlexPortalClient,
) -> None:
    everyone = list(client.iter_customers())
    renter = next(c for c in everyone if c.rental_ids)
    with pytest.raises(Conflict) as caught:
        client.delete_customer(renter.customer_id)
    assert caught.value.code == "CUSTOMER_HAS_ACTIVE_SUBSCRIPTIONS"

    idle = next(c for c in everyone if not c.rental_ids and c.total_devices_rented == 0)
    result = client.delete_customer(idle.customer_id)
    assert result.success and result.customer_id == idle.customer_id
    assert client.get_customer(idle.customer_id).status is CustomerStatus.INACTIVE
    visible = {c.customer_id for c in client.iter_customers()}
    assert idle.customer_id not in visible

    back = client.update_customer(idle.customer_id, {"status": "active"})
    assert back.status is CustomerStatus.ACTIVE
