"""`open_store`: how the app opens its drafts file, whatever state the file is in.

Start-up must not end in a traceback because of the file. A damaged file is moved aside,
never deleted (it holds the user's drafts; what can still be read of them is copied into the
new file), and a new one is started; a folder standing where the file should be is moved
aside the same way (the name is flexdesk's own, inside its data folder, so a folder there is
a mistake, and moving it loses nothing); a file or folder that cannot be written opens
read-only. Each time `OpenedStore.notice` says what happened in a sentence for a banner.

What is left to the caller: `NewerSchema` (update flexdesk), `StoreBusy` (another program
holds the file) and a `StoreError` nothing here can fix (a disk that fails to read).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from .database import Store
from .errors import StoreDamaged, StoreError, StoreReadOnly
from .records import ConnectionKey, Draft, DraftState

__all__ = ["OpenedStore", "open_store"]

log = logging.getLogger(__name__)

_SIDECARS = ("-wal", "-shm")  # SQLite's journal beside the file: it goes where the file goes


@dataclass(frozen=True)
class OpenedStore:
    """The store, and what the user should be told about opening it ("" when nothing)."""

    store: Store
    notice: str = ""
    moved_to: Path | None = None  # where a damaged file (or a folder in the way) now is


def open_store(path: Path | str, *, now: float | None = None) -> OpenedStore:
    """Open the drafts file at `path` for the app; see the module for what it copes with.

    `now` (epoch seconds) dates the name of anything moved aside.
    """
    path = Path(path)
    stamp = time.localtime(time.time() if now is None else now)
    if path.is_dir():
        return _replace_folder(path, stamp)
    try:
        store = Store.open(path)
    except StoreReadOnly:
        return _read_only(path)
    except StoreDamaged:
        return _replace_damaged(path, stamp)
    try:
        store.check_integrity()
    except StoreDamaged:
        store.close()
        return _replace_damaged(path, stamp)
    return OpenedStore(store)


def _read_only(path: Path) -> OpenedStore:
    store = Store.open(path, read_only=True)
    if path.exists():
        notice = (f"The drafts file {path} cannot be written (it or its folder is "
                  "read-only). Drafts are shown, but changes cannot be kept as drafts or "
                  "saved until it can be written again.")
    else:
        notice = (f"The folder {path.parent} is read-only, so drafts cannot be kept. "
                  "Changes cannot be kept as drafts or saved until it can be written.")
    return OpenedStore(store, notice)


def _replace_folder(path: Path, stamp: time.struct_time) -> OpenedStore:
    moved = _move_aside(path, "folder", stamp)
    if moved is None:
        return _unusable(path, f"A folder is where the drafts file belongs ({path})")
    store = Store.open(path)
    return OpenedStore(store, f"A folder was where the drafts file belongs ({path}). It was "
                              f"moved to {moved}, and a new drafts file was started.", moved)


def _replace_damaged(path: Path, stamp: time.struct_time) -> OpenedStore:
    log.error("the drafts file %s is damaged; moving it aside", path)
    moved = _move_aside(path, "damaged", stamp)
    if moved is None:
        return _unusable(path, f"The drafts file {path} is damaged")
    store = Store.open(path)
    recovered = _recover_drafts(moved, store)
    kept = (f"{_count(recovered)} could be read from it and "
            f"{'is' if recovered == 1 else 'are'} here again"
            if recovered else "none of its drafts could be read")
    return OpenedStore(store, f"The drafts file was damaged, so a new one was started. The "
                              f"old one is kept as {moved}; {kept}.", moved)


def _unusable(path: Path, what: str) -> OpenedStore:
    """What is at `path` cannot be used nor moved out of the way (its folder is read-only):
    an empty store that keeps nothing, and a notice saying so."""
    return OpenedStore(Store.empty(path), f"{what}, and it could not be moved out of the way "
                       f"(its folder cannot be written). No drafts are shown, and none can be "
                       f"kept until {path.parent} can be written.")


def _move_aside(path: Path, why: str, stamp: time.struct_time) -> Path | None:
    """Rename `path` (and its journal) to `<name>.<why>-<date>-<time>`, never over anything;
    None when it cannot be renamed."""
    base = f"{path.name}.{why}-{time.strftime('%Y-%m-%d-%H%M', stamp)}"
    target = path.with_name(base)
    number = 1
    while any(target.with_name(target.name + end).exists() for end in ("", *_SIDECARS)):
        number += 1
        target = path.with_name(f"{base}-{number}")
    try:
        path.rename(target)
    except OSError:
        log.exception("%s could not be moved aside", path)
        return None
    for end in _SIDECARS:
        sidecar = path.with_name(path.name + end)
        try:
            if sidecar.exists():
                sidecar.rename(target.with_name(target.name + end))
        except OSError as exc:
            # Left here, a new file would take it for its own journal and drop it.
            raise StoreError(f"{sidecar} could not be moved to {target.parent} with the rest "
                             f"of the damaged drafts file: {(exc.strerror or '').lower()}.",
                             ) from exc
    return target


def _recover_drafts(damaged: Path, store: Store) -> int:
    """Copy every draft that can still be read from the damaged file; how many.

    Read with the columns every schema version has, row by row until the damage stops the
    reading; a draft that reads but does not make sense is skipped. Saves waiting in line go
    back in line, in their old order.
    """
    drafts: list[Draft] = []
    try:
        with closing(sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro", uri=True)) as db:
            # Unsorted, so reading streams up to the damage rather than failing to sort.
            rows = db.execute("SELECT connection, customer_id, base, edits, state, reason, "
                              "updated_at, queued_at FROM drafts")
            for row in _until_damage(rows):
                draft = _draft(row)
                if draft is not None:
                    drafts.append(draft)
    except sqlite3.Error:
        log.warning("no drafts could be read from %s", damaged, exc_info=True)
    recovered = 0
    drafts.sort(key=lambda d: (d.queued_at is None, d.queued_at or 0.0))
    for draft in drafts:
        try:
            store.save_draft(draft)
        except StoreError:
            log.warning("a draft of %s could not be copied back", draft.customer_id,
                        exc_info=True)
            continue
        recovered += 1
    return recovered


def _until_damage(rows: sqlite3.Cursor) -> list[tuple[object, ...]]:
    read: list[tuple[object, ...]] = []
    try:
        for row in rows:
            read.append(tuple(row))
    except sqlite3.Error:
        log.warning("reading drafts from a damaged file stopped after %d", len(read))
    return read


def _draft(row: tuple[object, ...]) -> Draft | None:
    connection, customer_id, base, edits, state, reason, updated_at, queued_at = row
    try:
        parsed = DraftState(str(state))
        return Draft(
            ConnectionKey.from_key(str(connection)), str(customer_id), json.loads(str(base)),
            {str(k): str(v) for k, v in json.loads(str(edits)).items()},
            # Only the outbox marks a draft as sending; one that was is in line again.
            state=DraftState.QUEUED if parsed is DraftState.SENDING else parsed,
            reason=str(reason or ""), updated_at=float(str(updated_at)),
            queued_at=None if queued_at is None else float(str(queued_at)))
    except (ValueError, TypeError, AttributeError):
        return None


def _count(drafts: int) -> str:
    return "1 draft" if drafts == 1 else f"{drafts} drafts"
