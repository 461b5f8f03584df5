"""`OutboxLine`: the queue of saves, as the outbox and the editor's save use it."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .cache import CACHE_CUSTOMER, cache_row
from .claims import CLAIM_TTL, claimant
from .connection import Database
from .errors import StoreError
from .records import ConnectionKey, Draft, DraftState
from .rows import (
    DRAFT_COLUMNS,
    IN_LINE,
    IS_DUE,
    SELECT_DRAFTS,
    draft_of,
    edits_json,
    next_in_sequence,
    to_json,
)

if TYPE_CHECKING:  # pydantic is imported when a customer is first read as a model
    from flexdesk.api.models import Customer

__all__ = ["OutboxLine"]

log = logging.getLogger(__name__)

_WAS_IN_LINE = "state IN (:queued, :sending)"
# Unclaimed is free without asking Python (SQLite stops at the first true OR term): a call
# back into Python from a query takes the GIL again in the middle of it.
_FREE = "(claimed_by IS NULL OR claim_is_stale(claimed_by, claimed_at, :now))"
_CLAIMABLE = f"{_WAS_IN_LINE} AND {IS_DUE} AND {_FREE}"
_QUEUE = f"""
    UPDATE drafts SET
        queue_seq = CASE WHEN {_WAS_IN_LINE} THEN coalesce(queue_seq, :seq) ELSE :seq END,
        queued_at = CASE WHEN {_WAS_IN_LINE} THEN coalesce(queued_at, :now) ELSE :now END,
        attempts = CASE WHEN {_WAS_IN_LINE} THEN attempts ELSE 0 END,
        next_attempt_at = NULL, attempted_at = NULL,
        state = :queued, reason = '', conflicts = '[]', updated_at = :now
    WHERE connection = :connection AND customer_id = :customer
"""  # noqa: S608 - constant SQL
_DUE_AT = f"CASE WHEN {IS_DUE} THEN :now ELSE next_attempt_at END"
_NEXT_DUE = f"""
    SELECT min(CASE WHEN {_FREE} THEN {_DUE_AT} ELSE max({_DUE_AT}, claimed_at + :ttl) END)
    FROM drafts WHERE connection = :connection AND state IN (:queued, :sending)
