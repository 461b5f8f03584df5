"""`flexdesk-sandbox` / `python -m flexdesk.sandbox`: run the sandbox until Ctrl+C or SIGTERM.

Prints one line once it listens, `flexdesk sandbox listening on http://HOST:PORT (tenant T)`,
so scripts can start it with `--port 0` and read the port from that line.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable
from types import FrameType

from flexdesk.sandbox.plans import PLANS
from flexdesk.sandbox.server import SandboxServer


def _bounded(low: float, high: float | None = None) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = float(text)
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(
                f"must be at least {low:g}" if high is None else f"must be {low:g}..{high:g}"
            )
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flexdesk-sandbox",
        description="A local stand-in for the FlexPortal customers API, with made-up customers.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--tenant", default="sandbox", help="the Tenant-ID clients must send")
    parser.add_argument("--token", default="sandbox", help="the bearer key clients must send")
    parser.add_argument("--customers", type=int, default=500, help="how many to seed")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
    parser.add_argument("--db", metavar="PATH",
                        help="SQLite file that keeps edits across restarts (default: in memory)")
    parser.add_argument("--latency", type=_bounded(0), default=0.0, metavar="SECONDS",
                        help="delay added to every request")
    parser.add_argument("--failure-rate", type=_bounded(0, 1), default=0.0, metavar="R",
                        help="share of requests answered 500 INTERNAL_ERROR (0..1)")
    parser.add_argument("--plan", choices=sorted(PLANS),
                        help="enforce a FlexPortal plan's rate limit per key (starter: 100 "
                        "requests a minute, answered 429 with Retry-After beyond it); "
                        "default: no limit")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM ends the server the way Ctrl+C does


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.customers < 0 or not 0 <= args.port <= 65535:
        print("flexdesk-sandbox: --customers must be >= 0 and --port 0..65535", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(message)s")
    if not _is_loopback(args.host):
        print(f"flexdesk-sandbox: listening on {args.host}: anyone who can reach it and knows "
              "the token can read and change its data", file=sys.stderr)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main_thread else None
    server: SandboxServer | None = None
    try:
        server = SandboxServer(args.host, args.port, tenant=args.tenant, token=args.token,
                               customers=args.customers, seed=args.seed, db=args.db,
                               plan=args.plan)
        server.faults.latency = args.latency
        server.faults.failure_rate = args.failure_rate
        server.start()
        print(f"flexdesk sandbox listening on {server.base_url} (tenant {args.tenant})",
              flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    except (OSError, sqlite3.Error) as exc:
        print(f"flexdesk-sandbox: {exc}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    return 0
