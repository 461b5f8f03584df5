"""The table: one `Row` per measurement, rendered as Markdown, plus small statistics helpers."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

NOT_MEASURED = "—"


@dataclass(frozen=True)
class Row:
    what: str
    baseline: str  # the same run's baseline, or NOT_MEASURED where the issue names none
    flexdesk: str
    figure: str  # the ratio, or the figure the target is about
    target: str
    met: bool | None  # None: nothing to judge (not built yet, or a reference figure)


def render(rows: Sequence[Row]) -> str:
    lines = [
        "| what | baseline (same run) | flexdesk | ratio / figure | target | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        met = NOT_MEASURED if row.met is None else ("yes" if row.met else "**no**")
        cells = (row.what, row.baseline, row.flexdesk, row.figure, row.target, met)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def not_built(what: str, target: str) -> Row:
    return Row(what, NOT_MEASURED, "not yet built", NOT_MEASURED, target, None)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """The 95th percentile, interpolated (with few samples it is close to the maximum)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.0f} µs"
