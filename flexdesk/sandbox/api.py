"""The customers API itself, free of HTTP plumbing: a request in, a `Reply` out.

Checks run in the real API's order: the bearer key (401), the Tenant-ID header (400), the tenant
(403), then the route (404/405), the parameters or body (400/422) and the customer (404).
"""

from __future__ import annotations

import hmac
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from flexdesk.api.models import parse_timestamp
from flexdesk.sandbox.seed import iso_millis
from flexdesk.sandbox.storage import Record, Storage
from flexdesk.sandbox.validation import (
    WRITE_NAMES,
    ApiError,
    Problem,
    invalid,
    json_body,
    parse_list_query,
    validate_update,
)

_COLLECTION = "/v1/customers"
_ITEM = re.compile(r"^/v1/customers/([^/]+)$")
_READ_NAMES = {write: read for read, write in WRITE_NAMES.items()}


@dataclass(frozen=True)
class Incoming:
    """One request, as the HTTP layer read it."""

    method: str
    path: str  # without the query string
    query: Mapping[str, str]
    headers: Mapping[str, str]  # lower-case names
    body: bytes


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any  # JSON-ready
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, error: ApiError) -> Reply:
        return cls(error.status, error.body(), error.headers)


class UpdateClock:
    """`updatedAt` values that only move forward, even twice in one millisecond."""

    def __init__(self, now: Callable[[], float] = time.time) -> None:
        self._now = now
        self._lock = threading.Lock()
        self._last = 0

    def after(self, previous: Any) -> str:
        """A timestamp later than `previous` (the customer's current updatedAt) and than any
        timestamp this clock gave before."""
        try:
            stamp = parse_timestamp(previous)
        except ValueError:
            stamp = None
        floor = 0 if stamp is None else round(stamp.timestamp() * 1000)
        with self._lock:
            self._last = max(int(self._now() * 1000), self._last + 1, floor + 1)
            return iso_millis(self._last)


class SandboxApi:
    """Answers API requests from `storage` for anyone holding `token`."""

    def __init__(self, storage: Storage, token: str, clock: UpdateClock | None = None) -> None:
        self._storage = storage
        self._token = token.encode()
        self._clock = clock or UpdateClock()

    def handle(self, request: Incoming) -> Reply:
        try:
            tenant = self._tenant(request.headers)
            return self._route(request, tenant)
        except ApiError as error:
            return Reply.of(error)

    def _tenant(self, headers: Mapping[str, str]) -> str:
        scheme, _, key = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(key.strip().encode(),
                                                                 self._token):
            raise ApiError(401, "UNAUTHORIZED", "Missing or invalid API key")
        tenant = headers.get("tenant-id", "").strip()
        if not tenant:
            raise invalid(400, [Problem("Tenant-ID", "header is required")])
        if not self._storage.has_tenant(tenant):
            raise ApiError(403, "FORBIDDEN", f"This API key has no access to tenant {tenant}")
        return tenant

    def _route(self, request: Incoming, tenant: str) -> Reply:
        method, path = request.method, request.path
        if path == _COLLECTION:
            if method == "GET":
                return self._list(tenant, request.query)
            raise _not_allowed(method, path, "GET")
        match = _ITEM.match(path)
        if match is None:
            raise ApiError(404, "NOT_FOUND", f"No such endpoint: {path}")
        customer_id = unquote(match.group(1))
        if method == "GET":
            return self._get(tenant, customer_id)
        if method == "PUT":
            return self._put(tenant, customer_id, request.body)
        if method == "DELETE":
            return self._delete(tenant, customer_id)
        raise _not_allowed(method, path, "GET, PUT, DELETE")

    def _list(self, tenant: str, params: Mapping[str, str]) -> Reply:
        query = parse_list_query(params)
        page = self._storage.list_page(tenant, query)
        return Reply(200, {
            "customers": page.customers,
            "count": len(page.customers),
            "limit": query.limit,
            "hasMore": page.next_cursor is not None,
            "nextCursor": page.next_cursor,
        })

    def _get(self, tenant: str, customer_id: str) -> Reply:
        record = self._storage.get(tenant, customer_id)
        if record is None:
            raise _not_found(customer_id)
        return Reply(200, record.customer)

    def _put(self, tenant: str, customer_id: str, raw: bytes) -> Reply:
        changes = validate_update(json_body(raw), customer_id)

        def apply(record: Record) -> dict[str, Any]:
            customer = dict(record.customer)
            for name, value in changes.items():
                customer[_READ_NAMES.get(name, name)] = value  # an address replaces the old
            customer["updatedAt"] = self._clock.after(record.customer.get("updatedAt"))
            return customer

        customer = self._storage.update(tenant, customer_id, apply)
        if customer is None:
            raise _not_found(customer_id)
        return Reply(200, {"success": True, "message": "Customer updated successfully",
                           "customerId": customer_id, "customer": customer})

    def _delete(self, tenant: str, customer_id: str) -> Reply:
        def deactivate(record: Record) -> dict[str, Any]:
            customer = record.customer
            if customer["status"] == "inactive":
                return customer  # deleting twice changes nothing
            rentals = len(customer["rentalIds"])
            if rentals or customer["totalDevicesRented"]:
                raise ApiError(409, "CUSTOMER_HAS_ACTIVE_SUBSCRIPTIONS",
                               f"Customer {customer_id} has {rentals} active subscription(s); "
                               "end them before deleting the customer")
            if record.pending_orders:
                raise ApiError(409, "CUSTOMER_HAS_PENDING_ORDERS",
                               f"Customer {customer_id} has pending orders; fulfil or cancel "
                               "them before deleting the customer")
            return {**customer, "status": "inactive",
                    "updatedAt": self._clock.after(customer.get("updatedAt"))}

        if self._storage.update(tenant, customer_id, deactivate) is None:
            raise _not_found(customer_id)
        return Reply(200, {"success": True, "message": "Customer deactivated",
                           "customerId": customer_id})


def _not_found(customer_id: str) -> ApiError:
    return ApiError(404, "NOT_FOUND", f"Customer {customer_id} not found")


def _not_allowed(method: str, path: str, allowed: str) -> ApiError:
    return ApiError(405, "METHOD_NOT_ALLOWED", f"{method} is not allowed on {path}",
                    headers={"Allow": allowed})
