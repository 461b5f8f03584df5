"""The outbox against the sandbox's Starter plan, with real 429s and `Retry-After`: every save
ends sent, none failed, whether the profile names the plan or leaves it unknown (adaptive).

A minute is scaled down to half a second (10 requests per 0.5 s on the sandbox; the client's
limiter counts in the same window), so the limit bites within a test.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.pacing import AdaptiveLimiter
from flexdesk.api.retry import Limiter, RateLimiter
from flexdesk.sandbox import RateLimit, SandboxServer
from flexdesk.store import Draft
from flexdesk.sync import Outcome, send_outbox
from tests.conftest import TENANT, TOKEN
from tests.integration.conftest import Desk

WINDOW = 0.5
LIMIT = RateLimit(10, WINDOW)
SAVES = 20


@pytest.fixture
def starter(sandbox: SandboxServer) -> Iterator[SandboxServer]:
    sandbox.rate_limit = LIMIT
    yield sandbox
    sandbox.rate_limit = None


def queue_saves(desk: Desk) -> None:
    customers = desk.client.list_customers(limit=SAVES).customers
    for number, customer in enumerate(customers):
        desk.store.save_draft(Draft.of(desk.here, customer, {"company": f"Paced {number}"}))
        desk.store.queue(desk.here, customer.customer_id)


def send_with(desk: Desk, limiter: Limiter) -> list[Outcome]:
    # Real sleeps (the desk's client records them instead): Retry-After is waited here.
    with FlexPortalClient(desk.sandbox.base_url, TENANT, TOKEN, limiter=limiter) as client:
        desk.sandbox.rate_limit = LIMIT  # a fresh window, whatever the set-up used
        desk.sandbox.clear_requests()
        return [r.outcome for r in send_outbox(desk.store, client, desk.here)]


@pytest.mark.slow
@pytest.mark.usefixtures("starter")
def test_an_unknown_plan_is_refused_honours_retry_after_and_sends_every_save(
        desk: Desk) -> None:
    queue_saves(desk)
    limiter = AdaptiveLimiter(window=WINDOW)
    outcomes = send_with(desk, limiter)
    assert outcomes == [Outcome.SENT] * SAVES
    assert desk.store.draft_count(desk.here) == 0
    refused = [r for r in desk.sandbox.requests if r.status == 429]
    assert refused, "the burst before the first 429 is what the pace is learnt from"
    # Slower after the first refusal: unpaced before it, evenly spaced at the pace it learnt
    # after (averaged over many starts: jitter cannot add up). The pace is a fifth below what
    # the client counted when refused; sends in flight then count too, so a loaded machine
    # may learn about the sandbox's own limit first and go lower on a second refusal.
    assert limiter.cap is not None
    after = [r.started for r in desk.sandbox.requests if r.started > refused[0].finished]
    assert len(after) > SAVES
    spacing = (after[-1] - after[0]) / (len(after) - 1)
    assert spacing >= 0.9 * WINDOW / limiter.cap
    # A few refusals while it found the pace; then none.
    assert len(refused) <= math.ceil(len(desk.sandbox.requests) / 4)


@pytest.mark.slow
@pytest.mark.usefixtures("starter")
def test_the_starter_plan_is_paced_by_the_client_and_every_save_is_sent(desk: Desk) -> None:
    queue_saves(desk)
    outcomes = send_with(desk, RateLimiter(LIMIT.requests, window=WINDOW))
    assert outcomes == [Outcome.SENT] * SAVES
    assert desk.store.draft_count(desk.here) == 0
    # Paced to the same limit at the client, the server says no only where a window's edge
    # falls between a request's start here and its arrival there: seldom, and each is waited.
    refused = sum(r.status == 429 for r in desk.sandbox.requests)
    assert refused <= len(desk.sandbox.requests) // 5
