"""The list's columns: what each shows of a customer, and how it sorts and is searched.

Plain functions of a `Customer`, so the table model, an export and the tests agree on what a
column holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from enum import IntEnum

from flexdesk.api.models import Address, Customer, CustomerStatus, CustomerType
from flexdesk.listing.text import digits, fold
from flexdesk.store import place_of

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
                 Column.CREATED, Column.CUSTOMER_ID)
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
}
NUMERIC = frozenset({Column.REVENUE, Column.DEVICES, Column.ORDERS})  # shown right-aligned


def _address_field(address: Address | None, field: str) -> str:
    return (getattr(address, field) or "") if address else ""


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def _address_column(which: str, field: str) -> Callable[[Customer], str]:
    return lambda c: _address_field(getattr(c, which), field)


# What each column shows of a customer.
_SHOWN: dict[Column, Callable[[Customer], str]] = {
    Column.DRAFT: lambda c: "",
    Column.NAME: lambda c: c.display_name,
    Column.COMPANY: lambda c: c.company or "",
    Column.EMAIL: lambda c: c.email,
    Column.PHONE: lambda c: c.phone or "",
    Column.TYPE: lambda c: c.customer_type.value.capitalize(),
    Column.STATUS: lambda c: c.status.value.capitalize(),
    Column.REVENUE: lambda c: _figure(c.total_monthly_revenue, ",.2f"),
    Column.DEVICES: lambda c: _figure(c.total_devices_rented, "g"),
    Column.ORDERS: lambda c: _figure(c.total_orders, "g"),
    Column.UPDATED: lambda c: _when(c.updated_at),
    Column.CREATED: lambda c: _when(c.created_at),
    Column.CUSTOMER_ID: lambda c: c.customer_id,
    Column.CITY: _address_column("last_billing_address", "city"),
    Column.POSTAL_CODE: _address_column("last_billing_address", "postal_code"),
    Column.COUNTRY: _address_column("last_billing_address", "country"),
    Column.SHIPPING_CITY: _address_column("last_shipping_address", "city"),
    Column.SHIPPING_POSTAL_CODE: _address_column("last_shipping_address", "postal_code"),
    Column.SHIPPING_COUNTRY: _address_column("last_shipping_address", "country"),
}


def display_value(customer: Customer, column: Column) -> str:
    return _SHOWN[column](customer)


def _figure(value: float | None, spec: str) -> str:
    return "" if value is None else format(value, spec)  # None: absent or unreadable


def _number(value: float | None) -> float:
    return -math.inf if value is None else value


SortKey = tuple[float, str]
KeyFunction = Callable[[Customer], SortKey]


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
    if column is Column.REVENUE:
        return lambda c: (_number(c.total_monthly_revenue), c.customer_id)
    if column is Column.DEVICES:
        return lambda c: (_number(c.total_devices_rented), c.customer_id)
    if column is Column.ORDERS:
        return lambda c: (_number(c.total_orders), c.customer_id)
    if column is Column.UPDATED:
        return lambda c: (_epoch(c.updated_at), c.customer_id)
    if column is Column.CREATED:
        return lambda c: (_epoch(c.created_at), c.customer_id)
    return lambda c: (0.0, f"{fold(display_value(c, column))}\x1f{c.customer_id}")


def copy_order(customer: Customer) -> SortKey:
    """The order of the copy of the tenant, as the store keeps and reads it back (see
    `store.copy_position`): the active customers newest first, then the inactive. Ascending."""
    return place_of(customer)




def scope_mark(status: CustomerStatus, kind: CustomerType) -> str:
    """One control character per (status, type): the first of a customer's search key, so a
    filter by status and type is a character test, not a look at 100,000 objects."""
    return chr(1 + list(CustomerStatus).index(status) * len(CustomerType)
               + list(CustomerType).index(kind))


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
