"""The three-way check that stands in for the optimistic locking the API lacks (API.md trap 9).

Before a save is sent, each field it would send is compared on three sides: the *base* (the
value the edit started from), *mine* (what the save would send) and the server's value *now*:

- now == mine: already there; nothing to send for it (someone, maybe an earlier run of this
  very save, put it there);
- now == base: nobody else touched it; send mine;
- otherwise a colleague changed it to something else: a conflict, and it is not sent.

Values compare as the editor compares them (`flexdesk.editing.normalise`): whitespace alone is
no change. The caller names the paths a save would send (`EditSession.sent_paths`: dirty contact
fields and every field of an address that goes whole), so a colleague's change to a field of an
address this save rewrites is a conflict too. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from flexdesk.editing import normalise

__all__ = ["Decision", "Plan", "decide", "plan"]


class Decision(StrEnum):
    SEND = "send"
    ALREADY_THERE = "already there"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class Plan:
    """The decision for each path a save would send, in the order the paths were given."""

    decisions: tuple[tuple[str, Decision], ...]

    def paths(self, decision: Decision) -> tuple[str, ...]:
        return tuple(path for path, each in self.decisions if each is decision)

    @property
    def to_send(self) -> tuple[str, ...]:
        return self.paths(Decision.SEND)

    @property
    def already_there(self) -> tuple[str, ...]:
        return self.paths(Decision.ALREADY_THERE)

    @property
    def conflicts(self) -> tuple[str, ...]:
        return self.paths(Decision.CONFLICT)


def decide(base: str, mine: str, now: str) -> Decision:
    """One field's fate."""
    now = normalise(now)
    if now == normalise(mine):
        return Decision.ALREADY_THERE
    if now == normalise(base):
        return Decision.SEND
    return Decision.CONFLICT


def plan(
    base: Mapping[str, str],
    mine: Mapping[str, str],
    now: Mapping[str, str],
    paths: Iterable[str],
) -> Plan:
    """Decide every path in `paths`; the mappings are path -> value, as from
    `flexdesk.editing.values_from_customer` (a path missing from one reads as "")."""
    return Plan(tuple(
        (path, decide(base.get(path, ""), mine.get(path, ""), now.get(path, "")))
        for path in paths
    ))
