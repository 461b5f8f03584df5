"""Logging to a rotating file and stderr, with credentials scrubbed from every line.

The client never logs its key, but a library, a traceback or a future log line might; the
filter is the net under all of them. The log folder and its files are the user's alone, and
no request line with its query string (an email searched for) is logged, not even with
--debug: flexdesk logs paths without queries and httpx/httpcore are kept at WARNING.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path

from flexdesk.files import private_dir, private_file

LOG_NAME = "flexdesk.log"
REDACTED = "<redacted>"
_BEARER = re.compile(r"(Bearer\s+)[^\s'\",]+", re.IGNORECASE)
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    text = _BEARER.sub(rf"\g<1>{REDACTED}", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's final text, its traceback included, before any handler."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info),
                                     self.secrets)
            record.exc_info = None
        return True


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """Each log file, the one begun after a rollover included, is created 0600."""

    def _open(self) -> TextIOWrapper:
        private_file(Path(self.baseFilename))
        return super()._open()


def setup_logging(log_dir: Path, *, debug: bool = False,
                  secrets: Iterable[str] = ()) -> Path:
    """Log to `log_dir/flexdesk.log` (1 MB, five old files kept) and to stderr."""
    private_dir(log_dir)
    path = log_dir / LOG_NAME
    scrub = RedactingFilter(secrets)
    file_handler = _PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=5,
                                               encoding="utf-8")
    console = logging.StreamHandler()
    root = logging.getLogger()
    for handler in (file_handler, console):
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.addFilter(scrub)
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    # httpx logs every request line, query string and all, at INFO (httpcore more at DEBUG):
    # a searched email would land in the log. flexdesk's own lines say what was asked.
    for library in ("httpx", "httpcore"):
        logging.getLogger(library).setLevel(logging.WARNING)
    return path
