"""The drafts file in trouble, made with real files: garbage, truncation, a zeroed header, a
damaged page, a folder in the way, a read-only file or folder, a full disk. The app opens it
with `open_store`, which must never end in a traceback, lose a draft or delete the user's file.
"""

from __future__ import annotations

import array
import fcntl
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from flexdesk.store import (
    CURRENT_VERSION,
    DraftState,
    NewerSchema,
    Store,
    StoreBusy,
    StoreClosed,
    StoreDamaged,
    StoreError,
    StoreFull,
    StoreReadOnly,
    open_store,
)
from tests.factories import make_customer
from tests.fixtures.store.make_fixtures import fixture_path
from tests.unit.test_store import A, draft

# Damage is reported in the log on purpose: these tests make it.
pytestmark = pytest.mark.expect_log("is damaged|no drafts could be read|could not be moved aside")

NOW = time.mktime((2026, 12, 2, 11, 30, 0, 0, 0, -1))  # local time, as the name shows it
MOVED = "flexdesk.sqlite3.damaged-2026-12-02-1130"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "flexdesk.sqlite3"


def with_drafts(path: Path, *, cached: int = 0) -> None:
    """A real drafts file: one draft being edited, two saves in line, maybe a cache."""
    with Store.open(path) as store:
        store.save_draft(draft(1))
        for number in (2, 3):
            store.save_draft(draft(number))
            store.queue(A, f"cust_{number:04d}", now=1000.0 + number)
        store.cache_customers(A, [make_customer(n) for n in range(cached)])


def write_at(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as file:
        file.seek(offset)
        file.write(data)


def page_of(path: Path, table: str) -> int:
    """The number of a page holding rows of `table` (its b-tree's root), from SQLite."""
    db = sqlite3.connect(path)
    try:
        root: int = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                               (table,)).fetchone()[0]
        return root
    finally:
        db.close()


# -- damaged files ------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated", "header only", "zeroed header"])
def test_a_file_that_is_not_a_database_is_moved_aside_and_a_new_one_started(
        path: Path, damage: str) -> None:
    with_drafts(path, cached=300)
    if damage == "garbage":
        path.write_bytes(b"this is not what flexdesk wrote\n" * 200)
    elif damage == "truncated":
        os.truncate(path, path.stat().st_size // 2)
    elif damage == "header only":
        os.truncate(path, 100)
    else:
        write_at(path, 0, bytes(100))
    before = path.read_bytes()
    with pytest.raises(StoreDamaged, match="is damaged"):
        Store.open(path)  # typed, not a raw sqlite3 error
    opened = open_store(path, now=NOW)
    with opened.store as store:
        assert opened.moved_to == path.with_name(MOVED)
        assert opened.moved_to.read_bytes() == before  # kept as it was, for whoever can help
        assert str(opened.moved_to) in opened.notice and "damaged" in opened.notice
        store.save_draft(draft(9))  # a working store from here on
        assert store.draft_count(A) >= 1


def test_a_damaged_page_is_found_at_start_and_the_drafts_are_read_back(path: Path) -> None:
    with_drafts(path, cached=300)
    page = page_of(path, "customers")
    write_at(path, (page - 1) * 4096, b"\xff" * 4096)  # the cache's first page, overwritten
    opened = open_store(path, now=NOW)
    with opened.store as store:
        assert opened.moved_to is not None and opened.moved_to.exists()
        assert "3 drafts could be read from it" in opened.notice
        assert {d.customer_id: d.state for d in store.drafts(A)} == {
            "cust_0001": DraftState.EDITING, "cust_0002": DraftState.QUEUED,
            "cust_0003": DraftState.QUEUED}
        assert [d.customer_id for d in store.outbox(A)] == ["cust_0002", "cust_0003"]
        assert store.cached_customers(A) == []  # the cache comes back from the server


def test_a_crashed_files_journal_moves_aside_with_it(path: Path, tmp_path: Path) -> None:
    with_drafts(path)
    crashed = tmp_path / "crashed" / "flexdesk.sqlite3"
    crashed.parent.mkdir()
    with Store.open(path) as store:  # open: its -wal and -shm exist, as after a crash
        store.save_draft(draft(4))
        for end in ("", "-wal", "-shm"):
            shutil.copyfile(path.with_name(path.name + end),
                            crashed.with_name(crashed.name + end))
    write_at(crashed, 0, bytes(100))
    opened = open_store(crashed, now=NOW)
    opened.store.close()
    assert sorted(p.name for p in crashed.parent.iterdir() if "damaged" in p.name) == [
        MOVED, f"{MOVED}-shm", f"{MOVED}-wal"]


def test_a_second_damage_in_the_same_minute_does_not_overwrite_the_first(path: Path) -> None:
    for _ in range(2):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"garbage" * 100)
        open_store(path, now=NOW).store.close()
    assert sorted(p.name for p in path.parent.iterdir() if "damaged" in p.name) == [
        MOVED, f"{MOVED}-2"]


def test_a_file_of_a_newer_flexdesk_is_refused_not_moved(path: Path) -> None:
    with_drafts(path)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    db.close()
    with pytest.raises(NewerSchema, match="Update flexdesk") as refused:
        open_store(path, now=NOW)
    assert isinstance(refused.value, StoreError)
    assert sorted(p.name for p in path.parent.iterdir()) == ["flexdesk.sqlite3"]


def test_a_folder_where_the_file_belongs_is_moved_aside(path: Path) -> None:
    path.mkdir(parents=True)
    (path / "notes.txt").write_text("mine")
    opened = open_store(path, now=NOW)
    with opened.store as store:
        moved = path.with_name("flexdesk.sqlite3.folder-2026-12-02-1130")
        assert opened.moved_to == moved and (moved / "notes.txt").read_text() == "mine"
        assert str(moved) in opened.notice
        store.save_draft(draft(1))
        assert path.is_file()


