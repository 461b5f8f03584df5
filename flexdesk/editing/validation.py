"""Field checks run before a save, worded for display under the field.

The rules are the API's (contract `CustomerUpdate` and `Address`), applied through the write
model so the client and the form cannot disagree about what a valid email is, and each
address's country rules (addresses.py). Only what would be sent is checked: dirty contact
fields and every field of an address that will be sent whole. Bad data the server already
holds in a field nobody touched must not block an unrelated save.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import ValidationError

from flexdesk.api.models import CustomerUpdate

from .addresses import REQUIRED, AddressCheck, check_address
from .fields import ADDRESS_FIELDS, REQUIRED_ADDRESS_FIELDS, address_path, normalise

# Longer than any real name or address line: a value this long is a paste gone wrong (a whole
# address block in one field). Refused at the field, never cut: the user decides what stays.
MAX_LENGTH = 200


def length_problem(value: str) -> str | None:
    length = len(normalise(value))
    if length <= MAX_LENGTH:
        return None
    return f"Too long: {length:,} characters, at most {MAX_LENGTH}"


# Contact fields the API will not take blank (minLength, an email format, an enum).
_NOT_BLANK = frozenset({"firstName", "lastName", "email", "customerType", "status"})
_MESSAGES = {
    "email": "Not a valid email address",
    "customerType": "Choose individual or business",
    "status": "Choose active or inactive",
}


def contact_problem(field: str, value: str) -> str | None:
    """What is wrong with one contact field's value as it would be sent, or None."""
    text = normalise(value)
    if not text and field in _NOT_BLANK:
        return REQUIRED
    too_long = length_problem(text)
    if too_long:
        return too_long
    try:
        # Any non-empty id will do: only `field` is being judged.
        CustomerUpdate.model_validate({"customerId": "-", field: text})
    except ValidationError as error:
        return _MESSAGES.get(field, error.errors()[0]["msg"])
    return None


def address_check(group: str, values: Mapping[str, str]) -> AddressCheck:
    """Problems and offers of one address by its paths (`billingAddress.postalCode`): the
    API's required fields, the length limit, then the country's rules."""
    problems: dict[str, str] = {}
    for field in ADDRESS_FIELDS:
        path = address_path(group, field)
        value = values.get(path, "")
        if field in REQUIRED_ADDRESS_FIELDS and not normalise(value):
            problems[path] = REQUIRED
        elif too_long := length_problem(value):
            problems[path] = too_long
    by_country = check_address({f: values.get(address_path(group, f), "") for f in ADDRESS_FIELDS})
    for field, message in by_country.problems.items():
        problems.setdefault(address_path(group, field), message)
    offers = {address_path(group, f): value for f, value in by_country.offers.items()}
    return AddressCheck(problems, offers)


def address_problems(group: str, values: Mapping[str, str]) -> dict[str, str]:
    """The problems of one address as it would be sent; path -> message."""
    return address_check(group, values).problems


def problems(
    values: Mapping[str, str], dirty_contact: Iterable[str], dirty_groups: Iterable[str]
) -> dict[str, str]:
    """Every problem of the edited record as it would be sent, path -> message."""
    found: dict[str, str] = {}
    for field in dirty_contact:
        problem = contact_problem(field, values.get(field, ""))
        if problem is not None:
            found[field] = problem
    for group in dirty_groups:
        found.update(address_problems(group, values))
    return found
