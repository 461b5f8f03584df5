"""The editable fields of a customer, named by the API's *write* names.

The form, the dirty set, drafts and the PUT body all speak one language: field paths such as
`firstName` or `billingAddress.city`. Write names are used (not the read names
`lastBillingAddress`/`lastShippingAddress`, API.md trap 1) because the body is what the edits
end up as, and the server's validation errors name fields the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

from pydantic import BaseModel

from flexdesk.api.models import Address, Customer

# The three groups of the form. CONTACT is the top level of the record; the address groups
# are the write names of the two addresses and double as the path prefixes.
CONTACT = "contact"
BILLING = "billingAddress"
SHIPPING = "shippingAddress"
ADDRESS_GROUPS: tuple[str, ...] = (BILLING, SHIPPING)
GROUPS: tuple[str, ...] = (CONTACT, *ADDRESS_GROUPS)

CONTACT_FIELDS: tuple[str, ...] = (
    "firstName",
    "lastName",
    "email",
    "phone",
    "company",
    "customerType",
    "status",
)
ADDRESS_FIELDS: tuple[str, ...] = (
    "contactName",
    "company",
    "streetAddress",
    "buildingInfo",
    "locality",
    "postalCode",
    "city",
    "adminArea",
    "country",
)
# An address in a request must carry these (API.md trap 2); the others are optional.
REQUIRED_ADDRESS_FIELDS: tuple[str, ...] = ("contactName", "streetAddress", "city", "country")
# The only address field whose schema admits null.
NULLABLE_ADDRESS_FIELDS: frozenset[str] = frozenset({"postalCode"})

# Where each address is found in a customer as the API returns it (API.md trap 1).
READ_NAMES: dict[str, str] = {BILLING: "lastBillingAddress", SHIPPING: "lastShippingAddress"}


def address_path(group: str, field: str) -> str:
    """`billingAddress` + `city` -> `billingAddress.city`."""
    return f"{group}.{field}"


# The documented tab order of the form: contact, then billing, then shipping.
FIELD_ORDER: tuple[str, ...] = (
    *CONTACT_FIELDS,
    *(address_path(BILLING, field) for field in ADDRESS_FIELDS),
    *(address_path(SHIPPING, field) for field in ADDRESS_FIELDS),
)

_CONTACT_LABELS = {
    "firstName": "First name",
    "lastName": "Last name",
    "email": "Email",
    "phone": "Phone",
    "company": "Company",
    "customerType": "Customer type",
    "status": "Status",
}
_ADDRESS_LABELS = {
    "contactName": "contact name",
    "company": "company",
    "streetAddress": "street address",
    "buildingInfo": "building, floor or suite",
    "locality": "neighbourhood or district",
    "postalCode": "postal code",
    "city": "city",
    "adminArea": "state or province",
    "country": "country",
}
_GROUP_LABELS = {CONTACT: "Contact", BILLING: "Billing", SHIPPING: "Shipping"}

# Labels that stand alone ("Billing city"), for messages and the review list.
LABELS: dict[str, str] = {
    **_CONTACT_LABELS,
    **{
        address_path(group, field): f"{_GROUP_LABELS[group]} {label}"
        for group in ADDRESS_GROUPS
        for field, label in _ADDRESS_LABELS.items()
    },
}
# Labels inside a group box, where the group is already said ("City").
SHORT_LABELS: dict[str, str] = {
    **_CONTACT_LABELS,
    **{
        address_path(group, field): label[0].upper() + label[1:]
        for group in ADDRESS_GROUPS
        for field, label in _ADDRESS_LABELS.items()
    },
}


def group_label(group: str) -> str:
    """The group's name for people: "Contact", "Billing" or "Shipping"."""
    return _GROUP_LABELS[group]


def split_path(path: str) -> tuple[str, str]:
    """`billingAddress.city` -> (`billingAddress`, `city`); `email` -> (CONTACT, `email`)."""
    group, dot, field = path.partition(".")
    return (group, field) if dot else (CONTACT, path)


def group_of(path: str) -> str:
    """The group a path belongs to: CONTACT, BILLING or SHIPPING."""
    return split_path(path)[0]


def paths_in(group: str) -> tuple[str, ...]:
    """The paths of one group, in tab order. Unknown groups are a programming error."""
    if group not in GROUPS:
        raise KeyError(f"unknown field group: {group!r}")
    return tuple(path for path in FIELD_ORDER if group_of(path) == group)


def normalise(value: str | None) -> str:
    """The value as it counts for dirtiness and is sent: surrounding whitespace stripped.

    An empty result means absent: an empty optional field equals a field the server left out,
    so opening a record and touching nothing never produces a change. `str.strip` also drops
    tabs, newlines and the other Unicode spaces a paste may bring along.
    """
    return "" if value is None else value.strip()


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def customer_with(customer: Customer, values: Mapping[str, str]) -> Customer:
    """`customer` with the fields at these paths set to these values (the inverse of
    `values_from_customer` for them); everything else, read-only figures included, as it was.

    An address that was absent comes into being with the given fields ("" for the others).
    """
    if not values:
        return customer
    dumped: dict[str, Any] = customer.model_dump(mode="json")
    for path, value in values.items():
        group, field = split_path(path)
        if group == CONTACT:
            # Optional contact fields are absent rather than "" on the wire.
            optional = field in ("company", "phone")
            dumped[field] = (value or None) if optional else value
            continue
        address = dumped.get(READ_NAMES[group]) or dict.fromkeys(REQUIRED_ADDRESS_FIELDS, "")
        address[field] = value
        dumped[READ_NAMES[group]] = address
    return Customer.model_validate(dumped)


def values_from_customer(customer: Customer) -> dict[str, str]:
    """Every path in FIELD_ORDER to the customer's value as a string ("" when absent), as
    `values_from_dump` reads it from the customer's JSON.

    Read from the attributes rather than through a dump: this runs several times per save
    and per opened record, and a dump of a customer costs ten times as much.
    """
    values = {field: _wire_text(getattr(customer, attribute))
              for field, attribute in _CONTACT_ATTRIBUTES.items()}
    for group, attribute in _ADDRESS_ATTRIBUTES.items():
        address = getattr(customer, attribute)
        for field, name in _ADDRESS_FIELD_ATTRIBUTES.items():
            values[address_path(group, field)] = \
                "" if address is None else _wire_text(getattr(address, name))
    return values


def _attributes(model: type[BaseModel], names: Iterable[str]) -> dict[str, str]:
    """Wire name -> the model's attribute for it."""
    by_alias = {info.alias or name: name for name, info in model.model_fields.items()}
    return {name: by_alias[name] for name in names}


_CONTACT_ATTRIBUTES = _attributes(Customer, CONTACT_FIELDS)
_ADDRESS_ATTRIBUTES = {group: _attributes(Customer, [name])[name]
                       for group, name in READ_NAMES.items()}
_ADDRESS_FIELD_ATTRIBUTES = _attributes(Address, ADDRESS_FIELDS)


def _wire_text(value: Any) -> str:
    """A field's value as its JSON dump spells it, as text: an enum by its wire value."""
    if isinstance(value, Enum):
        return str(value.value)
    return _text(value)


def values_from_dump(dumped: Mapping[str, Any]) -> dict[str, str]:
    """`values_from_customer` of a customer already dumped as JSON (the export has it)."""
    values = {field: _text(dumped.get(field)) for field in CONTACT_FIELDS}
    for group in ADDRESS_GROUPS:
        address: dict[str, Any] = dumped.get(READ_NAMES[group]) or {}
        for field in ADDRESS_FIELDS:
            values[address_path(group, field)] = _text(address.get(field))
    return values
