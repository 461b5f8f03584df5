"""`sync_draft` against an in-memory API: what is sent, and what each refusal becomes.

The sandbox versions of the main cases are in tests/integration/test_sync_sandbox.py; here
every error the client can raise is covered without a server.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from flexdesk.api.errors import (
    ApiRefusal,
    FlexPortalError,
    Forbidden,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    Unreachable,
    ValidationFailed,
)
from flexdesk.api.models import Customer, CustomerUpdate
from flexdesk.editing import READ_NAMES
from flexdesk.store import ConnectionKey, Draft
from flexdesk.sync import Outcome, WrongConnection, sync_draft
from tests.factories import make_customer

CONNECTION = ConnectionKey("https://api-eu.flexportal.io", "t")


class FakeApi:
    """A server holding customers as JSON, applying PUT bodies as the real one does."""

    base_url = identity = CONNECTION.base_url
    tenant_id = CONNECTION.tenant_id

    def __init__(self, customers: Iterable[Customer]) -> None:
        self.records: dict[str, dict[str, Any]] = {
            c.customer_id: c.model_dump(mode="json") for c in customers}
        self.calls: list[tuple[str, str]] = []
        self.puts: list[dict[str, Any]] = []
        self._failures: list[tuple[str | None, FlexPortalError]] = []

    def fail_next(self, *failures: FlexPortalError, on: str | None = None) -> None:
        """The next calls (of method `on`, or any) raise these, in order."""
        self._failures.extend((on, failure) for failure in failures)

    def customer(self, customer_id: str) -> Customer:
        return Customer.model_validate(self.records[customer_id])

    def change(self, customer_id: str, **fields: Any) -> None:
        """A colleague's edit (read names)."""
        self.records[customer_id].update(fields)

    def get_customer(self, customer_id: str) -> Customer:
        self._call("GET", customer_id)
        return self.customer(customer_id)

    def update_customer(self, customer_id: str,
                        changes: CustomerUpdate | Mapping[str, Any]) -> Customer:
        self._call("PUT", customer_id)
        body = changes.to_body() if isinstance(changes, CustomerUpdate) else dict(changes)
        self.puts.append(body)
        write_to_read = {write: read for write, read in READ_NAMES.items()}
        for name, value in body.items():
            if name != "customerId":
                self.records[customer_id][write_to_read.get(name, name)] = value
        return self.customer(customer_id)

    def _call(self, method: str, customer_id: str) -> None:
        self.calls.append((method, customer_id))
        for index, (on, failure) in enumerate(self._failures):
            if on in (None, method):
                del self._failures[index]
                raise failure
        if customer_id not in self.records:
            raise NotFound(f"Customer {customer_id} not found", code="NOT_FOUND")


def new_draft(edits: Mapping[str, str], base: Customer | None = None) -> Draft:
    return Draft.of(CONNECTION, base or make_customer(1), edits)


def test_a_clean_save_sends_only_what_changed() -> None:
    api = FakeApi([make_customer(1)])
    result = sync_draft(api, new_draft({"firstName": "Anna"}))
    assert result.outcome is Outcome.SENT
    assert api.calls == [("GET", "cust_0001"), ("PUT", "cust_0001")]
    assert api.puts == [{"customerId": "cust_0001", "firstName": "Anna"}]
    assert result.customer is not None and result.customer.first_name == "Anna"
    assert result.edits == {"firstName": "Anna"}


def test_a_colleagues_change_elsewhere_is_kept() -> None:
    api = FakeApi([make_customer(1)])
    api.change("cust_0001", phone="+31 6 1234", lastName="Colleague")
    result = sync_draft(api, new_draft({"firstName": "Anna"}))
    assert result.outcome is Outcome.SENT
    assert api.puts == [{"customerId": "cust_0001", "firstName": "Anna"}]
    assert (api.customer("cust_0001").phone, api.customer("cust_0001").last_name) == (
        "+31 6 1234", "Colleague")


def test_a_colleagues_change_to_the_same_field_is_a_conflict() -> None:
    api = FakeApi([make_customer(1)])
    api.change("cust_0001", firstName="Colleague")
    result = sync_draft(api, new_draft({"firstName": "Anna", "phone": "1"}))
    assert result.outcome is Outcome.CONFLICT
    assert result.conflicts == ("firstName",)
    assert "First name" in result.reason
    assert result.customer == api.customer("cust_0001")
    assert api.puts == []


def test_what_the_server_already_holds_is_not_sent_again() -> None:
    api = FakeApi([make_customer(1)])
    api.change("cust_0001", firstName="Anna")
    result = sync_draft(api, new_draft({"firstName": " Anna", "phone": "1"}))
    assert result.outcome is Outcome.SENT
    assert api.puts == [{"customerId": "cust_0001", "phone": "1"}]


def test_nothing_left_to_send_is_already_there() -> None:
    api = FakeApi([make_customer(1)])
    api.change("cust_0001", firstName="Anna")
    result = sync_draft(api, new_draft({"firstName": "Anna"}))
    assert (result.outcome, api.puts) == (Outcome.ALREADY_THERE, [])
    assert result.customer == api.customer("cust_0001")


