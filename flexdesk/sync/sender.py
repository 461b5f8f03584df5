"""`sync_draft`: send one draft safely. Blocking and Qt-free; the UI runs it on a worker.

The steps: read the customer as the server holds it now, run the three-way check against the
base the draft started from, and only then PUT what is still changed. When the PUT's answer is
lost (it may or may not have been applied), read and check again before sending anything more.
Every error the client raises becomes an outcome, so the caller (the outbox) only has to look
at one value.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from pydantic import ValidationError

from flexdesk.api.errors import (
    AnswerLost,
    ApiRefusal,
    FlexPortalError,
    Forbidden,
    NotFound,
    Unauthorized,
    Unreachable,
    ValidationFailed,
)
from flexdesk.api.models import Customer, CustomerStatus, CustomerUpdate
from flexdesk.editing import LABELS, EditSession, values_from_customer
from flexdesk.store import ConnectionKey, Draft

from .three_way import plan

log = logging.getLogger(__name__)

# PUTs one sync may make when answers are lost: the first and two more. After that the draft
# stays queued and the next run checks the server again.
_MAX_PUTS = 3

__all__ = ["CustomerApi", "Outcome", "SyncResult", "WrongConnection", "connection_of",
           "sync_draft"]


class CustomerApi(Protocol):
    """What sync needs of `FlexPortalClient` (tests may pass a fake)."""

    base_url: str
    tenant_id: str
    identity: str  # what its drafts are kept under: usually `base_url`

    def get_customer(self, customer_id: str) -> Customer: ...

    def update_customer(
        self, customer_id: str, changes: CustomerUpdate | Mapping[str, Any]
    ) -> Customer: ...


class Outcome(StrEnum):
    SENT = "sent"  # the PUT went through: `customer` is the server's answer
    ALREADY_THERE = "already there"  # the server already holds every change: nothing sent
    CONFLICT = "conflict"  # a colleague changed fields this save would write: nothing sent
    FAILED = "failed"  # refused for good (deleted, deactivated, invalid): the user decides
    OFFLINE = "offline"  # no answer at all: try again when the server is back
    RETRY_LATER = "retry later"  # rate limited or a server error: try again later
    UNAUTHORIZED = "unauthorized"  # the key was refused (401/403): no other save will pass

    @property
    def stays_queued(self) -> bool:
        """Not the draft's fault: it waits in line and is tried again."""
        return self in (Outcome.OFFLINE, Outcome.RETRY_LATER, Outcome.UNAUTHORIZED)

    @property
    def ends_run(self) -> bool:
        """About the connection, not the draft (no server, key refused): no other save would
        get through either, so the outbox stops. A server error or rate limit of one request
        is that draft's alone, and the others are still tried."""
        return self in (Outcome.OFFLINE, Outcome.UNAUTHORIZED)

    @property
    def delivered(self) -> bool:
        """The server holds the draft's changes: the draft may go."""
        return self in (Outcome.SENT, Outcome.ALREADY_THERE)


@dataclass(frozen=True)
class SyncResult:
    """What became of one draft.

    `edits` are the draft's edits this result is about (the user may have typed on since).
    `customer` is the server's record when one was read: its answer to the PUT, or its state
    before (already there, conflict, deactivated), so the editor can take it as the new base.
    """

    outcome: Outcome
    customer_id: str
    edits: Mapping[str, str]
    customer: Customer | None = None
    conflicts: tuple[str, ...] = ()
    reason: str = ""
    field_errors: Mapping[str, str] = field(default_factory=dict)
    # For RETRY_LATER: how long the server asked us to wait (`Retry-After`), when it said.
    retry_after: float | None = None


class WrongConnection(ValueError):
    """A draft was about to go to another server or tenant than the one it was made for."""


def connection_of(client: CustomerApi) -> ConnectionKey:
    return ConnectionKey(client.identity, client.tenant_id)


def check_connection(client: CustomerApi, connection: ConnectionKey) -> None:
    """Raise WrongConnection unless `client` talks to `connection`'s server and tenant."""
    if connection_of(client) != connection:
        raise WrongConnection(
            f"a draft of tenant {connection.tenant_id!r} at {connection.base_url} cannot be "
            f"sent to tenant {client.tenant_id!r} at {client.identity}"
        )


def sync_draft(client: CustomerApi, draft: Draft) -> SyncResult:
    """Send one draft if, and as far as, it is safe. Raises only WrongConnection (and bugs)."""
    check_connection(client, draft.connection)
    try:
        session = EditSession(draft.base_customer(), draft.edits)
    except (KeyError, ValidationError) as exc:  # written by a flexdesk that knew other fields
        return _result(draft, Outcome.FAILED, reason=_unreadable_draft(draft, exc))
    try:
        now = client.get_customer(draft.customer_id)
        return _sync(client, draft, session, now)
    except FlexPortalError as exc:
        return _refused(draft, exc)


