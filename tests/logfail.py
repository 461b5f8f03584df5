"""A test fails when flexdesk logs a warning or an error it did not expect.

An unexpected warning is a bug someone will meet in the field (a worker still running after
its window closed, an error path taken by accident): the test that caused it fails, rather
than a log line scrolling by. Tests that provoke a warning on purpose say so:

    @pytest.mark.expect_log("loading customers failed")

with a regular expression searched in each expected record's message. (qutebrowser's
`tests/helpers/logfail.py` works the same way.)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest

WATCHED = "flexdesk"


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_unexpected_log(request: pytest.FixtureRequest) -> Iterator[None]:
    collector = _Collector()
    logger = logging.getLogger(WATCHED)
    logger.addHandler(collector)
    try:
        yield
    finally:
        logger.removeHandler(collector)
    expected = [re.compile(pattern) for marker in request.node.iter_markers("expect_log")
                for pattern in marker.args]
    unexpected = [record for record in collector.records
                  if not any(p.search(record.getMessage()) for p in expected)]
    if unexpected:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in unexpected)
        pytest.fail(f"unexpected log lines at WARNING or above:\n{lines}", pytrace=False)
