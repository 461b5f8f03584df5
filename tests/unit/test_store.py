"""The draft store on real SQLite files: the file itself, drafts, the outbox, the cache."""

from __future__ import annotations

import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flexdesk.store import CachedCustomer, ConnectionKey, Draft, DraftState, Store, place_of
from tests.conftest import TOKEN
from tests.factories import make_customer

A = ConnectionKey("https://api-eu.flexportal.io", "tenant-a")
B = ConnectionKey("https://api-eu.flexportal.io", "tenant-b")
A_ELSEWHERE = ConnectionKey("https://api-us.flexportal.io", "tenant-a")


def draft(number: int, connection: ConnectionKey = A, edits: dict[str, str] | None = None,
          **fields: Any) -> Draft:
    """A draft of customer `number` (as tests.factories makes it), first name edited."""
    edits = {"firstName": f"Edited{number}"} if edits is None else edits
    return Draft.of(connection, make_customer(number), edits, **fields)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "data" / "drafts.db") as opened:
        yield opened


def states(store: Store) -> dict[str, DraftState]:
    return {d.customer_id: d.state for d in store.drafts(A)}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- the file -----------------------------------------------------------------------------


def test_a_new_store_is_private_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "drafts.db"
    with Store.open(path) as store:
        store.save_draft(draft(1))
        assert mode(path) == 0o600
        assert mode(path.with_name("drafts.db-wal")) == 0o600  # SQLite copies the mode
        db = sqlite3.connect(path)
        try:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            db.close()
    assert mode(path.parent) == 0o700


def test_opening_an_existing_file_takes_its_mode_back_to_private(tmp_path: Path) -> None:
    path = tmp_path / "drafts.db"
    Store.open(path).close()
    path.chmod(0o644)
    with Store.open(path):
        assert mode(path) == 0o600


def test_the_pragmas_are_set(store: Store) -> None:
    db = store._db  # the settings of the store's own connection
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


# -- drafts -------------------------------------------------------------------------------


def test_a_draft_round_trips(store: Store) -> None:
    saved = draft(1, edits={"firstName": " Ånna ", "billingAddress.city": "Utrecht"},
                  updated_at=1000.5)
    store.save_draft(saved)
    assert store.get_draft(A, "cust_0001") == saved
    assert saved.base_customer() == make_customer(1)
    assert store.get_draft(A, "cust_0002") is None


def test_saving_again_replaces_the_draft(store: Store) -> None:
    first = draft(1, edits={"firstName": "A"})
    store.save_draft(first)
    store.save_draft(first.with_edits({"firstName": "Ab", "phone": "1"}, now=2000.0))
    stored = store.get_draft(A, "cust_0001")
    assert stored is not None
    assert stored.edits == {"firstName": "Ab", "phone": "1"}
    assert stored.updated_at == 2000.0
    assert store.draft_count(A) == 1


def test_drafts_lists_every_state_latest_first(store: Store) -> None:
    store.save_draft(draft(1, updated_at=1.0))
    store.save_draft(draft(2, updated_at=3.0, state=DraftState.FAILED, reason="gone"))
    store.save_draft(draft(3, updated_at=2.0, state=DraftState.CONFLICT, conflicts=("email",)))
    assert [d.customer_id for d in store.drafts(A)] == ["cust_0002", "cust_0003", "cust_0001"]
    assert store.drafts(A)[1].conflicts == ("email",)


def test_only_the_outbox_marks_a_draft_sending(store: Store) -> None:
    with pytest.raises(ValueError, match="outbox"):
        store.save_draft(draft(1, state=DraftState.SENDING))


def test_a_draft_must_match_its_base() -> None:
    with pytest.raises(ValueError, match="another customer"):
        Draft(A, "cust_0002", make_customer(1).model_dump(mode="json"), {})


def test_discard(store: Store) -> None:
    store.save_draft(draft(1))
    assert store.discard(A, "cust_0001")
    assert not store.discard(A, "cust_0001")
    assert store.draft_count(A) == 0


# -- connections --------------------------------------------------------------------------


def test_each_connection_sees_only_its_own_rows(store: Store) -> None:
    store.save_draft(draft(1, A))
    store.save_draft(draft(1, B, edits={"firstName": "B's"}))
    store.queue(A, "cust_0001")
    store.queue(B, "cust_0001")
    store.cache_customers(A, [make_customer(1), make_customer(2)])
    in_a, in_b = store.get_draft(A, "cust_0001"), store.get_draft(B, "cust_0001")
    assert in_a is not None and in_b is not None
    assert (in_a.connection, in_a.edits) == (A, {"firstName": "Edited1"})
    assert (in_b.connection, in_b.edits) == (B, {"firstName": "B's"})
    assert [d.connection for d in store.outbox(B)] == [B]
    assert store.draft_count(A_ELSEWHERE) == 0  # same tenant, other server: another world
    assert store.outbox(A_ELSEWHERE) == []
    assert store.cached_customers(B) == []
    assert store.cached_customer(B, "cust_0001") is None
    assert store.discard(B, "cust_0001")
    assert store.get_draft(A, "cust_0001") is not None
    assert not store.confirm_sent(B, "cust_0001", {"firstName": "Edited1"})
    assert not store.set_state(B, "cust_0001", DraftState.FAILED)


