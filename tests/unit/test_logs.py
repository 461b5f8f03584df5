"""The log file never holds a key, whatever logs it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from flexdesk.logs import REDACTED, redact, setup_logging

SECRET = "sk_live_0123456789abcdef"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    path = setup_logging(tmp_path / "logs", secrets=[SECRET])
    yield path
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.mark.expect_log("failed|header was")
def test_keys_and_bearer_headers_are_scrubbed_from_messages_and_tracebacks(
    log_file: Path,
) -> None:
    log = logging.getLogger("flexdesk.test")
    log.info("sending with key %s", SECRET)
    log.warning("header was %s", {"Authorization": "Bearer abc.def-123"})
    try:
        raise RuntimeError(f"token {SECRET} rejected")
    except RuntimeError:
        log.exception("failed")
    for handler in logging.getLogger().handlers:
        handler.flush()

    text = log_file.read_text()
    assert SECRET not in text and "abc.def-123" not in text
    assert text.count(REDACTED) == 3
    assert "RuntimeError" in text, "the traceback itself is kept"


def test_redact_leaves_ordinary_text_alone() -> None:
    assert redact("GET /v1/customers -> 200") == "GET /v1/customers -> 200"
    assert redact("bearer xyz", ["zzz"]) == f"bearer {REDACTED}"
