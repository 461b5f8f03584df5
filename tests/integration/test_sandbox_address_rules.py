"""The sandbox refuses an address the form would refuse, with the same field names and words,
so tests meet real 422s; over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.errors import ValidationFailed
from flexdesk.editing import check_address

BERLIN: dict[str, Any] = {"contactName": "Jürgen Weiß", "streetAddress": "Torstraße 5",
                          "postalCode": "10115", "city": "Berlin", "country": "Germany"}


def _refusal(client: FlexPortalClient, address: dict[str, Any]) -> ValidationFailed:
    customer = next(iter(client.iter_customers()))
    with pytest.raises(ValidationFailed) as caught:
        client.update_customer(customer.customer_id, {"billingAddress": address})
    unchanged = client.get_customer(customer.customer_id)
    assert unchanged.last_billing_address == customer.last_billing_address
    return caught.value


def test_an_invalid_postal_code_is_a_422_naming_the_field_as_the_form_does(
    client: FlexPortalClient,
) -> None:
    address = {**BERLIN, "postalCode": "ABC12"}
    refusal = _refusal(client, address)
    assert refusal.status == 422
    form = check_address(address).problems
    assert refusal.field_errors == {"billingAddress.postalCode": form["postalCode"]}
    assert form["postalCode"] == "Not a postal code in Germany — e.g. 26133"


def test_a_country_that_is_none_and_a_missing_state_are_refused(
    client: FlexPortalClient,
) -> None:
    refusal = _refusal(client, {**BERLIN, "country": "Germnay"})
    assert refusal.field_errors == {
        "billingAddress.country": "Germnay: not a country — did you mean Germany?"}
    ohio = {**BERLIN, "city": "Columbus", "postalCode": "43215", "country": "United States"}
    assert _refusal(client, ohio).field_errors == {"billingAddress.adminArea": "is required"}


def test_a_valid_address_is_stored_as_it_was_typed(client: FlexPortalClient) -> None:
    customer = next(iter(client.iter_customers()))
    amsterdam = {**BERLIN, "postalCode": "1012js", "city": "Amsterdam", "country": "Netherlands"}
    answer = client.update_customer(customer.customer_id, {"billingAddress": amsterdam})
    assert answer.last_billing_address is not None
    assert answer.last_billing_address.postal_code == "1012js"
