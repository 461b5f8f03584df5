"""`Store`: the drafts, the outbox and the customer cache in one SQLite file.

Why SQLite this way:
- WAL with `synchronous=NORMAL`: a draft write is one small append to the log, no fsync, so
  it costs well under a millisecond and typing never waits for the disk. A crash of the app
  loses nothing committed; only a power cut may lose the last moments (and a draft is also
  still on screen until then).
- One connection behind one lock, shared by the GUI thread and the sync worker
  (`check_same_thread=False`). Every call is short (no network inside a call), so the lock is
  never held long, and a single connection makes `close()` close everything. A second app
  process on the same file is handled by SQLite's own locking (`timeout`), and the outbox
  claims each draft before sending it (`OutboxLine.claim_next`), so none goes out twice.
- Trouble with the file comes out typed (`StoreError` and its kinds, errors.py); the app
  opens the file with `open_store` (opening.py), which copes with a damaged or read-only one.
- The file is the user's alone (0600), and nothing secret goes in it: rows are keyed by server
  and tenant, never by API key.
- Every query filters by connection: one tenant's drafts and cache are invisible to another's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .cache import CustomerCache
from .line import OutboxLine
from .records import ConnectionKey, Draft, DraftState
from .rows import SELECT_ALL, SELECT_DRAFTS, draft_of, edits_json, next_in_sequence, to_json

__all__ = ["Store"]

# Typing into a save waiting for a retry keeps its schedule (only Ctrl+S and F9 bring it
# forward); a draft leaving the line leaves its schedule behind.
_STAYS = "excluded.state = 'queued' AND drafts.state IN ('queued', 'sending')"
_SAVE_DRAFT = f"""
    INSERT INTO drafts (connection, customer_id, base, edits, state, reason, conflicts,
                        updated_at, queued_at, queue_seq)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (connection, customer_id) DO UPDATE SET
        base = excluded.base, edits = excluded.edits, state = excluded.state,
        reason = excluded.reason, conflicts = excluded.conflicts,
        updated_at = excluded.updated_at, queued_at = excluded.queued_at,
        queue_seq = CASE WHEN {_STAYS} THEN coalesce(queue_seq, excluded.queue_seq)
                         ELSE coalesce(excluded.queue_seq, queue_seq) END,
        attempts = CASE WHEN {_STAYS} THEN attempts ELSE 0 END,
        attempted_at = CASE WHEN {_STAYS} THEN attempted_at END,
        next_attempt_at = CASE WHEN {_STAYS} THEN next_attempt_at END
"""  # noqa: S608 - constant SQL, values bound


class Store(OutboxLine, CustomerCache):
    """Drafts, outbox and customer cache of every connection, in one file. Thread-safe.

    Split by topic: the connection and its transactions (`Database`), the queue of saves
    (`OutboxLine`), and here the drafts themselves and the customer cache.
    """

    # -- drafts ---------------------------------------------------------------------------

    def save_draft(self, draft: Draft) -> None:
        """Write the draft as given, replacing the customer's previous one (the keystroke path).

        A queued draft already in line keeps its place, and one that joins goes to the end
        (its `queue_seq` is the store's to give; the one in `draft` is not read). A queued
        draft without `queued_at` is queued as of its `updated_at`. `sending` is refused: only
        the outbox sets it (by claiming the draft), which is what lets it trust that a changed
        row is the user's doing.
        """
        if draft.state is DraftState.SENDING:
            raise ValueError("only the outbox marks a draft as sending")
        if draft.state is not DraftState.QUEUED:  # the keystroke path: one statement
            self._execute(_SAVE_DRAFT, self._draft_values(draft, None))
            return
        if draft.queued_at is None:
            draft = replace(draft, queued_at=draft.updated_at)
        with self._transaction() as db:
            db.execute(_SAVE_DRAFT, self._draft_values(draft, next_in_sequence(db)))

    @staticmethod
    def _draft_values(draft: Draft, queue_seq: int | None) -> tuple[Any, ...]:
        return (draft.connection.key, draft.customer_id, to_json(draft.base),
                edits_json(draft.edits), draft.state.value, draft.reason,
                to_json(list(draft.conflicts)), draft.updated_at, draft.queued_at, queue_seq)

    def get_draft(self, connection: ConnectionKey, customer_id: str) -> Draft | None:
        rows = self._fetch(f"{SELECT_DRAFTS} AND customer_id = ?",
                           (connection.key, customer_id))
        return draft_of(rows[0]) if rows else None

    def drafts(self, connection: ConnectionKey) -> list[Draft]:
        """Every draft of the connection, whatever its state: the latest edited first."""
        rows = self._fetch(f"{SELECT_DRAFTS} ORDER BY updated_at DESC, customer_id",
                           (connection.key,))
        return [draft_of(row) for row in rows]


    def drafts_elsewhere(self, connection: ConnectionKey) -> list[Draft]:
        """The drafts of every other server or tenant: never sent from here, never hidden."""
        rows = self._fetch(f"{SELECT_ALL} WHERE connection != ? "
                           "ORDER BY updated_at DESC, customer_id", (connection.key,))
        return [draft_of(row) for row in rows]

    def draft_count(self, connection: ConnectionKey) -> int:
        rows = self._fetch("SELECT count(*) FROM drafts WHERE connection = ?", (connection.key,))
        count: int = rows[0][0]
        return count

    def draft_ids(self, connection: ConnectionKey) -> set[str]:
        """Which customers have a draft, without reading the drafts themselves."""
        rows = self._fetch("SELECT customer_id FROM drafts WHERE connection = ?",
                           (connection.key,))
        return {row[0] for row in rows}

    def discard(self, connection: ConnectionKey, customer_id: str) -> bool:
        """Drop the draft (the user's choice); True if there was one."""
        return self._execute("DELETE FROM drafts WHERE connection = ? AND customer_id = ?",
                             (connection.key, customer_id)).rowcount == 1
