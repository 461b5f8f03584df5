"""What the store keeps: drafts (with the base they started from) and cached customers.

Plain frozen values, so the GUI thread and the sync worker can hand them to each other freely.
The store knows nothing of editing: a draft's `edits` are opaque to it, path -> raw text, exactly
as `EditSession.edits` gives them, and its `base` is the customer's JSON as the server last sent
it (camelCase, `customer.model_dump(mode="json")`), so a later release can still read it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from flexdesk.api.kinds import CustomerStatus

if TYPE_CHECKING:  # the models (pydantic) are imported when a draft is first read as one
    from flexdesk.api.models import Customer
    from flexdesk.api.rows import Listed

__all__ = ["CachedCustomer", "ConnectionKey", "Draft", "DraftState", "copy_position"]


@dataclass(frozen=True, slots=True)
class ConnectionKey:
    """Which server and tenant a row belongs to: drafts never cross from one to another.

    The API key is deliberately not part of it: a new key for the same tenant keeps the drafts,
    and no secret ever reaches the database. `base_url` loses a trailing slash, as the client's
    does, so both spell the same connection the same way.
    """

    base_url: str
    tenant_id: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", self.base_url.strip().rstrip("/"))
        object.__setattr__(self, "tenant_id", self.tenant_id.strip())
        if not self.base_url or not self.tenant_id:
            raise ValueError("a connection needs a base URL and a tenant ID")

    @property
    def key(self) -> str:
        """The column value: a JSON pair, unambiguous whatever characters a tenant ID holds.

        Stored in every row, so its spelling is part of the schema: change it only with a
        migration.
        """
        return json.dumps([self.base_url, self.tenant_id], ensure_ascii=False,
                          separators=(",", ":"))

    @classmethod
    def from_key(cls, key: str) -> ConnectionKey:
        base_url, tenant_id = json.loads(key)
        return cls(str(base_url), str(tenant_id))


class DraftState(StrEnum):
    """Where a draft stands, as the user sees it."""

    EDITING = "editing"  # typed, not saved yet (or typed on after a save)
    QUEUED = "queued"  # saved by the user, waiting for the outbox
    SENDING = "sending"  # the outbox is sending it; set only by the outbox
    CONFLICT = "conflict"  # someone changed the same fields on the server: the user decides
    FAILED = "failed"  # the server refused it (deleted, deactivated, invalid): `reason` says why


@dataclass(frozen=True, slots=True)
class Draft:
    """One customer's unsaved or unsent edits, with the record they were made against.

    `base` and `edits` are plain dicts for JSON's sake; treat them as read-only. `conflicts`
    names the paths of the last conflict, `reason` the server's words for a conflict or a
    failure (or why the last attempt of a queued draft did not get through). `attempts` and
    `next_attempt_at` (epoch seconds; None: due now) are the retry schedule of a queued draft
    the server could not take; the store keeps them (`save_draft` does not write them).
    `queue_seq` is the draft's place in line, a number the store gives as it queues it; the
    wall clock's `queued_at` says when, for people, and has no say in the order.
    """

    connection: ConnectionKey
    customer_id: str
    base: Mapping[str, Any]
    edits: Mapping[str, str]
    state: DraftState = DraftState.EDITING
    reason: str = ""
    conflicts: tuple[str, ...] = ()
    updated_at: float = field(default_factory=time.time)
    queued_at: float | None = None
    attempts: int = 0
    next_attempt_at: float | None = None
    queue_seq: int | None = None

    def __post_init__(self) -> None:
        if not self.customer_id:
            raise ValueError("a draft needs a customer ID")
        if self.base.get("customerId") != self.customer_id:
            raise ValueError(f"the base of draft {self.customer_id!r} is another customer's")

    @classmethod
    def of(cls, connection: ConnectionKey, base: Customer, edits: Mapping[str, str],
           **fields: Any) -> Draft:
        """A draft of `edits` made against `base` (the customer as the server last sent it)."""
        return cls(connection, base.customer_id, base.model_dump(mode="json"), dict(edits),
                   **fields)

    def base_customer(self) -> Customer:
        """The base as a model, to build an `EditSession` from."""
        from flexdesk.api.models import Customer

        return Customer.model_validate(self.base)

    def with_edits(self, edits: Mapping[str, str], *, now: float | None = None) -> Draft:
        """The same draft with newer edits, back in the editing state."""
        return replace(self, edits=dict(edits), state=DraftState.EDITING, reason="",
                       conflicts=(), updated_at=time.time() if now is None else now,
                       queued_at=None)


def copy_position(customer: Listed) -> float:
    """Where a customer stands in the copy of the tenant, ascending: the active ones newest
    first, then the inactive ones (as a pass reads them; the API lists the two apart)."""
    created = customer.created_at.timestamp() if customer.created_at else 0.0
    return (0.0 if customer.status is CustomerStatus.ACTIVE else 1e12) - created


class CachedCustomer(NamedTuple):
    """A customer as last fetched, and when (epoch seconds): offline views show its age."""

    customer: Customer
    fetched_at: float

    def age(self, now: float | None = None) -> float:
        """Seconds since it was fetched."""
        return (time.time() if now is None else now) - self.fetched_at
