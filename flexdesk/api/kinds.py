"""The API's enumerations and the app's email rule, without pydantic.

Kept apart from models.py so that the list and the cache of customers can be read and shown
before pydantic is imported (issue #21): the window's first paint needs these, not the models.
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = ["CustomerStatus", "CustomerType", "looks_like_email"]

# Pragmatic, not RFC 5322: one @, no spaces, a dot in the domain. The server is the judge.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CustomerType(StrEnum):
    INDIVIDUAL = "individual"
    BUSINESS = "business"


class CustomerStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


def looks_like_email(value: str) -> bool:
    """The one email rule of the app: the form, the search box and the write model use it."""
    return bool(EMAIL.match(value.strip()))
