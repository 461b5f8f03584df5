"""`Store`: the drafts, the outbox and the customer cache in one SQLite file.

Why SQLite this way:
- WAL with `synchronous=NORMAL`: a draft write is one small append to the log, no fsync, so
  it costs well under a millisecond and typing never waits for the disk. A crash of the app
  loses nothing committed; only a power cut may lose the last moments (and a draft is also
  still on screen until then).
- One connection behind one lock, shared by the GUI thread and the sync worker
  (`check_same_thread=False`). Every call is short (no network inside a call), so the lock is
  never held long, and a single connection makes `close()` close everything. A second app
  process on the same file is handled by SQLite's own locking (`timeout`).
- The file is the user's alone (0600), and nothing secret goes in it: rows are keyed by server
  and tenant, never by API key.
- Every query filters by connection: one tenant's drafts and cache are invisible to another's.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from flexdesk.api.models import Customer

from .migrations import migrate
from .records import CachedCustomer, ConnectionKey, Draft, DraftState

__all__ = ["Store"]

_FILE_MODE = 0o600
_DIR_MODE = 0o700
_BUSY_TIMEOUT = 5.0  # seconds another process may hold the write lock before a call fails
# The queue keeps its order across runs: a draft the outbox was sending when the app died is
# still first in line (see `outbox`).
_IN_LINE = (DraftState.QUEUED.value, DraftState.SENDING.value)

_DRAFT_COLUMNS = ("connection, customer_id, base, edits, state, reason, conflicts, updated_at, "
                  "queued_at")
_SAVE_DRAFT = f"""
    INSERT INTO drafts ({_DRAFT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (connection, customer_id) DO UPDATE SET
        base = excluded.base, edits = excluded.edits, state = excluded.state,
        reason = excluded.reason, conflicts = excluded.conflicts,
        updated_at = excluded.updated_at, queued_at = excluded.queued_at
"""  # noqa: S608 - constant column names, values bound
_SELECT_DRAFTS = f"SELECT {_DRAFT_COLUMNS} FROM drafts WHERE connection = ?"  # noqa: S608
_CACHE_CUSTOMER = """
    INSERT INTO customers (connection, customer_id, data, fetched_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (connection, customer_id) DO UPDATE SET
        data = excluded.data, fetched_at = excluded.fetched_at
"""


def _edits_json(edits: Mapping[str, str]) -> str:
    """One spelling per set of edits, so SQL can tell "still the edits that were sent"."""
    return json.dumps(dict(edits), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _draft(row: sqlite3.Row) -> Draft:
    return Draft(
        connection=ConnectionKey.from_key(row["connection"]),
        customer_id=row["customer_id"],
        base=json.loads(row["base"]),
        edits=json.loads(row["edits"]),
        state=DraftState(row["state"]),
        reason=row["reason"],
        conflicts=tuple(json.loads(row["conflicts"])),
        updated_at=row["updated_at"],
        queued_at=row["queued_at"],
    )


def _private_file(path: Path) -> None:
    """Create `path` readable by the user only, or take an existing one back to that."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=_DIR_MODE)
    # Created 0600 in one step, so no other user can open it in between.
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, _FILE_MODE))
    # SQLite gives its -wal and -shm files the database's mode; older ones are fixed here.
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists():
            each.chmod(_FILE_MODE)


class Store:
    """Drafts, outbox and customer cache of every connection, in one file. Thread-safe."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        """Use `Store.open`; this takes a connection that is already set up and migrated."""
        self._db = db
        self._path = path
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (or create) the store at `path`: private, WAL, migrated to the current schema.

        Raises `NewerSchema` for a database made by a newer flexdesk.
        """
        path = Path(path)
        _private_file(path)
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                             timeout=_BUSY_TIMEOUT)
        try:
            db.row_factory = sqlite3.Row
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                raise sqlite3.OperationalError(f"{path} cannot use WAL (journal mode {mode})")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            migrate(db)
        except BaseException:
            db.close()
            raise
        return cls(db, path)

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self._path)!r})"

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _execute(self, sql: str, parameters: Iterable[Any] = ()) -> sqlite3.Cursor:
        """One statement, its own transaction (autocommit)."""
        with self._lock:
            return self._db.execute(sql, tuple(parameters))

    def _fetch(self, sql: str, parameters: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, tuple(parameters)).fetchall()

    # -- drafts ---------------------------------------------------------------------------

    def save_draft(self, draft: Draft) -> None:
        """Write the draft as given, replacing the customer's previous one (the keystroke path).

        A queued draft without `queued_at` is queued as of its `updated_at`; `queue()` is the
        way to queue that keeps an earlier place in line. `sending` is refused: only the outbox
        sets it (through `set_state`), which is what lets it trust that a changed row is the
        user's doing.
        """
        if draft.state is DraftState.SENDING:
            raise ValueError("only the outbox marks a draft as sending")
        if draft.state is DraftState.QUEUED and draft.queued_at is None:
            draft = replace(draft, queued_at=draft.updated_at)
        self._execute(_SAVE_DRAFT, (
            draft.connection.key, draft.customer_id, _json(draft.base), _edits_json(draft.edits),
            draft.state.value, draft.reason, _json(list(draft.conflicts)), draft.updated_at,
            draft.queued_at,
        ))

    def get_draft(self, connection: ConnectionKey, customer_id: str) -> Draft | None:
        rows = self._fetch(f"{_SELECT_DRAFTS} AND customer_id = ?",
                           (connection.key, customer_id))
        return _draft(rows[0]) if rows else None

    def drafts(self, connection: ConnectionKey) -> list[Draft]:
        """Every draft of the connection, whatever its state: the latest edited first."""
        rows = self._fetch(f"{_SELECT_DRAFTS} ORDER BY updated_at DESC, customer_id",
                           (connection.key,))
        return [_draft(row) for row in rows]

    def draft_count(self, connection: ConnectionKey) -> int:
        rows = self._fetch("SELECT count(*) FROM drafts WHERE connection = ?", (connection.key,))
        count: int = rows[0][0]
        return count

    def draft_ids(self, connection: ConnectionKey) -> set[str]:
        """Which customers have a draft, without reading the drafts themselves."""
        rows = self._fetch("SELECT customer_id FROM drafts WHERE connection = ?",
                           (connection.key,))
        return {row[0] for row in rows}

    def outbox_count(self, connection: ConnectionKey) -> int:
        """How many drafts wait to be sent (as `len(outbox())`, without parsing them)."""
        rows = self._fetch("SELECT count(*) FROM drafts WHERE connection = ? AND state IN (?, ?)",
                           (connection.key, *_IN_LINE))
        count: int = rows[0][0]
        return count

    def queue(self, connection: ConnectionKey, customer_id: str, *,
              now: float | None = None) -> Draft:
        """Mark the draft saved by the user: the outbox will send it. Returns it as stored.

        A draft already in line (queued, or being sent) keeps its `queued_at`, so saving twice
        does not send it after customers saved in between; any other draft joins at the end.
        Raises KeyError when the customer has no draft (save it first).
        """
        stamp = time.time() if now is None else now
        with self._transaction() as db:
            updated = db.execute(
                """UPDATE drafts SET
                       queued_at = CASE WHEN state IN (?, ?) AND queued_at IS NOT NULL
                                        THEN queued_at ELSE ? END,
                       state = ?, reason = '', conflicts = '[]', updated_at = ?
                   WHERE connection = ? AND customer_id = ?""",
                (*_IN_LINE, stamp, DraftState.QUEUED.value, stamp, connection.key, customer_id),
            ).rowcount
            if not updated:
                raise KeyError(f"no draft of {customer_id!r} to queue")
            row = db.execute(f"{_SELECT_DRAFTS} AND customer_id = ?",
                             (connection.key, customer_id)).fetchone()
        return _draft(row)

    def outbox(self, connection: ConnectionKey) -> list[Draft]:
        """The drafts to send, in the order they were queued.

        Drafts still marked `sending` are included (in their place): the outbox sends one at
        a time and finishes each with a new state, so a `sending` draft seen before a run is
        one whose run died mid-send. Sending it again is safe: the sync step first reads the
        server, and a save that did arrive counts as already there.
        """
        rows = self._fetch(f"{_SELECT_DRAFTS} AND state IN (?, ?) "
                           "ORDER BY queued_at, customer_id", (connection.key, *_IN_LINE))
        return [_draft(row) for row in rows]

    def claim_next(self, connection: ConnectionKey,
                   after: tuple[float, str] | None = None) -> Draft | None:
        """Take the first draft in line behind position `after` (its `queued_at`, customer ID)
        and mark it sending, in one transaction; the draft as taken, or None at the end.

        Read and marked together, so what is sent is exactly what is marked: a keystroke can
        land before the claim (and goes out with it) or after it (and stays a draft, as the
        outbox only removes what it sent), never in between. One row per call: a run over a
        long outbox reads each draft once.
        """
        sql = f"{_SELECT_DRAFTS} AND state IN (?, ?)"
        parameters: list[Any] = [connection.key, *_IN_LINE]
        if after is not None:
            sql += " AND (queued_at > ? OR (queued_at = ? AND customer_id > ?))"
            parameters += [after[0], after[0], after[1]]
        with self._transaction() as db:
            row = db.execute(f"{sql} ORDER BY queued_at, customer_id LIMIT 1",
                             parameters).fetchone()
            if row is None:
                return None
            db.execute("UPDATE drafts SET state = ? WHERE connection = ? AND customer_id = ?",
                       (DraftState.SENDING.value, connection.key, row["customer_id"]))
        return replace(_draft(row), state=DraftState.SENDING)

    def put_back(self, connection: ConnectionKey, customer_id: str, reason: str,
                 queued_at: float | None = None) -> bool:
        """A send that did not get through: the draft waits in its place in line again
        (`queued_at`: its place when it was taken, which typing into it has cleared).

        Whatever was typed into it during the send goes along: the user saved it, and a save
        must not drop out of the queue because the user typed on (typing into a waiting save
        goes out with it, too). A draft queued again meanwhile (Ctrl+S) is left as that made
        it; a discarded one stays gone. False when there was nothing to put back.
        """
        return self._execute(
            """UPDATE drafts SET state = ?, reason = ?, conflicts = '[]',
                   queued_at = coalesce(queued_at, ?)
               WHERE connection = ? AND customer_id = ? AND state IN (?, ?)""",
            (DraftState.QUEUED.value, reason, time.time() if queued_at is None else queued_at,
             connection.key, customer_id,
             DraftState.SENDING.value, DraftState.EDITING.value),
        ).rowcount == 1

    def set_state(
        self,
        connection: ConnectionKey,
        customer_id: str,
        state: DraftState,
        reason: str = "",
        conflicts: Iterable[str] = (),
        *,
        if_edits: Mapping[str, str] | None = None,
    ) -> bool:
        """Move a draft to `state`; False when there is no such draft (or it did not match).

        With `if_edits`, only while the draft still holds exactly those edits: an outcome
        about what was sent must not land on a draft the user has typed into since. Its place
        in line (`queued_at`) is kept; a draft put in line without one gets now.
        """
        sql = """UPDATE drafts SET state = ?, reason = ?, conflicts = ?,
                     queued_at = CASE WHEN ? IN (?, ?) THEN coalesce(queued_at, ?)
                                      ELSE queued_at END
                 WHERE connection = ? AND customer_id = ?"""
        parameters: list[Any] = [state.value, reason, _json(list(conflicts)), state.value,
                                 *_IN_LINE, time.time(), connection.key, customer_id]
        if if_edits is not None:
            sql += " AND edits = ?"
            parameters.append(_edits_json(if_edits))
        return self._execute(sql, parameters).rowcount == 1

    def confirm_sent(self, connection: ConnectionKey, customer_id: str,
                     sent_edits: Mapping[str, str]) -> bool:
        """The server has the draft's edits: delete the draft, unless the user typed on.

        Deleted only while the draft still holds exactly `sent_edits`; True if it was.
        A draft edited during the send is kept as the user left it; moving it onto the
        server's new record (`EditSession.rebase`) is up to its editor.
        """
        return self._execute(
            "DELETE FROM drafts WHERE connection = ? AND customer_id = ? AND edits = ?",
            (connection.key, customer_id, _edits_json(sent_edits)),
        ).rowcount == 1

    def rebase_draft(self, connection: ConnectionKey, customer_id: str,
                     base: Mapping[str, Any], edits: Mapping[str, str], *,
                     if_edits: Mapping[str, str]) -> bool:
        """Move the draft onto a newer `base` with `edits` (as `EditSession.rebase` made them),
        only while it still holds exactly `if_edits`; its state and place in line stay."""
        return self._execute(
            "UPDATE drafts SET base = ?, edits = ? "
            "WHERE connection = ? AND customer_id = ? AND edits = ?",
            (_json(dict(base)), _edits_json(edits), connection.key, customer_id,
             _edits_json(if_edits)),
        ).rowcount == 1

    def discard(self, connection: ConnectionKey, customer_id: str) -> bool:
        """Drop the draft (the user's choice); True if there was one."""
        return self._execute("DELETE FROM drafts WHERE connection = ? AND customer_id = ?",
                             (connection.key, customer_id)).rowcount == 1

    # -- the customer cache ---------------------------------------------------------------

    def cache_customers(self, connection: ConnectionKey, customers: Iterable[Customer], *,
                        now: float | None = None) -> int:
        """Remember customers as just fetched (replacing older copies); how many."""
        stamp = time.time() if now is None else now
        # Collected before the lock is taken: `customers` may be a generator fetching pages.
        rows = [(connection.key, customer.customer_id, customer.model_dump_json(), stamp)
                for customer in customers]
        with self._transaction() as db:
            db.executemany(_CACHE_CUSTOMER, rows)
        return len(rows)

    def cached_customers(self, connection: ConnectionKey, *, after: str = "",
                         limit: int | None = None) -> list[CachedCustomer]:
        """The connection's cached customers by customer ID (the list sorts for itself).

        All of them, or `limit` whose ID sorts after `after`: a cache of 100,000 takes
        seconds to parse, so callers that must stay responsive read it in slices.
        """
        rows = self._fetch("SELECT data, fetched_at FROM customers "
                           "WHERE connection = ? AND customer_id > ? "
                           "ORDER BY customer_id LIMIT ?",
                           (connection.key, after, -1 if limit is None else limit))
        return [CachedCustomer(Customer.model_validate_json(data), fetched_at)
                for data, fetched_at in rows]

    def cached_customer(self, connection: ConnectionKey,
                        customer_id: str) -> CachedCustomer | None:
        rows = self._fetch("SELECT data, fetched_at FROM customers "
                           "WHERE connection = ? AND customer_id = ?",
                           (connection.key, customer_id))
        if not rows:
            return None
        data, fetched_at = rows[0]
        return CachedCustomer(Customer.model_validate_json(data), fetched_at)

    def clear_cache(self, connection: ConnectionKey) -> int:
        """Forget the connection's cached customers (drafts stay); how many there were."""
        return self._execute("DELETE FROM customers WHERE connection = ?",
                             (connection.key,)).rowcount
