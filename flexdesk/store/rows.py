"""How drafts are spelled in the `drafts` table, and read back from it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from .records import ConnectionKey, Draft, DraftState

# The queue keeps its order across runs: a draft the outbox was sending when the app died is
# still first in line (see `OutboxLine.outbox`).
IN_LINE = (DraftState.QUEUED.value, DraftState.SENDING.value)

DRAFT_COLUMNS = ("connection, customer_id, base, edits, state, reason, conflicts, updated_at, "
                 "queued_at, attempts, next_attempt_at, queue_seq")
SELECT_ALL = f"SELECT {DRAFT_COLUMNS} FROM drafts"  # noqa: S608 - constant SQL
SELECT_DRAFTS = f"{SELECT_ALL} WHERE connection = ?"
# Not waiting for a retry: never tried, or its time has come, or the clock has been put back
# since the last try (then the time set is no measure of anything: try now, not in hours).
IS_DUE = "(next_attempt_at IS NULL OR next_attempt_at <= :now OR attempted_at > :now)"


def edits_json(edits: Mapping[str, str]) -> str:
    """One spelling per set of edits, so SQL can tell "still the edits that were sent"."""
    return json.dumps(dict(edits), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def draft_of(row: sqlite3.Row) -> Draft:
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
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        queue_seq=row["queue_seq"],
    )


def next_in_sequence(db: sqlite3.Connection) -> int:
    """A place in line behind every other: call inside the transaction that queues."""
    db.execute("UPDATE outbox_sequence SET last = last + 1")
    last: int = db.execute("SELECT last FROM outbox_sequence").fetchone()[0]
    return last
