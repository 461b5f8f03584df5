"""Retry timing and the rate limiter, on a fake clock."""

from __future__ import annotations

import random

from flexdesk.api.retry import RateLimiter, RetryPolicy


def test_backoff_doubles_its_ceiling_and_stops_at_the_maximum() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=5, rng=random.Random(3))
    for retry, ceiling in [(1, 1), (2, 2), (3, 4), (4, 5), (9, 5)]:
        delays = [policy.backoff(retry) for _ in range(200)]
        assert min(delays) >= 0 and max(delays) <= ceiling
        assert max(delays) > ceiling * 0.8, "jitter should use the whole window"


def test_retry_after_wins_over_backoff_as_given() -> None:
    policy = RetryPolicy()
    assert policy.delay_for(1, 4) == 4
    assert policy.delay_for(1, 60) == 60
    assert policy.delay_for(1, -3) == 0


def test_the_limiter_lets_a_window_of_requests_through_then_waits() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(3, clock=lambda: now[0], sleep=sleep)
    assert [limiter.acquire() for _ in range(3)] == [0, 0, 0]
    now[0] += 20
    assert limiter.acquire() == 40  # the first start leaves the window at t = 160
    assert waits == [40]


def test_background_work_leaves_a_fifth_of_the_window_to_the_user() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(100, clock=lambda: now[0], sleep=sleep)
    assert limiter.background_share == 80
    assert [limiter.acquire(background=True) for _ in range(80)] == [0] * 80  # a burst
    # A save the user asks for now starts at once: a fifth of the window was kept free...
    assert [limiter.acquire() for _ in range(20)] == [0] * 20
    assert waits == []
    # ...and the next background page waits until the burst has left the window.
    assert limiter.acquire(background=True) == 60
