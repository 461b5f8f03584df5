"""Typed models of the FlexPortal customers API (contract: tests/contract/*.openapi.yaml).

Python attributes are snake_case; the wire names are the API's camelCase aliases. Read models
ignore fields they do not know (the API grows), so nothing unknown is ever sent back. The write
model (`CustomerUpdate`) forbids unknown fields and serialises only what was set.

A customer's read-only figures and dates (`READ_ONLY_FIELDS`) never make it unreadable: the
models validate strictly, and `salvage_customer` reads a record that failed again without the
read-only values it could not take, which become None and are named in `unreadable_fields`.
Infinity and NaN are refused as numbers, so what the models hold always dumps to JSON that reads
back: the store keeps customers that way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    ValidationError,
    model_serializer,
)
from pydantic.alias_generators import to_camel

from flexdesk.api.kinds import EMAIL as _EMAIL
from flexdesk.api.kinds import CustomerStatus, CustomerType, looks_like_email

__all__ = ["READ_ONLY_FIELDS", "Address", "Customer", "CustomerPage", "CustomerStatus",
           "CustomerType", "CustomerUpdate", "CustomerUpdated", "DeleteResult", "ErrorBody",
           "ErrorDetail", "FieldProblem", "looks_like_email", "parse_timestamp",
           "salvage_customer"]

# Epoch numbers are seconds below 1e11 (year 5138), milliseconds below 1e14 and microseconds
# below 1e17; anything larger is no date.
_EPOCH_UNITS = ((1e11, 1.0), (1e14, 1e3), (1e17, 1e6))
# A day inside datetime's range at both ends, so that showing a date in local time cannot fail.
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
_LATEST = datetime(9999, 12, 30, tzinfo=UTC)


def parse_timestamp(value: Any) -> datetime | None:
    """Accept what `createdAt`/`updatedAt` may be: ISO 8601, epoch s/ms/µs (told apart by
    magnitude), or a Firestore dict; always in UTC. Raises ValueError, and only that, for
    anything else or out of range."""
    if value is None or isinstance(value, datetime):
        return value
    try:
        parsed = _timestamp(value)
        if parsed.tzinfo is not UTC:  # "Z" and epoch numbers are UTC already: the usual case
            parsed = parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ArithmeticError, OSError, TypeError, ValueError) as exc:
        # Overflow and OSError (from fromtimestamp) would escape pydantic: make it a ValueError.
        raise ValueError("is not a readable date") from exc
    if not _EARLIEST <= parsed <= _LATEST:
        raise ValueError("is out of the range of dates")
    return parsed


def _timestamp(value: Any) -> datetime:
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(value, bool):
        raise TypeError("a timestamp cannot be a boolean")
    if isinstance(value, dict):
        seconds = value.get("_seconds", value.get("seconds"))
        nanos = value.get("_nanoseconds", value.get("nanoseconds", 0)) or 0
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise TypeError("unrecognised timestamp object")
        return _from_epoch(seconds + nanos / 1e9, units=_EPOCH_UNITS[:1])
    if isinstance(value, int | float):
        return _from_epoch(value, units=_EPOCH_UNITS)
    raise TypeError(f"unrecognised timestamp: {type(value).__name__}")


def _from_epoch(value: float, units: tuple[tuple[float, float], ...]) -> datetime:
    for below, per_second in units:
        if abs(value) < below:  # False for NaN and infinity
            return datetime.fromtimestamp(value / per_second, tz=UTC)
    raise ValueError("epoch number out of range")


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
        # JSON has no infinity: one read here would be dumped as null and not read back.
        allow_inf_nan=False,
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
    # Wire names left out of the JSON when empty.
    _omit_empty: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _omit_none(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if not isinstance(data, dict):
            return data
        kept = {k: v for k, v in data.items() if v is not None or k in self._nullable}
        for name in self._omit_empty:
            if not kept.get(name):
                kept.pop(name, None)
        return kept


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
    """A customer as the API returns it.

    The read-only facts the app shows but never edits (`READ_ONLY_FIELDS`) are None when the
    server left them out or sent something unreadable; `unreadable_fields` names the latter,
    in wire names, and is kept in dumps (so the store keeps it) only when not empty.
    """

    customer_id: str
    tenant_id: str | None = None
    email: str
    first_name: str
    last_name: str
    customer_type: CustomerType
    status: CustomerStatus
    total_orders: float | None = None
    total_devices_rented: float | None = None
    total_monthly_revenue: float | None = None
    order_ids: tuple[str, ...] | None = None
    rental_ids: tuple[str, ...] | None = None
    created_by: str | None = None
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
    unreadable_fields: tuple[str, ...] = ()

    _omit_empty: ClassVar[frozenset[str]] = frozenset({"unreadableFields"})

    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)
        # Most customers ship where they are billed: one shared (frozen) object serves both.
        billing, shipping = self.last_billing_address, self.last_shipping_address
        if shipping is not None and shipping is not billing and shipping == billing:
            self.__dict__["last_shipping_address"] = billing

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


# Wire names of the fields a bad value in which leaves the rest of the customer readable.
READ_ONLY_FIELDS = frozenset({
    "tenantId", "totalOrders", "totalDevicesRented", "totalMonthlyRevenue", "orderIds",
    "rentalIds", "createdBy", "customFields", "createdAt", "updatedAt", "lifetimeCollected",
    "totalAcquisitionCost", "customerMargin", "customerMarginPercent", "subscriptionsTracked",
    "unreadableFields",
})


def salvage_customer(data: Any) -> Customer:
    """`data` (a parsed JSON object) as a Customer, without the read-only values it cannot take.

    Raises ValidationError, naming only what is wrong in the fields that matter (the ones the
    app edits or identifies a customer by), when the record cannot be read even so.
    """
    try:
        return Customer.model_validate(data)
    except ValidationError as exc:
        unreadable = {str(e["loc"][0]) for e in exc.errors() if e["loc"]} & READ_ONLY_FIELDS
        if not unreadable or not isinstance(data, dict):
            raise
    before = data.get("unreadableFields")
    if isinstance(before, list) and all(isinstance(name, str) for name in before):
        unreadable.update(before)  # flagged when this copy was made, e.g. by the store
    unreadable.discard("unreadableFields")
    kept = {k: v for k, v in data.items() if k not in unreadable and k != "unreadableFields"}
    # Raises, naming only the fields that matter, if anything else is wrong too.
    return Customer.model_validate({**kept, "unreadableFields": sorted(unreadable)})


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
    """One page of a listing. `skipped` says why each customer of it that could not be read at
    all was left out (set by the client's salvage; the others are still here)."""

    customers: tuple[Customer, ...]
    count: int
    limit: int
    has_more: bool
    next_cursor: str | None = None

    _nullable: ClassVar[frozenset[str]] = frozenset({"nextCursor"})
    _skipped: tuple[str, ...] = PrivateAttr(default=())

    @property
    def skipped(self) -> tuple[str, ...]:
        return self._skipped

    def with_skipped(self, reasons: tuple[str, ...]) -> CustomerPage:
        page = self.model_copy()
        page._skipped = reasons
        return page


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
