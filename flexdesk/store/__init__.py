"""The local store: drafts, the outbox and the customer cache, in one SQLite file.

Qt-free and stdlib-only (sqlite3); of flexdesk it uses only `flexdesk.api.models`, so the UI
and the sync step can both build on it and tests need no window or server. The app opens it
with `open_store`, which copes with a damaged or read-only file; every `Store` method raises
only `StoreError` and its kinds.
"""

from .cache import CopyState, Place, place_of
from .database import Store
from .errors import (
    NewerSchema,
    StoreBusy,
    StoreClosed,
    StoreDamaged,
    StoreError,
    StoreFull,
    StoreNotAFile,
    StoreReadOnly,
)
from .migrations import CURRENT_VERSION
from .opening import OpenedStore, open_store
from .records import CachedCustomer, ConnectionKey, Draft, DraftState

__all__ = [
    "CURRENT_VERSION",
    "CachedCustomer",
    "ConnectionKey",
    "CopyState",
    "Draft",
    "DraftState",
    "NewerSchema",
    "OpenedStore",
    "Place",
    "Store",
    "StoreBusy",
    "StoreClosed",
    "StoreDamaged",
    "StoreError",
    "StoreFull",
    "StoreNotAFile",
    "StoreReadOnly",
    "open_store",
    "place_of",
]
