"""`Database`: the one SQLite connection under a `Store`, its lock and its transactions."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from .claims import register as register_claims
from .migrations import migrate

__all__ = ["Database"]

_FILE_MODE = 0o600
_DIR_MODE = 0o700
_BUSY_TIMEOUT = 5.0  # seconds another process may hold the write lock before a call fails


def _private_file(path: Path) -> None:
    """Create `path` readable by the user only, or take an existing one back to that."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=_DIR_MODE)
    # Created 0600 in one step, so no other user can open it in between.
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, _FILE_MODE))
    # SQLite gives its -wal and -shm files the database's mode; older ones are fixed here.
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists():
            each.chmod(_FILE_MODE)


class Database:
    """One connection behind one lock, opened private, in WAL mode and migrated."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        """Use `Store.open`; this takes a connection that is already set up and migrated."""
        self._db = db
        self._path = path
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | str) -> Self:
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
            register_claims(db)
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
        return f"{type(self).__name__}({str(self._path)!r})"

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

    def _execute(self, sql: str, parameters: Parameters = ()) -> sqlite3.Cursor:
        """One statement, its own transaction (autocommit)."""
        with self._lock:
            return self._db.execute(sql, _bound(parameters))

    def _fetch(self, sql: str, parameters: Parameters = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, _bound(parameters)).fetchall()


# Values for `?` in order, or for `:name` by name.
Parameters = Iterable[Any] | Mapping[str, Any]


def _bound(parameters: Parameters) -> tuple[Any, ...] | Mapping[str, Any]:
    return parameters if isinstance(parameters, Mapping) else tuple(parameters)
