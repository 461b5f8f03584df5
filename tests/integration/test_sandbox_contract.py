"""Every answer of the sandbox against the contract (tests/contract/*.openapi.yaml).

Success bodies are validated against their response schemas; so are error bodies against
`Error`. The contract leaves extra properties open, so customers are also checked to carry
no field the contract does not name, and PUT validation is checked to agree with the contract's
request schema on bodies without extra properties.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from flexdesk.sandbox import SandboxServer
from flexdesk.sandbox.seed import generate_customers
from tests.contract.schemas import response_validator, schema_properties, schema_validator

CUSTOMER_FIELDS = schema_properties("Customer")
ADDRESS_FIELDS = schema_properties("Address")


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, customers=150, seed=21) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def http(server: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=5) as client:
        yield client


def assert_documented(customer: dict[str, Any]) -> None:
    assert set(customer) <= CUSTOMER_FIELDS, set(customer) - CUSTOMER_FIELDS
    for name in ("lastBillingAddress", "lastShippingAddress"):
        if name in customer:
            assert set(customer[name]) <= ADDRESS_FIELDS


def test_seeded_customers_match_the_customer_schema() -> None:
    validator = schema_validator("Customer")
    for record in generate_customers(1000, seed=8):
        validator.validate(record.customer)
        assert_documented(record.customer)


@pytest.mark.parametrize(
    "params",
    [{}, {"limit": 100}, {"status": "inactive"}, {"customerType": "business", "limit": 7},
     {"hasActiveRentals": "true", "sortBy": "totalMonthlyRevenue", "sortOrder": "asc"}],
)
def test_every_list_page_matches_customer_list(http: httpx.Client, params: dict[str, Any]) -> None:
    validator = schema_validator("CustomerList")
    cursor = None
    while True:
        response = http.get("/v1/customers",
                            params={**params, **({"startAfter": cursor} if cursor else {})})
        assert response.status_code == 200
        page = response.json()
        validator.validate(page)
        for customer in page["customers"]:
            assert_documented(customer)
        cursor = page["nextCursor"]
        if cursor is None:
            break


def test_every_get_matches_customer(http: httpx.Client) -> None:
    validator = schema_validator("Customer")
    for status in ("active", "inactive"):
        listed = http.get("/v1/customers", params={"status": status, "limit": 30}).json()
        for summary in listed["customers"]:
            validator.validate(http.get(f"/v1/customers/{summary['customerId']}").json())


@pytest.mark.parametrize(
    "changes",
    [
        {"phone": "+974 5512 3456"},
        {"email": "new.address@example.qa", "firstName": "Noor", "lastName": "Al-Thani"},
        {"customerType": "business", "company": "Al-Thani Trading W.L.L."},
        {"status": "inactive"},
        {"billingAddress": {"contactName": "Noor", "streetAddress": "Salwa Road, Zone 40",
                            "city": "Doha", "country": "Qatar", "postalCode": None}},
        {"shippingAddress": {"contactName": "Finance", "company": "X B.V.",
                             "buildingInfo": "Unit 4", "streetAddress": "Damrak 1",
                             "locality": "Centrum", "city": "Amsterdam",
                             "adminArea": "Noord-Holland", "postalCode": "1012 LG",
                             "country": "Netherlands"}},
    ],
)
def test_every_put_answer_matches_customer_updated(
    http: httpx.Client, changes: dict[str, Any]
) -> None:
    customer_id = http.get("/v1/customers", params={"limit": 1}).json()["customers"][0][
        "customerId"]
    body = {"customerId": customer_id, **changes}
    schema_validator("CustomerUpdate").validate(body)
    response = http.put(f"/v1/customers/{customer_id}", json=body)
    assert response.status_code == 200
    schema_validator("CustomerUpdated").validate(response.json())
    assert_documented(response.json()["customer"])
    http.put(f"/v1/customers/{customer_id}", json={"customerId": customer_id, "status": "active"})


def test_a_delete_answer_matches_its_documented_response(server: SandboxServer,
                                                        http: httpx.Client) -> None:
    idle = next(r.customer["customerId"] for r in generate_customers(150, seed=21)
                if r.customer["status"] == "active" and not r.customer["rentalIds"]
                and not r.pending_orders)
    response = http.delete(f"/v1/customers/{idle}")
    assert response.status_code == 200
    response_validator("/v1/customers/{customerId}", "delete").validate(response.json())
    http.put(f"/v1/customers/{idle}", json={"customerId": idle, "status": "active"})


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"customerId": ""},
        {"customerId": "{id}", "firstName": ""},
        {"customerId": "{id}", "email": "no-at-sign"},
        {"customerId": "{id}", "customerType": "company"},
        {"customerId": "{id}", "status": "gone"},
        {"customerId": "{id}", "phone": 5},
        {"customerId": "{id}", "billingAddress": {"city": "Doha"}},
        {"customerId": "{id}", "shippingAddress": {"contactName": "A", "streetAddress": "B",
                                                  "city": "C", "country": "D", "postalCode": 1}},
        {"customerId": "{id}", "lastName": "Valid", "company": "Valid too"},
    ],
)
def test_put_validation_agrees_with_the_request_schema(
    http: httpx.Client, body: dict[str, Any]
) -> None:
    customer_id = http.get("/v1/customers", params={"limit": 1}).json()["customers"][0][
        "customerId"]
    if body.get("customerId") == "{id}":
        body = {**body, "customerId": customer_id}
    schema_ok = schema_validator("CustomerUpdate").is_valid(body)
    response = http.put(f"/v1/customers/{customer_id}", json=body)
    assert (response.status_code == 200) == schema_ok, response.text
    if not schema_ok:
        assert response.status_code == 422


def error_answers(server: SandboxServer, http: httpx.Client) -> Iterator[httpx.Response]:
    yield http.get("/v1/customers", params={"limit": "0"})  # 400
    yield http.get("/v1/customers", headers={"Authorization": "Bearer nope"})  # 401
    yield http.get("/v1/customers", headers={"Tenant-ID": "someone-else"})  # 403
    yield http.get("/v1/customers/cust_nobody")  # 404
    yield http.post("/v1/customers")  # 405
    renter = next(r.customer["customerId"] for r in generate_customers(150, seed=21)
                  if r.customer["rentalIds"])
    yield http.delete(f"/v1/customers/{renter}")  # 409
    yield http.put(f"/v1/customers/{renter}", json={"customerId": "x"})  # 422
    for status in (429, 500, 502, 503, 504):
        server.faults.script(status)
        yield http.get("/v1/customers")


def test_error_answers_match_the_error_schema(server: SandboxServer, http: httpx.Client) -> None:
    validator = schema_validator("Error")
    seen = []
    for response in error_answers(server, http):
        validator.validate(response.json())
        seen.append(response.status_code)
    assert seen == [400, 401, 403, 404, 405, 409, 422, 429, 500, 502, 503, 504]
    assert server.faults.scripted == ()
