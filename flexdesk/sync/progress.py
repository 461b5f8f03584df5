"""`SendProgress`: how far a run of the outbox has got, and how long the rest may take.

Counted on the UI's thread from the results as they come; the estimate is the time per save
so far times what is left, given once a few saves have gone (the first ones pay for the
connection and say little about the rest).
"""

from __future__ import annotations

from dataclasses import dataclass

from .sender import Outcome, SyncResult

__all__ = ["ESTIMATE_AFTER", "SendProgress"]

ESTIMATE_AFTER = 3  # saves done before the time left is estimated


@dataclass
class SendProgress:
    started: float  # a monotonic clock's reading when the run began
    left: int = 0  # still in line (waiting ones included), as the store says
    sent: int = 0
    conflicts: int = 0
    failed: int = 0
    waiting: int = 0  # could not go now (offline, server trouble): still queued

    def count(self, result: SyncResult) -> None:
        if result.outcome.delivered:
            self.sent += 1
        elif result.outcome is Outcome.CONFLICT:
            self.conflicts += 1
        elif result.outcome is Outcome.FAILED:
            self.failed += 1
        else:
            self.waiting += 1

    @property
    def done(self) -> int:
        return self.sent + self.conflicts + self.failed + self.waiting

    def seconds_left(self, now: float) -> float | None:
        """The rest at the pace so far; None until `ESTIMATE_AFTER` saves are done."""
        if self.done < ESTIMATE_AFTER:
            return None
        to_go = max(0, self.left - self.waiting)  # those waiting are not sent in this run
        return (now - self.started) / self.done * to_go
