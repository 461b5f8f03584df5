"""Shared fixtures. The Qt platform is chosen here, before anything imports Qt."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Iterator

import pytest

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.retry import RetryPolicy
from flexdesk.sandbox import SandboxServer
from tests.logfail import fail_on_unexpected_log

__all__ = ["fail_on_unexpected_log"]  # an autouse fixture: every test is watched

TENANT = "sandbox"
# Distinctive, so a test can grep logs, files and reprs for it.
TOKEN = "sk_test_9f8e7d6c5b4a"


class RecordingSleep:
    """Stands in for time.sleep in the client: the delays are asserted, not waited for."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(port=0, tenant=TENANT, token=TOKEN, customers=60, seed=7).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sleeps() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def client(sandbox: SandboxServer, sleeps: RecordingSleep) -> Iterator[FlexPortalClient]:
    with FlexPortalClient(
        sandbox.base_url, TENANT, TOKEN, timeout=5.0, retry=RetryPolicy(), sleep=sleeps
    ) as api:
        yield api
