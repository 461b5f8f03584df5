"""The outbox line on a real file: taking drafts, putting them back, and the retry schedule.

Times are given (`now=`), as the outbox gives its clock: the schedule is in wall-clock
seconds, so a restart keeps it, and a clock put back must not strand a draft.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flexdesk.store import DraftState, Store
from tests.factories import make_customer
from tests.unit.test_store import A, draft, states

T = 1_000_000.0  # "now" in these tests


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "drafts.db") as opened:
        yield opened


@pytest.fixture
def owner(store: Store) -> Iterator[str]:
    """The claims' owner, as one outbox run has one."""
    with store.claimant() as token:
        yield token


def queued(store: Store, *numbers: int) -> None:
    for number in numbers:
        store.save_draft(draft(number))
        store.queue(A, f"cust_{number:04d}", now=T + number)


def fail(store: Store, owner: str, customer_id: str, *, retry_in: float,
         now: float = T) -> None:
    """Take the draft (whatever its schedule) and put it back as the outbox does after a
    server error; the drafts passed on the way go back untouched."""
    position = None
    while (claimed := store.claim_next(A, owner, position, now=now + 10**7)) is not None:
        if claimed.customer_id == customer_id:
            break
        store.put_back(A, claimed.customer_id, owner, "")
        position = claimed.queue_seq
    assert claimed is not None
    assert store.put_back(A, customer_id, owner, "Service unavailable",
                          retry_at=now + retry_in, now=now)


def claim_all(store: Store, owner: str, now: float) -> list[str]:
    """Walk the line once, as a run does, and hand each draft back untouched."""
    taken: list[str] = []
    position = None
    while (claimed := store.claim_next(A, owner, position, now=now)) is not None:
        taken.append(claimed.customer_id)
        position = claimed.queue_seq
        store.put_back(A, claimed.customer_id, owner, "")
    return taken


def test_a_failed_attempt_waits_for_its_time_and_the_others_do_not(store: Store,
                                                                   owner: str) -> None:
    queued(store, 1, 2)
    fail(store, owner, "cust_0001", retry_in=60)
    waiting = store.get_draft(A, "cust_0001")
    assert waiting is not None
    assert (waiting.state, waiting.attempts, waiting.next_attempt_at) == (
        DraftState.QUEUED, 1, T + 60)
    assert claim_all(store, owner, now=T + 59) == ["cust_0002"]
    assert claim_all(store, owner, now=T + 60) == ["cust_0001", "cust_0002"]


def test_the_next_due_time_is_the_earliest_retry_or_now(store: Store, owner: str) -> None:
    assert store.next_attempt_due(A, now=T) is None  # nothing in line
    queued(store, 1, 2)
    assert store.next_attempt_due(A, now=T) == T
    fail(store, owner, "cust_0001", retry_in=60)
    fail(store, owner, "cust_0002", retry_in=30)
    assert store.next_attempt_due(A, now=T) == T + 30
    store.set_state(A, "cust_0002", DraftState.FAILED, "refused")  # out of line
    assert store.next_attempt_due(A, now=T) == T + 60


def test_a_clock_put_back_does_not_strand_a_draft(store: Store, owner: str) -> None:
    queued(store, 1)
    fail(store, owner, "cust_0001", retry_in=600)
    an_hour_earlier = T - 3600  # the clock was wrong at the attempt, or is now
    assert store.next_attempt_due(A, now=an_hour_earlier) == an_hour_earlier
    assert claim_all(store, owner, now=an_hour_earlier) == ["cust_0001"]


def test_saving_again_makes_a_waiting_draft_due_at_once(store: Store, owner: str) -> None:
    queued(store, 1)
    fail(store, owner, "cust_0001", retry_in=600)
    fail(store, owner, "cust_0001", retry_in=600)
    again = store.queue(A, "cust_0001", now=T + 5)  # Ctrl+S
    assert (again.next_attempt_at, again.attempts, again.queued_at) == (None, 2, T + 1)
    assert claim_all(store, owner, now=T + 5) == ["cust_0001"]


def test_a_draft_joining_the_line_anew_starts_its_schedule_afresh(store: Store, owner: str) -> None:
    queued(store, 1)
    fail(store, owner, "cust_0001", retry_in=600)
    store.set_state(A, "cust_0001", DraftState.CONFLICT, "changed", ["email"])
    again = store.queue(A, "cust_0001", now=T + 5)
    assert (again.attempts, again.next_attempt_at) == (0, None)


def test_f9_makes_every_waiting_draft_due(store: Store, owner: str) -> None:
    queued(store, 1, 2, 3)
    fail(store, owner, "cust_0001", retry_in=600)
    fail(store, owner, "cust_0002", retry_in=60)
    assert store.make_due(A) == 2
    assert claim_all(store, owner, now=T) == ["cust_0001", "cust_0002", "cust_0003"]
    assert [d.attempts for d in store.outbox(A)] == [1, 1, 0]  # still counted


