"""Which field each column of an imported file is: by the API's names or the list's labels.

A column is named by the API's write name (`billingAddress.city`, in any letter case; the
read names `lastBillingAddress.city` too), by the label the form and messages use ("Billing
city"), or by the list's header label ("Shipping postal code"). The read-only figures the
export adds are known and left alone; any other column is named in the review as unknown,
never guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass

from flexdesk.editing.fields import ADDRESS_GROUPS, FIELD_ORDER, LABELS, READ_NAMES
from flexdesk.listing.columns import HEADERS, Column
from flexdesk.listing.export import READ_ONLY

__all__ = ["ID", "Columns", "ImportRefused", "map_columns"]

ID = "customerId"
EMAIL = "email"

# The list's labels of the columns that show one editable field.
_LIST_COLUMNS: dict[Column, str] = {
    Column.CUSTOMER_ID: ID,
    Column.COMPANY: "company",
    Column.EMAIL: "email",
    Column.PHONE: "phone",
    Column.TYPE: "customerType",
    Column.STATUS: "status",
    Column.CITY: "billingAddress.city",
    Column.POSTAL_CODE: "billingAddress.postalCode",
    Column.COUNTRY: "billingAddress.country",
    Column.STREET: "billingAddress.streetAddress",
    Column.REGION: "billingAddress.adminArea",
    Column.SHIPPING_CITY: "shippingAddress.city",
    Column.SHIPPING_POSTAL_CODE: "shippingAddress.postalCode",
    Column.SHIPPING_COUNTRY: "shippingAddress.country",
    Column.SHIPPING_STREET: "shippingAddress.streetAddress",
    Column.SHIPPING_REGION: "shippingAddress.adminArea",
}


class ImportRefused(Exception):
    """The file as a whole cannot be imported (no key column, a field twice); the message
    says why, for the user."""


@dataclass(frozen=True)
class Columns:
    """What the header row says. `fields` pairs a column's index with its field path."""

    key: str  # ID or EMAIL: what finds each row's customer
    key_index: int
    fields: tuple[tuple[int, str], ...]
    ignored: tuple[str, ...]  # read-only figures and the like, as the file names them
    unknown: tuple[str, ...]


def _known_names() -> tuple[dict[str, str], set[str]]:
    fields: dict[str, str] = {ID.casefold(): ID}
    for path in FIELD_ORDER:
        fields[path.casefold()] = path
        fields[LABELS[path].casefold()] = path
    for group, read_name in READ_NAMES.items():
        for path in FIELD_ORDER:
            if path.startswith(group + "."):
                fields[(read_name + path[len(group):]).casefold()] = path
    for column, path in _LIST_COLUMNS.items():
        fields[HEADERS[column].casefold()] = path
    ignored = {name.casefold() for name in READ_ONLY.values()}
    ignored |= {label.casefold() for column, label in HEADERS.items()
                if column not in _LIST_COLUMNS}
    ignored |= {group.casefold() for group in ADDRESS_GROUPS}
    return fields, ignored


_FIELDS, _IGNORED = _known_names()


def map_columns(headers: tuple[str, ...]) -> Columns:
    """The meaning of each column; raises ImportRefused when the file cannot be matched."""
    fields: dict[str, int] = {}
    ignored: list[str] = []
    unknown: list[str] = []
    for index, header in enumerate(headers):
        name = header.strip().casefold()
        if not name:
            continue
        path = _FIELDS.get(name)
        if path is None:
            (ignored if name in _IGNORED else unknown).append(header)
            continue
        if path in fields:
            first = headers[fields[path]]
            what = LABELS.get(path, path)
            raise ImportRefused(f"Two columns are the field {what}: “{first}” and “{header}”. "
                                "Keep one of them and import again.")
        fields[path] = index
    if ID in fields:
        key = ID
    elif EMAIL in fields:
        key = EMAIL
    else:
        raise ImportRefused("No customerId or email column: the file needs one of them to "
                            "tell which customer each row is.")
    key_index = fields.pop(key)
    return Columns(key, key_index, tuple((index, path) for path, index in fields.items()
                                         if path in FIELD_ORDER),
                   tuple(ignored), tuple(unknown))
