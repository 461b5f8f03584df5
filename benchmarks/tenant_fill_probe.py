"""Started in a fresh process by `benchmarks.tenant_fill`; prints what it measured as JSON.

    python -m benchmarks.tenant_fill_probe BASE_URL DATA_DIR

A first start of the real main window against the sandbox at BASE_URL, with nothing kept in
DATA_DIR: from `start()` until the copy of the tenant is complete, with a 10 ms heartbeat on
the GUI thread. The client has no rate limit, as on the plans above Starter (on Starter the
fill is paced by the limiter, not by flexdesk). Resident memory is read with the window shown
before the start, and again with the whole copy in the list.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

from benchmarks.memory_probe import status_mb
from benchmarks.qt import application, wait_until

TENANT = TOKEN = "sandbox"
FILL_TIMEOUT = 1800.0


def measure(base_url: str, data_dir: Path) -> dict[str, float]:
    app = application()
    from benchmarks.heartbeat import Heartbeat
    from flexdesk.api.client import FlexPortalClient
    from flexdesk.connection import Connection
    from flexdesk.store import Store
    from flexdesk.ui.window.application import DRAFTS_FILE, open_settings
    from flexdesk.ui.window.main_window import MainWindow

    client = FlexPortalClient(base_url, TENANT, TOKEN, requests_per_minute=None)
    with client, Store.open(data_dir / DRAFTS_FILE) as store:
        window = MainWindow(Connection(base_url, TENANT, TOKEN, label="benchmark"), client,
                            open_settings(data_dir), store)
        window.show()
        app.processEvents()
        started_mb = status_mb("VmRSS")
        heartbeat = Heartbeat()
        heartbeat.start()
        started = time.perf_counter()
        window.start()
        loader = window.loader
        wait_until(lambda: loader.complete and not loader.loading, timeout=FILL_TIMEOUT)
        seconds = time.perf_counter() - started
        heartbeat.stop()
        if loader.error:
            raise RuntimeError(f"the fill failed: {loader.error}")
        gc.collect()
        app.processEvents()
        result = {"seconds": seconds, "stall": heartbeat.largest_stall,
                  "rows": window.customers.rowCount(), "started_mb": started_mb,
                  "loaded_mb": status_mb("VmRSS"), "peak_mb": status_mb("VmHWM")}
        window.close()
        window.shutdown()
    return result


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(measure(argv[0], Path(argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
