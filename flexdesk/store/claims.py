"""Who is sending a draft: claims, their owners, and when a claim no longer counts.

Two flexdesk processes on one data folder (or two `Store` objects in one process) must never
send the same queued save twice. So the outbox claims a draft before it sends it: in the one
transaction that picks it, the row gets the owner's token and the time (`claimed_by`,
`claimed_at`). A claim holds until its owner writes the outcome; one left by an owner that
is gone is taken over:

- the owner was a process on this machine that has ended (its pid no longer runs, POSIX);
- the owner was a run in this process that is over (its token is no longer live here);
- the claim is older than `CLAIM_TTL` (an owner on another machine, or where a pid cannot be
  asked), or claims a time ahead of the clock by as much (the clock was put back).

The TTL is far longer than one send can take (two requests, each within the client's 30 s
retry deadline and its rate limit), so a live owner's claim never expires under it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

__all__ = ["CLAIM_TTL", "claim_is_stale", "claimant", "register"]

CLAIM_TTL = 600.0  # seconds

_live: set[str] = set()
_live_lock = threading.Lock()


@contextmanager
def claimant() -> Iterator[str]:
    """A new owner token, live in this process until the block ends."""
    import uuid  # (with socket: ~8 ms of every start, which claims nothing before its paint)

    token = f"{_host()}/{os.getpid()}/{uuid.uuid4().hex}"
    with _live_lock:
        _live.add(token)
    try:
        yield token
    finally:
        with _live_lock:
            _live.discard(token)


@cache
def _host() -> str:
    import socket

    return socket.gethostname()


def claim_is_stale(owner: str | None, claimed_at: float | None, now: float) -> bool:
    """True when a claim no longer keeps others from taking the draft (see the module)."""
    if owner is None:
        return True
    if claimed_at is None or abs(now - claimed_at) > CLAIM_TTL:
        return True
    host, _, rest = owner.partition("/")
    pid, _, _ = rest.partition("/")
    if host != _host() or not pid.isdigit():
        return False  # only time tells
    if int(pid) == os.getpid():
        with _live_lock:
            return owner not in _live
    return not _running(int(pid))


def _running(pid: int) -> bool:
    if os.name != "posix":
        return True  # os.kill would end the process on Windows: wait for the TTL instead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process has the pid now; be safe
    return True


def register(db: sqlite3.Connection) -> None:
    """Make `claim_is_stale(claimed_by, claimed_at, now)` callable from the connection's SQL."""
    db.create_function("claim_is_stale", 3, claim_is_stale)
