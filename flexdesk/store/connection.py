"""`Database`: the one SQLite connection under a `Store`, its lock and its transactions.

Every way in (`_transaction`, `_execute`, `_fetch`) turns SQLite's and the OS's errors into
`StoreError`s, so no public method lets a raw one out; a closed store says `StoreClosed`, and
one opened read-only refuses writes with `StoreReadOnly` before touching the file.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from .connect import connect_in_memory, connect_read_only, connect_writable
from .errors import StoreClosed, StoreDamaged, StoreError, StoreReadOnly, store_error

__all__ = ["Database"]

# Values for `?` in order, or for `:name` by name.
Parameters = Iterable[Any] | Mapping[str, Any]


class Database:
    """One connection behind one lock, opened private, in WAL mode and migrated."""

    def __init__(self, db: sqlite3.Connection, path: Path, *, read_only: bool = False) -> None:
        """Use `Store.open`; this takes a connection that is already set up and migrated."""
        self._db = db
        self._path = path
        self._read_only = read_only
        self._closed = False
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> Self:
        """Open (or create) the store at `path`: private, WAL, migrated to the current schema.

        With `read_only`, reads work and every write raises `StoreReadOnly` (a file or
        folder that cannot be written; no file there reads as an empty store). Raises
        `NewerSchema` for a database made by a newer flexdesk, `StoreDamaged`,
        `StoreReadOnly`, `StoreNotAFile` (a folder in the way) or `StoreError`; the app's
        `open_store` deals with them.
        """
        path = Path(path)
        try:
            db = connect_read_only(path) if read_only else connect_writable(path)
        except StoreError:
            raise
        except (sqlite3.Error, OSError) as exc:
            raise store_error(exc, path) from exc
        return cls(db, path, read_only=read_only)

    @classmethod
    def empty(cls, path: Path | str) -> Self:
        """An empty, read-only store standing in for the file at `path`, which cannot be used
        at all: the window still opens, and says why nothing can be kept."""
        return cls(connect_in_memory(), Path(path), read_only=True)

    @property
    def path(self) -> Path:
        return self._path

    @property
    def read_only(self) -> bool:
        """Opened for reading only: every write raises `StoreReadOnly`."""
        return self._read_only

    def check_integrity(self) -> None:
        """Read every page (SQLite's quick check); raise `StoreDamaged` if any is damaged.

        Reading the whole file takes a moment for a large cache (some 50 ms for 100,000
        customers from the disk cache), so it is for start-up, not for every call.
        """
        rows = self._fetch("PRAGMA quick_check")
        if [tuple(row) for row in rows] != [("ok",)]:
            raise StoreDamaged(f"The drafts file {self._path} is damaged.")

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                with suppress(sqlite3.Error):
                    self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self._path)!r})"

    def _usable(self, *, writing: bool) -> None:
        """Refuse before touching the file: closed, or a write to a read-only store."""
        if self._closed:
            raise StoreClosed("The drafts file is closed.")
        if writing and self._read_only:
            raise StoreReadOnly(f"The drafts file {self._path} is open for reading only, so "
                                "nothing can be saved in it.")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taking the file's write lock at once (`BEGIN IMMEDIATE`):
        what it reads stays true until it commits, across processes too."""
        with self._lock:
            self._usable(writing=True)
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                    db.execute("COMMIT")
                finally:
                    # After an error, or a commit that failed (a full disk): nothing half
                    # written stays. SQLite may have rolled back already.
                    if db.in_transaction:
                        with suppress(sqlite3.Error):
                            db.execute("ROLLBACK")
            except sqlite3.Error as exc:
                raise store_error(exc, self._path) from exc

    def _execute(self, sql: str, parameters: Parameters = ()) -> sqlite3.Cursor:
        """One write statement, its own transaction (autocommit)."""
        with self._lock:
            self._usable(writing=True)
            try:
                return self._db.execute(sql, _bound(parameters))
            except sqlite3.Error as exc:
                raise store_error(exc, self._path) from exc

    def _execute_returning(self, sql: str, parameters: Parameters = ()) -> list[sqlite3.Row]:
        """One write statement with a RETURNING clause, its own transaction: the rows it
        wrote, read to the end, which is when SQLite commits it."""
        with self._lock:
            self._usable(writing=True)
            try:
                return self._db.execute(sql, _bound(parameters)).fetchall()
            except sqlite3.Error as exc:
                raise store_error(exc, self._path) from exc

    def _fetch(self, sql: str, parameters: Parameters = ()) -> list[sqlite3.Row]:
        with self._lock:
            self._usable(writing=False)
            try:
                return self._db.execute(sql, _bound(parameters)).fetchall()
            except sqlite3.Error as exc:
                raise store_error(exc, self._path) from exc


def _bound(parameters: Parameters) -> tuple[Any, ...] | Mapping[str, Any]:
    return parameters if isinstance(parameters, Mapping) else tuple(parameters)
