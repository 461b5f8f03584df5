"""The `desk` fixture: our client and store, and a colleague, on the real sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.models import Customer
from flexdesk.api.retry import NO_RETRY
from flexdesk.sandbox import SandboxServer
from flexdesk.store import ConnectionKey, Draft, Store
from flexdesk.sync import SENDERS, SyncResult, send_outbox
from tests.conftest import TENANT, TOKEN


@dataclass
class Desk:
    """Everything a test touches: the sandbox, our client and store, and a colleague."""

    sandbox: SandboxServer
    client: FlexPortalClient  # ours
    colleague: FlexPortalClient  # a second client on the same tenant
    store: Store
    here: ConnectionKey
    customers: list[Customer]  # active ones with a billing address, as our list fetched them

    def start_draft(self, base: Customer, edits: dict[str, str], *, queue: bool = True) -> None:
        """A draft of `edits` against `base`, saved by the user (queued) unless told otherwise."""
        self.store.save_draft(Draft.of(self.here, base, edits))
        if queue:
            self.store.queue(self.here, base.customer_id)

    def send(self, senders: int = SENDERS) -> list[SyncResult]:
        return send_outbox(self.store, self.client, self.here, senders=senders)

    def draft(self, customer_id: str) -> Draft:
        draft = self.store.get_draft(self.here, customer_id)
        assert draft is not None, f"the draft of {customer_id} is gone"
        return draft

    def puts(self) -> list[tuple[str, Any]]:
        """(customer id, body) of every PUT the sandbox received."""
        return [(r.path.rsplit("/", 1)[-1], r.body) for r in self.sandbox.requests
                if r.method == "PUT"]


@pytest.fixture
def desk(sandbox: SandboxServer, client: FlexPortalClient, tmp_path: Path) -> Iterator[Desk]:
    customers = [c for c in client.list_customers(limit=40).customers
                 if c.last_billing_address is not None]
    with Store.open(tmp_path / "flexdesk" / "drafts.db") as store, FlexPortalClient(
            sandbox.base_url, TENANT, TOKEN, retry=NO_RETRY, requests_per_minute=None) as other:
        yield Desk(sandbox, client, other, store, ConnectionKey(sandbox.base_url, TENANT),
                   customers)


