"""Turning edited values into a PUT body, and predicting what the server makes of one.

Two API rules shape the body (API.md traps 2 and 3): `customerId` always goes in, and an
address is sent whole or not at all. A server may replace or merge an address it receives, so
an optional field the user emptied is sent explicitly ("" or, for `postalCode`, null) rather
than left out; either way the field ends up empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .fields import (
    ADDRESS_FIELDS,
    ADDRESS_GROUPS,
    CONTACT_FIELDS,
    NULLABLE_ADDRESS_FIELDS,
    address_path,
    normalise,
)


def address_body(
    group: str, values: Mapping[str, str], base_values: Mapping[str, str]
) -> dict[str, str | None]:
    """One edited address as it goes in the body (write names, whole).

    Non-empty fields are sent; an empty field that the server holds non-empty is sent cleared;
    a field empty on both sides is left out, so the body says no more than it must.
    """
    body: dict[str, str | None] = {}
    for field in ADDRESS_FIELDS:
        path = address_path(group, field)
        value = normalise(values[path])
        if value:
            body[field] = value
        elif normalise(base_values[path]):
            body[field] = None if field in NULLABLE_ADDRESS_FIELDS else ""
    return body


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def apply_body(values: Mapping[str, str], body: Mapping[str, Any]) -> dict[str, str]:
    """The values a server holds after applying `body` to a record holding `values`.

    Contact fields in the body replace theirs; an address in the body replaces the whole group,
    so its fields absent from the body become "". Keys the record has no field for
    (`customerId`) are ignored. Values are taken as sent, not normalised.
    """
    result = dict(values)
    for field in CONTACT_FIELDS:
        if field in body:
            result[field] = _text(body[field])
    for group in ADDRESS_GROUPS:
        address = body.get(group)
        if isinstance(address, Mapping):
            for field in ADDRESS_FIELDS:
                result[address_path(group, field)] = _text(address.get(field))
    return result
