"""Logs and databases hold customers' names and emails: only their user may read them.

Each test starts the real thing (the log setup, the sandbox on a database file) and looks at
the modes on disk, also of files an older version left world-readable.
"""

from __future__ import annotations

import logging
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flexdesk.api.client import CustomerQuery, FlexPortalClient
from flexdesk.files import private_dir, private_file
from flexdesk.logs import LOG_NAME, setup_logging
from flexdesk.sandbox import SandboxServer
from tests.conftest import TENANT, TOKEN

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def logging_to(tmp_path: Path) -> Iterator[Path]:
    """The log folder setup_logging (with --debug) writes to; handlers removed afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    folder = tmp_path / "state" / "logs"
    yield folder
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


def test_the_log_folder_and_files_are_private_after_a_rollover_too(logging_to: Path) -> None:
    path = setup_logging(logging_to, debug=True)
    logging.getLogger("flexdesk.test").info("first line")
    assert (mode(logging_to), mode(path)) == (0o700, 0o600)
    handler = next(h for h in logging.getLogger().handlers
                   if getattr(h, "baseFilename", None) == str(path))
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    handler.doRollover()
    logging.getLogger("flexdesk.test").info("after the rollover")
    assert mode(path) == 0o600
    assert mode(path.with_name(LOG_NAME + ".1")) == 0o600


def test_an_older_world_readable_log_is_taken_back(logging_to: Path) -> None:
    logging_to.mkdir(parents=True, mode=0o755)
    (logging_to / LOG_NAME).write_text("old\n")
    (logging_to / LOG_NAME).chmod(0o644)
    logging_to.chmod(0o755)
    path = setup_logging(logging_to)
    assert (mode(logging_to), mode(path)) == (0o700, 0o600)
    assert path.read_text().startswith("old\n")


def test_a_debug_log_of_an_email_search_does_not_hold_the_email(
    logging_to: Path, sandbox: SandboxServer
) -> None:
    path = setup_logging(logging_to, debug=True)
    with FlexPortalClient(sandbox.base_url, TENANT, TOKEN) as api:
        api.list_customers(CustomerQuery(email="jeroen.jansen@example.com"))
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text()
    assert "GET /v1/customers" in text, "the request is logged, without its query"
    assert "jeroen" not in text and "example.com" not in text
    assert "HTTP Request" not in text  # httpx's own request lines


def test_the_sandbox_database_is_private(tmp_path: Path) -> None:
    db = tmp_path / "data" / "sandbox.sqlite3"
    with SandboxServer(port=0, customers=5, db=db):
        assert mode(db.parent) == 0o700
        assert mode(db) == 0o600
        assert mode(db.with_name(db.name + "-wal")) == 0o600
    db.chmod(0o644)  # as an older version left it
    with SandboxServer(port=0, customers=5, db=db):
        assert mode(db) == 0o600


def test_a_private_file_leaves_an_existing_folder_alone(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    assert mode(private_file(shared / "x.sqlite3")) == 0o600
    assert mode(shared) == 0o755, "a folder the user chose is not ours to lock"
    assert mode(private_dir(tmp_path / "ours" / "logs")) == 0o700
