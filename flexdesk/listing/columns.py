"""The list's columns: what each shows of a customer, and how it sorts and is searched.

Plain functions of a customer (a `CustomerRow`, as the list holds it, or the `Customer` model:
the same attributes), so the table model, an export and the tests agree on what a column
holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import TYPE_CHECKING

from flexdesk.api.kinds import CustomerStatus, CustomerType
from flexdesk.listing.text import digits, fold
from flexdesk.store import place_of

if TYPE_CHECKING:
    from flexdesk.api.models import Address
    from flexdesk.api.rows import AddressRow
    from flexdesk.api.rows import Listed as Customer  # a row or a model: the same attributes

DRAFT_MARK = "✎"


class Column(IntEnum):
    """The list's columns. A saved layout names them (`name`), so their numbers may grow;
    new ones go at the end."""

    DRAFT = 0
    NAME = 1
    COMPANY = 2
    EMAIL = 3
    PHONE = 4
    TYPE = 5
    STATUS = 6
    CITY = 7  # the billing address's
    REVENUE = 8
    DEVICES = 9
    UPDATED = 10
    CUSTOMER_ID = 11
    CREATED = 12
    ORDERS = 13
    POSTAL_CODE = 14  # the billing address's
    COUNTRY = 15
    SHIPPING_CITY = 16
    SHIPPING_POSTAL_CODE = 17
    SHIPPING_COUNTRY = 18
    STREET = 19  # the billing address's
    REGION = 20  # the billing address's state or province
    SHIPPING_STREET = 21
    SHIPPING_REGION = 22
    SUBSCRIPTIONS = 23
    LIFETIME_COLLECTED = 24
    ACQUISITION_COST = 25
    MARGIN = 26
    MARGIN_PERCENT = 27
    CREATED_BY = 28

    @property
    def key(self) -> str:
        """The column's name in a saved layout or view: stable across versions."""
        return self.name.lower()


# Where columns stand until the user moves them: what an account manager reads first (who,
# which company, where, how to call) fits a laptop's list pane without scrolling.
DEFAULT_ORDER = (Column.DRAFT, Column.NAME, Column.COMPANY, Column.CITY, Column.PHONE,
                 Column.EMAIL, Column.TYPE, Column.STATUS, Column.REVENUE, Column.DEVICES,
                 Column.UPDATED, Column.POSTAL_CODE, Column.COUNTRY, Column.SHIPPING_CITY,
                 Column.SHIPPING_POSTAL_CODE, Column.SHIPPING_COUNTRY, Column.ORDERS,
                 Column.CREATED, Column.CUSTOMER_ID, Column.STREET, Column.REGION,
                 Column.SHIPPING_STREET, Column.SHIPPING_REGION, Column.SUBSCRIPTIONS,
                 Column.LIFETIME_COLLECTED, Column.ACQUISITION_COST, Column.MARGIN,
                 Column.MARGIN_PERCENT, Column.CREATED_BY)
# Shown until the user chooses (the column chooser lists every column).
SHOWN_BY_DEFAULT = frozenset(DEFAULT_ORDER[:11])

HEADERS = {
    Column.DRAFT: DRAFT_MARK,
    Column.NAME: "Name",
    Column.COMPANY: "Company",
    Column.EMAIL: "Email",
    Column.PHONE: "Phone",
    Column.TYPE: "Type",
    Column.STATUS: "Status",
    Column.CITY: "City",
    Column.REVENUE: "Monthly revenue",
    Column.DEVICES: "Devices",
    Column.UPDATED: "Updated",
    Column.CUSTOMER_ID: "Customer ID",
    Column.CREATED: "Created",
    Column.ORDERS: "Orders",
    Column.POSTAL_CODE: "Postal code",
    Column.COUNTRY: "Country",
    Column.SHIPPING_CITY: "Shipping city",
    Column.SHIPPING_POSTAL_CODE: "Shipping postal code",
    Column.SHIPPING_COUNTRY: "Shipping country",
    Column.STREET: "Street",
    Column.REGION: "State or region",
    Column.SHIPPING_STREET: "Shipping street",
    Column.SHIPPING_REGION: "Shipping state or region",
    Column.SUBSCRIPTIONS: "Subscriptions",
    Column.LIFETIME_COLLECTED: "Lifetime collected",
    Column.ACQUISITION_COST: "Acquisition cost",
    Column.MARGIN: "Margin",
    Column.MARGIN_PERCENT: "Margin %",
    Column.CREATED_BY: "Created by",
}
# The columns that hold figures: shown right-aligned, sorted as numbers (by these fields).
_FIGURES: dict[Column, tuple[str, str]] = {
    Column.REVENUE: ("total_monthly_revenue", ",.2f"),
    Column.DEVICES: ("total_devices_rented", "g"),
    Column.ORDERS: ("total_orders", "g"),
    Column.SUBSCRIPTIONS: ("subscriptions_tracked", "g"),
    Column.LIFETIME_COLLECTED: ("lifetime_collected", ",.2f"),
    Column.ACQUISITION_COST: ("total_acquisition_cost", ",.2f"),
    Column.MARGIN: ("customer_margin", ",.2f"),
    Column.MARGIN_PERCENT: ("customer_margin_percent", ".1f"),
}
NUMERIC = frozenset(_FIGURES)


