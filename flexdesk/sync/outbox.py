"""`send_outbox`: the queued saves of one connection, a few customers at once, in queued order.

A draft leaves the store only once the server holds its changes (`Store.confirm_sent`), so a
crash at any point loses nothing: the draft is still there, marked `sending` under a claim
whose owner is gone, and the next run takes it over. Sending it again is safe because
`sync_draft` reads the server first: a PUT that did arrive before the crash now counts as
already there.

Each customer's trouble is its own: a save the server cannot take now (a server error, a rate
limit, an answer that makes no sense) or one that trips over a bug waits in line, and the run
goes on with the other customers. Order is kept per customer, which is what matters: there is
one draft per customer, and it stays claimed from its GET to its PUT's outcome, so a
customer's later save can never overtake an earlier one, nor overlap it. Customers are taken
in line order and sent up to `SENDERS` at once (the round trips are what a save waits on), so
their outcomes may come in another order. Only trouble that concerns every draft ends the
run: no connection at all, or the key refused; the other senders then take no new draft, and
what they are sending is finished and recorded (most likely as offline too: back in line).

A save that waits is tried again on a schedule kept in the store (so a restart does not
hammer the server either): after the server's `Retry-After` when it gave one, otherwise
exponentially later with full jitter (`Backoff`), up to ten minutes. Drafts not due yet are
left in line and not reported; `Store.next_attempt_due` says when the next one is.

Runs may overlap (two windows or two processes on one data folder): each draft is taken and
claimed in one transaction before it is sent (`Store.claim_next`), so no save goes out twice.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from pydantic import ValidationError

from flexdesk.api.models import Customer
from flexdesk.editing import EditSession
from flexdesk.store import ConnectionKey, Draft, DraftState, Store, StoreClosed

from .sender import CustomerApi, Outcome, SyncResult, check_connection, sync_draft

__all__ = ["FIRST_SENDERS", "SENDERS", "SLOW_SAVE", "UNEXPECTED_ERROR", "Backoff",
           "ProgressCallback", "send_outbox"]

log = logging.getLogger(__name__)

# Called with (draft, None) as a draft starts sending and (draft, result) when it is done.
ProgressCallback = Callable[[Draft, SyncResult | None], None]

# Customers sent at once. A few hide the round trips (two per save) without crowding the
# server; a Starter-plan tenant is paced by the client's limiter whatever this says.
SENDERS = 4
# Senders that start at once; the others join once saves prove slow (`SLOW_SAVE`). Against a
# server close by, whose answers come in a millisecond, two keep it busy and more only take
# turns at the GIL: measured on loopback, 2.5 ms of CPU per save with two, 3.0 with four.
FIRST_SENDERS = 2
# A save slower than this waits mostly on the network, which more senders hide.
SLOW_SAVE = 0.015

UNEXPECTED_ERROR = "An unexpected error stopped this save; it is kept and will be tried again"


@dataclass(frozen=True)
class Backoff:
    """How long a save the server could not take waits before its next attempt.

    Exponential with full jitter: a random wait up to `first` seconds after the first failed
    attempt, doubling each time up to `cap`, so many clients that failed together do not come
    back together. Never below `shortest`, so a run cannot spin on one draft. The server's
    `Retry-After` is taken as given instead (up to `longest_retry_after`, in case of nonsense).
    """

    first: float = 5.0
    cap: float = 600.0
    shortest: float = 1.0
    longest_retry_after: float = 3600.0
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1 for the first)."""
        if retry_after is not None:
            return min(max(retry_after, self.shortest), self.longest_retry_after)
        ceiling = min(self.cap, self.first * 2 ** min(attempt - 1, 32))
        return max(self.shortest, self.rng.uniform(0, ceiling))


