"""A customer as the list holds it: plain slotted rows, read from the cache without pydantic.

The window paints the cached customers before httpx and pydantic are imported (issue #21), and
the list only reads attributes; the full `Customer` model is built from a row when one is
opened for editing or exported (`CustomerRow.customer`). Rows carry every field of the model
under the same names, so a round trip loses nothing, and they are smaller than the models:
100,000 of them are what the list keeps in memory.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from flexdesk.api.kinds import CustomerStatus, CustomerType

if TYPE_CHECKING:
    from flexdesk.api.models import Address, Customer

__all__ = ["AddressRow", "CustomerRow"]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


class _Row:
    """Equality and a repr from the slots; no __dict__ (memory, at 100,000 rows)."""

    __slots__ = ()
    _WIRE: ClassVar[tuple[tuple[str, str], ...]] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name, _ in self._WIRE)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Row) and type(other) is type(self) \
            and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values()[:1])

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name, _ in self._WIRE[:3])
        return f"{type(self).__name__}({shown}, …)"


class AddressRow(_Row):
    __slots__ = ("admin_area", "building_info", "city", "company", "contact_name", "country",
                 "locality", "postal_code", "street_address")
    contact_name: str
    street_address: str
    city: str
    country: str
    company: str | None
    building_info: str | None
    locality: str | None
    admin_area: str | None
    postal_code: str | None

    _WIRE = tuple((name, _camel(name)) for name in (
        "contact_name", "street_address", "city", "country", "company", "building_info",
        "locality", "admin_area", "postal_code"))

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> AddressRow:
        row = cls.__new__(cls)
        for name, wire in cls._WIRE:
            setattr(row, name, data.get(wire))
        return row

    @classmethod
    def of(cls, address: Address | AddressRow) -> AddressRow:
        if isinstance(address, AddressRow):
            return address
        row = cls.__new__(cls)
        for name, _ in cls._WIRE:
            setattr(row, name, getattr(address, name))
        return row

    def wire(self) -> dict[str, Any]:
        return {wire: value for name, wire in self._WIRE
                if (value := getattr(self, name)) is not None}


_FIGURES = ("total_orders", "total_devices_rented", "total_monthly_revenue",
            "lifetime_collected", "total_acquisition_cost", "customer_margin",
            "customer_margin_percent", "subscriptions_tracked")
_TEXTS = ("customer_id", "tenant_id", "email", "first_name", "last_name", "created_by",
          "company", "phone")
_ID_LISTS = ("order_ids", "rental_ids")
_DATES = ("created_at", "updated_at")
_ADDRESSES = ("last_billing_address", "last_shipping_address")
_TEXT_WIRE = tuple((name, _camel(name)) for name in _TEXTS)
_FIGURE_WIRE = tuple((name, _camel(name)) for name in _FIGURES)
_LIST_WIRE = tuple((name, _camel(name)) for name in _ID_LISTS)


def _date(value: Any) -> datetime | None:
    # The cache holds what `Customer.model_dump_json` wrote: ISO 8601 in UTC, or nothing.
    return datetime.fromisoformat(value) if isinstance(value, str) else None


class CustomerRow(_Row):
    """The fields of `flexdesk.api.models.Customer`, by the same names, read-only by habit."""

    __slots__ = (*_TEXTS, *_FIGURES, *_ID_LISTS, *_DATES, *_ADDRESSES, "customer_type",
                 "status", "custom_fields", "unreadable_fields")
    customer_id: str
    tenant_id: str | None
    email: str
    first_name: str
    last_name: str
    created_by: str | None
    company: str | None
    phone: str | None
    customer_type: CustomerType
    status: CustomerStatus
    total_orders: float | None
    total_devices_rented: float | None
    total_monthly_revenue: float | None
    lifetime_collected: float | None
    total_acquisition_cost: float | None
    customer_margin: float | None
    customer_margin_percent: float | None
    subscriptions_tracked: float | None
    order_ids: tuple[str, ...] | None
    rental_ids: tuple[str, ...] | None
    created_at: datetime | None
    updated_at: datetime | None
    last_billing_address: AddressRow | None
    last_shipping_address: AddressRow | None
    custom_fields: dict[str, Any] | None
    unreadable_fields: tuple[str, ...]

    _WIRE = tuple((name, _camel(name)) for name in __slots__)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    # -- made from ---------------------------------------------------------------------------

    @classmethod
    def from_json(cls, text: str | bytes) -> CustomerRow:
        """A customer as the store keeps it (`Customer.model_dump_json`), already validated
        when it was kept: read as it is, without the models."""
        data: dict[str, Any] = json.loads(text)
        get = data.get
        row = cls.__new__(cls)
        for name, wire in _TEXT_WIRE:
            setattr(row, name, get(wire))
        for name, wire in _FIGURE_WIRE:  # JSON may spell a float as an integer
            setattr(row, name, None if (value := get(wire)) is None else float(value))
        for name, wire in _LIST_WIRE:
            setattr(row, name, None if (value := get(wire)) is None else tuple(value))
        row.created_at = _date(get("createdAt"))
        row.updated_at = _date(get("updatedAt"))
        billing, shipping = get("lastBillingAddress"), get("lastShippingAddress")
        row.last_billing_address = None if billing is None else AddressRow.from_wire(billing)
        # Most customers ship where they are billed: one row serves both, as in the models.
        row.last_shipping_address = (row.last_billing_address if shipping == billing
                                     else AddressRow.from_wire(shipping) if shipping else None)
        row.customer_type = CustomerType(data["customerType"])
        row.status = CustomerStatus(data["status"])
        row.custom_fields = get("customFields")
        row.unreadable_fields = tuple(get("unreadableFields", ()))
        return row

    @classmethod
    def of(cls, customer: Listed) -> CustomerRow:
        """The row of a model (a page from the server, a save's answer); a row stays itself."""
        if isinstance(customer, CustomerRow):
            return customer
        row = cls.__new__(cls)
        for name in (*_TEXTS, *_FIGURES, *_ID_LISTS, *_DATES, "customer_type", "status",
                     "custom_fields", "unreadable_fields"):
            setattr(row, name, getattr(customer, name))
        billing, shipping = customer.last_billing_address, customer.last_shipping_address
        row.last_billing_address = None if billing is None else AddressRow.of(billing)
        row.last_shipping_address = (row.last_billing_address if shipping is billing
                                     else None if shipping is None else AddressRow.of(shipping))
        return row

    # -- made into ---------------------------------------------------------------------------

    def wire(self) -> dict[str, Any]:
        """The customer as the API spells it (camelCase; absent values left out)."""
        data: dict[str, Any] = {}
        for name, wire in self._WIRE:
            value = getattr(self, name)
            if isinstance(value, AddressRow):
                value = value.wire()
            if value is not None:
                data[wire] = value
        if not self.unreadable_fields:
            del data["unreadableFields"]
        return data

    def customer(self) -> Customer:
        """The full model, for the editor and an export. Imports pydantic on first use, which
        start-up has done by then (after the first paint)."""
        from flexdesk.api.models import Customer

        return Customer.model_validate(self.wire())


if TYPE_CHECKING:
    Listed = Customer | CustomerRow  # what the list takes: either, kept as rows
