"""The schema's versions: a new store is current, and every earlier version upgrades intact.

tests/fixtures/store/ holds a database as each earlier version left it (written by
make_fixtures.py there); each is upgraded here, on a copy, by today's `Store`.
"""

from __future__ import annotations

import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from flexdesk.api.models import Customer
from flexdesk.store import CURRENT_VERSION, ConnectionKey, DraftState, NewerSchema, Store
from flexdesk.store.migrations import MIGRATIONS, migrate, schema_version
from tests.fixtures.store.make_fixtures import (
    BASE_URL,
    CACHED,
    DRAFTS,
    KEY_A,
    TENANT_A,
    TENANT_B,
    fixture_path,
)

A = ConnectionKey(BASE_URL, TENANT_A)
B = ConnectionKey(BASE_URL, TENANT_B)
EARLIER = range(1, CURRENT_VERSION)


def version_of(path: Path, *, committed: bool = False) -> int:
    # A committed fixture is read as immutable, which leaves no -wal/-shm files beside it.
    db = (sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True) if committed
          else sqlite3.connect(path))
    try:
        return schema_version(db)
    finally:
        db.close()


def columns(path: Path, table: str) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
    finally:
        db.close()


def test_there_are_at_least_two_versions_so_upgrading_is_exercised() -> None:
    assert CURRENT_VERSION == len(MIGRATIONS) >= 2


def test_a_new_store_is_at_the_current_version(tmp_path: Path) -> None:
    path = tmp_path / "drafts.db"
    Store.open(path).close()
    assert version_of(path) == CURRENT_VERSION
    assert "conflicts" in columns(path, "drafts")
    assert "token" not in " ".join(columns(path, "drafts") + columns(path, "customers"))


@pytest.mark.parametrize("version", EARLIER)
def test_every_earlier_version_has_a_committed_fixture(version: int) -> None:
    path = fixture_path(version)
    assert path.is_file(), f"run tests/fixtures/store/make_fixtures.py and commit {path.name}"
    assert version_of(path, committed=True) == version


@pytest.mark.parametrize("version", EARLIER)
def test_an_earlier_database_upgrades_with_its_drafts_intact(version: int,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "drafts.db"
    shutil.copyfile(fixture_path(version), path)
    with Store.open(path) as store:
        assert version_of(path) == CURRENT_VERSION
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        found = {(d.connection, d.customer_id): d for c in (A, B) for d in store.drafts(c)}
        assert len(found) == len(DRAFTS)
        for key, customer_id, base, edits, state, reason, updated, queued in DRAFTS:
            draft = found[ConnectionKey.from_key(key), customer_id]
            assert dict(draft.base) == base
            assert draft.base_customer() == Customer.model_validate(base)
            assert dict(draft.edits) == edits
            assert (draft.state, draft.reason) == (DraftState(state), reason)
            assert (draft.updated_at, draft.queued_at) == (updated, queued)
            assert draft.conflicts == ()
            assert (draft.attempts, draft.next_attempt_at) == (0, None)  # due, never tried
        assert [d.customer_id for d in store.outbox(A)] == ["cust_0002"]
        assert store.next_attempt_due(A, now=2e9) == 2e9
        assert [d.customer_id for d in store.outbox(B)] == ["cust_0001"]
        cached = store.cached_customers(A)
        assert [(c.customer, c.fetched_at) for c in cached] == [
            (Customer.model_validate(data), fetched) for _, data, fetched in CACHED]
        # A save after the upgrade goes behind those queued before it, whatever its time.
        store.queue(A, "cust_0001", now=0.0)
        assert [d.customer_id for d in store.outbox(A)] == ["cust_0002", "cust_0001"]
        # ... and it works as a current store from here on.
        store.set_state(A, "cust_0001", DraftState.CONFLICT, "changed", ["firstName"])
        assert [d.conflicts for d in store.drafts(A) if d.customer_id == "cust_0001"] == [
            ("firstName",)]


def test_queued_drafts_keep_their_order_through_the_upgrade_to_numbered_places(
        tmp_path: Path) -> None:
    path = tmp_path / "drafts.db"
    db = sqlite3.connect(path, isolation_level=None)
    try:
        migrate(db, target=2)  # the last version that kept the line by queued_at
        base = '{"customerId": "%s"}'
        db.executemany(
            "INSERT INTO drafts (connection, customer_id, base, edits, state, updated_at, "
            "queued_at) VALUES (?, ?, ?, '{}', ?, 0, ?)",
            [(KEY_A, "cust_0003", base % "cust_0003", "queued", 30.0),
             (KEY_A, "cust_0001", base % "cust_0001", "sending", 10.0),
             (KEY_A, "cust_0004", base % "cust_0004", "editing", None),
             (KEY_A, "cust_0002", base % "cust_0002", "queued", 20.0)])
    finally:
        db.close()
    with Store.open(path) as store:
        assert [d.customer_id for d in store.outbox(A)] == [
            "cust_0001", "cust_0002", "cust_0003"]
        store.queue(A, "cust_0004", now=0.0)
        assert [d.customer_id for d in store.outbox(A)][-1] == "cust_0004"


def test_a_database_of_a_newer_flexdesk_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "drafts.db"
    Store.open(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    db.close()
    with pytest.raises(NewerSchema, match="Update flexdesk"):
        Store.open(path)
    assert version_of(path) == CURRENT_VERSION + 1


def test_a_failing_migration_leaves_the_last_complete_version(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    broken = (*MIGRATIONS[:1], ("ALTER TABLE drafts ADD COLUMN extra TEXT", "NOT SQL"))
    monkeypatch.setattr("flexdesk.store.migrations.MIGRATIONS", broken)
    db = sqlite3.connect(tmp_path / "drafts.db", isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError):
            migrate(db, target=2)
        assert schema_version(db) == 1
        assert "extra" not in [row[1] for row in db.execute("PRAGMA table_info(drafts)")]
    finally:
        db.close()


def test_migrating_step_by_step_equals_migrating_at_once(tmp_path: Path) -> None:
    def schema(path: Path, steps: list[int]) -> list[tuple[str, str]]:
        db = sqlite3.connect(path, isolation_level=None)
        try:
            for target in steps:
                migrate(db, target=target)
            return db.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        finally:
            db.close()

    stepwise = schema(tmp_path / "a.db", list(range(1, CURRENT_VERSION + 1)))
    assert stepwise == schema(tmp_path / "b.db", [CURRENT_VERSION])