"""  # noqa: S608 - constant SQL


# Let go of a claim on a draft, whatever state the user has put it in.
_RELEASE = ("UPDATE drafts SET claimed_by = NULL, claimed_at = NULL "
            "WHERE connection = ? AND customer_id = ? AND claimed_by = ?")


def _release(db: sqlite3.Connection, connection: ConnectionKey, customer_id: str,
             owner: str) -> None:
    db.execute(_RELEASE, (connection.key, customer_id, owner))


class OutboxLine(Database):
    """Queueing a draft, walking the line, and writing what became of each send."""

    def outbox_count(self, connection: ConnectionKey) -> int:
        """How many drafts wait to be sent (as `len(outbox())`, without parsing them)."""
        rows = self._fetch("SELECT count(*) FROM drafts WHERE connection = ? AND state IN (?, ?)",
                           (connection.key, *IN_LINE))
        count: int = rows[0][0]
        return count

    def queue(self, connection: ConnectionKey, customer_id: str, *,
              now: float | None = None) -> Draft:
        """Mark the draft saved by the user: the outbox will send it. Returns it as stored.

        A draft already in line (queued, or being sent) keeps its place (`queue_seq`, and its
        `queued_at`), so saving twice does not send it after customers saved in between; any
        other draft joins at the end. The place is a number given here, in the transaction
        that queues, so the order is the order of saves whatever the clock says. Either way
        the draft is due at once: the user asked for it, whatever the retry schedule said.
        Raises KeyError when the customer has no draft (save it first).
        """
        stamp = time.time() if now is None else now
        with self._transaction() as db:
            updated = db.execute(
                _QUEUE,
                {"seq": next_in_sequence(db), "now": stamp, "queued": DraftState.QUEUED.value,
                 "sending": DraftState.SENDING.value, "connection": connection.key,
                 "customer": customer_id},
            ).rowcount
            if not updated:
                raise KeyError(f"no draft of {customer_id!r} to queue")
            row = db.execute(f"{SELECT_DRAFTS} AND customer_id = ?",
                             (connection.key, customer_id)).fetchone()
        return draft_of(row)

    def outbox(self, connection: ConnectionKey) -> list[Draft]:
        """The drafts to send, in the order they were queued.

        Drafts still marked `sending` are included (in their place): the outbox sends one at
        a time and finishes each with a new state, so a `sending` draft seen before a run is
        one whose run died mid-send. Sending it again is safe: the sync step first reads the
        server, and a save that did arrive counts as already there.
        """
        rows = self._fetch(f"{SELECT_DRAFTS} AND state IN (?, ?) ORDER BY queue_seq",
                           (connection.key, *IN_LINE))
        return [draft_of(row) for row in rows]

    @contextmanager
    def claimant(self) -> Iterator[str]:
        """An owner for the claims of one outbox run, live until the block ends.

        Whatever the run still holds then (it was interrupted, or the store failed under it)
        goes back in line as it was, so the next run need not wait for the claim to expire.
        """
        with claimant() as owner:
            try:
                yield owner
            finally:
                self._release_all(owner)

    def _release_all(self, owner: str) -> None:
        try:
            self._execute(
                "UPDATE drafts SET state = CASE WHEN state = ? THEN ? ELSE state END, "
                "claimed_by = NULL, claimed_at = NULL WHERE claimed_by = ?",
                (DraftState.SENDING.value, DraftState.QUEUED.value, owner))
        except StoreError:
            # Best effort: a claim of a run that is over is taken over by the next one anyway.
            log.debug("claims of a finished run were left to expire", exc_info=True)

    def claim_next(self, connection: ConnectionKey, owner: str, after: int | None = None, *,
                   now: float | None = None) -> Draft | None:
        """Take the first due draft in line behind place `after` (a `queue_seq`) for `owner`
        (from `claimant`) and mark it sending, in one transaction; the draft as taken, or
        None at the end.

        Read and claimed together (`BEGIN IMMEDIATE`: one writer at a time, across
        processes too), so no two runs ever take the same draft, and what is sent is exactly
        what is marked: a keystroke lands before the claim (and goes out with it) or after it
        (and stays a draft, as the outbox only removes what it sent), never in between.
        Passed over: a draft another live run holds, and one waiting for a retry
        (`next_attempt_due`). A `sending` draft whose claim no longer counts (its run died)
        is taken again. One row per call: a run over a long outbox reads each draft once.
        """
        after_place = "" if after is None else " AND queue_seq > :after"
        # One statement, so one short write (SQLite takes the write lock before it reads):
        # the outbox claims once per save, and a transaction of four statements cost as much
        # as the rest of the save's bookkeeping.
        rows = self._execute_returning(
            f"""UPDATE drafts SET state = :sending, claimed_by = :owner, claimed_at = :now
                WHERE connection = :connection AND customer_id = (
                    SELECT customer_id FROM drafts
                    WHERE connection = :connection AND {_CLAIMABLE}{after_place}
                    ORDER BY queue_seq LIMIT 1)
                RETURNING {DRAFT_COLUMNS}""",  # noqa: S608 - constant SQL
            {"connection": connection.key, "owner": owner, "after": after,
             "queued": DraftState.QUEUED.value, "sending": DraftState.SENDING.value,
             "now": time.time() if now is None else now})
        return draft_of(rows[0]) if rows else None

    def put_back(self, connection: ConnectionKey, customer_id: str, owner: str, reason: str,
                 *, retry_at: float | None = None, now: float | None = None) -> bool:
        """A send of `owner`'s that did not get through: the draft waits in its place in line
        again, and the claim is let go.

        With `retry_at` the attempt counts against the draft, and it is not due before then;
        without, it was not the draft's doing (no connection) and it is due when the server
        is back. Whatever was typed into it during the send goes along: the user saved it,
        and a save must not drop out of the queue because the user typed on (typing into a
        waiting save goes out with it, too). A draft queued again meanwhile (Ctrl+S) is left
        as that made it; a discarded one stays gone; one no longer `owner`'s is another
        run's to write. False when there was nothing to put back.
        """
        stamp = time.time() if now is None else now
        schedule = "" if retry_at is None else (
            ", attempts = attempts + 1, attempted_at = :now, next_attempt_at = :retry_at")
        with self._transaction() as db:
            put = db.execute(
                f"""UPDATE drafts SET state = :queued, reason = :reason, conflicts = '[]',
                        queued_at = coalesce(queued_at, :now),
                        queue_seq = coalesce(queue_seq, :seq){schedule}
                    WHERE connection = :connection AND customer_id = :customer
                        AND claimed_by = :owner AND state IN (:sending, :editing)""",  # noqa: S608
                {"queued": DraftState.QUEUED.value, "reason": reason, "now": stamp,
                 "seq": next_in_sequence(db), "retry_at": retry_at, "owner": owner,
                 "connection": connection.key, "customer": customer_id,
                 "sending": DraftState.SENDING.value, "editing": DraftState.EDITING.value},
            ).rowcount == 1
            _release(db, connection, customer_id, owner)
        return put

    def settle(self, connection: ConnectionKey, customer_id: str, owner: str,
               state: DraftState, *, reason: str = "", conflicts: Iterable[str] = (),
               sent_edits: Mapping[str, str]) -> bool:
        """The server's verdict on a send of `owner`'s (a conflict, a refusal): the draft
        takes `state`, only while it holds exactly `sent_edits` (a verdict about what was
        sent must not land on what the user typed since); the claim is let go either way."""
        with self._transaction() as db:
            settled = db.execute(
                "UPDATE drafts SET state = ?, reason = ?, conflicts = ? "
                "WHERE connection = ? AND customer_id = ? AND claimed_by = ? AND edits = ?",
                (state.value, reason, to_json(list(conflicts)), connection.key, customer_id,
                 owner, edits_json(sent_edits)),
            ).rowcount == 1
            _release(db, connection, customer_id, owner)
        return settled

    def make_due(self, connection: ConnectionKey) -> int:
        """Every save waiting for a retry is due at once (F9: the user says try now); how many
        were waiting. Their attempts still count, so a server still in trouble is not
        hammered afterwards."""
        return self._execute(
            "UPDATE drafts SET next_attempt_at = NULL "
            "WHERE connection = ? AND state IN (?, ?) AND next_attempt_at IS NOT NULL",
            (connection.key, *IN_LINE)).rowcount

    def next_attempt_due(self, connection: ConnectionKey, *,
                         now: float | None = None) -> float | None:
        """When the outbox next has a draft to take (epoch seconds; `now` if one is due
        already), or None when nothing is in line: when to run the outbox again. A draft
        another live run holds counts as due when its claim would expire."""
        stamp = time.time() if now is None else now
        rows = self._fetch(
            _NEXT_DUE,
            {"now": stamp, "connection": connection.key, "queued": DraftState.QUEUED.value,
             "sending": DraftState.SENDING.value, "ttl": CLAIM_TTL})
        due: float | None = rows[0][0]
        return due

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
        in line is kept; a draft put in line that had none joins at the end.
        """
        sql = """UPDATE drafts SET state = :state, reason = :reason, conflicts = :conflicts,
                     queued_at = CASE WHEN :in_line THEN coalesce(queued_at, :now)
                                      ELSE queued_at END,
                     queue_seq = CASE WHEN NOT :in_line THEN queue_seq
                                      WHEN state IN (:queued, :sending) THEN queue_seq
                                      ELSE :seq END
                 WHERE connection = :connection AND customer_id = :customer"""
        if if_edits is not None:
            sql += " AND edits = :edits"
        with self._transaction() as db:
            return db.execute(sql, {
                "state": state.value, "reason": reason, "conflicts": to_json(list(conflicts)),
                "in_line": state.value in IN_LINE, "now": time.time(),
                "queued": DraftState.QUEUED.value, "sending": DraftState.SENDING.value,
                "seq": next_in_sequence(db) if state.value in IN_LINE else None,
                "connection": connection.key, "customer": customer_id,
                "edits": None if if_edits is None else edits_json(if_edits),
            }).rowcount == 1

    def confirm_sent(self, connection: ConnectionKey, customer_id: str,
                     sent_edits: Mapping[str, str], *, answer: Customer | None = None) -> bool:
        """The server has the draft's edits: delete the draft, unless the user typed on.

        Deleted only while the draft still holds exactly `sent_edits`; True if it was, and
        then `answer` (the server's record after the save) is kept in the copy in the same
        write: the outbox does this once per save. A draft edited during the send is kept as
        the user left it; `rebase_draft` moves it onto the server's new record, and `release`
        lets go of the claim.
        """
        with self._transaction() as db:
            deleted = db.execute(
                "DELETE FROM drafts WHERE connection = ? AND customer_id = ? AND edits = ?",
                (connection.key, customer_id, edits_json(sent_edits)),
            ).rowcount == 1
            if deleted and answer is not None:
                db.execute(CACHE_CUSTOMER, cache_row(connection, answer, 0, time.time()))
        return deleted

    def release(self, connection: ConnectionKey, customer_id: str, owner: str) -> None:
        """Let go of `owner`'s claim on the draft, as the user has left it."""
        self._execute(_RELEASE, (connection.key, customer_id, owner))

    def rebase_draft(self, connection: ConnectionKey, customer_id: str,
                     base: Mapping[str, Any], edits: Mapping[str, str], *,
                     if_edits: Mapping[str, str]) -> bool:
        """Move the draft onto a newer `base` with `edits` (as `EditSession.rebase` made them),
        only while it still holds exactly `if_edits`; its state and place in line stay."""
        return self._execute(
            "UPDATE drafts SET base = ?, edits = ? "
            "WHERE connection = ? AND customer_id = ? AND edits = ?",
            (to_json(dict(base)), edits_json(edits), connection.key, customer_id,
             edits_json(if_edits)),
        ).rowcount == 1
