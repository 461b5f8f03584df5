"""Odd values from the server never break a customer, a page, the cache or a draft.

Read-only facts (dates, figures, ids of orders) that cannot be read become None and are named
in `unreadable_fields`; a customer whose editable or identifying fields are broken is left out
of its page and counted. Whatever is read dumps to JSON that reads back, as the store needs.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from flexdesk.api.errors import ServerError
from flexdesk.api.models import (
    READ_ONLY_FIELDS,
    Customer,
    CustomerPage,
    parse_timestamp,
    salvage_customer,
)
from flexdesk.api.reading import read_answer
from flexdesk.store import ConnectionKey, Draft, Store
from tests.unit.test_models import MINIMAL

WHEN = datetime(2024, 3, 1, 12, 30, tzinfo=UTC)
EPOCH = int(WHEN.timestamp())
PYDANTIC_WORDS = ("Input should", "problem(s)", "validation error", "pydantic", "type=")


def body(**fields: Any) -> bytes:
    return json.dumps({**MINIMAL, **fields}).encode()


def round_trips(customer: Customer) -> bool:
    """Both ways the store keeps a customer read back to the same customer."""
    return (Customer.model_validate_json(customer.model_dump_json()) == customer
            and Customer.model_validate(customer.model_dump(mode="json")) == customer)


@pytest.mark.parametrize("raw", [EPOCH, EPOCH * 1000, EPOCH * 1_000_000, float(EPOCH),
                                 "2024-03-01T12:30:00Z", "2024-03-01T14:30:00+02:00",
                                 {"_seconds": EPOCH, "_nanoseconds": 0}, {"seconds": EPOCH}])
def test_every_timestamp_unit_is_told_by_its_magnitude(raw: object) -> None:
    assert parse_timestamp(raw) == WHEN
    assert parse_timestamp(raw).tzinfo is UTC  # type: ignore[union-attr]


@pytest.mark.parametrize("raw", [1e20, -1e20, 10**400, "inf", "0000-01-01", "9999-12-31T23:59Z",
                                 "year 56889", True, [2024], {"_seconds": 1e300},
                                 {"seconds": "soon"}, {"_seconds": 1, "_nanoseconds": "x"}])
def test_a_timestamp_out_of_range_or_unknown_is_a_value_error_only(raw: object) -> None:
    with pytest.raises(ValueError):  # and nothing else: OverflowError or OSError would escape
        parse_timestamp(raw)


@pytest.mark.parametrize(("fields", "unreadable"), [
    ({"updatedAt": 1e20}, ("updatedAt",)),
    ({"updatedAt": float("nan"), "createdAt": 2e17}, ("createdAt", "updatedAt")),
    ({"totalOrders": "many", "createdAt": {"when": 1}}, ("createdAt", "totalOrders")),
    ({"orderIds": "o1", "customFields": [1], "tenantId": 7}, ("customFields", "orderIds",
                                                              "tenantId")),
])
def test_an_unreadable_fact_is_none_and_named(fields: dict[str, Any],
                                              unreadable: tuple[str, ...]) -> None:
    customer = read_answer(Customer, body(**fields))  # NaN is sent as the token NaN
    assert customer.unreadable_fields == unreadable
    assert customer.first_name == "Anne"
    assert round_trips(customer)
    assert "unreadableFields" in customer.model_dump(mode="json")


def test_infinity_is_unreadable_rather_than_stored_as_a_null_that_cannot_be_read() -> None:
    raw = body().replace(b'"totalOrders": 0', b'"totalOrders": 1e999')
    with pytest.raises(ValidationError):
        Customer.model_validate_json(raw)
    customer = read_answer(Customer, raw)
    assert (customer.total_orders, customer.unreadable_fields) == (None, ("totalOrders",))
    assert round_trips(customer)


def test_a_clean_customer_dumps_no_flag_and_missing_facts_are_none() -> None:
    bare = {k: v for k, v in MINIMAL.items() if k not in READ_ONLY_FIELDS}
    customer = Customer.model_validate(bare)
    assert (customer.total_orders, customer.unreadable_fields) == (None, ())
    assert "unreadableFields" not in customer.model_dump(mode="json")
    assert round_trips(customer)


def test_a_flagged_customer_survives_the_cache_and_a_draft(tmp_path: Path) -> None:
    customer = read_answer(Customer, body(updatedAt=1e20, totalOrders="x"))
    here = ConnectionKey("https://api-eu.flexportal.io", "t")
    with Store.open(tmp_path / "drafts.db") as store:
        store.cache_customers(here, [customer])
        store.save_draft(Draft.of(here, customer, {"firstName": "Anna"}))
        cached = store.cached_customer(here, customer.customer_id)
        draft = store.get_draft(here, customer.customer_id)
    assert cached is not None and cached.customer == customer
    assert draft is not None and draft.base_customer() == customer


def test_a_broken_editable_field_still_makes_the_customer_unreadable() -> None:
    with pytest.raises(ValidationError) as caught:
        salvage_customer({**MINIMAL, "email": 5, "updatedAt": 1e20})
    assert [e["loc"] for e in caught.value.errors()] == [("email",)]
    with pytest.raises(ServerError) as unreadable:
        read_answer(Customer, body(email=["a"]))
    assert unreadable.value.message == ("the server's answer does not match the API "
                                        "(email: not a string)")


def test_a_page_keeps_every_customer_it_can_and_counts_the_others() -> None:
    customers = [MINIMAL, {**MINIMAL, "customerId": "c2", "email": 5},
                 {**MINIMAL, "customerId": "c3", "updatedAt": 10**30},
                 {k: v for k, v in MINIMAL.items() if k != "customerId"},
                 {**MINIMAL, "customerId": "c5"}]
    raw = json.dumps({"customers": customers, "count": 5, "limit": 5, "hasMore": False})
    page = read_answer(CustomerPage, raw.encode())
    assert [c.customer_id for c in page.customers] == ["cust_1", "c3", "c5"]
    assert page.customers[1].unreadable_fields == ("updatedAt",)
    assert page.skipped == ("customers[1].email: not a string",
                            "customers[3].customerId: missing")


@pytest.mark.parametrize(("raw", "message"), [
    (b'{"customers": [{"customerId": "c', "could not be read (cut off, or not JSON)"),
    (b"<html>Welcome to the captive portal</html>", "could not be read (cut off, or not JSON)"),
    (b'{"customers": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
     "could not be read (cut off, or not JSON)"),
    (b'{"customers": [], "count": "three", "limit": 5, "hasMore": false}',
     "does not match the API (count: not a whole number)"),
    (b'[]', "does not match the API (not an object)"),
])
def test_a_page_that_cannot_be_read_is_a_plain_server_error(raw: bytes, message: str) -> None:
    with pytest.raises(ServerError) as caught:
        read_answer(CustomerPage, raw)
    assert caught.value.message == f"the server's answer {message}"


# -- property tests: arbitrary JSON in any field ------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**20, max_value=10**400)
    | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=6,
)
wire_names = sorted({*MINIMAL, *READ_ONLY_FIELDS, "company", "phone", "lastBillingAddress"})


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(wire_names), json_values, min_size=1, max_size=4))
def test_any_json_in_any_field_reads_or_fails_plainly(overrides: dict[str, Any]) -> None:
    raw = json.dumps({**MINIMAL, **overrides}).encode()  # NaN and Infinity included
    # The only way the strict parse may fail (read_answer then salvages): nothing else escapes.
    with contextlib.suppress(ValidationError):
        Customer.model_validate_json(raw)
    try:
        customer = read_answer(Customer, raw)
    except ServerError as exc:
        assert not set(overrides) <= READ_ONLY_FIELDS, "read-only facts broke a customer"
        assert not any(word in exc.message for word in PYDANTIC_WORDS), exc.message
        return
    # Read back as the store reads it, the same (non-finite numbers in the free-form custom
    # fields come back as null: one dump later, nothing changes any more).
    again = Customer.model_validate_json(customer.model_dump_json())
    assert again.model_dump_json() == customer.model_dump_json()
    assert Customer.model_validate(customer.model_dump(mode="json")).model_dump_json() == (
        customer.model_dump_json())