def test_connection_keys_are_unambiguous_and_normalised() -> None:
    assert ConnectionKey("https://x.io/", " t ") == ConnectionKey("https://x.io", "t")
    odd = ConnectionKey("https://x.io", 'a","b')
    assert ConnectionKey.from_key(odd.key) == odd
    assert odd.key != ConnectionKey("https://x.io\",\"a", "b").key
    with pytest.raises(ValueError):
        ConnectionKey("https://x.io", " ")


# -- the queue ----------------------------------------------------------------------------


def test_the_outbox_is_in_the_order_saved_whatever_the_clock_says(store: Store) -> None:
    # The clock is put back an hour between the saves of A and B, and once more before C.
    for number, clock in [(1, 10_000.0), (2, 6_400.0), (3, 2_800.0)]:
        store.save_draft(draft(number))
        store.queue(A, make_customer(number).customer_id, now=clock)
    store.save_draft(draft(4))  # editing: not in the outbox
    assert [d.customer_id for d in store.outbox(A)] == ["cust_0001", "cust_0002", "cust_0003"]
    assert all(d.state is DraftState.QUEUED for d in store.outbox(A))
    assert [d.queued_at for d in store.outbox(A)] == [10_000.0, 6_400.0, 2_800.0]  # for people


def test_queueing_again_keeps_the_place_in_line(store: Store) -> None:
    store.save_draft(draft(1))
    store.save_draft(draft(2))
    store.queue(A, "cust_0001", now=10.0)
    store.queue(A, "cust_0002", now=20.0)
    again = store.queue(A, "cust_0001", now=30.0)
    assert again.queued_at == 10.0
    assert again.updated_at == 30.0
    assert [d.customer_id for d in store.outbox(A)] == ["cust_0001", "cust_0002"]


def test_a_draft_back_from_conflict_joins_the_end_of_the_line(store: Store) -> None:
    store.save_draft(draft(1))
    store.save_draft(draft(2))
    store.queue(A, "cust_0001", now=10.0)
    store.queue(A, "cust_0002", now=20.0)
    store.set_state(A, "cust_0001", DraftState.CONFLICT, "changed", ["email"])
    queued = store.queue(A, "cust_0001", now=30.0)
    assert (queued.queued_at, queued.reason, queued.conflicts) == (30.0, "", ())
    assert [d.customer_id for d in store.outbox(A)] == ["cust_0002", "cust_0001"]


def test_queueing_needs_a_draft(store: Store) -> None:
    with pytest.raises(KeyError):
        store.queue(A, "cust_0001")


def test_a_queued_draft_saved_without_a_time_is_queued_as_of_its_edit(store: Store) -> None:
    store.save_draft(draft(1, state=DraftState.QUEUED, updated_at=5.0))
    assert store.outbox(A)[0].queued_at == 5.0


def test_set_state_records_reason_and_conflicts(store: Store) -> None:
    store.save_draft(draft(1))
    store.queue(A, "cust_0001", now=10.0)
    assert store.set_state(A, "cust_0001", DraftState.CONFLICT, "Changed on the server",
                           ("email", "billingAddress.city"))
    stored = store.get_draft(A, "cust_0001")
    assert stored is not None
    assert stored.state is DraftState.CONFLICT
    assert stored.reason == "Changed on the server"
    assert stored.conflicts == ("email", "billingAddress.city")
    assert stored.queued_at == 10.0


def test_set_state_with_if_edits_leaves_a_draft_typed_into(store: Store) -> None:
    store.save_draft(draft(1, edits={"firstName": "A"}))
    store.save_draft(draft(1, edits={"firstName": "Ab"}))  # the user typed on
    assert not store.set_state(A, "cust_0001", DraftState.FAILED, "refused",
                               if_edits={"firstName": "A"})
    assert states(store) == {"cust_0001": DraftState.EDITING}
    assert store.set_state(A, "cust_0001", DraftState.FAILED, "refused",
                           if_edits={"firstName": "Ab"})


def test_sending_drafts_stay_in_line_so_a_crash_mid_send_is_recovered(store: Store) -> None:
    for number, queued in [(1, 10.0), (2, 20.0)]:
        store.save_draft(draft(number))
        store.queue(A, make_customer(number).customer_id, now=queued)
    store.set_state(A, "cust_0001", DraftState.SENDING)
    # ... and the app dies here. The next run still finds it, first in line.
    store.close()
    with Store.open(store.path) as reopened:
        outbox = reopened.outbox(A)
    assert [(d.customer_id, d.state) for d in outbox] == [
        ("cust_0001", DraftState.SENDING), ("cust_0002", DraftState.QUEUED)]


