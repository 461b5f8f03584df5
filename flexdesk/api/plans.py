"""The tenant's FlexPortal plan, and the rate limit the client keeps for it (API.md: Starter
allows 100 requests a minute, higher tiers are unlimited, over the limit the answer is 429)."""

from __future__ import annotations

import time
from enum import StrEnum

from flexdesk.api.pacing import AdaptiveLimiter
from flexdesk.api.retry import Clock, Limiter, RateLimiter, Sleep

__all__ = ["STARTER_PER_MINUTE", "TenantPlan", "limiter_for"]

STARTER_PER_MINUTE = 100


class TenantPlan(StrEnum):
    UNKNOWN = "unknown"
    STARTER = "starter"
    GROWTH = "growth"
    ENTERPRISE = "enterprise"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def of(cls, value: object) -> TenantPlan:
        """The plan a setting names; anything else (unset, from a newer flexdesk) is unknown,
        which is safe for every tenant."""
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            return cls.UNKNOWN


_LABELS = {
    TenantPlan.UNKNOWN: "Not sure (slow down when the server asks)",
    TenantPlan.STARTER: "Starter (100 requests a minute)",
    TenantPlan.GROWTH: "Growth (no limit)",
    TenantPlan.ENTERPRISE: "Enterprise (no limit)",
}


def limiter_for(plan: TenantPlan, *, clock: Clock = time.monotonic,
                sleep: Sleep = time.sleep, window: float = 60.0) -> Limiter | None:
    """The client's rate limit for `plan`: Starter's fixed cap, none above it, and for an
    unknown plan one that learns from the server's 429s. `window` is for tests (the limit
    per `window` seconds instead of per minute)."""
    if plan is TenantPlan.STARTER:
        return RateLimiter(STARTER_PER_MINUTE, clock=clock, sleep=sleep, window=window)
    if plan is TenantPlan.UNKNOWN:
        return AdaptiveLimiter(clock=clock, sleep=sleep, window=window)
    return None
