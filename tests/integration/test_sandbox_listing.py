"""GET /v1/customers on the sandbox: keyset paging, every filter, every sort, bad parameters.

One read-only server for the module; expectations are computed from the same seed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from flexdesk.sandbox import SandboxServer
from flexdesk.sandbox.seed import generate_customers

COUNT, SEED = 240, 3
SEED_DOCS = [record.customer for record in generate_customers(COUNT, seed=SEED)]
ACTIVE = [doc for doc in SEED_DOCS if doc["status"] == "active"]
INACTIVE = [doc for doc in SEED_DOCS if doc["status"] == "inactive"]
SORTS = ["createdAt", "firstName", "lastName", "email", "totalMonthlyRevenue",
         "totalDevicesRented"]


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, customers=COUNT, seed=SEED) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def http(server: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=5) as client:
        yield client


def every_page(http: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    """The pages of one listing, each checked for the envelope's own promises."""
    pages: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {**params, **({"startAfter": cursor} if cursor else {})}
        response = http.get("/v1/customers", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["count"] == len(page["customers"]) <= page["limit"]
        assert page["hasMore"] == (page["nextCursor"] is not None)
        pages.append(page)
        cursor = page["nextCursor"]
        if cursor is None:
            return pages
        assert len(pages) < 100, "the cursor never ran out"


def every_customer(http: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    return [c for page in every_page(http, **params) for c in page["customers"]]


def ids(customers: list[dict[str, Any]]) -> list[str]:
    return [c["customerId"] for c in customers]


def test_paging_reaches_every_active_customer_exactly_once(http: httpx.Client) -> None:
    pages = every_page(http, limit=37)
    seen = [c for page in pages for c in page["customers"]]
    assert len(ids(seen)) == len(set(ids(seen))), "a customer appeared on two pages"
    assert set(ids(seen)) == set(ids(ACTIVE))
    assert [p["count"] for p in pages[:-1]] == [37] * (len(pages) - 1)
    assert pages[-1]["hasMore"] is False and pages[-1]["nextCursor"] is None
    assert all(page["limit"] == 37 for page in pages)


def test_the_default_page_is_fifty_newest_first(http: httpx.Client) -> None:
    page = http.get("/v1/customers").json()
    assert page["limit"] == 50 and page["count"] == 50 and page["hasMore"] is True
    newest = sorted(ACTIVE, key=lambda d: (d["createdAt"], d["customerId"]), reverse=True)
    assert ids(page["customers"]) == ids(newest[:50])


def test_a_page_exactly_as_long_as_what_is_left_says_no_more(http: httpx.Client) -> None:
    page = http.get("/v1/customers", params={"status": "inactive", "limit": len(INACTIVE)})
    assert page.json()["count"] == len(INACTIVE)
    assert page.json()["hasMore"] is False and page.json()["nextCursor"] is None


def test_inactive_customers_show_only_when_asked_for(http: httpx.Client) -> None:
    assert INACTIVE, "the seed should hold inactive customers"
    active = every_customer(http, limit=100)
    assert all(c["status"] == "active" for c in active)
    assert set(ids(every_customer(http, status="active", limit=100))) == set(ids(active))
    inactive = every_customer(http, status="inactive")
    assert sorted(ids(inactive)) == sorted(ids(INACTIVE))


@pytest.mark.parametrize("sort_by", SORTS)
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_each_sort_in_each_order(http: httpx.Client, sort_by: str, order: str) -> None:
    listed = every_customer(http, sortBy=sort_by, sortOrder=order, limit=45)
    expected = sorted(ACTIVE, key=lambda d: (d[sort_by], d["customerId"]),
                      reverse=order == "desc")
    assert ids(listed) == ids(expected)


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"customerType": "business"}, lambda d: d["customerType"] == "business"),
        ({"customerType": "individual"}, lambda d: d["customerType"] == "individual"),
        ({"hasActiveRentals": "true"}, lambda d: bool(d["rentalIds"])),
        ({"hasActiveRentals": "false"}, lambda d: not d["rentalIds"]),
        ({"customerType": "business", "hasActiveRentals": "true", "sortBy": "lastName"},
         lambda d: d["customerType"] == "business" and bool(d["rentalIds"])),
    ],
)
def test_filters_keep_exactly_the_matching_active_customers(
    http: httpx.Client, params: dict[str, str], keep: Any
) -> None:
    expected = {d["customerId"] for d in ACTIVE if keep(d)}
    assert expected, "the seed should hold customers of this kind"
    assert set(ids(every_customer(http, **params))) == expected


def test_filters_combine_with_the_inactive_status(http: httpx.Client) -> None:
    expected = {d["customerId"] for d in INACTIVE if d["customerType"] == "individual"}
    listed = every_customer(http, status="inactive", customerType="individual")
    assert set(ids(listed)) == expected
    assert every_customer(http, status="inactive", hasActiveRentals="true") == []


def test_email_matches_exactly_ignoring_case(http: httpx.Client) -> None:
    target = ACTIVE[5]
    for asked in (target["email"], target["email"].upper()):
        page = http.get("/v1/customers", params={"email": asked}).json()
        assert ids(page["customers"]) == [target["customerId"]]
    partial = target["email"].split("@")[0]
    assert http.get("/v1/customers", params={"email": partial}).json()["customers"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "-5"}, "limit"),
        ({"status": "deleted"}, "status"),
        ({"customerType": "company"}, "customerType"),
        ({"hasActiveRentals": "yes"}, "hasActiveRentals"),
        ({"sortBy": "shoeSize"}, "sortBy"),
        ({"sortOrder": "up"}, "sortOrder"),
        ({"email": ""}, "email"),
        ({"startAfter": "not-a-cursor"}, "startAfter"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(
    http: httpx.Client, params: dict[str, str], field: str
) -> None:
    response = http.get("/v1/customers", params=params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert [d["field"] for d in error["details"]] == [field]
    assert field in error["message"]


def test_every_bad_parameter_is_named_at_once(http: httpx.Client) -> None:
    response = http.get("/v1/customers", params={"limit": "500", "sortBy": "x", "status": "?"})
    error = response.json()["error"]
    assert {d["field"] for d in error["details"]} == {"limit", "sortBy", "status"}
    assert all(name in error["message"] for name in ("limit", "sortBy", "status"))


def test_a_cursor_only_continues_the_listing_it_came_from(http: httpx.Client) -> None:
    cursor = http.get("/v1/customers", params={"limit": 5}).json()["nextCursor"]
    other_sort = http.get("/v1/customers", params={"startAfter": cursor, "sortBy": "email"})
    assert other_sort.status_code == 400
    assert other_sort.json()["error"]["details"][0]["field"] == "startAfter"

    forged = base64.urlsafe_b64encode(json.dumps(["createdAt", "desc", 5, "x"]).encode())
    response = http.get("/v1/customers", params={"startAfter": forged.decode()})
    assert response.status_code == 400


def test_unknown_parameters_are_ignored_as_the_api_does(http: httpx.Client) -> None:
    response = http.get("/v1/customers", params={"limit": 3, "fields": "email"})
    assert response.status_code == 200 and response.json()["count"] == 3
