"""GET one, PUT (partial update and its validation) and DELETE on the sandbox.

Each test gets its own small server, so edits never leak between tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from flexdesk.sandbox import SandboxServer
from flexdesk.sandbox.api import UpdateClock
from flexdesk.sandbox.seed import SeedCustomer, generate_customers

COUNT, SEED = 80, 11
SEEDED = generate_customers(COUNT, seed=SEED)


PICKS: dict[str, Callable[[SeedCustomer], bool]] = {
    "renter": lambda r: bool(r.customer["rentalIds"]),
    "pending": lambda r: r.pending_orders and not r.customer["rentalIds"],
    "idle": lambda r: r.customer["status"] == "active" and not r.pending_orders
    and not r.customer["rentalIds"],
    "inactive": lambda r: r.customer["status"] == "inactive",
    "shipping": lambda r: "lastShippingAddress" in r.customer
    and "buildingInfo" in r.customer["lastBillingAddress"],
}


def seeded(kind: str) -> str:
    """The id of a seeded customer of a kind the API cannot filter on."""
    customer_id: str = next(r.customer["customerId"] for r in SEEDED if PICKS[kind](r))
    return customer_id


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, customers=COUNT, seed=SEED) as sandbox:
        yield sandbox


@pytest.fixture
def http(server: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=5) as client:
        yield client


def get(http: httpx.Client, customer_id: str) -> dict[str, Any]:
    response = http.get(f"/v1/customers/{customer_id}")
    assert response.status_code == 200, response.text
    customer: dict[str, Any] = response.json()
    return customer


def put(http: httpx.Client, customer_id: str, **changes: Any) -> httpx.Response:
    return http.put(f"/v1/customers/{customer_id}", json={"customerId": customer_id, **changes})


def test_get_returns_the_customer_the_list_shows(http: httpx.Client) -> None:
    listed = http.get("/v1/customers", params={"limit": 3}).json()["customers"]
    for customer in listed:
        assert get(http, customer["customerId"]) == customer


def test_get_of_an_unknown_customer_is_404(http: httpx.Client) -> None:
    response = http.get("/v1/customers/cust_doesnotexist")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
    assert "cust_doesnotexist" in response.json()["error"]["message"]


def test_an_inactive_customer_can_still_be_read(http: httpx.Client) -> None:
    assert get(http, seeded("inactive"))["status"] == "inactive"


def test_a_put_changes_only_what_it_sends(http: httpx.Client) -> None:
    customer_id = seeded("idle")
    before = get(http, customer_id)

    response = put(http, customer_id, phone="+31 6 87654321", company="Nieuw B.V.")

    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is True and answer["customerId"] == customer_id
    after = answer["customer"]
    assert after == get(http, customer_id)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {"phone", "company", "updatedAt"}
    assert after["phone"] == "+31 6 87654321" and after["company"] == "Nieuw B.V."


def test_an_address_is_replaced_whole_under_its_read_name(http: httpx.Client) -> None:
    customer_id = seeded("shipping")
    before = get(http, customer_id)
    assert "buildingInfo" in before["lastBillingAddress"]
    # Qatar has no postal codes: null is what its addresses hold.
    new_billing = {"contactName": "Finance Department", "streetAddress": "Al Waab Street",
                   "city": "Doha", "country": "Qatar", "postalCode": None}

    after = put(http, customer_id, billingAddress=new_billing).json()["customer"]

    assert after["lastBillingAddress"] == new_billing  # nothing of the old one survives
    assert after["lastShippingAddress"] == before["lastShippingAddress"]
    assert "billingAddress" not in after


def test_updated_at_moves_forward_on_every_change(http: httpx.Client) -> None:
    customer_id = seeded("idle")
    stamps = [get(http, customer_id)["updatedAt"]]
    for n in range(6):  # faster than a millisecond apiece, often
        stamps.append(put(http, customer_id, phone=f"+49 30 1234567{n}").json()
                      ["customer"]["updatedAt"])
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert all(stamp.endswith("Z") for stamp in stamps)


def test_type_email_and_status_can_change(http: httpx.Client) -> None:
    customer_id = seeded("idle")
    after = put(http, customer_id, customerType="business", company="Zoë & Co",
                email="Zoe@Example.org", status="inactive").json()["customer"]
    assert (after["customerType"], after["company"], after["email"], after["status"]) == \
        ("business", "Zoë & Co", "Zoe@Example.org", "inactive")
    found = http.get("/v1/customers", params={"email": "zoe@example.org", "status": "inactive"})
    assert [c["customerId"] for c in found.json()["customers"]] == [customer_id]


ADDRESS = {"contactName": "A", "streetAddress": "B", "city": "C", "country": "D"}


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"customerId": None}, {"customerId"}),
        ({"customerId": "cust_someoneelse"}, {"customerId"}),
        ({"customerId": ""}, {"customerId"}),
        ({"firstName": "", "lastName": ""}, {"firstName", "lastName"}),
        ({"firstName": 7}, {"firstName"}),
        ({"email": "not-an-email"}, {"email"}),
        ({"email": "two@@example.com"}, {"email"}),
        ({"customerType": "company"}, {"customerType"}),
        ({"status": "deleted"}, {"status"}),
        ({"phone": 31612345678}, {"phone"}),
        ({"company": None}, {"company"}),
        ({"billingAddress": {"contactName": "A", "streetAddress": "B"}},
         {"billingAddress.city", "billingAddress.country"}),
        ({"shippingAddress": {}}, {f"shippingAddress.{p}" for p in ADDRESS}),
        ({"shippingAddress": "Main St 1"}, {"shippingAddress"}),
        ({"billingAddress": {**ADDRESS, "postalCode": 1012}}, {"billingAddress.postalCode"}),
        ({"billingAddress": {**ADDRESS, "city": None}}, {"billingAddress.city"}),
        ({"billingAddress": {**ADDRESS, "postal_code": "1012 AB"}},
         {"billingAddress.postal_code"}),
        ({"lastBillingAddress": ADDRESS}, {"lastBillingAddress"}),
        ({"totalOrders": 3, "shoeSize": 44}, {"totalOrders", "shoeSize"}),
        ({"firstName": "", "email": "x", "billingAddress": {**ADDRESS, "country": 1}},
         {"firstName", "email", "billingAddress.country"}),
    ],
)
def test_every_invalid_field_is_named_and_nothing_changes(
    http: httpx.Client, changes: dict[str, Any], fields: set[str]
) -> None:
    customer_id = seeded("idle")
    before = get(http, customer_id)
    body = {"customerId": customer_id, **changes}
    if body["customerId"] is None:
        del body["customerId"]

    response = http.put(f"/v1/customers/{customer_id}", json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert {d["field"] for d in error["details"]} == fields
    assert all(d["message"] for d in error["details"])
    assert all(field in error["message"] for field in fields)
    assert get(http, customer_id) == before


def test_the_read_name_of_an_address_points_to_its_write_name(http: httpx.Client) -> None:
    customer_id = seeded("idle")
    error = put(http, customer_id, lastShippingAddress=ADDRESS).json()["error"]
    assert "shippingAddress" in error["details"][0]["message"].replace("lastShipping", "")


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "required"), (b"{not json", "not valid JSON"), (b"[1, 2]", "JSON object"),
     (b'"text"', "JSON object"), (b"\xff\xfe", "not valid JSON")],
)
def test_a_body_that_is_not_a_json_object_is_400(
    http: httpx.Client, content: bytes, words: str
) -> None:
    customer_id = seeded("idle")
    response = http.put(f"/v1/customers/{customer_id}", content=content,
                        headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"][0]["field"] == "body" and words in error["message"]


def test_a_put_to_an_unknown_customer_is_404(http: httpx.Client) -> None:
    response = put(http, "cust_nobodyhere")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_delete_deactivates_and_hides_then_put_reactivates(http: httpx.Client) -> None:
    customer_id = seeded("idle")
    before = get(http, customer_id)

    response = http.delete(f"/v1/customers/{customer_id}")

    assert response.status_code == 200
    assert response.json() == {"success": True, "message": "Customer deactivated",
                               "customerId": customer_id}
    gone = get(http, customer_id)
    assert gone["status"] == "inactive" and gone["updatedAt"] > before["updatedAt"]
    assert {k for k in gone if gone[k] != before[k]} == {"status", "updatedAt"}
    listed = http.get("/v1/customers", params={"limit": 100}).json()["customers"]
    assert customer_id not in {c["customerId"] for c in listed}
    inactive = http.get("/v1/customers", params={"status": "inactive", "limit": 100}).json()
    assert customer_id in {c["customerId"] for c in inactive["customers"]}

    again = http.delete(f"/v1/customers/{customer_id}")
    assert again.status_code == 200 and get(http, customer_id) == gone  # idempotent

    back = put(http, customer_id, status="active").json()["customer"]
    assert back["status"] == "active" and back["updatedAt"] > gone["updatedAt"]
    listed = http.get("/v1/customers", params={"limit": 100}).json()["customers"]
    assert customer_id in {c["customerId"] for c in listed}


@pytest.mark.parametrize(
    ("kind", "code"),
    [("renter", "CUSTOMER_HAS_ACTIVE_SUBSCRIPTIONS"), ("pending", "CUSTOMER_HAS_PENDING_ORDERS")],
)
def test_delete_is_refused_while_rentals_or_orders_are_open(
    http: httpx.Client, kind: str, code: str
) -> None:
    customer_id = seeded(kind)
    before = get(http, customer_id)
    response = http.delete(f"/v1/customers/{customer_id}")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == code
    assert get(http, customer_id) == before


def test_delete_of_an_unknown_customer_is_404(http: httpx.Client) -> None:
    response = http.delete("/v1/customers/cust_nobodyhere")
    assert response.status_code == 404 and response.json()["error"]["code"] == "NOT_FOUND"


def test_tenants_never_see_each_others_customers(
    server: SandboxServer, http: httpx.Client
) -> None:
    assert server.add_tenant("acme", customers=15, seed=99)
    assert not server.add_tenant("acme", customers=15, seed=99), "a tenant is seeded once"
    as_acme = {**server.auth_headers, "Tenant-ID": "acme"}
    theirs = http.get("/v1/customers", params={"limit": 100}, headers=as_acme).json()
    their_ids = {c["customerId"] for c in theirs["customers"]}
    assert their_ids and all(c["tenantId"] == "acme" for c in theirs["customers"])
    ours = {c["customerId"] for c in http.get("/v1/customers", params={"limit": 100}).json()
            ["customers"]}
    assert not ours & their_ids

    stranger = sorted(their_ids)[0]
    untouched = http.get(f"/v1/customers/{stranger}", headers=as_acme).json()
    assert http.get(f"/v1/customers/{stranger}").status_code == 404
    assert put(http, stranger, firstName="Mallory").status_code == 404
    assert http.delete(f"/v1/customers/{stranger}").status_code == 404
    assert http.get(f"/v1/customers/{stranger}", headers=as_acme).json() == untouched


def test_the_same_ids_in_two_tenants_stay_separate(
    server: SandboxServer, http: httpx.Client
) -> None:
    server.add_tenant("twin", customers=COUNT, seed=SEED)  # same seed: same ids
    as_twin = {**server.auth_headers, "Tenant-ID": "twin"}
    customer_id = seeded("idle")
    put(http, customer_id, lastName="Ours-Only")
    twin = http.get(f"/v1/customers/{customer_id}", headers=as_twin).json()
    assert twin["tenantId"] == "twin" and twin["lastName"] != "Ours-Only"


def test_the_update_clock_never_repeats_or_goes_back() -> None:
    clock = UpdateClock(now=lambda: 1_700_000_000.0)  # a clock stuck in one millisecond
    first, second = clock.after(None), clock.after(None)
    assert (first, second) == ("2023-11-14T22:13:20.000Z", "2023-11-14T22:13:20.001Z")
    assert clock.after("2031-01-01T00:00:00.000Z") == "2031-01-01T00:00:00.001Z"
    assert clock.after(1_700_000_000_000) == "2031-01-01T00:00:00.002Z"
