"""`Retry-After` is waited as given, inside one call's deadline, or handed to the caller.

The sandbox scripts the answers; the client's sleep is recorded, and where the deadline
matters, a fake clock moves forward by each recorded sleep.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.errors import RateLimited, ServerError
from flexdesk.api.retry import RetryPolicy
from flexdesk.sandbox import Fault, SandboxServer
from flexdesk.store import ConnectionKey, Draft
from flexdesk.sync import Outcome, sync_draft
from tests.conftest import TENANT, TOKEN, RecordingSleep


class SleepingClock(RecordingSleep):
    """A clock that moves only when the client sleeps: the deadline is tested, not waited."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 1000.0

    def __call__(self, seconds: float) -> None:
        super().__call__(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def timed(sandbox: SandboxServer) -> Iterator[tuple[FlexPortalClient, SleepingClock]]:
    time = SleepingClock()
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN, retry=RetryPolicy(deadline=30),
                          clock=time.clock, sleep=time) as api:
        yield api, time


def calls(sandbox: SandboxServer) -> int:
    return len(sandbox.requests)


@pytest.mark.parametrize("status", [429, 503])
def test_a_retry_after_that_fits_is_waited_as_given(
    client: FlexPortalClient, sandbox: SandboxServer, sleeps: RecordingSleep, status: int
) -> None:
    sandbox.faults.script(Fault(status, retry_after=25))
    assert client.list_customers(limit=1).count == 1
    assert sleeps.delays == [25.0]  # neither cut to a cap nor replaced by backoff
    assert calls(sandbox) == 2


@pytest.mark.parametrize(("status", "kind"), [(429, RateLimited), (503, ServerError)])
def test_a_retry_after_beyond_the_deadline_is_handed_back_at_once(
    timed: tuple[FlexPortalClient, SleepingClock], sandbox: SandboxServer, status: int,
    kind: type[Exception],
) -> None:
    api, time = timed
    sandbox.faults.script(Fault(status, retry_after=120))
    with pytest.raises(kind) as caught:
        api.list_customers()
    assert getattr(caught.value, "retry_after", None) == 120
    assert time.delays == []
    assert calls(sandbox) == 1


def test_a_second_wait_that_no_longer_fits_the_deadline_is_not_waited(
    timed: tuple[FlexPortalClient, SleepingClock], sandbox: SandboxServer
) -> None:
    api, time = timed
    sandbox.faults.script(Fault(503, retry_after=20), Fault(503, retry_after=20))
    with pytest.raises(ServerError) as caught:
        api.list_customers()
    assert time.delays == [20.0]  # 20 of the 30 seconds are gone; another 20 do not fit
    assert (caught.value.status, caught.value.retry_after) == (503, 20)
    assert calls(sandbox) == 2


def test_a_malformed_success_is_read_once(
    client: FlexPortalClient, sandbox: SandboxServer, sleeps: RecordingSleep
) -> None:
    sandbox.faults.script(Fault(200, body=b'{"customers": [{"customerId": "c'))
    with pytest.raises(ServerError):
        client.list_customers()
    assert calls(sandbox) == 1
    assert sleeps.delays == []


def test_sync_hands_the_servers_wait_to_the_outbox(
    timed: tuple[FlexPortalClient, SleepingClock], sandbox: SandboxServer
) -> None:
    api, time = timed
    customer = api.list_customers(limit=1).customers[0]
    sandbox.clear_requests()
    sandbox.faults.script(Fault(503, retry_after=300))
    result = sync_draft(api, Draft.of(ConnectionKey(api.base_url, TENANT), customer,
                                      {"firstName": "Later"}))
    assert (result.outcome, result.retry_after) == (Outcome.RETRY_LATER, 300)
    assert time.delays == []
    assert [r.method for r in sandbox.requests] == ["GET"]