def send_outbox(
    store: Store,
    client: CustomerApi,
    connection: ConnectionKey,
    *,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
    backoff: Backoff | None = None,
    clock: Callable[[], float] = time.time,
    senders: int = SENDERS,
    slow_save: float = SLOW_SAVE,
) -> list[SyncResult]:
    """Send the connection's queued drafts; the results in the order the drafts were taken.

    Up to `senders` customers are sent at once, each on a worker thread of this run that
    takes its drafts from the line (the caller's thread waits); past `FIRST_SENDERS`, only
    once a save took longer than `slow_save` seconds. Every draft the run takes
    gets exactly one result, in the list and through `on_progress`, which is called from
    those workers. `should_stop` is asked, on those workers too, before each draft is taken
    (sends under way are finished, so their outcomes are recorded). The queue is read
    afresh before each draft, so saves queued during the run are sent in the same run, each
    draft at most once; one queued again after the run passed it waits for the next run.

    A store closed under the run (the window went away) ends it quietly with what it has:
    a draft in flight keeps its claim, which the next run takes over (and finds the save
    already there). Other store trouble (a full disk, a damaged file) is raised: no outcome
    could be kept, so no other draft should be sent either.
    """
    if senders < 1:
        raise ValueError("at least one sender is needed")
    check_connection(client, connection)  # before anything is marked or sent
    results: list[tuple[int, SyncResult]] = []
    try:
        with store.claimant() as owner:
            run = _Run(store, connection, owner, backoff or Backoff(), clock, slow_save,
                       results=results)
            _dispatch(run, client, senders, on_progress, should_stop)
    except StoreClosed:
        log.info("the drafts store was closed during a run; the run ends here")
    return [result for _, result in sorted(results, key=lambda taken: taken[0])]


def _dispatch(run: _Run, client: CustomerApi, senders: int,
              on_progress: ProgressCallback | None,
              should_stop: Callable[[], bool] | None) -> None:
    """Run `senders` senders, each taking the next draft in line as it becomes free, until
    the line is done, a stop is asked, or a send says no other would get through.

    The senders take drafts themselves, one at a time (`_Run.take`), rather than being handed
    them by this thread: a save then costs no hand-over between threads, which on loopback
    is a good part of what a save costs. Taking in turn keeps the run's place in line moving
    forward only; the claim keeps a customer's saves from overlapping (one draft per
    customer, and a claimed draft is nobody else's). A sender that finds the line empty
    stops; one still sending looks again when it is done, so a save queued meanwhile goes in
    this run. Senders past `FIRST_SENDERS` wait until a save proves slow (`_Run.widened`),
    or until the first ones are done, and then find the line as they left it."""
    first = min(senders, FIRST_SENDERS)
    with ThreadPoolExecutor(senders, thread_name_prefix="flexdesk-send") as pool:
        starting = [pool.submit(run.work, client, on_progress, should_stop)
                    for _ in range(first)]
        joining = [pool.submit(run.work, client, on_progress, should_stop, when=run.widened)
                   for _ in range(senders - first)]
        wait(starting)
        run.widened.set()  # the line is done (or the run ended): the others need not wait
        done, _ = wait(starting + joining)
    for worker in done:
        worker.result()  # the first store trouble of a sender is the run's


def _send(client: CustomerApi, draft: Draft) -> SyncResult:
    """`sync_draft`, with a bug in it made into this one draft's trouble."""
    try:
        return sync_draft(client, draft)
    except Exception:
        # Logged with its traceback for whoever fixes it; the user gets words, not a repr.
        log.exception("sending the save of %s failed unexpectedly", draft.customer_id)
        return SyncResult(Outcome.RETRY_LATER, draft.customer_id, dict(draft.edits),
                          reason=UNEXPECTED_ERROR)
    # An interrupt is not an answer: the run ends, and `claimant` puts the draft back as it
    # was.