# -- confirm_sent -------------------------------------------------------------------------


def test_confirm_sent_deletes_the_draft_that_was_sent(store: Store) -> None:
    edits = {"billingAddress.city": "Utrecht", "firstName": "Jo"}
    store.save_draft(draft(1, edits=edits))
    store.queue(A, "cust_0001")
    assert store.confirm_sent(A, "cust_0001", dict(reversed(edits.items())))  # order is moot
    assert store.get_draft(A, "cust_0001") is None


def test_confirm_sent_keeps_a_draft_typed_into_during_the_send(store: Store) -> None:
    store.save_draft(draft(1, edits={"firstName": "Jo"}))
    store.queue(A, "cust_0001")
    store.set_state(A, "cust_0001", DraftState.SENDING)
    store.save_draft(draft(1, edits={"firstName": "Joh"}))  # a keystroke during the PUT
    assert not store.confirm_sent(A, "cust_0001", {"firstName": "Jo"})
    kept = store.get_draft(A, "cust_0001")
    assert kept is not None
    assert (kept.edits, kept.state) == ({"firstName": "Joh"}, DraftState.EDITING)


def test_confirm_sent_of_a_discarded_draft_is_harmless(store: Store) -> None:
    assert not store.confirm_sent(A, "cust_0001", {"firstName": "Jo"})


# -- the customer cache -------------------------------------------------------------------


def test_cached_customers_come_back_with_their_age(store: Store) -> None:
    customers = [make_customer(3), make_customer(1), make_customer(2)]
    assert store.cache_customers(A, customers, now=100.0) == 3
    cached = store.cached_customers(A)
    assert [c.customer.customer_id for c in cached] == ["cust_0001", "cust_0002", "cust_0003"]
    assert cached[0] == CachedCustomer(make_customer(1), 100.0)
    assert cached[0].age(now=160.0) == 60.0


def test_the_cache_reads_in_the_lists_order_and_in_slices(store: Store) -> None:
    """Active customers newest first, then the inactive: the order the list shows, so what is
    read first is what the screen shows first."""
    made = {n: make_customer(n, createdAt=1_700_000_000 + n * 10,
                             status="inactive" if n == 4 else "active") for n in (5, 1, 4, 2, 3)}
    store.cache_customers(A, made.values(), now=100.0)
    first = store.cached_customers(A, limit=2)
    rest = store.cached_customers(A, after=place_of(first[-1].customer), limit=10)
    assert [c.customer.customer_id for c in first] == ["cust_0005", "cust_0003"]
    assert [c.customer.customer_id for c in rest] == ["cust_0002", "cust_0001", "cust_0004"]
    assert store.cached_customers(A, after=place_of(made[4]), limit=10) == []


def test_caching_again_replaces_the_copy(store: Store) -> None:
    store.cache_customers(A, [make_customer(1)], now=100.0)
    store.cache_customers(A, [make_customer(1, firstName="Newer")], now=200.0)
    cached = store.cached_customer(A, "cust_0001")
    assert cached is not None
    assert (cached.customer.first_name, cached.fetched_at) == ("Newer", 200.0)
    assert store.clear_cache(A) == 1
    assert store.cached_customers(A) == []


# -- secrets, threads, speed --------------------------------------------------------------


def test_no_token_ever_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "drafts.db"
    with Store.open(path) as store:
        store.cache_customers(A, [make_customer(n) for n in range(20)])
        for number in range(10):
            store.save_draft(draft(number, edits={"firstName": f"N{number}", "phone": "1"}))
            store.queue(A, make_customer(number).customer_id)
        store.set_state(A, "cust_0001", DraftState.SENDING)
        store.confirm_sent(A, "cust_0001", {"firstName": "N1", "phone": "1"})
        store.set_state(A, "cust_0002", DraftState.FAILED, "Deleted on the server")
        stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
        assert b"cust_0005" in stored  # the rows are there to look through
    files = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    for needle in (TOKEN.encode(), TOKEN.encode("utf-16-le"), b"Bearer", b"token"):
        assert needle not in files


def test_two_threads_can_write_at_once(store: Store) -> None:
    errors: list[BaseException] = []

    def write(start: int) -> None:
        try:
            for number in range(start, start + 50):
                store.save_draft(draft(number))
                store.queue(A, make_customer(number).customer_id)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(start,)) for start in (0, 100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.outbox(A)) == 100


def test_the_parent_of_an_existing_directory_is_left_alone(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    Store.open(tmp_path / "drafts.db").close()
    assert mode(tmp_path) == 0o755


def test_ids_and_outbox_count_agree_with_the_full_reads(store: Store) -> None:
    for number in (1, 2, 3):
        store.save_draft(draft(number))
    store.queue(A, "cust_0002", now=5.0)
    assert store.draft_ids(A) == {d.customer_id for d in store.drafts(A)}
    assert store.outbox_count(A) == len(store.outbox(A)) == 1
