"""Writing a draft: what the editor's debounced save costs per keystroke, on a real file.

The store is a temporary file with company: other drafts and a cached customer list, as after
a day's work. Each write is one field change of a realistic (seeded) customer: the draft with
its new edits, upserted with its base. WAL with `synchronous=NORMAL` means no fsync per write,
so this is the time the GUI thread would spend, not the disk's.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.config import Config
from benchmarks.report import NOT_MEASURED, Row, median, p95, us
from flexdesk.api.models import Customer
from flexdesk.sandbox.seed import generate_customers
from flexdesk.store import ConnectionKey, Draft, Store

TARGET_SECONDS = 0.005
WRITES = 500
OTHER_DRAFTS = 100
CACHED = 2_000
CONNECTION = ConnectionKey("https://api-eu.flexportal.io", "benchmark")


def _write_times(store: Store, customer: Customer, writes: int) -> list[float]:
    """Seconds per write while "typing" into the first name, one character more each time."""
    draft = Draft.of(CONNECTION, customer, {})
    store.save_draft(draft)
    typed = customer.first_name + " "
    times = []
    for keystroke in range(writes):
        typed += "abcdefghij"[keystroke % 10]
        edits = {"firstName": typed[-40:]}
        started = time.perf_counter()
        store.save_draft(draft.with_edits(edits))
        times.append(time.perf_counter() - started)
    return times


def run(config: Config) -> list[Row]:
    customers = [Customer.model_validate(seeded.customer)
                 for seeded in generate_customers(CACHED, seed=config.seed)]
    with tempfile.TemporaryDirectory(prefix="flexdesk-drafts-") as folder, \
            Store.open(Path(folder) / "drafts.db") as store:
        store.cache_customers(CONNECTION, customers)
        for other in customers[1:OTHER_DRAFTS + 1]:
            store.save_draft(Draft.of(CONNECTION, other, {"phone": "+31 20 000 0000"}))
        times = _write_times(store, customers[0], WRITES)
    typical, slow = median(times), p95(times)
    return [Row(
        f"draft write (one field change): `Store.save_draft` of a seeded customer's draft to a "
        f"real file (WAL) beside {OTHER_DRAFTS} drafts and {CACHED:,} cached customers; "
        f"median of {WRITES} writes",
        NOT_MEASURED,
        f"{us(typical)} median, {us(slow)} p95",
        us(typical),
        f"<= {TARGET_SECONDS * 1000:g} ms median",
        typical <= TARGET_SECONDS,
    )]