def _address_field(address: Address | AddressRow | None, field: str) -> str:
    return (getattr(address, field) or "") if address else ""


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def _address_column(which: str, field: str) -> Callable[[Customer], str]:
    return lambda c: _address_field(getattr(c, which), field)


def _figure_column(field: str, spec: str) -> Callable[[Customer], str]:
    return lambda c: _figure(getattr(c, field), spec)


# What each column shows of a customer.
_SHOWN: dict[Column, Callable[[Customer], str]] = {
    Column.DRAFT: lambda c: "",
    Column.NAME: lambda c: c.display_name,
    Column.COMPANY: lambda c: c.company or "",
    Column.EMAIL: lambda c: c.email,
    Column.PHONE: lambda c: c.phone or "",
    Column.TYPE: lambda c: c.customer_type.value.capitalize(),
    Column.STATUS: lambda c: c.status.value.capitalize(),
    **{column: _figure_column(field, spec) for column, (field, spec) in _FIGURES.items()},
    Column.UPDATED: lambda c: _when(c.updated_at),
    Column.CREATED: lambda c: _when(c.created_at),
    Column.CUSTOMER_ID: lambda c: c.customer_id,
    Column.CITY: _address_column("last_billing_address", "city"),
    Column.POSTAL_CODE: _address_column("last_billing_address", "postal_code"),
    Column.COUNTRY: _address_column("last_billing_address", "country"),
    Column.SHIPPING_CITY: _address_column("last_shipping_address", "city"),
    Column.SHIPPING_POSTAL_CODE: _address_column("last_shipping_address", "postal_code"),
    Column.SHIPPING_COUNTRY: _address_column("last_shipping_address", "country"),
    Column.STREET: _address_column("last_billing_address", "street_address"),
    Column.REGION: _address_column("last_billing_address", "admin_area"),
    Column.SHIPPING_STREET: _address_column("last_shipping_address", "street_address"),
    Column.SHIPPING_REGION: _address_column("last_shipping_address", "admin_area"),
    Column.CREATED_BY: lambda c: c.created_by or "",
}


def display_value(customer: Customer, column: Column) -> str:
    return _SHOWN[column](customer)


def _figure(value: float | None, spec: str) -> str:
    return "" if value is None else format(value, spec)  # None: absent or unreadable


def _number(value: float | None) -> float:
    return -math.inf if value is None else value


SortKey = tuple[float, str]
KeyFunction = Callable[["Customer"], SortKey]


def _name_key(customer: Customer) -> SortKey:
    # People are looked up by family name: "Jansen, Jeroen" sorts under J, not under Jeroen.
    return 0.0, fold(f"{customer.last_name}\x1f{customer.first_name}\x1f{customer.customer_id}")


def _epoch(value: datetime | None) -> float:
    return value.timestamp() if value else 0.0


def sort_key(column: Column) -> KeyFunction:
    """Numbers order as numbers, text without regard to case or accents. Equal values go by
    customer ID, so a list has one order whichever way its rows came in (online in the
    server's order, offline from the cache)."""
    if column is Column.NAME:
        return _name_key
    if column in _FIGURES:
        field = _FIGURES[column][0]
        return lambda c: (_number(getattr(c, field)), c.customer_id)
    if column is Column.UPDATED:
        return lambda c: (_epoch(c.updated_at), c.customer_id)
    if column is Column.CREATED:
        return lambda c: (_epoch(c.created_at), c.customer_id)
    return lambda c: (0.0, f"{fold(display_value(c, column))}\x1f{c.customer_id}")


def copy_order(customer: Customer) -> SortKey:
    """The order of the copy of the tenant, as the store keeps and reads it back (see
    `store.copy_position`): the active customers newest first, then the inactive. Ascending."""
    return place_of(customer)




# One control character per (status, type): the first of a customer's search key, so a filter
# by status and type is a character test, not a look at 100,000 objects.
_SCOPE_MARKS = {
    (status, kind): chr(1 + s * len(CustomerType) + k)
    for s, status in enumerate(CustomerStatus) for k, kind in enumerate(CustomerType)
}


def scope_mark(status: CustomerStatus, kind: CustomerType) -> str:
    return _SCOPE_MARKS[status, kind]


def search_key(customer: Customer) -> str:
    """What quick search looks in: name, company, email, phone (as typed and as digits), the
    cities and postal codes of both addresses, folded once, after the customer's scope mark
    (which no typed word can contain)."""
    phone = customer.phone or ""
    parts = [customer.display_name, customer.company or "", customer.email, phone,
             digits(phone)]
    for address in {id(a): a for a in (customer.last_billing_address,
                                       customer.last_shipping_address) if a}.values():
        parts += (address.city, address.postal_code or "")
    return scope_mark(customer.status, customer.customer_type) + fold("\x1f".join(parts))
