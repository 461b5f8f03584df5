"""The sandbox's `--plan`: Starter's limit per key with real 429s and `Retry-After`; none
without a plan or above Starter."""

from __future__ import annotations

import httpx
import pytest

from flexdesk.sandbox import RateLimit, SandboxServer
from tests.conftest import TENANT, TOKEN

HEADERS = {"Authorization": f"Bearer {TOKEN}", "Tenant-ID": TENANT}


def statuses(sandbox: SandboxServer, count: int, headers: dict[str, str] = HEADERS
             ) -> list[httpx.Response]:
    with httpx.Client(base_url=sandbox.base_url, headers=headers) as http:
        return [http.get("/v1/customers", params={"limit": "1"}) for _ in range(count)]


def test_starter_allows_100_requests_a_minute_then_says_429_and_when_to_come_back() -> None:
    with SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=5, plan="starter") as sandbox:
        answers = statuses(sandbox, 101)
        assert [a.status_code for a in answers[:100]] == [200] * 100
        refused = answers[100]
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "RATE_LIMITED"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60  # whole seconds, as HTTP says
        assert sandbox.requests[-1].status == 429


@pytest.mark.parametrize("plan", [None, "growth", "enterprise"])
def test_without_starter_there_is_no_limit(plan: str | None) -> None:
    with SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=5, plan=plan) as sandbox:
        assert {a.status_code for a in statuses(sandbox, 130)} == {200}


def test_the_limit_is_per_key_and_a_refused_request_does_not_count() -> None:
    with SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=5,
                       rate_limit=RateLimit(3, 30.0)) as sandbox:
        assert [a.status_code for a in statuses(sandbox, 5)] == [200, 200, 200, 429, 429]
        # Another key has a window of its own: not refused for ours (only for being wrong).
        other = statuses(sandbox, 4, {"Authorization": "Bearer other", "Tenant-ID": TENANT})
        assert [a.status_code for a in other] == [401, 401, 401, 429]
        sandbox.rate_limit = RateLimit(3, 0.2)  # a test's window: Retry-After in hundredths
        answers = statuses(sandbox, 4)
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert 0 < float(answers[-1].headers["Retry-After"]) <= 0.2


def test_an_unknown_plan_is_refused() -> None:
    with pytest.raises(ValueError, match="starter"):
        SandboxServer(port=0, customers=1, plan="platinum")
