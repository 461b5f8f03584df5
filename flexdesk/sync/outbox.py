"""`send_outbox`: the queued saves of one connection, one customer at a time, in queued order.

A draft leaves the store only once the server holds its changes (`Store.confirm_sent`), so a
crash at any point loses nothing: the draft is still there, marked `sending`, and the next run
treats it as queued. Sending it again is safe because `sync_draft` reads the server first: a
PUT that did arrive before the crash now counts as already there.

Outcomes that are not the draft's fault (offline, rate limited, server error, key refused)
put the draft back in line and end the run, so the order of saves is kept: nothing queued
later overtakes it. Runs are meant to be one at a time per connection (one sync worker); two
overlapping runs would still not write anything twice wrong, as every send re-reads the server.
"""

from __future__ import annotations

from collections.abc import Callable

from flexdesk.api.models import Customer
from flexdesk.editing import EditSession
from flexdesk.store import ConnectionKey, Draft, DraftState, Store

from .sender import CustomerApi, Outcome, SyncResult, check_connection, sync_draft

__all__ = ["ProgressCallback", "send_outbox"]

# Called with (draft, None) as a draft starts sending and (draft, result) when it is done.
ProgressCallback = Callable[[Draft, SyncResult | None], None]


def send_outbox(
    store: Store,
    client: CustomerApi,
    connection: ConnectionKey,
    *,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[SyncResult]:
    """Send the connection's queued drafts; the results in the order they were sent.

    `should_stop` is asked before each draft (a send under way is finished, so its outcome is
    recorded). The queue is read afresh before each draft, so saves queued during the run are
    sent in the same run, each draft at most once.
    """
    check_connection(client, connection)  # before anything is marked or sent
    results: list[SyncResult] = []
    tried: set[str] = set()
    position: tuple[float, str] | None = None
    while should_stop is None or not should_stop():
        draft = store.next_in_outbox(connection, position)
        if draft is None:
            break
        position = (draft.queued_at or 0.0, draft.customer_id)
        if draft.customer_id in tried:  # queued again behind us during this run
            continue
        tried.add(draft.customer_id)
        # If the user typed into it since it was read, it is theirs again: leave it.
        if not store.set_state(connection, draft.customer_id, DraftState.SENDING,
                               if_edits=draft.edits):
            continue
        if on_progress is not None:
            on_progress(draft, None)
        try:
            result = sync_draft(client, draft)
        except BaseException:
            # A bug or an interrupt, not an answer: back in line as it was.
            store.set_state(connection, draft.customer_id, DraftState.QUEUED,
                            if_edits=draft.edits)
            raise
        _record(store, connection, draft, result)
        results.append(result)
        if on_progress is not None:
            on_progress(draft, result)
        if result.outcome.stays_queued:
            break
    return results


def _record(store: Store, connection: ConnectionKey, draft: Draft, result: SyncResult) -> None:
    """Write the outcome to the store; it lands only on the draft as it was sent."""
    if result.customer is not None:
        store.cache_customers(connection, [result.customer])
    if result.outcome.delivered:
        if not store.confirm_sent(connection, draft.customer_id, draft.edits) \
                and result.customer is not None:
            _move_onto_answer(store, connection, draft, result.customer)
        return
    state = {
        Outcome.CONFLICT: DraftState.CONFLICT,
        Outcome.FAILED: DraftState.FAILED,
    }.get(result.outcome, DraftState.QUEUED)
    store.set_state(connection, draft.customer_id, state, _reason(result), result.conflicts,
                    if_edits=draft.edits)


def _move_onto_answer(store: Store, connection: ConnectionKey, sent: Draft,
                      answer: Customer) -> None:
    """The user typed on (and maybe saved again) while `sent` was on its way: their newer
    draft now starts from the server's answer. Left on the old base, its next send would
    find our own delivered values there and take them for a colleague's change."""
    current = store.get_draft(connection, sent.customer_id)
    if current is None:
        return
    session = EditSession(sent.base_customer(), current.edits)
    session.rebase(answer, sent.edits)
    if not session.is_dirty_any:  # typed back to what was sent: nothing is left to save
        store.confirm_sent(connection, sent.customer_id, current.edits)
        return
    store.move_base(connection, sent.customer_id, answer.model_dump(mode="json"),
                    session.edits, if_edits=current.edits)


def _reason(result: SyncResult) -> str:
    """The reason with the server's field errors, which the draft has no other place for."""
    if not result.field_errors:
        return result.reason
    details = "; ".join(f"{path}: {message}" for path, message in result.field_errors.items())
    return f"{result.reason} ({details})"
