"""Seeded customers the way the app receives them: pages of API JSON, parsed by pydantic.

The sandbox's seed already yields documents in the API's wire shape. Encoding them into page
bodies exactly as the sandbox answers `GET /v1/customers`, then parsing with
`CustomerPage.model_validate_json` as the client does, gives Customer objects identical to what
a long session of paging would hold in memory (pydantic's JSON parser shares short strings, a
dict round-trip would not), without waiting on HTTP for 100,000 of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from flexdesk.api.models import Customer, CustomerPage
from flexdesk.sandbox.seed import iter_customers

PAGE_SIZE = 100  # the API's maximum, and what the app asks for


def seed_pages(count: int, *, seed: int = 1, tenant: str = "sandbox") -> Iterator[bytes]:
    """`count` seeded customers as page bodies of PAGE_SIZE, in the sandbox's JSON encoding."""
    page: list[dict[str, object]] = []
    sent = 0
    for doc, _pending in iter_customers(count, seed=seed, tenant=tenant):
        page.append(doc)
        if len(page) == PAGE_SIZE:
            sent += len(page)
            yield _page_body(page, more=sent < count)
            page = []
    if page:
        yield _page_body(page, more=False)


def _page_body(customers: list[dict[str, object]], *, more: bool) -> bytes:
    last = customers[-1]["customerId"]
    body = {"customers": customers, "count": len(customers), "limit": PAGE_SIZE,
            "hasMore": more, "nextCursor": f"after-{last}" if more else None}
    return json.dumps(body, ensure_ascii=False).encode()  # as flexdesk.sandbox.server sends


def parse_pages(pages: Iterable[bytes]) -> Iterator[tuple[Customer, ...]]:
    for raw in pages:
        yield CustomerPage.model_validate_json(raw).customers


def load_customers(count: int, *, seed: int = 1) -> list[Customer]:
    return [c for page in parse_pages(seed_pages(count, seed=seed)) for c in page]
