"""The local store: drafts, the outbox and the customer cache, in one SQLite file.

Qt-free and stdlib-only (sqlite3); of flexdesk it uses only `flexdesk.api.models`, so the UI
and the sync step can both build on it and tests need no window or server.
"""

from .database import Store
from .migrations import CURRENT_VERSION, NewerSchema
from .records import CachedCustomer, ConnectionKey, Draft, DraftState

__all__ = [
    "CURRENT_VERSION",
    "CachedCustomer",
    "ConnectionKey",
    "Draft",
    "DraftState",
    "NewerSchema",
    "Store",
]
