"""Benchmarks of flexdesk: `python -m benchmarks` prints one table of medians and targets.

Each measurement lives in its own module with a `run(config) -> list[Row]`; the ones that must
start a fresh process (cold start, memory) drive a probe module in a subprocess. This package
imports nothing at import time, so those probes start as light as a bare script.
"""
