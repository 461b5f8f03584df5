"""What the sandbox refuses, and how: the API's error shape and its validation rules.

Every error body is `{"error": {"code", "message"}}`. Validation errors add `details`, a list of
`{"field", "message"}` naming every problem found (not just the first); the summary message names
them too. Query and header problems are 400; problems in a PUT body are 422.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Any

from flexdesk.editing.addresses import REQUIRED, check_address
from flexdesk.sandbox.storage import SORT_COLUMNS, ListQuery, decode_cursor

# The code each status carries when nothing more specific applies.
_CODES = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CUSTOMER_HAS_ACTIVE_SUBSCRIPTIONS",
    413: "VALIDATION_ERROR",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    501: "NOT_IMPLEMENTED",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}

# Same rule as flexdesk.api.models: one @, no spaces, a dot in the domain.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DIGITS = re.compile(r"^[0-9]{1,3}$")
ADDRESS_REQUIRED = ("contactName", "streetAddress", "city", "country")
ADDRESS_OPTIONAL = ("company", "buildingInfo", "locality", "adminArea", "postalCode")
# Read name -> write name (API.md, trap 1).
WRITE_NAMES = {"lastBillingAddress": "billingAddress", "lastShippingAddress": "shippingAddress"}
READ_ONLY = frozenset({
    "tenantId", "customFields", "totalOrders", "totalDevicesRented", "totalMonthlyRevenue",
    "orderIds", "rentalIds", "createdAt", "updatedAt", "createdBy", "lifetimeCollected",
    "totalAcquisitionCost", "customerMargin", "customerMarginPercent", "subscriptionsTracked",
})


@dataclass(frozen=True)
class Problem:
    field: str  # an API path: "limit", "Tenant-ID", "billingAddress.city"
    message: str  # reads after the field name: "is required"


class ApiError(Exception):
    """An answer in the API's error shape."""

    def __init__(self, status: int, code: str, message: str, *,
                 details: Sequence[Problem] = (), headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = tuple(details)
        self.headers = dict(headers or {})

    @classmethod
    def for_status(cls, status: int, message: str = "",
                   headers: Mapping[str, str] | None = None) -> ApiError:
        """An error with the usual code of `status` (500 INTERNAL_ERROR for unknown 5xx)."""
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        code = _CODES.get(status, "INTERNAL_ERROR" if status >= 500 else "ERROR")
        return cls(status, code, message or phrase, headers=headers)

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = [{"field": p.field, "message": p.message} for p in self.details]
        return {"error": error}


def invalid(status: int, problems: Sequence[Problem]) -> ApiError:
    summary = "; ".join(f"{p.field} {p.message}" for p in problems)
    return ApiError(status, "VALIDATION_ERROR", f"Invalid request: {summary}", details=problems)


# ---------------------------------------------------------------- GET /v1/customers query


def parse_list_query(params: Mapping[str, str]) -> ListQuery:
    """The listing a query string asks for; 400 naming every bad parameter. Unknown ones pass."""
    problems: list[Problem] = []

    def choice(name: str, options: Sequence[str], default: str | None) -> str | None:
        value = params.get(name)
        if value is None:
            return default
        if value not in options:
            problems.append(Problem(name, f"must be one of: {', '.join(options)}"))
            return default
        return value

    limit = 50
    if "limit" in params:
        raw = params["limit"]
        if _DIGITS.match(raw) and 1 <= int(raw) <= 100:
            limit = int(raw)
        else:
            problems.append(Problem("limit", "must be an integer from 1 to 100"))
    status = choice("status", ("active", "inactive"), "active")
    customer_type = choice("customerType", ("individual", "business"), None)
    email = params.get("email")
    if email is not None and not email.strip():
        problems.append(Problem("email", "must not be empty"))
    rentals = choice("hasActiveRentals", ("true", "false"), None)
    sort_by = choice("sortBy", tuple(SORT_COLUMNS), "createdAt")
    order = choice("sortOrder", ("asc", "desc"), "desc")
    query = ListQuery(
        limit=limit,
        status=status or "active",
        customer_type=customer_type,
        email=email,
        has_active_rentals=None if rentals is None else rentals == "true",
        sort_by=sort_by or "createdAt",
        descending=order == "desc",
    )
    if "startAfter" in params and not problems:
        try:
            query = replace(query, after=decode_cursor(params["startAfter"], query))
        except ValueError as exc:
            problems.append(Problem("startAfter", str(exc)))
    if problems:
        raise invalid(400, problems)
    return query


# ---------------------------------------------------------------- PUT /v1/customers/{id} body


def _text(field: str, value: Any) -> list[Problem]:
    return [] if isinstance(value, str) else [Problem(field, "must be a string")]


def _name(field: str, value: Any) -> list[Problem]:
    if not isinstance(value, str):
        return [Problem(field, "must be a string")]
    return [] if value else [Problem(field, "must not be empty")]


def _email(field: str, value: Any) -> list[Problem]:
    if not isinstance(value, str):
        return [Problem(field, "must be a string")]
    return [] if _EMAIL.match(value) else [Problem(field, "is not a valid email address")]


def _one_of(*options: str) -> Callable[[str, Any], list[Problem]]:
    def check(field: str, value: Any) -> list[Problem]:
        if value in options:
            return []
        return [Problem(field, f"must be one of: {', '.join(options)}")]

    return check


def _address(field: str, value: Any) -> list[Problem]:
    """An address is sent whole: the four required parts, optional strings, nothing else,
    and it must fit its country: the client's own rules (`check_address`), so a test meets
    the same refusal from the sandbox as from the form."""
    if not isinstance(value, dict):
        return [Problem(field, "must be an object")]
    problems = [Problem(f"{field}.{part}", "is required")
                for part in ADDRESS_REQUIRED if part not in value]
    for part, given in value.items():
        path = f"{field}.{part}"
        if part == "postalCode":
            if given is not None and not isinstance(given, str):
                problems.append(Problem(path, "must be a string or null"))
        elif part in ADDRESS_REQUIRED or part in ADDRESS_OPTIONAL:
            problems.extend(_text(path, given))
        else:
            problems.append(Problem(path, "is not an address field"))
    if problems:
        return problems
    by_country = check_address(value)
    return [Problem(f"{field}.{part}", "is required" if message == REQUIRED else message)
            for part, message in by_country.problems.items()]


_FIELD_CHECKS: dict[str, Callable[[str, Any], list[Problem]]] = {
    "email": _email,
    "firstName": _name,
    "lastName": _name,
    "company": _text,
    "phone": _text,
    "customerType": _one_of("individual", "business"),
    "status": _one_of("active", "inactive"),
    "billingAddress": _address,
    "shippingAddress": _address,
}


def _not_updatable(field: str) -> str:
    if field in WRITE_NAMES:
        return f"is read-only: send {WRITE_NAMES[field]} to change it"
    if field in READ_ONLY:
        return "is read-only"
    return "is not an updatable field"


def json_body(raw: bytes) -> Any:
    """A request body parsed as JSON; 400 when it is empty or not JSON."""
    if not raw.strip():
        raise invalid(400, [Problem("body", "is required: a JSON object")])
    try:
        return json.loads(raw)
    except ValueError as exc:  # UnicodeDecodeError included
        raise invalid(400, [Problem("body", f"is not valid JSON ({exc})")]) from exc
    except RecursionError:
        raise invalid(400, [Problem("body", "is nested too deeply")]) from None


def validate_update(body: Any, customer_id: str) -> dict[str, Any]:
    """The changes a PUT body asks for (write names, without customerId); raises ApiError."""
    if not isinstance(body, dict):
        raise invalid(400, [Problem("body", "must be a JSON object")])
    problems: list[Problem] = []
    given_id = body.get("customerId")
    if "customerId" not in body:
        problems.append(Problem("customerId", "is required"))
    elif not isinstance(given_id, str) or not given_id:
        problems.append(Problem("customerId", "must be a non-empty string"))
    elif given_id != customer_id:
        problems.append(Problem("customerId", f"must match the path's customer ({customer_id})"))
    for field, value in body.items():
        check = _FIELD_CHECKS.get(field)
        if check is not None:
            problems.extend(check(field, value))
        elif field != "customerId":
            problems.append(Problem(field, _not_updatable(field)))
    if problems:
        raise invalid(422, problems)
    return {field: value for field, value in body.items() if field != "customerId"}
