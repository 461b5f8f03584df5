"""How the client behaves when things go wrong: typed errors, bounded retries, no leaks."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.errors import (
    AnswerLost,
    Forbidden,
    InsecureUrl,
    RateLimited,
    ServerError,
    Unauthorized,
    Unreachable,
)
from flexdesk.api.retry import RetryPolicy
from flexdesk.sandbox import Faults, SandboxServer
from tests.conftest import TENANT, TOKEN, RecordingSleep


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _api_calls(sandbox: SandboxServer, method: str = "GET") -> int:
    return sum(1 for r in sandbox.requests if r.method == method)


def test_wrong_key_and_unknown_tenant_are_told_apart(sandbox: SandboxServer) -> None:
    with FlexPortalClient(sandbox.base_url, TENANT, "wrong-key") as api, \
            pytest.raises(Unauthorized):
        api.list_customers()
    with FlexPortalClient(sandbox.base_url, "someone-else", TOKEN) as api, \
            pytest.raises(Forbidden):
        api.list_customers()
    assert _api_calls(sandbox) == 2, "4xx answers are never retried"


def test_nothing_listening_is_unreachable_after_bounded_retries(sleeps: RecordingSleep) -> None:
    policy = RetryPolicy(attempts=3)
    with FlexPortalClient(f"http://127.0.0.1:{_free_port()}", TENANT, TOKEN, retry=policy,
                          sleep=sleeps) as api, pytest.raises(Unreachable) as caught:
        api.list_customers()
    assert len(sleeps.delays) == 2
    assert caught.value.message.endswith("is unreachable: cannot connect")


def test_a_slow_server_times_out_as_unreachable(sandbox: SandboxServer) -> None:
    sandbox.faults.latency = 1.0
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN, timeout=0.1,
                          retry=RetryPolicy(attempts=1)) as api, \
            pytest.raises(Unreachable, match="did not answer in time"):
        api.list_customers()


def test_gateway_errors_are_retried_until_the_server_recovers(
    client: FlexPortalClient, sandbox: SandboxServer, sleeps: RecordingSleep
) -> None:
    sandbox.faults.script(503, 502, 504)
    page = client.list_customers(limit=3)
    assert page.count == 3
    assert _api_calls(sandbox) == 4
    assert len(sleeps.delays) == 3
    # Full jitter under a doubling ceiling: 0.5, 1, 2 seconds.
    assert all(0 <= d <= cap for d, cap in zip(sleeps.delays, (0.5, 1.0, 2.0), strict=True))


def test_retries_stop_at_the_attempt_limit(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    sandbox.faults.script(*[503] * 10)
    with pytest.raises(ServerError) as caught:
        client.list_customers()
    assert caught.value.status == 503
    assert _api_calls(sandbox) == client.retry.attempts


def test_an_internal_error_is_not_retried(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    sandbox.faults.script(500)
    with pytest.raises(ServerError) as caught:
        client.list_customers()
    assert caught.value.code == "INTERNAL_ERROR"
    assert _api_calls(sandbox) == 1


def test_rate_limit_waits_as_long_as_retry_after_says(
    client: FlexPortalClient, sandbox: SandboxServer, sleeps: RecordingSleep
) -> None:
    sandbox.faults.retry_after = 3
    sandbox.faults.script(429)
    client.list_customers(limit=1)
    assert sleeps.delays == [3.0]
    assert _api_calls(sandbox) == 2


def test_a_retry_after_beyond_the_deadline_gives_up_at_once(
    sandbox: SandboxServer, sleeps: RecordingSleep
) -> None:
    sandbox.faults.retry_after = 600
    sandbox.faults.script(429)
    policy = RetryPolicy(deadline=30)
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN, retry=policy, sleep=sleeps) as api, \
            pytest.raises(RateLimited) as caught:
        api.list_customers()
    assert caught.value.retry_after == 600
    assert sleeps.delays == []


def test_a_put_is_repeated_identically_after_a_gateway_error(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    customer = client.list_customers(limit=1).customers[0]
    sandbox.faults.script(503)
    client.update_customer(customer.customer_id, {"company": "Retry B.V."})
    puts = [r for r in sandbox.requests if r.method == "PUT"]
    assert len(puts) == 2 and puts[0].body == puts[1].body


def test_a_dropped_connection_retries_a_get_but_never_a_delete(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    sandbox.faults.script(Faults.DROP)
    assert client.list_customers(limit=2).count == 2

    idle = next(c for c in client.iter_customers() if not c.rental_ids)
    sandbox.clear_requests()
    sandbox.faults.script(Faults.DROP)
    with pytest.raises(AnswerLost):
        client.delete_customer(idle.customer_id)
    assert _api_calls(sandbox, "DELETE") == 1


@pytest.mark.parametrize("fault", [Faults.ANSWER_LOST, Faults.DROP, 502, 504])
def test_a_put_that_may_have_landed_is_never_repeated_blindly(
    client: FlexPortalClient, sandbox: SandboxServer, sleeps: RecordingSleep, fault: int
) -> None:
    customer = client.list_customers(limit=1).customers[0]
    sandbox.faults.script(fault)
    with pytest.raises(AnswerLost) as caught:
        client.update_customer(customer.customer_id, {"company": "Once B.V."})
    assert _api_calls(sandbox, "PUT") == 1
    assert sleeps.delays == []
    assert caught.value.status == (fault if fault > 0 else None)


def test_a_put_that_never_left_is_retried(sleeps: RecordingSleep) -> None:
    policy = RetryPolicy(attempts=3)
    with FlexPortalClient(f"http://127.0.0.1:{_free_port()}", TENANT, TOKEN, retry=policy,
                          sleep=sleeps) as api, pytest.raises(Unreachable) as caught:
        api.update_customer("cust_1", {"company": "Never B.V."})
    assert not isinstance(caught.value, AnswerLost)
    assert len(sleeps.delays) == 2


def test_client_side_rate_limit_spaces_requests(sandbox: SandboxServer) -> None:
    now = [0.0]
    waits: list[float] = []

    def fake_sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN, requests_per_minute=2,
                          clock=lambda: now[0], sleep=fake_sleep) as api:
        for _ in range(3):
            api.list_customers(limit=1)
    assert waits == [60.0]
    assert _api_calls(sandbox) == 3


@pytest.mark.parametrize(
    ("status", "body", "kind", "words"),
    [
        (502, b"<html><body>Bad gateway</body></html>", ServerError, "Bad gateway"),
        (200, b"{not json", ServerError, r"could not be read \(cut off, or not JSON\)"),
        (200, b'{"customers": "nope"}', ServerError, "does not match the API"),
        (418, b"", Exception, "HTTP 418"),
    ],
)
def test_answers_outside_the_contract_still_give_a_clear_error(
    status: int, body: bytes, kind: type[Exception], words: str
) -> None:
    # Shapes the sandbox never produces, so a fake transport is the honest tool here.
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    with FlexPortalClient("https://api-eu.flexportal.io", TENANT, TOKEN, transport=transport,
                          retry=RetryPolicy(attempts=1)) as api, \
            pytest.raises(kind, match=words):
        api.list_customers()


@pytest.mark.parametrize(
    "url", ["http://api-eu.flexportal.io", "http://10.0.0.5:8765", "ftp://example.com", "nohost"]
)
def test_plain_http_is_refused_off_this_machine(url: str) -> None:
    with pytest.raises(InsecureUrl):
        FlexPortalClient(url, TENANT, TOKEN)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765/", "http://localhost:1", "http://[::1]:9"])
def test_plain_http_is_allowed_on_loopback(url: str) -> None:
    with FlexPortalClient(url, TENANT, TOKEN) as api:
        assert api.base_url == url.rstrip("/")


def test_the_key_never_shows_in_logs_reprs_or_errors(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture, sleeps: RecordingSleep
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN, sleep=sleeps) as api:
        seen.append(repr(api))
        sandbox.faults.script(503, 404)
        for call in (api.list_customers, lambda: api.get_customer("nobody")):
            try:
                call()
            except Exception as exc:  # noqa: BLE001 - every kind is inspected the same way
                seen.extend([str(exc), repr(exc), repr(exc.__cause__)])
    seen.append(caplog.text)
    assert caplog.text, "the client should log its requests at debug level"
    assert not [text for text in seen if TOKEN in text]
