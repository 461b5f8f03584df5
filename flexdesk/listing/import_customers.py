"""The blocking steps of an import, run on a worker: finding each row's customer, and queueing
the reviewed changes as saves.

A row's customer is the one in the copy of the tenant on this computer (the record the list
shows, which the save's three-way check starts from); one the copy does not hold yet is asked
of the server. Offline, such a row cannot be matched and says so: nothing is guessed.

Queued rows become drafts in line exactly as a typed save: the outbox sends them with the
three-way check, so a colleague's newer change becomes a conflict, not a loss.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from flexdesk.api.client import CustomerQuery, FlexPortalClient
from flexdesk.api.errors import FlexPortalError, NotFound, user_text
from flexdesk.api.models import Customer, CustomerStatus
from flexdesk.listing.import_columns import ID, Columns
from flexdesk.listing.import_review import CustomerNotFound, ReviewedRow, row_keys
from flexdesk.listing.sheet_reading import Sheet
from flexdesk.store import ConnectionKey, Draft, DraftState, Store

__all__ = ["Found", "ImportStopped", "find_customers", "queue_changes"]

Progress = Callable[[int, int], None]  # (customers asked of the server so far, of how many)


class ImportStopped(Exception):
    """The user stopped the import before the review; nothing was queued."""


Found = dict[str, Customer | CustomerNotFound | None]


def find_customers(sheet: Sheet, columns: Columns, *, store: Store, connection: ConnectionKey,
                   client: FlexPortalClient, stop: threading.Event,
                   progress: Progress = lambda _done, _of: None) -> Found:
    """Each key of the file (an email case-folded) to its customer, None when the server
    does not know it, or the reason it could not be asked."""
    keys = {key for key in row_keys(sheet, columns) if key}
    found: Found = {}
    if columns.key == ID:
        for key in keys:
            cached = store.cached_customer(connection, key)
            if cached is not None:
                found[key] = cached.customer
    else:
        wanted = {key.casefold() for key in keys}
        for cached in store.cached_customers(connection):
            email = cached.customer.email.casefold()
            if email in wanted:
                found[email] = cached.customer
        keys = wanted
    missing = sorted(keys - found.keys())
    ask = _get_by_id if columns.key == ID else _get_by_email
    for done, key in enumerate(missing):
        if stop.is_set():
            raise ImportStopped
        progress(done, len(missing))
        try:
            found[key] = ask(client, key)
        except FlexPortalError as exc:
            found[key] = CustomerNotFound(
                f"not in the list on this computer, and the server could not be asked "
                f"({user_text(exc)}): import this row again later")
    progress(len(missing), len(missing))
    return found


def _get_by_id(client: FlexPortalClient, customer_id: str) -> Customer | None:
    try:
        return client.get_customer(customer_id)
    except NotFound:
        return None


def _get_by_email(client: FlexPortalClient, email: str) -> Customer | None:
    for status in (CustomerStatus.ACTIVE, CustomerStatus.INACTIVE):  # listed apart by the API
        page = client.list_customers(CustomerQuery(email=email, status=status), limit=1)
        if page.customers:
            return page.customers[0]
    return None


def queue_changes(store: Store, connection: ConnectionKey,
                  rows: Iterable[ReviewedRow]) -> tuple[list[ReviewedRow], list[ReviewedRow]]:
    """Queue each row's changes as a save against the record it was reviewed with. Returns
    (queued, skipped): a customer who got a draft of the user's own since the review is
    skipped, so nothing typed is overwritten."""
    queued: list[ReviewedRow] = []
    skipped: list[ReviewedRow] = []
    for row in rows:
        if row.customer is None or not row.changes:
            continue
        if store.get_draft(connection, row.customer.customer_id) is not None:
            skipped.append(row)
            continue
        store.save_draft(Draft.of(connection, row.customer, row.edits, state=DraftState.QUEUED))
        queued.append(row)
    return queued, skipped
