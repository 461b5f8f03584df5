"""Editing one customer without any widget: the dirty set, validation and the PUT body.

Qt-free, and it uses nothing of flexdesk but `flexdesk.api.models` and `flexdesk.api.errors`,
so the editor, the draft store and the sync step can all rely on it, and tests need no window.
"""

from .addresses import REQUIRED, AddressCheck, CountryTerms, check_address, country_terms
from .body import address_body, apply_body
from .fields import (
    ADDRESS_FIELDS,
    ADDRESS_GROUPS,
    BILLING,
    CONTACT,
    CONTACT_FIELDS,
    FIELD_ORDER,
    GROUPS,
    LABELS,
    NULLABLE_ADDRESS_FIELDS,
    READ_NAMES,
    REQUIRED_ADDRESS_FIELDS,
    SHIPPING,
    SHORT_LABELS,
    address_path,
    customer_with,
    group_label,
    group_of,
    normalise,
    paths_in,
    split_path,
    values_from_customer,
)
from .session import Change, EditSession
from .validation import MAX_LENGTH

__all__ = [
    "ADDRESS_FIELDS",
    "ADDRESS_GROUPS",
    "BILLING",
    "CONTACT",
    "CONTACT_FIELDS",
    "FIELD_ORDER",
    "GROUPS",
    "LABELS",
    "MAX_LENGTH",
    "NULLABLE_ADDRESS_FIELDS",
    "READ_NAMES",
    "REQUIRED",
    "REQUIRED_ADDRESS_FIELDS",
    "SHIPPING",
    "SHORT_LABELS",
    "AddressCheck",
    "Change",
    "CountryTerms",
    "EditSession",
    "address_body",
    "address_path",
    "apply_body",
    "check_address",
    "country_terms",
    "customer_with",
    "group_label",
    "group_of",
    "normalise",
    "paths_in",
    "split_path",
    "values_from_customer",
]
