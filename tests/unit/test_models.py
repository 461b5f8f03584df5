"""The models read what the API sends and write only what the contract allows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from flexdesk.api.models import Address, Customer, CustomerUpdate
from tests.contract.schemas import schema_validator

MINIMAL: dict[str, Any] = {
    "customerId": "cust_1",
    "tenantId": "t",
    "email": "anne@example.com",
    "firstName": "Anne",
    "lastName": "de Vries",
    "customerType": "individual",
    "status": "active",
    "totalOrders": 0,
    "totalDevicesRented": 0,
    "totalMonthlyRevenue": 0,
    "orderIds": [],
    "rentalIds": [],
    "createdBy": "api",
}
WHEN = datetime(2024, 3, 1, 12, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-01T12:30:00Z",
        "2024-03-01T12:30:00+00:00",
        "2024-03-01T13:30:00+01:00",
        WHEN.timestamp(),
        int(WHEN.timestamp() * 1000),
        {"_seconds": int(WHEN.timestamp()), "_nanoseconds": 0},
    ],
)
def test_timestamps_accept_every_shape_the_api_may_send(raw: object) -> None:
    assert Customer.model_validate({**MINIMAL, "updatedAt": raw}).updated_at == WHEN


@pytest.mark.parametrize("raw", [True, "yesterday", {"when": 1}, [2024]])
def test_nonsense_timestamps_are_refused(raw: object) -> None:
    with pytest.raises(ValidationError):
        Customer.model_validate({**MINIMAL, "createdAt": raw})


def test_unknown_fields_are_tolerated_and_never_written_back() -> None:
    customer = Customer.model_validate({**MINIMAL, "loyaltyTier": "gold"})
    assert "loyaltyTier" not in customer.model_dump(mode="json")
    with pytest.raises(ValidationError, match="loyaltyTier"):
        CustomerUpdate.model_validate({"customerId": "c", "loyaltyTier": "gold"})


def test_read_and_write_address_names_differ() -> None:
    address = {"contactName": "A", "streetAddress": "B 1", "city": "C", "country": "D"}
    customer = Customer.model_validate({**MINIMAL, "lastBillingAddress": address})
    assert customer.last_billing_address == Address.model_validate(address)
    with pytest.raises(ValidationError):
        CustomerUpdate.model_validate({"customerId": "c", "lastBillingAddress": address})
    body = CustomerUpdate.model_validate({"customerId": "c", "billingAddress": address}).to_body()
    assert body == {"customerId": "c", "billingAddress": address}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"firstName": ""}, "firstName"),
        ({"lastName": ""}, "lastName"),
        ({"email": "anne at example"}, "email"),
        ({"customerType": "reseller"}, "customerType"),
        ({"status": "deleted"}, "status"),
        ({"billingAddress": {"contactName": "A", "city": "C", "country": "D"}},
         "billingAddress.streetAddress"),
        ({"customerId": ""}, "customerId"),
    ],
)
def test_the_update_model_enforces_the_contract(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        CustomerUpdate.model_validate({"customerId": "c", **changes})
    paths = {".".join(map(str, e["loc"])) for e in caught.value.errors()}
    assert field in paths


def test_postal_code_may_be_null_and_other_absent_fields_are_left_out() -> None:
    address = Address(contact_name="A", street_address="B", city="Doha", country="Qatar",
                      postal_code=None)
    assert address.model_dump(mode="json") == {
        "contactName": "A", "streetAddress": "B", "city": "Doha", "country": "Qatar",
        "postalCode": None,
    }


# -- property tests: whatever the API may send parses, and what we write is contract-valid ---

text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
name = text.filter(lambda s: len(s) >= 1)
money = st.floats(min_value=0, max_value=1e7, allow_nan=False)
addresses = st.fixed_dictionaries(
    {"contactName": text, "streetAddress": text, "city": text, "country": text},
    optional={
        "company": text, "buildingInfo": text, "locality": text, "adminArea": text,
        "postalCode": st.none() | text,
    },
)
timestamps = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
customers = st.fixed_dictionaries(
    {
        "customerId": name, "tenantId": name, "email": text, "firstName": text,
        "lastName": text, "customerType": st.sampled_from(["individual", "business"]),
        "status": st.sampled_from(["active", "inactive"]), "totalOrders": money,
        "totalDevicesRented": money, "totalMonthlyRevenue": money,
        "orderIds": st.lists(name, max_size=3), "rentalIds": st.lists(name, max_size=3),
        "createdBy": text,
    },
    optional={
        "company": text, "phone": text, "lastBillingAddress": addresses,
        "lastShippingAddress": addresses,
        "createdAt": timestamps.map(lambda d: d.isoformat().replace("+00:00", "Z")),
        "updatedAt": timestamps.map(lambda d: d.timestamp() * 1000),
        "lifetimeCollected": money, "customerMargin": money,
        "customFields": st.dictionaries(name, st.integers() | text, max_size=3),
    },
)
updates = st.fixed_dictionaries(
    {"customerId": name},
    optional={
        "email": st.emails(), "firstName": name, "lastName": name, "company": text,
        "phone": text, "customerType": st.sampled_from(["individual", "business"]),
        "status": st.sampled_from(["active", "inactive"]),
        "billingAddress": addresses, "shippingAddress": addresses,
    },
)


@given(customers)
def test_any_customer_round_trips_and_stays_contract_valid(raw: dict[str, Any]) -> None:
    customer = Customer.model_validate(raw)
    dumped = customer.model_dump(mode="json")
    schema_validator("Customer").validate(dumped)
    assert Customer.model_validate(dumped) == customer


@given(updates)
def test_any_update_writes_exactly_what_was_given(raw: dict[str, Any]) -> None:
    body = CustomerUpdate.model_validate(raw).to_body()
    schema_validator("CustomerUpdate").validate(body)
    assert body == raw


def test_instances_of_one_shape_share_their_fields_set_safely() -> None:
    address = {"contactName": "A", "streetAddress": "B 1", "city": "C", "country": "D"}
    one = Customer.model_validate({**MINIMAL, "lastBillingAddress": address,
                                   "lastShippingAddress": address})
    two = Customer.model_validate({**MINIMAL, "customerId": "cust_2",
                                   "lastBillingAddress": address,
                                   "lastShippingAddress": address})
    assert one.__pydantic_fields_set__ is two.__pydantic_fields_set__
    assert one.last_shipping_address is one.last_billing_address  # identical: one object

    changed = one.model_copy(update={"phone": "+31 6 1"})
    assert "phone" in changed.model_fields_set
    assert "phone" not in two.model_fields_set, "a copy must not change the shared set"
    assert "phone" not in one.model_dump(mode="json")
