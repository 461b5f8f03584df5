"""How big and how often: the default run, and `--quick` for a smoke check."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    customers: int  # loaded for search, scrolling and memory
    startup_runs: int
    search_passes: int  # times the whole typing script is replayed
    scroll_runs: int
    scroll_seconds: float
    loading_runs: int
    loading_customers: int  # in the high-latency sandbox
    parse_runs: int  # timeit repeats (each of many calls)
    fetch_runs: int
    memory_runs: int
    sync_saves: int  # queued saves sent per outbox run
    sync_runs: int
    seed: int = 1
    latency_saves: int = 500  # queued saves sent with latency injected into every request
    latency_runs: int = 3

    @classmethod
    def default(cls) -> Config:
        return cls(customers=100_000, startup_runs=9, search_passes=3, scroll_runs=3,
                   scroll_seconds=3.0, loading_runs=3, loading_customers=1_000, parse_runs=15,
                   fetch_runs=30, memory_runs=3, sync_saves=1_000, sync_runs=3)

    @classmethod
    def quick(cls) -> Config:
        return cls(customers=20_000, startup_runs=3, search_passes=1, scroll_runs=1,
                   scroll_seconds=1.0, loading_runs=1, loading_customers=300, parse_runs=5,
                   fetch_runs=10, memory_runs=1, sync_saves=200, sync_runs=1,
                   latency_saves=100, latency_runs=1)
