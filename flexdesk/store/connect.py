"""Making the store's SQLite connection: writable (private, WAL, migrated) or read-only.

Errors come out as SQLite and the OS raise them; `Database.open` gives them their types. The
one judgement made here is what "cannot open" means: SQLite says only that, so when the
file opened but its journal could not be made beside it, the folder is tried for writing.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from .claims import register as register_claims
from .errors import NewerSchema, StoreDamaged, StoreError, StoreReadOnly
from .migrations import CURRENT_VERSION, migrate, newer_schema_message, schema_version

__all__ = ["connect_in_memory", "connect_read_only", "connect_writable"]

_FILE_MODE = 0o600
_DIR_MODE = 0o700
_BUSY_TIMEOUT = 5.0  # seconds another process may hold the write lock before a call fails
_CANTOPEN = 14


def connect_writable(path: Path) -> sqlite3.Connection:
    """The store at `path`, created if need be: private, WAL, migrated to the current schema.

    Raises `NewerSchema` for a database made by a newer flexdesk, and `StoreReadOnly` when
    the file opened but its folder takes no journal.
    """
    _private_file(path)
    _check_header(path)
    db = _connect(str(path), uri=False)
    try:
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise StoreError(f"The drafts file {path} cannot be used: its folder does not "
                             f"allow the journal it needs (journal mode {mode}).")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db)
    except sqlite3.OperationalError as exc:
        db.close()
        if (exc.sqlite_errorcode & 0xFF) == _CANTOPEN and not _writable_folder(path.parent):
            raise StoreReadOnly(f"The folder {path.parent} is read-only, so the drafts file "
                                "in it cannot be written.") from exc
        raise
    except BaseException:
        db.close()
        raise
    return db


def connect_read_only(path: Path) -> sqlite3.Connection:
    """The store at `path` for reading only, at the current schema.

    A file of an older schema is read through a migrated copy in memory (it cannot be
    upgraded in place); no file at all gives an empty store. A WAL file whose folder takes no
    `-shm` beside it is opened as immutable: nothing can be writing to it there.
    """
    if not path.exists():
        return connect_in_memory()
    _check_header(path)
    flags = ("mode=ro", "mode=ro&immutable=1")
    for number, flag in enumerate(flags, start=1):
        db = _connect(f"{path.resolve().as_uri()}?{flag}", uri=True)
        try:
            version = schema_version(db)
        except sqlite3.OperationalError as exc:
            db.close()
            if (exc.sqlite_errorcode & 0xFF) != _CANTOPEN or number == len(flags):
                raise
            continue
        except BaseException:
            db.close()
            raise
        break
    if version > CURRENT_VERSION:
        db.close()
        raise NewerSchema(newer_schema_message(version))
    if version < CURRENT_VERSION:
        return _migrated_copy(db)
    return db


def _check_header(path: Path) -> None:
    """Refuse a file SQLite would call "not a database" before SQLite opens it.

    SQLite, opening a file whose header is gone or whose pages are cut off before the first
    one ends, deletes the `-wal` beside it: the drafts written since the last checkpoint.
    Refused here, the file and its journal are moved aside whole. An empty file is a new one.
    """
    with path.open("rb") as file:
        header = file.read(100)
    if not header:
        return
    size = int.from_bytes(header[16:18], "big") if len(header) == 100 else 0
    page_size = 65536 if size == 1 else size
    if (not header.startswith(b"SQLite format 3\x00") or page_size < 512
            or page_size & (page_size - 1) or path.stat().st_size < page_size):
        raise StoreDamaged(f"The drafts file {path} is damaged.")


def _connect(target: str, *, uri: bool) -> sqlite3.Connection:
    db = sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False,
                         timeout=_BUSY_TIMEOUT)
    db.row_factory = sqlite3.Row
    register_claims(db)
    return db


def connect_in_memory() -> sqlite3.Connection:
    """An empty store at the current schema that lives as long as the connection."""
    db = _connect(":memory:", uri=False)
    migrate(db)
    return db


def _migrated_copy(source: sqlite3.Connection) -> sqlite3.Connection:
    copy = _connect(":memory:", uri=False)
    try:
        source.backup(copy)
    finally:
        source.close()
    migrate(copy)
    return copy


def _private_file(path: Path) -> None:
    """Create `path` readable by the user only, or take an existing one back to that."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=_DIR_MODE)
    # Created 0600 in one step, so no other user can open it in between.
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, _FILE_MODE))
    # SQLite gives its -wal and -shm files the database's mode; older ones are fixed here.
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists():
            each.chmod(_FILE_MODE)


def _writable_folder(folder: Path) -> bool:
    """Whether a file can be made in `folder`: tried, as permissions alone do not say (a
    read-only mount, an immutable folder, and root, who passes every permission check)."""
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=".flexdesk-write-check-")
    except OSError:
        return False
    os.close(handle)
    os.unlink(name)
    return True