@dataclass
class _Run:
    """What one run writes with: its claims' owner, and where in the line it is."""

    store: Store
    connection: ConnectionKey
    owner: str
    backoff: Backoff
    clock: Callable[[], float]
    slow_save: float = SLOW_SAVE  # seconds: a save this slow lets every sender join in
    position: int | None = None
    # (place in line, result): places are taken in order, so they sort the results that way.
    results: list[tuple[int, SyncResult]] = field(default_factory=list)
    # Set by a send whose outcome ends the run (no connection, key refused), or on an error.
    ended: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _taking: threading.Lock = field(default_factory=threading.Lock)  # one sender takes at a time
    # Set once a save was slow (or the first senders are done): the other senders join in.
    widened: threading.Event = field(default_factory=threading.Event)

    def work(self, client: CustomerApi, on_progress: ProgressCallback | None,
             should_stop: Callable[[], bool] | None, *,
             when: threading.Event | None = None) -> None:
        """One sender: take, send, record, until there is nothing (more) to take; with
        `when`, only once that is set."""
        if when is not None:
            when.wait()
        try:
            while (draft := self.take(should_stop)) is not None:
                self.send(client, draft, on_progress)
        except BaseException:
            self.ended.set()  # store trouble: the other senders finish what they hold, no more
            raise

    def take(self, should_stop: Callable[[], bool] | None) -> Draft | None:
        """The next due draft in line, claimed; None once the run is over for this sender."""
        with self._taking:
            if self.ended.is_set() or (should_stop is not None and should_stop()):
                return None
            draft = self.store.claim_next(self.connection, self.owner, self.position,
                                          now=self.clock())
            if draft is not None:
                self.position = draft.queue_seq
            return draft

    def send(self, client: CustomerApi, draft: Draft,
             on_progress: ProgressCallback | None) -> None:
        """One draft, on a sender's thread: sent, its outcome written, and reported."""
        if on_progress is not None:
            on_progress(draft, None)
        started = time.monotonic()
        result = _send(client, draft)
        if time.monotonic() - started > self.slow_save:
            self.widened.set()
        self.record(draft, result)
        with self._lock:
            self.results.append((draft.queue_seq or 0, result))
        if result.outcome.ends_run:
            self.ended.set()
        if on_progress is not None:
            on_progress(draft, result)

    def record(self, draft: Draft, result: SyncResult) -> None:
        """Write the outcome and let go of the claim; a verdict lands only on the draft as it
        was sent."""
        store, connection, customer_id = self.store, self.connection, draft.customer_id
        if result.outcome.delivered:
            if store.confirm_sent(connection, customer_id, draft.edits, answer=result.customer):
                return  # gone, claim and all; the server's answer is in the copy
            if result.customer is not None:
                _move_onto(store, connection, draft, result.customer)
            store.release(connection, customer_id, self.owner)
        elif result.outcome.stays_queued:
            # A retry is scheduled for the draft's own trouble; no connection is nobody's.
            now = self.clock()
            retry_at = now + self.backoff.delay(draft.attempts + 1, result.retry_after) \
                if result.outcome is Outcome.RETRY_LATER else None
            store.put_back(connection, customer_id, self.owner, _reason(result),
                           retry_at=retry_at, now=now)
        else:
            state = DraftState.CONFLICT if result.outcome is Outcome.CONFLICT else \
                DraftState.FAILED
            store.settle(connection, customer_id, self.owner, state, reason=_reason(result),
                         conflicts=result.conflicts, sent_edits=draft.edits)
        # Last: the outcome matters more than the copy, should the disk be full.
        if result.customer is not None:
            store.cache_customers(connection, [result.customer])


def _move_onto(store: Store, connection: ConnectionKey, sent: Draft, answer: Customer) -> None:
    """A draft typed into while its save went out: move it onto the server's answer, as its
    editor does. Until then its base is the record before the save, and a save of it queued
    again would take the server holding our own sent values for a colleague's change."""
    kept = store.get_draft(connection, sent.customer_id)
    if kept is None:
        return
    try:
        session = EditSession(kept.base_customer(), kept.edits)
    except (KeyError, ValidationError):  # unreadable: left for its editor to report
        return
    session.rebase(answer, sent.edits)
    if session.is_dirty_any:
        store.rebase_draft(connection, sent.customer_id, answer.model_dump(mode="json"),
                           session.edits, if_edits=kept.edits)
    else:  # typed back to what was sent: the server has it all
        store.confirm_sent(connection, sent.customer_id, kept.edits)


def _reason(result: SyncResult) -> str:
    """The reason with the server's field errors, which the draft has no other place for."""
    if not result.field_errors:
        return result.reason
    details = "; ".join(f"{path}: {message}" for path, message in result.field_errors.items())
    return f"{result.reason} ({details})"
