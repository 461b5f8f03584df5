"""A hostile or broken server cannot make the client read without end.

An error's message is in its first bytes, so only those are read; a success is read whole,
up to a limit far above any real page. The sandbox counts what it managed to send before the
client hung up: less than the whole body proves the rest was never read.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.errors import Conflict, ServerError
from flexdesk.api.responses import ANSWER_LIMIT, ERROR_BODY_LIMIT
from flexdesk.api.retry import NO_RETRY
from flexdesk.sandbox import Fault, LongBody, SandboxServer
from tests.conftest import TENANT, TOKEN

HUGE = 64 << 20  # beyond what loopback socket buffers can hold: a reader that stops shows


def test_a_huge_error_page_becomes_a_short_message_from_its_first_bytes(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    body = LongBody(HUGE, fill=b"<html>Upstream failed. ")
    sandbox.faults.script(Fault(500, body=body))
    with pytest.raises(ServerError) as caught:
        client.list_customers()
    assert "Upstream failed" in caught.value.message
    assert len(caught.value.message) < 300
    assert body.finished.wait(5)
    assert body.written < HUGE // 2, "the client read far more of the error than it needed"
    assert client.list_customers(limit=1).count == 1  # a fresh connection works


def test_an_answer_declared_too_large_is_refused_before_it_is_read(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    body = LongBody(ANSWER_LIMIT + 1)
    sandbox.faults.script(Fault(200, body=body))
    with pytest.raises(ServerError, match="too large") as caught:
        client.list_customers()
    assert caught.value.message == ("the server's answer is too large to read "
                                    "(over 32 MiB)")
    assert body.finished.wait(5)
    assert body.written < ANSWER_LIMIT // 2
    assert len([r for r in sandbox.requests if r.method == "GET"]) == 1


def test_an_endless_answer_without_a_length_is_cut_at_the_limit() -> None:
    # A chunked answer with no Content-Length: a shape the sandbox does not send.
    produced = [0]

    def endless() -> Iterator[bytes]:
        chunk = b"[" * 65536
        while True:
            produced[0] += len(chunk)
            yield chunk

    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=endless()))
    with FlexPortalClient("https://api-eu.flexportal.io", TENANT, TOKEN, transport=transport,
                          retry=NO_RETRY) as api, pytest.raises(ServerError, match="too large"):
        api.list_customers()
    assert ANSWER_LIMIT < produced[0] <= ANSWER_LIMIT + 65536


def test_an_error_of_the_api_shape_still_reads_whole(
    client: FlexPortalClient, sandbox: SandboxServer
) -> None:
    message = "m" * (ERROR_BODY_LIMIT // 2)
    sandbox.faults.script(Fault(409, body=(
        '{"error": {"code": "CUSTOMER_HAS_PENDING_ORDERS", "message": "' + message + '"}}'
    ).encode()))
    with pytest.raises(Conflict) as caught:
        client.get_customer("cust_1")
    assert (caught.value.code, caught.value.message) == ("CUSTOMER_HAS_PENDING_ORDERS", message)
