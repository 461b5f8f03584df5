"""The list's columns: what each shows of a customer, and how it sorts and is searched.

Plain functions of a `Customer`, so the table model, an export and the tests agree on what a
column holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from enum import IntEnum

from flexdesk.api.models import Customer, CustomerStatus, CustomerType
from flexdesk.listing.text import digits, fold
from flexdesk.store import place_of

DRAFT_MARK = "✎"


class Column(IntEnum):
    DRAFT = 0
    NAME = 1
    COMPANY = 2
    EMAIL = 3
    PHONE = 4
    TYPE = 5
    STATUS = 6
    CITY = 7
    REVENUE = 8
    DEVICES = 9
    UPDATED = 10


# Where columns stand until the user moves them: what an account manager reads first (who,
# which company, where, how to call) fits a laptop's list pane without scrolling.
DEFAULT_ORDER = (Column.DRAFT, Column.NAME, Column.COMPANY, Column.CITY, Column.PHONE,
                 Column.EMAIL, Column.TYPE, Column.STATUS, Column.REVENUE, Column.DEVICES,
                 Column.UPDATED)

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
}
NUMERIC = frozenset({Column.REVENUE, Column.DEVICES})  # shown right-aligned


def _city(customer: Customer) -> str:
    address = customer.last_billing_address
    return address.city if address else ""


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def display_value(customer: Customer, column: Column) -> str:
    match column:
        case Column.DRAFT:
            return ""
        case Column.NAME:
            return customer.display_name
        case Column.COMPANY:
            return customer.company or ""
        case Column.EMAIL:
            return customer.email
        case Column.PHONE:
            return customer.phone or ""
        case Column.TYPE:
            return customer.customer_type.value.capitalize()
        case Column.STATUS:
            return customer.status.value.capitalize()
        case Column.CITY:
            return _city(customer)
        case Column.REVENUE:
            return _figure(customer.total_monthly_revenue, ",.2f")
        case Column.DEVICES:
            return _figure(customer.total_devices_rented, "g")
        case Column.UPDATED:
            return _when(customer.updated_at)


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
    if column is Column.UPDATED:
        return lambda c: (_epoch(c.updated_at), c.customer_id)
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
