"""The sandbox's HTTP surface: key and tenant checks, routing, the error shape, the request log."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import httpx
import pytest

from flexdesk.sandbox import RecordedRequest, SandboxServer
from flexdesk.sandbox.api import Incoming, Reply

TOKEN = "sk_test_protocol_4f3e2d"


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, customers=30, seed=5, tenant="acme", token=TOKEN) as sandbox:
        yield sandbox


@pytest.fixture
def http(server: SandboxServer) -> Iterator[httpx.Client]:
    server.clear_requests()
    # No default headers: each test says exactly what it sends.
    with httpx.Client(base_url=server.base_url, timeout=5) as client:
        yield client


def error_of(response: httpx.Response) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    error: dict[str, str] = body["error"]
    return error


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong-key", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN],
)
def test_a_missing_or_wrong_key_is_401(http: httpx.Client, authorization: str | None) -> None:
    headers = {"Tenant-ID": "acme"}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = http.get("/v1/customers", headers=headers)
    assert response.status_code == 401
    assert error_of(response)["code"] == "UNAUTHORIZED"
    assert TOKEN not in response.text


def test_the_scheme_is_case_insensitive(http: httpx.Client) -> None:
    response = http.get("/v1/customers", headers={"Authorization": f"bearer {TOKEN}",
                                                  "Tenant-ID": "acme"})
    assert response.status_code == 200


@pytest.mark.parametrize("tenant", [None, ""])
def test_a_missing_tenant_is_400_naming_the_header(
    http: httpx.Client, tenant: str | None
) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if tenant is not None:
        headers["Tenant-ID"] = tenant
    response = http.get("/v1/customers", headers=headers)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"] == [{"field": "Tenant-ID", "message": "header is required"}]


def test_an_unknown_tenant_is_403(http: httpx.Client) -> None:
    response = http.get("/v1/customers/anything",
                        headers={"Authorization": f"Bearer {TOKEN}", "Tenant-ID": "globex"})
    assert response.status_code == 403
    assert error_of(response)["code"] == "FORBIDDEN"


def test_the_key_is_checked_before_the_tenant(http: httpx.Client) -> None:
    assert http.get("/v1/customers").status_code == 401


@pytest.mark.parametrize("path", ["/", "/v1", "/v1/customers/", "/v2/customers",
                                  "/v1/customers/a/orders"])
def test_an_unknown_path_is_404_in_the_error_shape(
    http: httpx.Client, server: SandboxServer, path: str
) -> None:
    response = http.get(path, headers=server.auth_headers)
    assert response.status_code == 404
    assert error_of(response)["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("POST", "/v1/customers", "GET"), ("DELETE", "/v1/customers", "GET"),
     ("PATCH", "/v1/customers/c1", "GET, PUT, DELETE"),
     ("POST", "/v1/customers/c1", "GET, PUT, DELETE"),
     ("TRACE", "/v1/customers", "GET"), ("TRACE", "/v1/customers/c1", "GET, PUT, DELETE"),
     ("BREW", "/v1/customers", "GET"), ("CONNECT", "/v1/customers/c1", "GET, PUT, DELETE")],
)
def test_a_wrong_method_is_405_with_allow(
    http: httpx.Client, server: SandboxServer, method: str, path: str, allowed: str
) -> None:
    response = http.request(method, path, headers=server.auth_headers)
    assert response.status_code == 405
    assert error_of(response)["code"] == "METHOD_NOT_ALLOWED"
    assert response.headers["Allow"] == allowed


def test_an_unknown_method_on_an_unknown_path_is_404(
    http: httpx.Client, server: SandboxServer
) -> None:
    response = http.request("TRACE", "/v2/customers", headers=server.auth_headers)
    assert response.status_code == 404
    assert "Allow" not in response.headers


def test_a_body_nested_too_deeply_is_a_400_and_the_connection_lives_on(
    http: httpx.Client, server: SandboxServer
) -> None:
    deep = b'{"customerId": "c1", "company": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = http.put("/v1/customers/c1", content=deep, headers=server.auth_headers)
    assert response.status_code == 400
    assert error_of(response)["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["details"] == [{"field": "body",
                                                    "message": "is nested too deeply"}]
    assert server.requests[-1].status == 400 and server.requests[-1].body is None
    assert http.get("/v1/customers", headers=server.auth_headers).status_code == 200


def test_answers_are_utf8_json(http: httpx.Client, server: SandboxServer) -> None:
    response = http.get("/v1/customers", headers=server.auth_headers)
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["customers"]


def test_the_log_records_each_request_with_the_key_redacted(
    http: httpx.Client, server: SandboxServer
) -> None:
    customer_id = http.get("/v1/customers", params={"limit": 1}, headers=server.auth_headers) \
        .json()["customers"][0]["customerId"]
    http.put(f"/v1/customers/{customer_id}", headers={**server.auth_headers, "X-Trace": "t1"},
             json={"customerId": customer_id, "firstName": "Zoë"})
    http.get("/v1/customers", headers={"Authorization": "Bearer nope", "Tenant-ID": "acme"})

    listed, put, refused = server.requests
    assert listed.method == "GET" and listed.path == "/v1/customers"
    assert listed.query == {"limit": "1"} and listed.body is None and listed.status == 200
    assert put == RecordedRequest(
        "PUT", f"/v1/customers/{customer_id}", {}, put.headers,
        {"customerId": customer_id, "firstName": "Zoë"}, 200,
    )
    assert put.headers["x-trace"] == "t1" and put.headers["tenant-id"] == "acme"
    assert all(name == name.lower() for name in put.headers)
    assert refused.status == 401
    for request in server.requests:
        assert request.headers["authorization"] == "<redacted>"
    assert TOKEN not in repr(server.requests)


def test_the_log_keeps_bodies_that_are_not_json_as_none(
    http: httpx.Client, server: SandboxServer
) -> None:
    http.put("/v1/customers/c1", content=b"{oops", headers=server.auth_headers)
    assert server.requests[-1].body is None and server.requests[-1].status == 400


def test_the_log_can_be_cleared_and_compares_to_a_list(
    http: httpx.Client, server: SandboxServer
) -> None:
    http.get("/v1/customers", headers=server.auth_headers)
    assert len(server.requests) == 1 and server.requests != []
    server.clear_requests()
    assert server.requests == [] and list(server.requests) == []


def test_the_key_never_reaches_the_log_output(
    http: httpx.Client, server: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="flexdesk.sandbox")
    http.get("/v1/customers", params={"limit": 2}, headers=server.auth_headers)
    http.get("/v1/customers", headers={"Authorization": f"Bearer {TOKEN}"})
    assert "GET /v1/customers -> 200" in caplog.text
    assert "limit=2" not in caplog.text, "a query (a searched email) is never logged"
    assert TOKEN not in caplog.text and TOKEN not in repr(server)


def test_a_malformed_request_line_gets_the_error_shape(server: SandboxServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(b"NONSENSE\r\n\r\n")
        answer = b""
        while chunk := raw.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b'"VALIDATION_ERROR"' in body


def test_a_chunked_body_is_refused(http: httpx.Client, server: SandboxServer) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"customerId": "c1"}'

    response = http.put("/v1/customers/c1", content=chunks(), headers=server.auth_headers)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "body"


@pytest.mark.expect_log("sandbox failure on GET")
def test_a_sandbox_bug_is_a_500_in_the_error_shape(
    http: httpx.Client, server: SandboxServer, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(request: Incoming) -> Reply:
        raise RuntimeError("bug")

    monkeypatch.setattr(server._api, "handle", broken)
    response = http.get("/v1/customers", headers=server.auth_headers)
    assert response.status_code == 500
    assert error_of(response)["code"] == "INTERNAL_ERROR"
    assert "sandbox failure on GET /v1/customers" in caplog.text
    assert server.requests[-1].status == 500
