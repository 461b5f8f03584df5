"""The client's rate limits per plan, on a fake clock: Starter's fixed cap, none above it, and
the adaptive one for an unknown plan, which is free until refused and slower after."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from flexdesk.api.pacing import AdaptiveLimiter
from flexdesk.api.plans import TenantPlan, limiter_for
from flexdesk.api.retry import RateLimiter


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def test_an_unknown_plan_is_not_paced_until_the_server_refuses() -> None:
    time = FakeTime()
    limiter = AdaptiveLimiter(clock=time.clock, sleep=time.sleep)
    assert [limiter.acquire() for _ in range(500)] == [0] * 500
    assert limiter.cap is None and time.waits == []


def test_after_a_429_every_request_waits_out_retry_after_then_goes_below_the_refused_rate(
) -> None:
    time = FakeTime()
    limiter = AdaptiveLimiter(clock=time.clock, sleep=time.sleep)
    for _ in range(101):  # Starter's 100 in a burst, and the one refused
        limiter.acquire()
        time.now += 0.01
    limiter.refused(retry_after=59)
    assert limiter.cap == 80  # a fifth below the 101 that were refused
    refused_at = time.now
    assert limiter.acquire() == pytest.approx(59)  # the next one waits out Retry-After
    starts = [time.now]
    for _ in range(80):
        limiter.acquire()
        starts.append(time.now)
    gaps = {round(b - a, 6) for a, b in pairwise(starts)}
    assert gaps == {0.75}  # evenly: 80 a minute
    assert starts[0] == pytest.approx(refused_at + 59)


def test_refused_again_it_slows_again_and_background_work_leaves_room() -> None:
    time = FakeTime()
    limiter = AdaptiveLimiter(window=1.0, clock=time.clock, sleep=time.sleep)
    for _ in range(10):
        limiter.acquire()
    limiter.refused(retry_after=None)  # no Retry-After: one spacing at the new pace
    assert limiter.cap == 8
    assert limiter.acquire() == pytest.approx(1 / 8)
    for _ in range(6):
        limiter.acquire()
    limiter.refused(retry_after=0.5)
    assert limiter.cap == 6  # a fifth below the pace that was refused
    limiter.refused(retry_after=0.6)  # another sender's request, sent before the pause
    assert limiter.cap == 6
    assert limiter.acquire() == pytest.approx(0.6)
    cap = 6
    limiter.acquire()
    before = time.now
    limiter.acquire(background=True)
    assert time.now - before == pytest.approx(1 / cap)  # the previous start was the user's
    before = time.now
    limiter.acquire()
    assert time.now - before == pytest.approx(1 / (cap - max(1, cap // 5)))


def test_the_starter_limiter_holds_every_request_after_a_429() -> None:
    time = FakeTime()
    limiter = RateLimiter(100, clock=time.clock, sleep=time.sleep)
    limiter.acquire()
    limiter.refused(retry_after=12)  # another program on the same key used the minute up
    assert limiter.acquire() == 12
    limiter.refused(retry_after=None)  # nothing to go by: the window does the pacing
    assert limiter.acquire() == 0


@pytest.mark.parametrize(("plan", "kind"), [
    (TenantPlan.STARTER, RateLimiter), (TenantPlan.UNKNOWN, AdaptiveLimiter),
    (TenantPlan.GROWTH, type(None)), (TenantPlan.ENTERPRISE, type(None))])
def test_each_plan_has_its_limiter(plan: TenantPlan, kind: type) -> None:
    limiter = limiter_for(plan)
    assert isinstance(limiter, kind)
    if isinstance(limiter, RateLimiter):
        assert (limiter.per_minute, limiter.window) == (100, 60.0)


@pytest.mark.parametrize(("setting", "plan"), [
    ("starter", TenantPlan.STARTER), ("Growth", TenantPlan.GROWTH),
    ("enterprise", TenantPlan.ENTERPRISE), (None, TenantPlan.UNKNOWN),
    ("platinum", TenantPlan.UNKNOWN), (3, TenantPlan.UNKNOWN)])
def test_a_plan_setting_reads_as_unknown_unless_it_names_one(setting: object,
                                                             plan: TenantPlan) -> None:
    assert TenantPlan.of(setting) is plan


@pytest.mark.parametrize(("make", "then"), [
    (lambda t: RateLimiter(100, clock=t.clock, sleep=t.sleep), 1.0),  # the hold's last second
    (lambda t: AdaptiveLimiter(clock=t.clock, sleep=t.sleep), 1.5)])  # 60 s / a cap of 40
def test_the_request_that_was_refused_does_not_wait_its_retry_after_twice(
        make: Any, then: float) -> None:
    fake = FakeTime()
    limiter = make(fake)
    for _ in range(50):
        limiter.acquire()
    limiter.refused(retry_after=5)
    fake.sleep(5)  # the client slept the Retry-After of its 429 itself ...
    fake.now -= 1  # ... and its clock reads a little less than the server meant
    assert limiter.acquire(refused_waited=True) == 0
    assert limiter.acquire() == pytest.approx(then)  # the others still wait, and keep pace
