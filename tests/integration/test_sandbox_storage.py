"""The sandbox's SQLite storage: a --db file outlives the server, and listing uses its indexes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from flexdesk.sandbox import SandboxServer
from flexdesk.sandbox.storage import SORT_COLUMNS, ListQuery, Storage, decode_cursor


def fetch(sandbox: SandboxServer, path: str, **params: str) -> httpx.Response:
    with httpx.Client(base_url=sandbox.base_url, headers=sandbox.auth_headers) as client:
        return client.get(path, params=params)


def test_an_edit_survives_a_restart_on_the_same_file(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite"
    with SandboxServer(port=0, customers=30, seed=4, db=db) as first, \
            httpx.Client(base_url=first.base_url, headers=first.auth_headers) as client:
        listed = client.get("/v1/customers", params={"limit": 100}).json()["customers"]
        customer_id = listed[0]["customerId"]
        edited = client.put(f"/v1/customers/{customer_id}",
                            json={"customerId": customer_id, "lastName": "Ólafsdóttir-Persisted"})
        assert edited.status_code == 200
        first.add_tenant("acme", customers=3)

    # Different seed and size: a file that holds data is never seeded again.
    with SandboxServer(port=0, customers=5, seed=99, db=db) as second:
        again = fetch(second, f"/v1/customers/{customer_id}").json()
        assert again == edited.json()["customer"]
        relisted = fetch(second, "/v1/customers", limit="100").json()["customers"]
        assert [c["customerId"] for c in relisted] == [c["customerId"] for c in listed]
        assert not second.add_tenant("acme", customers=3), "the other tenant was kept too"


def test_without_a_file_nothing_is_kept(tmp_path: Path) -> None:
    with SandboxServer(port=0, customers=10, seed=4) as first:
        customer_id = fetch(first, "/v1/customers").json()["customers"][0]["customerId"]
        with httpx.Client(base_url=first.base_url, headers=first.auth_headers) as client:
            client.delete(f"/v1/customers/{customer_id}")
    with SandboxServer(port=0, customers=10, seed=4) as second:
        assert fetch(second, f"/v1/customers/{customer_id}").json()["status"] == "active"


def test_a_stopped_server_cannot_start_again() -> None:
    sandbox = SandboxServer(port=0, customers=1).start()
    sandbox.stop()
    sandbox.stop()  # twice is harmless
    with pytest.raises(RuntimeError, match="cannot start again"):
        sandbox.start()


@pytest.fixture(scope="module")
def storage() -> Storage:
    store = Storage()
    store.seed_tenant("t", 600, seed=1)
    return store


@pytest.mark.parametrize("sort_by", list(SORT_COLUMNS))
@pytest.mark.parametrize(
    "base",
    [ListQuery(), ListQuery(customer_type="business"),
     ListQuery(status="inactive", has_active_rentals=True)],
)
def test_listing_walks_an_index_without_scanning_or_sorting(
    storage: Storage, sort_by: str, base: ListQuery
) -> None:
    query = replace(base, limit=100, sort_by=sort_by, descending=sort_by != "email")
    plans = [storage.explain("t", query)]
    cursor = storage.list_page("t", query).next_cursor
    if cursor is not None:
        plans.append(storage.explain("t", replace(query, after=decode_cursor(cursor, query))))
    for plan in plans:
        assert f"USING INDEX customers_by_{SORT_COLUMNS[sort_by]}" in plan, plan
        assert "SCAN" not in plan and "TEMP B-TREE" not in plan, plan


def test_an_email_lookup_uses_the_email_index(storage: Storage) -> None:
    plan = storage.explain("t", ListQuery(email="someone@example.org"))
    assert "USING INDEX customers_by_email_key" in plan and "SCAN" not in plan
