"""The schema, one migration per version; `PRAGMA user_version` says which ones have run.

Migrations are append-only: a released one is never edited, because databases made by it
exist on users' machines (tests/fixtures/store/ keeps one of each earlier version, and a test
upgrades each to the current schema). To change the schema, add a migration to the end.

No table has a column for a token or any other secret: the API key lives in the keyring.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from .errors import NewerSchema

__all__ = ["CURRENT_VERSION", "MIGRATIONS", "NewerSchema", "migrate", "newer_schema_message",
           "schema_version"]


# Version N is reached by running MIGRATIONS[N - 1]: a list of statements in one transaction.
MIGRATIONS: tuple[Sequence[str], ...] = (
    # 1: drafts, one per connection and customer, and the customer cache.
    (
        """CREATE TABLE drafts (
            connection TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            base TEXT NOT NULL,
            edits TEXT NOT NULL,
            state TEXT NOT NULL
                CHECK (state IN ('editing', 'queued', 'sending', 'conflict', 'failed')),
            reason TEXT NOT NULL DEFAULT '',
            updated_at REAL NOT NULL,
            queued_at REAL,
            PRIMARY KEY (connection, customer_id)
        )""",
        """CREATE TABLE customers (
            connection TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            data TEXT NOT NULL,
            fetched_at REAL NOT NULL,
            PRIMARY KEY (connection, customer_id)
        )""",
    ),
    # 2: a conflict names its fields (version 1 kept only the reason's text, so the editor
    # could not mark them), and the outbox reads queued drafts in order through an index
    # instead of sorting every draft of the connection.
    (
        "ALTER TABLE drafts ADD COLUMN conflicts TEXT NOT NULL DEFAULT '[]'",
        "CREATE INDEX drafts_outbox ON drafts (connection, state, queued_at)",
    ),
    # 3: a save the server could not take is tried again on a schedule that survives a
    # restart: how often it was tried, when last, and not before when. The line is kept by a
    # counter, not the wall clock (a clock put back an hour sent C, A, B for A, B, C): drafts
    # in line are numbered in their old order, and the counter goes on from there. And a
    # draft is claimed before it is sent, so two processes never send it twice.
    (
        "ALTER TABLE drafts ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE drafts ADD COLUMN attempted_at REAL",
        "ALTER TABLE drafts ADD COLUMN next_attempt_at REAL",
        "ALTER TABLE drafts ADD COLUMN queue_seq INTEGER",
        """UPDATE drafts SET queue_seq = (
            SELECT number FROM (
                SELECT rowid AS id, row_number() OVER (
                    ORDER BY queued_at, connection, customer_id) AS number
                FROM drafts WHERE queued_at IS NOT NULL)
            WHERE id = drafts.rowid)""",
        "CREATE TABLE outbox_sequence (last INTEGER NOT NULL)",
        "INSERT INTO outbox_sequence (last) SELECT coalesce(max(queue_seq), 0) FROM drafts",
        "DROP INDEX drafts_outbox",
        "CREATE INDEX drafts_line ON drafts (connection, queue_seq)",
        # Who is sending the draft, and since when (see store/claims.py).
        "ALTER TABLE drafts ADD COLUMN claimed_by TEXT",
        "ALTER TABLE drafts ADD COLUMN claimed_at REAL",
    ),
    # 4: the cache becomes a copy of the whole tenant, filled and refreshed in passes over
    # every page: each customer remembers the pass that last saw it (one a pass did not see
    # is gone from the server), and each connection where its current pass stands, so a
    # fill goes on after a restart from the page it had reached.
    # The copy is read back in the order the list shows it (see `records.copy_position`), so
    # the first rows on screen are the first read and none has to be moved into place.
    (
        "ALTER TABLE customers ADD COLUMN seen_in INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE customers ADD COLUMN position REAL NOT NULL DEFAULT 0",
        """UPDATE customers SET position =
            (CASE WHEN json_extract(data, '$.status') = 'active' THEN 0 ELSE 1e12 END)
            - coalesce((julianday(json_extract(data, '$.createdAt')) - 2440587.5) * 86400, 0)""",
        "CREATE INDEX customers_in_order ON customers (connection, position, customer_id)",
        """CREATE TABLE tenant_copy (
            connection TEXT PRIMARY KEY,
            pass INTEGER NOT NULL,
            position TEXT NOT NULL,
            fetched INTEGER NOT NULL DEFAULT 0,
            complete INTEGER NOT NULL DEFAULT 0,
            completed_at REAL,
            last_total INTEGER
        )""",
    ),
)
CURRENT_VERSION = len(MIGRATIONS)


def newer_schema_message(version: int) -> str:
    return (f"The drafts file was made by a newer flexdesk (schema version {version}; this "
            f"one knows up to {CURRENT_VERSION}). Update flexdesk to open it.")


def schema_version(db: sqlite3.Connection) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(db: sqlite3.Connection, target: int = CURRENT_VERSION) -> int:
    """Run the migrations from the database's version up to `target`; return where it was.

    Each version is one transaction, its `user_version` set inside it, so a crash leaves the
    database at the last complete version. `db` must be in autocommit mode
    (`isolation_level=None`): the transactions are spelled out here.
    """
    if not 0 <= target <= CURRENT_VERSION:
        raise ValueError(f"no schema version {target}; the newest is {CURRENT_VERSION}")
    start = schema_version(db)
    if start > CURRENT_VERSION:
        raise NewerSchema(newer_schema_message(start))
    for version in range(start + 1, target + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while this one waited for the lock.
            if schema_version(db) >= version:
                db.execute("ROLLBACK")
                continue
            for statement in MIGRATIONS[version - 1]:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {version:d}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return start
