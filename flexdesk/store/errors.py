"""What can go wrong with the drafts file, as types a window can act on.

Every public `Store` method raises only `StoreError` and its kinds, never a raw `sqlite3` or
`OSError`; the original is chained (`__cause__`) for the log. `str()` of each is a sentence
for people: it names the file, not SQLite's error codes.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

__all__ = ["NewerSchema", "StoreBusy", "StoreClosed", "StoreDamaged", "StoreError",
           "StoreFull", "StoreNotAFile", "StoreReadOnly", "store_error"]


class StoreError(Exception):
    """The drafts file could not be read or written."""


class StoreDamaged(StoreError):
    """The file is not a database, or its pages are damaged (`open_store` sets it aside)."""


class StoreReadOnly(StoreError):
    """The file or its folder cannot be written; reads still work."""


class StoreFull(StoreError):
    """The disk (or the file's size limit) is full: the write did not happen, nothing stored
    before is lost, and writes work again once there is room."""


class StoreBusy(StoreError):
    """Another process held the file's write lock for longer than the store waits."""


class StoreClosed(StoreError):
    """The store was closed (the window went away): there is nothing left to do."""


class StoreNotAFile(StoreError):
    """Something else (a folder) is where the drafts file should be."""


class NewerSchema(StoreError):
    """The database was made by a newer flexdesk: refuse rather than guess at its rows."""


# SQLite's primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _CORRUPT, _FULL, _NOTADB = 5, 6, 8, 11, 13, 26


def store_error(exc: sqlite3.Error | OSError, path: Path | str) -> StoreError:
    """The typed error for `exc`, raised while using the drafts file at `path`."""
    if isinstance(exc, OSError):
        return _os_error(exc, path)
    if isinstance(exc, sqlite3.ProgrammingError) and "closed" in str(exc):
        return StoreClosed("The drafts file is closed.")
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code in (_CORRUPT, _NOTADB):
        return StoreDamaged(f"The drafts file {path} is damaged.")
    if code == _FULL:
        return StoreFull(f"The disk is full, so this was not stored in {path}. Free some "
                         "space; nothing stored before is lost.")
    if code == _READONLY:
        return _read_only(path)
    if code in (_BUSY, _LOCKED):
        return StoreBusy(f"Another program is writing to {path}; try again in a moment.")
    return StoreError(f"The drafts file {path} could not be used: {_words(exc)}.")


def _os_error(exc: OSError, path: Path | str) -> StoreError:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _read_only(path)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreFull(f"The disk is full, so {path} cannot be written. Free some space.")
    if exc.errno == errno.EISDIR:
        return StoreNotAFile(f"{path} is a folder, not a drafts file.")
    reason = (exc.strerror or "error").lower()
    return StoreError(f"The drafts file {path} could not be used: {reason}.")


def _read_only(path: Path | str) -> StoreReadOnly:
    return StoreReadOnly(f"The drafts file {path} cannot be written: it or its folder is "
                         "read-only.")


def _words(exc: sqlite3.Error) -> str:
    """SQLite's own message ("disk I/O error"), which is already plain words."""
    return str(exc.args[0]) if exc.args else "unknown error"
