"""Run by test_sync_claims.py in a child process: a second flexdesk on the same drafts file.

    python -m tests.integration.outbox_process send BASE_URL DB_PATH
    python -m tests.integration.outbox_process claim-and-die BASE_URL DB_PATH

`send` opens the store, prints READY, waits for a line on stdin, sends the outbox with its own
client, and prints the customer IDs it sent, one a line. `claim-and-die` claims the first
queued draft and ends at once, as a process killed mid-send would, leaving its claim.
"""

from __future__ import annotations

import os
import sys

from flexdesk.api.client import FlexPortalClient
from flexdesk.api.retry import NO_RETRY
from flexdesk.store import ConnectionKey, Store
from flexdesk.sync import Outcome, send_outbox
from tests.conftest import TENANT, TOKEN


def main(mode: str, base_url: str, db_path: str) -> None:
    here = ConnectionKey(base_url, TENANT)
    store = Store.open(db_path)
    if mode == "claim-and-die":
        with store.claimant() as owner:
            claimed = store.claim_next(here, owner)
            print(claimed.customer_id if claimed else "", flush=True)
            os._exit(0)  # no finally, no release: the claim stays, as after a crash
    with FlexPortalClient(base_url, TENANT, TOKEN, retry=NO_RETRY,
                          requests_per_minute=None) as client:
        print("READY", flush=True)
        sys.stdin.readline()
        results = send_outbox(store, client, here)
    for result in results:
        if result.outcome is Outcome.SENT:
            print(result.customer_id, flush=True)
    store.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