# -- read-only ----------------------------------------------------------------------------


@contextmanager
def unwritable(target: Path) -> Iterator[None]:
    """Make `target` really unwritable. Permissions do that for a user; root passes every
    permission check, so for root the immutable attribute does it, where the file system and
    the process's capabilities allow; otherwise the test cannot be made real and is skipped."""
    if os.geteuid() != 0:
        mode = target.stat().st_mode
        target.chmod(0o500 if target.is_dir() else 0o400)
        try:
            yield
        finally:
            target.chmod(mode)
        return
    try:
        _immutable(target, on=True)
    except OSError as exc:
        pytest.skip(f"running as root, and {target} cannot be made immutable ({exc.strerror}):"
                    " nothing else keeps root from writing")
    try:
        yield
    finally:
        _immutable(target, on=False)


def _immutable(target: Path, *, on: bool) -> None:
    get_flags, set_flags, immutable = 0x80086601, 0x40086602, 0x10  # linux/fs.h
    handle = os.open(target, os.O_RDONLY)
    try:
        flags = array.array("i", [0])
        fcntl.ioctl(handle, get_flags, flags)
        flags[0] = flags[0] | immutable if on else flags[0] & ~immutable
        fcntl.ioctl(handle, set_flags, flags)
    finally:
        os.close(handle)


@pytest.mark.parametrize("which", ["file", "folder"])
def test_a_file_or_folder_that_cannot_be_written_opens_read_only(path: Path,
                                                                which: str) -> None:
    with_drafts(path)
    with unwritable(path if which == "file" else path.parent):
        opened = open_store(path, now=NOW)
        with opened.store as store:
            assert store.read_only
            assert "read-only" in opened.notice and str(path) in opened.notice
            assert [d.customer_id for d in store.outbox(A)] == ["cust_0002", "cust_0003"]
            with pytest.raises(StoreReadOnly):
                store.save_draft(draft(4))
            with pytest.raises(StoreReadOnly), store.claimant() as owner:
                store.claim_next(A, owner)
    with Store.open(path) as store:  # untouched, and writable again once allowed
        assert store.draft_count(A) == 3
        store.save_draft(draft(4))


def test_a_damaged_file_that_cannot_be_moved_aside_is_left_and_said_so(path: Path) -> None:
    path.parent.mkdir()
    path.write_bytes(b"garbage" * 100)
    with unwritable(path.parent):
        opened = open_store(path, now=NOW)
        with opened.store as store:
            assert store.read_only and store.drafts(A) == [] and opened.moved_to is None
            assert "damaged" in opened.notice and "could not be moved" in opened.notice
    assert path.read_bytes() == b"garbage" * 100


def test_a_read_only_folder_without_a_file_gives_an_empty_read_only_store(path: Path) -> None:
    path.parent.mkdir()
    with unwritable(path.parent):
        opened = open_store(path, now=NOW)
        with opened.store as store:
            assert store.read_only and store.drafts(A) == []
            assert str(path.parent) in opened.notice
            with pytest.raises(StoreReadOnly):
                store.queue(A, "cust_0001")
    assert not path.exists()


def test_an_older_file_opened_read_only_is_read_at_the_current_schema_untouched(
        tmp_path: Path) -> None:
    path = tmp_path / "drafts.db"
    shutil.copyfile(fixture_path(1), path)
    before = path.read_bytes()
    with Store.open(path, read_only=True) as store:
        assert [d.customer_id for d in store.outbox(A)] == []  # of another connection
        assert store.draft_count(A) == 0 and store.next_attempt_due(A) is None
        with pytest.raises(StoreReadOnly):
            store.cache_customers(A, [make_customer(1)])
    assert path.read_bytes() == before


# -- a full disk, a busy file, a closed store --------------------------------------------


def test_a_full_disk_refuses_the_write_loses_nothing_and_passes_once_there_is_room(
        path: Path) -> None:
    with_drafts(path)
    with Store.open(path) as store:
        # Really full: SQLite may not grow the file by a page more than it has now.
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")
        many = [make_customer(n) for n in range(300)]
        with pytest.raises(StoreFull, match="disk is full"):
            store.cache_customers(A, many)
        with pytest.raises(StoreFull):
            store.save_draft(draft(4, edits={"firstName": "x" * 20_000}))
        assert store.draft_count(A) == 3 and store.outbox_count(A) == 2
        assert store.cached_customers(A) == []  # not half written either
        store._db.execute("PRAGMA max_page_count = 1073741823")  # space was freed
        assert store.cache_customers(A, many) == 300
        store.save_draft(draft(4, edits={"firstName": "x" * 20_000}))
        assert store.draft_count(A) == 4


def test_a_file_another_program_keeps_locked_is_a_typed_wait(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("flexdesk.store.connect._BUSY_TIMEOUT", 0.05)
    with_drafts(path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with Store.open(path) as store:
            with pytest.raises(StoreBusy):
                store.save_draft(draft(4))
            assert store.draft_count(A) == 3  # reading goes on
    finally:
        other.close()


def test_a_closed_store_says_so_in_its_own_type(path: Path) -> None:
    store = Store.open(path)
    store.close()
    for call in (lambda: store.draft_count(A), lambda: store.save_draft(draft(1)),
                 lambda: store.queue(A, "cust_0001"), lambda: store.next_attempt_due(A)):
        with pytest.raises(StoreClosed):
            call()
    store.close()  # closing twice is harmless