def test_an_address_goes_whole_with_the_colleagues_other_address_untouched() -> None:
    api = FakeApi([make_customer(1)])
    colleague_shipping = {"contactName": "S", "streetAddress": "Quay 1", "city": "Delft",
                          "country": "Netherlands"}
    api.change("cust_0001", lastShippingAddress=colleague_shipping)
    result = sync_draft(api, new_draft({"billingAddress.city": "Utrecht"}))
    assert result.outcome is Outcome.SENT
    assert api.puts == [{"customerId": "cust_0001", "billingAddress": {
        "contactName": "A", "streetAddress": "B 1", "postalCode": "1011 AB", "city": "Utrecht",
        "country": "Netherlands"}}]
    assert api.records["cust_0001"]["lastShippingAddress"] == colleague_shipping


def test_a_customer_deactivated_since_the_draft_began_fails() -> None:
    api = FakeApi([make_customer(1)])
    api.change("cust_0001", status="inactive")
    result = sync_draft(api, new_draft({"firstName": "Anna"}))
    assert result.outcome is Outcome.FAILED
    assert "Deactivated" in result.reason
    assert api.puts == []


def test_a_draft_that_reactivates_the_customer_is_sent() -> None:
    api = FakeApi([make_customer(1, status="inactive")])
    result = sync_draft(api, new_draft({"status": "active"}, make_customer(1, status="inactive")))
    assert result.outcome is Outcome.SENT
    assert api.puts == [{"customerId": "cust_0001", "status": "active"}]


def test_a_customer_inactive_when_the_draft_began_can_still_be_edited() -> None:
    inactive = make_customer(1, status="inactive")
    api = FakeApi([inactive])
    assert sync_draft(api, new_draft({"phone": "1"}, inactive)).outcome is Outcome.SENT


def test_a_deleted_customer_fails_with_the_servers_words() -> None:
    result = sync_draft(FakeApi([]), new_draft({"firstName": "Anna"}))
    assert result.outcome is Outcome.FAILED
    assert result.reason == "Deleted on the server: Customer cust_0001 not found"


def test_an_invalid_draft_fails_before_anything_is_sent() -> None:
    api = FakeApi([make_customer(1)])
    result = sync_draft(api, new_draft({"email": "not an email"}))
    assert result.outcome is Outcome.FAILED
    assert set(result.field_errors) == {"email"}
    assert api.puts == []


def test_a_draft_naming_unknown_fields_fails_instead_of_losing_them() -> None:
    api = FakeApi([make_customer(1)])
    result = sync_draft(api, new_draft({"nickname": "Jo"}))
    assert result.outcome is Outcome.FAILED
    assert result.reason == "This draft cannot be read: this version does not know nickname"
    assert api.calls == []


@pytest.mark.parametrize(
    ("failure", "outcome", "words"),
    [
        (Unreachable("http://x is unreachable: refused"), Outcome.OFFLINE, "unreachable"),
        (RateLimited("Too many requests", retry_after=30), Outcome.RETRY_LATER, "Too many"),
        (ServerError("Internal error", status=503), Outcome.RETRY_LATER, "Internal error"),
        (Unauthorized("Missing or invalid API key"), Outcome.UNAUTHORIZED, "API key"),
        (Forbidden("No access to tenant t"), Outcome.UNAUTHORIZED, "No access"),
        (ApiRefusal("I'm a teapot", status=418), Outcome.FAILED, "teapot"),
    ],
)
@pytest.mark.parametrize("call", ["GET", "PUT"])
def test_each_error_has_its_outcome(failure: FlexPortalError, outcome: Outcome, words: str,
                                    call: str) -> None:
    api = FakeApi([make_customer(1)])
    api.fail_next(failure, on=call)
    result = sync_draft(api, new_draft({"firstName": "Anna"}))
    assert result.outcome is outcome
    assert words in result.reason
    assert result.outcome.stays_queued == (outcome is not Outcome.FAILED)
    assert api.calls[-1][0] == call


def test_the_servers_field_errors_are_kept() -> None:
    api = FakeApi([make_customer(1)])
    api.fail_next(ValidationFailed("Invalid", field_errors={"email": "taken"}))
    result = sync_draft(api, new_draft({"firstName": "Anna"}))
    assert result.outcome is Outcome.FAILED
    assert result.field_errors == {"email": "taken"}
    assert result.reason == "The server refused the changes: Invalid"


def test_a_draft_is_never_sent_to_another_tenant_or_server() -> None:
    api = FakeApi([make_customer(1)])
    for elsewhere in (ConnectionKey(CONNECTION.base_url, "other"),
                      ConnectionKey("https://api-us.flexportal.io", CONNECTION.tenant_id)):
        with pytest.raises(WrongConnection):
            sync_draft(api, Draft.of(elsewhere, make_customer(1), {"firstName": "Anna"}))
    assert api.calls == []
