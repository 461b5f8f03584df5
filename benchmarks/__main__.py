"""`python -m benchmarks [--quick] [--only NAME]`: measure, then print one Markdown table.

Missed targets are reported, not raised: benchmarks are not tests. The exit status is 1 only
when the run itself went wrong, e.g. Qt printed a warning, which would make the figures suspect.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from collections.abc import Callable, Sequence

from benchmarks.config import Config
from benchmarks.qt import qt_warnings, use_offscreen
from benchmarks.report import NOT_MEASURED, Row, render

# name -> module with `run(config) -> list[Row]`, in the order they run: the two that share
# 100,000 customers in this process come last, so no other measurement (the garbage collector
# above all) has to work around them.
BENCHMARKS = {
    "startup": "benchmarks.startup",
    "bundle": "benchmarks.bundle",
    "loading": "benchmarks.loading",
    "parsing": "benchmarks.parsing",
    "drafts": "benchmarks.drafts",
    "outbox_sync": "benchmarks.outbox_sync",
    "outbox_latency": "benchmarks.outbox_latency",
    "offline_start": "benchmarks.offline_start",
    "tenant_fill": "benchmarks.tenant_fill",
    "sorted_paging": "benchmarks.sorted_paging",
    "memory": "benchmarks.memory",
    "search": "benchmarks.search",
    "scrolling": "benchmarks.scrolling",
}
# The table, in the order. Rows the project cannot measure yet stay in it, so that the
# table has its final shape; they become benchmark names when those features land.
TABLE: list[str | Row] = [
    "startup", "bundle", "search", "scrolling", "loading", "tenant_fill", "offline_start",
    "sorted_paging",
    "parsing",
    "drafts",
    "memory",
    "outbox_sync",
    "outbox_latency",
]
# Printed when their benchmark ran.
FOOTNOTES = {
    "loading": "[^1]: After the last page the first customer is opened, a new phone number "
    "typed into the real field and saved through the editor, and the heartbeat runs on until "
    "the sync worker has sent it (GET for the three-way check, then PUT) and the outbox is "
    "empty. Every request waits 2 s in the sandbox; 1,000 customers (10 pages) keep a run "
    "under half a minute. The waiting happens on workers: the stall is GUI-thread work.",
    "outbox_sync": "[^2]: Both sides make the same requests: a GET of each customer (for "
    "flexdesk, the three-way conflict check's read), then its PUT. flexdesk also claims each "
    "draft, checks it, parses both answers into models and writes the outcome to the drafts "
    "store. Its saves being quick here, it sends two customers at once (four join only once "
    "a save takes over 15 ms): two overlap flexdesk's work with the sandbox's, and more "
    "would only take turns at the GIL. The sandbox runs in its own process; no latency is "
    "injected.",
    "outbox_latency": "[^4]: Every request waits 50 ms in the sandbox before it is answered, "
    "as a slow network would make it. flexdesk makes two requests per save (the GET for the "
    "three-way check, then the PUT) but sends four customers at once (saves this slow let "
    "all four senders work), so its floor is half "
    "the bare loop's time (0.5x); the rest is the check, the drafts store and the threads.",
    "bundle": "[^3]: Both run `flexdesk --self-test` in a fresh process, timed from spawn to "
    "its line saying the first page is in the main window: the bundle's `dist/flexdesk/"
    "flexdesk` and this interpreter's `python -m flexdesk`, alternately.",
}


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="fewer runs and 20,000 customers instead of 100,000: a smoke check")
    parser.add_argument("--only", choices=sorted(BENCHMARKS), metavar="NAME",
                        help=f"run one benchmark: {', '.join(BENCHMARKS)}")
    return parser.parse_args(argv)


def _loader(module: str) -> Callable[[Config], list[Row]]:
    run: Callable[[Config], list[Row]] = importlib.import_module(module).run
    return run


def _measure(name: str, config: Config, failures: list[str]) -> list[Row]:
    """The benchmark's rows; a row saying it failed if it raised, so the others still run."""
    started = time.monotonic()
    print(f"running {name}…", file=sys.stderr, flush=True)
    try:
        return _loader(BENCHMARKS[name])(config)
    except Exception as exc:  # noqa: BLE001 - reported in the table and on stderr
        traceback.print_exc()
        failures.append(name)
        reason = str(exc).strip().splitlines()[-1:] or [""]
        return [Row(name, NOT_MEASURED, f"failed: {type(exc).__name__}: {reason[0]}",
                    NOT_MEASURED, NOT_MEASURED, False)]
    finally:
        print(f"  {name} took {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    use_offscreen()  # before anything imports Qt
    from benchmarks.loaded_list import close_all
    from benchmarks.machine import describe
    from benchmarks.qt import application

    config = Config.quick() if args.quick else Config.default()
    application()
    measured: dict[str, list[Row]] = {}
    failures: list[str] = []
    try:
        for name in BENCHMARKS:
            if args.only in (None, name):
                measured[name] = _measure(name, config, failures)
    finally:
        close_all()
    rows: list[Row] = []
    for entry in TABLE:
        if not isinstance(entry, Row):
            rows.extend(measured.get(entry, []))
        elif args.only is None:
            rows.append(entry)
    print(render(rows))
    print()
    print(describe())
    print(f"Mode: {'--quick (a smoke check)' if args.quick else 'default'}; "
          f"{config.customers:,} customers for search, scrolling and memory.")
    notes = [note for name, note in FOOTNOTES.items() if args.only in (None, name)]
    if notes:
        print()
        print("\n".join(notes))
    if qt_warnings or failures:
        print(f"\n{len(qt_warnings)} Qt warning(s) or probe complaints, failed: "
              f"{', '.join(failures) or 'none'}; see above.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
