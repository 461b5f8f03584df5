"""Likely duplicates in the copy of the tenant: customers who share an email, a phone number,
or a name and postal code. The API cannot merge customers; this only finds them, so a person
can look at each group and decide.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flexdesk.listing.text import digits, fold

if TYPE_CHECKING:
    from flexdesk.api.rows import Listed as Customer  # rows of the list, or models

__all__ = ["DuplicateGroup", "likely_duplicates", "phone_key"]

# The digits that identify a number whichever way it is written: '+31 6 8237 4041',
# '0031682374041' and '06 82374041' all end in the same nine.
_SIGNIFICANT = 9


@dataclass(frozen=True)
class DuplicateGroup:
    reason: str  # "same email", "same phone", "same name and postal code"
    shared: str  # what they share, as shown
    customers: tuple[Customer, ...]


def phone_key(phone: str | None) -> str | None:
    number = digits(phone or "")
    return number[-_SIGNIFICANT:] if len(number) >= 7 else None


def _name_and_postal_code(customer: Customer) -> str | None:
    address = customer.last_billing_address or customer.last_shipping_address
    postal = "".join(fold(address.postal_code or "").split()) if address else ""
    name = " ".join(fold(customer.display_name).split())
    return f"{name}\x1f{postal}" if name and postal else None


def likely_duplicates(customers: Iterable[Customer]) -> list[DuplicateGroup]:
    """Every group of two or more customers sharing one of the three, largest groups first
    within each reason; a customer may be in several groups (for several reasons)."""
    by: dict[str, dict[str, list[Customer]]] = {
        "same email": defaultdict(list), "same phone": defaultdict(list),
        "same name and postal code": defaultdict(list)}
    for customer in customers:
        by["same email"][fold(customer.email.strip())].append(customer)
        phone = phone_key(customer.phone)
        if phone is not None:
            by["same phone"][phone].append(customer)
        named = _name_and_postal_code(customer)
        if named is not None:
            by["same name and postal code"][named].append(customer)
    groups: list[DuplicateGroup] = []
    for reason, keyed in by.items():
        found = [members for members in keyed.values() if len(members) > 1]
        found.sort(key=lambda members: (-len(members), members[0].customer_id))
        groups += [DuplicateGroup(reason, _shared(reason, members[0]), tuple(members))
                   for members in found]
    return groups


def _shared(reason: str, customer: Customer) -> str:
    if reason == "same email":
        return customer.email
    if reason == "same phone":
        return customer.phone or ""
    address = customer.last_billing_address or customer.last_shipping_address
    return f"{customer.display_name}, {address.postal_code if address else ''}"
