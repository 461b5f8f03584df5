"""Sending drafts: the three-way conflict check, one draft's sync, and the outbox.

Qt-free and blocking: the UI runs it on a worker thread. Uses `flexdesk.api` to talk to the
server, `flexdesk.editing` to decide what a save sends, and `flexdesk.store` for the drafts.
"""

from .outbox import (
    FIRST_SENDERS,
    SENDERS,
    SLOW_SAVE,
    UNEXPECTED_ERROR,
    Backoff,
    ProgressCallback,
    send_outbox,
)
from .progress import SendProgress
from .sender import (
    CustomerApi,
    Outcome,
    SyncResult,
    WrongConnection,
    check_connection,
    connection_of,
    sync_draft,
)
from .three_way import Decision, Plan, decide, plan

__all__ = [
    "FIRST_SENDERS",
    "SENDERS",
    "SLOW_SAVE",
    "UNEXPECTED_ERROR",
    "Backoff",
    "CustomerApi",
    "Decision",
    "Outcome",
    "Plan",
    "ProgressCallback",
    "SendProgress",
    "SyncResult",
    "WrongConnection",
    "check_connection",
    "connection_of",
    "decide",
    "plan",
    "send_outbox",
    "sync_draft",
]
