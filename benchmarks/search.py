"""Quick search over every loaded customer: the time from a keystroke to an updated view.

A keystroke is `proxy.set_search_text(text)` (what the search box's signal calls) followed by one
`processEvents()` and a repaint of the table. The explicit repaint is there because Qt paces
paints to the screen's frame rate: one `processEvents()` paints only when the frame timer has
come due, so without it some keystrokes would be timed without their paint and the next one
with it. Queries are typed a letter at a time and then erased a letter at a time, as people do.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from benchmarks.config import Config
from benchmarks.loaded_list import loaded_list
from benchmarks.qt import application
from benchmarks.report import NOT_MEASURED, Row, median, ms, p95

TARGET = 0.050
# Accents, a common surname, a city, a phone prefix, a company seen in the seed, an email.
QUERIES = ("mül", "jansen", "doha", "+31 6", "studio hendriks", "gmail.com")


def keystrokes() -> Iterator[str]:
    """The search box's text after each key press: typing each query, then backspacing it."""
    for query in QUERIES:
        for end in range(1, len(query) + 1):
            yield query[:end]
        for end in range(len(query) - 1, -1, -1):
            yield query[:end]


def run(config: Config) -> list[Row]:
    app = application()
    widget = loaded_list(config.customers, config.seed).widget
    proxy, viewport = widget.proxy, widget.table.viewport()
    proxy.set_search_text("")
    app.processEvents()
    times: list[float] = []
    for _ in range(config.search_passes):
        for text in keystrokes():
            start = time.perf_counter()
            proxy.set_search_text(text)
            app.processEvents()
            viewport.repaint()
            times.append(time.perf_counter() - start)
    typed = median(times)
    return [Row(
        f"quick search over {config.customers:,} loaded customers, per keystroke "
        f"(median of {len(times)} keystrokes, {config.search_passes} passes)",
        NOT_MEASURED,
        f"median {ms(typed)}, p95 {ms(p95(times))}",
        ms(typed),
        f"<= {ms(TARGET)} median",
        typed <= TARGET,
    )]