def test_typing_into_a_waiting_save_keeps_its_schedule(store: Store, owner: str) -> None:
    queued(store, 1, 2)
    fail(store, owner, "cust_0001", retry_in=600)
    fail(store, owner, "cust_0002", retry_in=600)
    # As the keeper writes them: a waiting save stays queued, another goes back to editing.
    store.save_draft(draft(1, edits={"firstName": "Typed on"}, state=DraftState.QUEUED,
                           queued_at=T + 1))
    store.save_draft(draft(2, edits={"firstName": "Unqueued"}))
    typed, unqueued = store.get_draft(A, "cust_0001"), store.get_draft(A, "cust_0002")
    assert typed is not None and unqueued is not None
    assert (typed.attempts, typed.next_attempt_at) == (1, T + 600)
    assert (unqueued.attempts, unqueued.next_attempt_at) == (0, None)


def test_the_schedule_survives_a_restart(store: Store, owner: str) -> None:
    queued(store, 1)
    fail(store, owner, "cust_0001", retry_in=600)
    store.close()
    with Store.open(store.path) as reopened:
        assert reopened.next_attempt_due(A, now=T + 1) == T + 600
        with reopened.claimant() as another:
            assert reopened.claim_next(A, another, now=T + 1) is None


def test_an_attempt_that_was_not_the_drafts_doing_does_not_count(store: Store,
                                                                  owner: str) -> None:
    queued(store, 1)
    claimed = store.claim_next(A, owner, now=T)
    assert claimed is not None
    assert store.put_back(A, "cust_0001", owner, "The server cannot be reached")
    back = store.get_draft(A, "cust_0001")
    assert back is not None
    assert (back.state, back.attempts, back.next_attempt_at, back.reason) == (
        DraftState.QUEUED, 0, None, "The server cannot be reached")


# -- taking drafts and giving them back ----------------------------------------------------


def test_claiming_walks_the_line_and_marks_each_draft_sending(store: Store) -> None:
    for number, clock in [(1, 30.0), (2, 10.0), (3, 10.0)]:
        store.save_draft(draft(number))
        store.queue(A, make_customer(number).customer_id, now=clock)
    in_line = [d.customer_id for d in store.outbox(A)]
    walked, position = [], None
    with store.claimant() as owner:
        while (claimed := store.claim_next(A, owner, position)) is not None:
            assert claimed.state is DraftState.SENDING
            assert states(store)[claimed.customer_id] is DraftState.SENDING
            walked.append(claimed.customer_id)
            position = claimed.queue_seq
    assert walked == in_line == ["cust_0001", "cust_0002", "cust_0003"]


def test_a_claim_takes_the_edits_as_they_are_at_that_moment(store: Store) -> None:
    store.save_draft(draft(1, edits={"firstName": "A"}))
    store.queue(A, "cust_0001")
    store.save_draft(draft(1, edits={"firstName": "Ab"}, state=DraftState.QUEUED))
    with store.claimant() as owner:
        claimed = store.claim_next(A, owner)
    assert claimed is not None and claimed.edits == {"firstName": "Ab"}


def test_put_back_returns_a_draft_to_its_place_with_what_was_typed_meanwhile(
        store: Store) -> None:
    for number, queued in [(1, 10.0), (2, 20.0)]:
        store.save_draft(draft(number))
        store.queue(A, make_customer(number).customer_id, now=queued)
    with store.claimant() as owner:
        assert store.claim_next(A, owner) is not None
        store.save_draft(draft(1, edits={"firstName": "Typed on"}))  # as the keeper writes it
        assert store.put_back(A, "cust_0001", owner, "Service unavailable")
    first = store.outbox(A)[0]
    assert (first.customer_id, first.state, first.reason, first.edits) == (
        "cust_0001", DraftState.QUEUED, "Service unavailable", {"firstName": "Typed on"})
    assert store.discard(A, "cust_0001")
    with store.claimant() as owner:
        assert not store.put_back(A, "cust_0001", owner, "gone")  # a discarded one stays gone


def test_a_draft_moves_onto_a_newer_base_only_while_it_holds_the_same_edits(
        store: Store) -> None:
    store.save_draft(draft(1, edits={"firstName": "A"}))
    newer = make_customer(1, lastName="Newer").model_dump(mode="json")
    assert not store.rebase_draft(A, "cust_0001", newer, {"firstName": "B"},
                                  if_edits={"firstName": "other"})
    assert store.rebase_draft(A, "cust_0001", newer, {"firstName": "B"},
                              if_edits={"firstName": "A"})
    moved = store.get_draft(A, "cust_0001")
    assert moved is not None
    assert (dict(moved.base), moved.edits) == (newer, {"firstName": "B"})
