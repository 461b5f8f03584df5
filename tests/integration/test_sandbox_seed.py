"""The seed: the same seed gives the same customers, and they look like real, varied people."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import httpx

from flexdesk.api.models import Customer
from flexdesk.editing import check_address
from flexdesk.sandbox import SandboxServer
from flexdesk.sandbox.seed import SeedCustomer, generate_customers

SEEDED = generate_customers(500, seed=1)
DOCS = [record.customer for record in SEEDED]
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
POSTCODES = {
    "Netherlands": re.compile(r"^[1-9]\d{3} [A-Z]{2}$"),
    "Germany": re.compile(r"^\d{5}$"),
    "United States": re.compile(r"^\d{5}$"),
}
PHONES = {
    "Netherlands": re.compile(r"^\+31 (6 \d{8}|\d{2} \d{3} \d{4})$"),
    "Germany": re.compile(r"^\+49 \d{2,3} \d{7,8}$"),
    "United States": re.compile(r"^\+1 \(\d{3}\) \d{3}-\d{4}$"),
    "Qatar": re.compile(r"^\+974 [3-7]\d{3} \d{4}$"),
}


def country(doc: dict[str, Any]) -> str:
    name: str = doc["lastBillingAddress"]["country"]
    return name


def first_page(seed: int) -> list[dict[str, Any]]:
    with SandboxServer(port=0, customers=40, seed=seed) as sandbox, \
            httpx.Client(base_url=sandbox.base_url, headers=sandbox.auth_headers) as client:
        page: list[dict[str, Any]] = client.get("/v1/customers").json()["customers"]
    return page


def test_the_same_seed_gives_the_same_customers() -> None:
    assert generate_customers(300, seed=1) == SEEDED[:300]
    assert first_page(4) == first_page(4)


def test_another_seed_gives_other_customers() -> None:
    other = generate_customers(500, seed=2)
    assert not {d["customerId"] for d in DOCS} & {r.customer["customerId"] for r in other}
    assert first_page(4) != first_page(5)


def test_the_tenant_is_stamped_on_every_customer() -> None:
    assert {r.customer["tenantId"] for r in generate_customers(5, seed=1, tenant="t9")} == {"t9"}


def test_every_seeded_customer_reads_as_the_api_model() -> None:
    for doc in DOCS:
        customer = Customer.model_validate(doc)
        assert customer.customer_id == doc["customerId"]


def test_ids_and_emails_are_unique_and_well_formed() -> None:
    many = generate_customers(20_000, seed=9)
    ids = [r.customer["customerId"] for r in many]
    emails = [r.customer["email"] for r in many]
    assert len(set(ids)) == len(ids) and len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"cust_[a-z0-9]{12}", i) for i in ids)
    assert all(re.fullmatch(r"[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}", e) for e in emails)


def test_four_countries_each_in_its_own_formats() -> None:
    assert Counter(map(country, DOCS)).keys() == {"Netherlands", "Germany", "United States",
                                                  "Qatar"}
    for doc in DOCS:
        for kind in ("lastBillingAddress", "lastShippingAddress"):
            address = doc.get(kind)
            if address is None:
                continue
            place = address["country"]
            if place == "Qatar":
                assert address.get("postalCode") is None
                assert address["city"] in {"Doha", "Al Wakrah", "Al Rayyan", "Lusail", "Al Khor"}
            else:
                assert POSTCODES[place].match(address["postalCode"]), address
            assert ("adminArea" in address) == (place == "United States")
        if "phone" in doc:
            assert PHONES[country(doc)].match(doc["phone"]), doc["phone"]
    qatari = [d["lastBillingAddress"] for d in DOCS if country(d) == "Qatar"]
    assert any("postalCode" not in a for a in qatari) and any("postalCode" in a for a in qatari)


def test_every_seeded_address_fits_its_countrys_rules() -> None:
    # Else editing a seeded customer's address in a test would meet the form's refusal.
    for doc in DOCS:
        for kind in ("lastBillingAddress", "lastShippingAddress"):
            if doc.get(kind) is not None:
                assert check_address(doc[kind]).problems == {}, doc[kind]


def test_names_carry_diacritics_and_apostrophes() -> None:
    names = {n for d in DOCS for n in (d["firstName"], d["lastName"])}
    assert any(not n.isascii() for n in names)
    assert any("'" in n for n in names)
    assert any("-" in n for n in names)
    assert {"Müller", "Zoë", "O'Brien"} & names


def test_statuses_rentals_and_orders_are_varied_and_consistent() -> None:
    inactive = [d for d in DOCS if d["status"] == "inactive"]
    assert 0.03 <= len(inactive) / len(DOCS) <= 0.15
    renters = [d for d in DOCS if d["rentalIds"]]
    assert len(renters) > 50
    for doc in DOCS:
        renting = bool(doc["rentalIds"])
        assert renting == (doc["totalDevicesRented"] > 0) == (doc["totalMonthlyRevenue"] > 0)
        assert doc["totalDevicesRented"] >= len(doc["rentalIds"])
        assert doc["totalOrders"] == len(doc["orderIds"]) >= len(doc["rentalIds"])
        assert not (renting and doc["status"] == "inactive")
        assert ("lifetimeCollected" in doc) == (doc["totalOrders"] > 0)
    pending: list[SeedCustomer] = [r for r in SEEDED if r.pending_orders]
    assert pending and all(r.customer["status"] == "active" for r in pending)
    assert any(not r.customer["rentalIds"] for r in pending)


def test_businesses_carry_a_company_and_individuals_none() -> None:
    kinds = Counter(d["customerType"] for d in DOCS)
    assert kinds["business"] > 50 and kinds["individual"] > 200
    for doc in DOCS:
        assert ("company" in doc) == (doc["customerType"] == "business")


def test_addresses_are_same_different_or_missing() -> None:
    same = sum(d.get("lastShippingAddress") == d["lastBillingAddress"] for d in DOCS)
    missing = sum("lastShippingAddress" not in d for d in DOCS)
    different = len(DOCS) - same - missing
    assert min(same, missing, different) > 20


def test_timestamps_are_iso_utc_and_ordered() -> None:
    for doc in DOCS:
        assert ISO_UTC.match(doc["createdAt"]) and ISO_UTC.match(doc["updatedAt"])
        assert doc["updatedAt"] >= doc["createdAt"]
    assert len({d["createdAt"][:4] for d in DOCS}) >= 5, "created over several years"


def test_optional_fields_are_sometimes_absent_never_null() -> None:
    present = Counter(name for doc in DOCS for name in doc)
    for name in ("phone", "company", "customFields", "lastShippingAddress", "lifetimeCollected"):
        assert 0 < present[name] < len(DOCS), name
    for doc in DOCS:
        assert None not in doc.values()
