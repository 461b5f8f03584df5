"""Typed models of the FlexPortal customers API (contract: tests/contract/*.openapi.yaml).

Python attributes are snake_case; the wire names are the API's camelCase aliases. Read models
ignore fields they do not know (the API grows), so nothing unknown is ever sent back. The write
model (`CustomerUpdate`) forbids unknown fields and serialises only what was set.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)
from pydantic.alias_generators import to_camel

# Pragmatic, not RFC 5322: one @, no spaces, a dot in the domain. The server is the judge.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Epoch numbers above this are milliseconds (year 5138 in seconds is not a real customer).
_EPOCH_MS_THRESHOLD = 100_000_000_000


class CustomerType(StrEnum):
    INDIVIDUAL = "individual"
    BUSINESS = "business"


class CustomerStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


def parse_timestamp(value: Any) -> datetime | None:
    """Accept what `createdAt`/`updatedAt` may be: ISO 8601, epoch s/ms, or a Firestore dict."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, bool):
        raise ValueError("a timestamp cannot be a boolean")
    if isinstance(value, dict):
        seconds = value.get("_seconds", value.get("seconds"))
        nanos = value.get("_nanoseconds", value.get("nanoseconds", 0)) or 0
        if not isinstance(seconds, int | float):
            raise ValueError(f"unrecognised timestamp object: {sorted(value)}")
        return datetime.fromtimestamp(seconds + nanos / 1e9, tz=UTC)
    if isinstance(value, int | float):
        seconds = value / 1000 if abs(value) >= _EPOCH_MS_THRESHOLD else value
        return datetime.fromtimestamp(seconds, tz=UTC)
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError(f"unrecognised timestamp: {type(value).__name__}")


def looks_like_email(value: str) -> bool:
    """The one email rule of the app: the form, the search box and the write model use it."""
    return bool(_EMAIL.match(value.strip()))


def _check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("is not a valid email address")
    return value


Timestamp = Annotated[datetime | None, BeforeValidator(parse_timestamp)]
Email = Annotated[str, AfterValidator(_check_email)]
NonEmpty = Annotated[str, Field(min_length=1)]


_SHARED_FIELD_SETS: dict[frozenset[str], set[str]] = {}


class _ApiModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="ignore",
        frozen=True,
    )

    def model_post_init(self, context: Any, /) -> None:
        # Every instance carries a set of the fields it was given (2 KB each; 6 KB for a
        # customer with two addresses). Frozen models never change theirs, so instances of
        # the same shape share one: 100,000 customers cost half the memory.
        fields = self.__pydantic_fields_set__
        object.__setattr__(
            self, "__pydantic_fields_set__", _SHARED_FIELD_SETS.setdefault(frozenset(fields),
                                                                           fields))

    # Wire names whose schema admits null; every other None is left out of the JSON, because
    # the contract types those fields as plain strings or numbers.
    _nullable: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _omit_none(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if not isinstance(data, dict):
            return data
        return {k: v for k, v in data.items() if v is not None or k in self._nullable}


class Address(_ApiModel):
    """A postal address, the same shape for reading and writing."""

    _nullable: ClassVar[frozenset[str]] = frozenset({"postalCode"})

    contact_name: str
    street_address: str
    city: str
    country: str
    company: str | None = None
    building_info: str | None = None
    locality: str | None = None
    admin_area: str | None = None
    postal_code: str | None = None


class Customer(_ApiModel):
    """A customer as the API returns it."""

    customer_id: str
    tenant_id: str
    email: str
    first_name: str
    last_name: str
    customer_type: CustomerType
    status: CustomerStatus
    total_orders: float
    total_devices_rented: float
    total_monthly_revenue: float
    order_ids: tuple[str, ...]
    rental_ids: tuple[str, ...]
    created_by: str
    company: str | None = None
    phone: str | None = None
    custom_fields: dict[str, Any] | None = None
    # Read names; the write names are billingAddress / shippingAddress (API.md, trap 1).
    last_billing_address: Address | None = None
    last_shipping_address: Address | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None
    lifetime_collected: float | None = None
    total_acquisition_cost: float | None = None
    customer_margin: float | None = None
    customer_margin_percent: float | None = None
    subscriptions_tracked: float | None = None

    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)
        # Most customers ship where they are billed: one shared (frozen) object serves both.
        billing, shipping = self.last_billing_address, self.last_shipping_address
        if shipping is not None and shipping is not billing and shipping == billing:
            self.__dict__["last_shipping_address"] = billing

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class CustomerUpdate(_ApiModel):
    """The body of `PUT /v1/customers/{id}`: `customerId` plus only what changed."""

    model_config = ConfigDict(extra="forbid")

    customer_id: NonEmpty
    email: Email | None = None
    first_name: NonEmpty | None = None
    last_name: NonEmpty | None = None
    company: str | None = None
    phone: str | None = None
    customer_type: CustomerType | None = None
    status: CustomerStatus | None = None
    billing_address: Address | None = None
    shipping_address: Address | None = None

    def to_body(self) -> dict[str, Any]:
        """The JSON body: only the fields that were set, so absent means unchanged."""
        return self.model_dump(mode="json", exclude_unset=True)


class CustomerPage(_ApiModel):
    customers: tuple[Customer, ...]
    count: int
    limit: int
    has_more: bool
    next_cursor: str | None = None

    _nullable: ClassVar[frozenset[str]] = frozenset({"nextCursor"})


class CustomerUpdated(_ApiModel):
    success: bool
    message: str
    customer_id: str
    customer: Customer


class DeleteResult(_ApiModel):
    success: bool
    message: str
    customer_id: str


class FieldProblem(_ApiModel):
    """One field the server (or the sandbox) named in a validation error; ours, not the seed's."""

    field: str
    message: str


class ErrorDetail(_ApiModel):
    code: str
    message: str
    details: tuple[FieldProblem, ...] = ()


class ErrorBody(_ApiModel):
    """Every error the API gives: `{"error": {"code": ..., "message": ...}}`."""

    error: ErrorDetail
