"""A sandbox in a child process, so that its request handling does not share the GIL with
what is timed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

TENANT = TOKEN = "sandbox"
LISTENING = "flexdesk sandbox listening on "


@contextmanager
def sandbox_process(customers: int, seed: int, latency: float = 0.0) -> Iterator[str]:
    """A sandbox in a child process; yields its base URL, ends it (SIGTERM) afterwards.
    `latency`: seconds every request waits there (the sandbox's `--latency`)."""
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
        [sys.executable, "-m", "flexdesk.sandbox", "--port", "0", "--tenant", TENANT,
         "--token", TOKEN, "--customers", str(customers), "--seed", str(seed),
         "--latency", str(latency)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith(LISTENING):
            raise RuntimeError(f"the sandbox did not start: {line!r} (exit {process.poll()})")
        yield line.removeprefix(LISTENING).split()[0]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