def _sync(client: CustomerApi, draft: Draft, session: EditSession, now: Customer) -> SyncResult:
    """Check, send, and when the answer is lost, read again and check again before anything
    more is sent: the PUT may have been applied, and a colleague may have saved since."""
    puts = 0
    while True:
        verdict = _check(draft, session, now, answer_lost=puts > 0)
        if verdict is not None:
            return verdict
        if puts == _MAX_PUTS:
            return _result(draft, Outcome.OFFLINE, customer=now,
                           reason="The server did not confirm the save; it is checked again "
                                  "on the next try")
        puts += 1
        try:
            answer = client.update_customer(draft.customer_id, session.build_update())
        except AnswerLost as exc:
            log.info("the answer to saving %s was lost (%s); reading it again",
                     draft.customer_id, exc.message)
            now = client.get_customer(draft.customer_id)
            continue
        return _result(draft, Outcome.SENT, customer=answer)


def _check(draft: Draft, session: EditSession, now: Customer, *,
           answer_lost: bool) -> SyncResult | None:
    """The outcome if nothing (more) is to be sent; None after rebasing `session` on `now`,
    when the body it builds is what is left to send.

    After a lost answer the check runs against the base of the PUT that went out: a field the
    server now holds as sent is delivered (most likely by that PUT, hence SENT), one a
    colleague changed since is a conflict, and the rest is sent again.
    """
    if _deactivated(session, now):
        return _result(draft, Outcome.FAILED, customer=now,
                       reason="Deactivated on the server since this draft was started")
    decisions = plan(session.base_values, session.values, values_from_customer(now),
                     session.sent_paths)
    delivered = Outcome.SENT if answer_lost else Outcome.ALREADY_THERE
    # Every edit is there: nothing is sent, so nothing can be overwritten, not even a
    # colleague's later change to another field of an address this draft changed.
    if set(session.dirty_paths) <= set(decisions.already_there):
        session.rebase(now)
        return _result(draft, delivered, customer=now)
    if decisions.conflicts:
        names = ", ".join(LABELS[path] for path in decisions.conflicts)
        return _result(draft, Outcome.CONFLICT, customer=now, conflicts=decisions.conflicts,
                       reason=f"Changed on the server since this draft was started: {names}")
    # Now the server's record is the base: what a colleague changed elsewhere is kept, and
    # what the server already holds is no longer a change. The body holds only the rest.
    session.rebase(now)
    if not session.is_dirty_any:
        return _result(draft, delivered, customer=now)
    return None


def _unreadable_draft(draft: Draft, exc: KeyError | ValidationError) -> str:
    log.debug("the draft of %s cannot be read: %s", draft.customer_id,
              exc.errors(include_input=False) if isinstance(exc, ValidationError) else exc)
    unknown = sorted(set(draft.edits) - set(LABELS))
    if unknown:
        return f"This draft cannot be read: this version does not know {', '.join(unknown)}"
    return "This draft cannot be read: the customer it was started from is stored damaged"


def _deactivated(session: EditSession, now: Customer) -> bool:
    """Deactivated by someone else since the draft began (a draft may reactivate it)."""
    return (
        now.status is CustomerStatus.INACTIVE
        and session.base.status is CustomerStatus.ACTIVE
        and not session.is_dirty("status")
    )


def _refused(draft: Draft, exc: FlexPortalError) -> SyncResult:
    """The outcome of a client error; the message is the server's (or the client's) words."""
    match exc:
        case Unauthorized() | Forbidden():
            return _result(draft, Outcome.UNAUTHORIZED,
                           reason=f"The server refused the API key: {exc.message}")
        case NotFound():
            return _result(draft, Outcome.FAILED,
                           reason=f"Deleted on the server: {exc.message}")
        case ValidationFailed(status=None):  # refused here, before sending
            return _result(draft, Outcome.FAILED, reason=exc.message,
                           field_errors=exc.field_errors)
        case ValidationFailed():
            return _result(draft, Outcome.FAILED,
                           reason=f"The server refused the changes: {exc.message}",
                           field_errors=exc.field_errors)
        case ApiRefusal():
            return _result(draft, Outcome.FAILED,
                           reason=f"The server refused the save: {exc.message}")
        case Unreachable():
            return _result(draft, Outcome.OFFLINE, reason=exc.message)
        case _:  # RateLimited, ServerError: the server is there but cannot take it now
            return _result(draft, Outcome.RETRY_LATER, reason=exc.message,
                           retry_after=exc.retry_after)


def _result(draft: Draft, outcome: Outcome, **fields: Any) -> SyncResult:
    return SyncResult(outcome, draft.customer_id, dict(draft.edits), **fields)
