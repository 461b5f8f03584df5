"""Injected faults: scripted statuses, 429 with Retry-After, dropped connections, random 500s,
latency. Nothing here sleeps or measures time: latency is proven by a client timeout firing."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from flexdesk.sandbox import Fault, Faults, LongBody, SandboxServer


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, customers=20, seed=2) as sandbox:
        yield sandbox


@pytest.fixture
def http(server: SandboxServer) -> Iterator[httpx.Client]:
    server.faults.reset()
    server.clear_requests()
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=5) as client:
        yield client
    server.faults.reset()


def statuses(server: SandboxServer) -> list[int]:
    return [request.status for request in server.requests]


def test_scripted_statuses_come_first_then_normal_answers(
    server: SandboxServer, http: httpx.Client
) -> None:
    server.faults.script(503, 503)
    first, second, third = (http.get("/v1/customers", params={"limit": 2}) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.json() == {"error": {"code": "SERVICE_UNAVAILABLE",
                                      "message": "Service Unavailable (injected by the sandbox)"}}
    assert statuses(server) == [503, 503, 200]
    assert server.faults.scripted == ()


@pytest.mark.parametrize(
    ("status", "code"),
    [(400, "VALIDATION_ERROR"), (401, "UNAUTHORIZED"), (403, "FORBIDDEN"), (404, "NOT_FOUND"),
     (409, "CUSTOMER_HAS_ACTIVE_SUBSCRIPTIONS"), (422, "VALIDATION_ERROR"),
     (500, "INTERNAL_ERROR"), (502, "BAD_GATEWAY"), (504, "GATEWAY_TIMEOUT"),
     (418, "ERROR"), (599, "INTERNAL_ERROR")],
)
def test_each_injected_status_carries_a_fitting_code(
    server: SandboxServer, http: httpx.Client, status: int, code: str
) -> None:
    server.faults.script(status)
    response = http.get("/v1/customers/whoever")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_a_scripted_success_lets_that_request_through(
    server: SandboxServer, http: httpx.Client
) -> None:
    server.faults.script(200, 503)
    assert [http.get("/v1/customers").status_code for _ in range(3)] == [200, 503, 200]


def test_429_carries_retry_after(server: SandboxServer, http: httpx.Client) -> None:
    server.faults.script(429)
    response = http.get("/v1/customers")
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    assert response.json()["error"]["code"] == "RATE_LIMITED"

    server.faults.retry_after = 30
    server.faults.script(429)
    assert http.get("/v1/customers").headers["Retry-After"] == "30"
    server.faults.retry_after = 0.5
    server.faults.script(429)
    assert http.get("/v1/customers").headers["Retry-After"] == "0.5"


def test_a_drop_closes_the_connection_without_an_answer(
    server: SandboxServer, http: httpx.Client
) -> None:
    server.faults.script(Faults.DROP)
    with pytest.raises(httpx.TransportError):
        http.get("/v1/customers")
    assert http.get("/v1/customers").status_code == 200  # the next one is normal
    assert statuses(server) == [Faults.DROP, 200]


def test_drop_next_drops_that_many(server: SandboxServer, http: httpx.Client) -> None:
    server.faults.drop_next(2)
    for _ in range(2):
        with pytest.raises(httpx.RemoteProtocolError):
            http.get("/v1/customers")
    assert http.get("/v1/customers").status_code == 200


def test_a_faulted_put_never_reaches_the_data(server: SandboxServer, http: httpx.Client) -> None:
    customer = http.get("/v1/customers", params={"limit": 1}).json()["customers"][0]
    server.faults.script(503, Faults.DROP)
    body = {"customerId": customer["customerId"], "lastName": "Changed"}
    assert http.put(f"/v1/customers/{customer['customerId']}", json=body).status_code == 503
    with pytest.raises(httpx.TransportError):
        http.put(f"/v1/customers/{customer['customerId']}", json=body)
    assert http.get(f"/v1/customers/{customer['customerId']}").json() == customer
    assert [r.body for r in server.requests if r.method == "PUT"] == [body, body]


def test_a_lost_answer_applies_the_put_runs_the_callback_then_drops(
    server: SandboxServer, http: httpx.Client
) -> None:
    customer = http.get("/v1/customers", params={"limit": 1}).json()["customers"][0]
    path = f"/v1/customers/{customer['customerId']}"
    seen_in_between: list[str] = []

    def meanwhile() -> None:  # on the server's thread, while our PUT waits for its answer
        seen_in_between.append(http_colleague.get(path).json()["lastName"])

    with httpx.Client(base_url=server.base_url, headers=server.auth_headers,
                      timeout=5) as http_colleague:
        server.faults.lose_answer(then=meanwhile)
        with pytest.raises(httpx.RemoteProtocolError):
            http.put(path, json={"customerId": customer["customerId"], "lastName": "Landed"})
    assert seen_in_between == ["Landed"]
    assert http.get(path).json()["lastName"] == "Landed"
    assert [(r.method, r.status) for r in server.requests][1:] == [
        ("PUT", Faults.ANSWER_LOST), ("GET", 200), ("GET", 200)]


def test_a_scripted_fault_may_carry_retry_after_and_a_raw_body(
    server: SandboxServer, http: httpx.Client
) -> None:
    server.faults.script(Fault(503, retry_after=120), Fault(200, body=b'{"customers": [tru'))
    unavailable = http.get("/v1/customers")
    assert (unavailable.status_code, unavailable.headers["Retry-After"]) == (503, "120")
    assert unavailable.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    cut_off = http.get("/v1/customers")
    assert (cut_off.status_code, cut_off.content) == (200, b'{"customers": [tru')
    assert "Retry-After" not in http.get("/v1/customers").headers


def test_a_long_body_counts_what_was_sent_until_the_client_hung_up(
    server: SandboxServer, http: httpx.Client
) -> None:
    body = LongBody(64 << 20)
    server.faults.script(Fault(500, body=body))
    with http.stream("GET", "/v1/customers") as response:
        assert response.headers["Content-Length"] == str(64 << 20)
        first = next(response.iter_bytes())
    assert first.startswith(b"xxx")
    assert body.finished.wait(5)
    assert 0 < body.written < body.size
    assert http.get("/v1/customers").status_code == 200


def test_a_failure_rate_of_one_fails_everything(server: SandboxServer, http: httpx.Client) -> None:
    server.faults.failure_rate = 1.0
    answers = [http.get("/v1/customers") for _ in range(4)]
    assert {a.status_code for a in answers} == {500}
    assert {a.json()["error"]["code"] for a in answers} == {"INTERNAL_ERROR"}


def test_random_failures_follow_the_seeded_rng(server: SandboxServer, http: httpx.Client) -> None:
    def run() -> list[int]:
        server.faults.reset()
        server.faults.failure_rate = 0.5
        return [http.get("/v1/customers", params={"limit": 1}).status_code for _ in range(16)]

    first = run()
    assert set(first) == {200, 500}
    assert run() == first  # reset() rewinds the RNG: the same sequence again


def test_the_script_wins_over_the_failure_rate(server: SandboxServer, http: httpx.Client) -> None:
    server.faults.failure_rate = 1.0
    server.faults.script(429)
    assert http.get("/v1/customers").status_code == 429
    assert http.get("/v1/customers").status_code == 500


def test_latency_makes_a_short_client_timeout_fire() -> None:
    # Its own server: stop() wakes the request still waiting out its latency.
    with SandboxServer(port=0, customers=5) as sandbox, \
            httpx.Client(base_url=sandbox.base_url, headers=sandbox.auth_headers,
                         timeout=0.2) as client:
        sandbox.faults.latency = 30
        with pytest.raises(httpx.ReadTimeout):
            client.get("/v1/customers")
        sandbox.faults.latency = 0
        assert client.get("/v1/customers").status_code == 200


def test_bad_settings_are_refused() -> None:
    faults = Faults()
    for setting, value in (("latency", -1), ("failure_rate", 1.5), ("failure_rate", -0.1),
                           ("retry_after", -2)):
        with pytest.raises(ValueError, match=setting):
            setattr(faults, setting, value)
    with pytest.raises(ValueError, match="not an HTTP status"):
        faults.script(503, 42)
    with pytest.raises(ValueError, match="retry_after"):
        Fault(503, retry_after=-1)
    assert faults.scripted == (), "a bad script queues nothing"


def test_reset_clears_everything() -> None:
    faults = Faults()
    faults.latency, faults.failure_rate, faults.retry_after = 2, 0.3, 9
    faults.script(503)
    faults.drop_next()
    faults.reset()
    assert (faults.latency, faults.failure_rate, faults.retry_after) == (0, 0, 1)
    assert faults.scripted == () and faults.next_fault() is None
