"""Read an HTTP answer's body within bounds, and turn one that is not a success into the
matching typed error."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
from pydantic import ValidationError

from flexdesk.api import errors
from flexdesk.api.models import ErrorBody

_SNIPPET = 160
# An error's message is in its first bytes: the rest of a long error page is never read.
ERROR_BODY_LIMIT = 64 * 1024
# A full page of 100 customers is about 100 KiB: an answer this large is broken or hostile.
ANSWER_LIMIT = 32 * 1024 * 1024


def read_body(response: httpx.Response) -> bytes:
    """The body of a streamed answer: a success whole (up to ANSWER_LIMIT, else ServerError),
    anything else only as far as ERROR_BODY_LIMIT. Transport errors are the caller's."""
    if not response.is_success:
        return _read_prefix(response, ERROR_BODY_LIMIT)
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > ANSWER_LIMIT:
        raise _too_large(response.status_code)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > ANSWER_LIMIT:
            raise _too_large(response.status_code)
        chunks.append(chunk)
    return b"".join(chunks)


def _read_prefix(response: httpx.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def _too_large(status: int) -> errors.ServerError:
    return errors.ServerError(
        f"the server's answer is too large to read (over {ANSWER_LIMIT // (1024 * 1024)} MiB)",
        status=status)


def retry_after_seconds(response: httpx.Response) -> float | None:
    """`Retry-After` as seconds: it may be a number or an HTTP date."""
    raw = response.headers.get("Retry-After")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _plain_snippet(text: str) -> str:
    # Server text is shown to people: keep it short and printable.
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return cleaned[:_SNIPPET] + ("…" if len(cleaned) > _SNIPPET else "")


def error_from_response(response: httpx.Response, body: bytes) -> errors.FlexPortalError:
    """The error for a non-success `response` whose (bounded) body is `body`."""
    status = response.status_code
    code, message, fields = "", "", {}
    try:
        error = ErrorBody.model_validate(json.loads(body)).error
        code, message = error.code, error.message
        fields = {p.field: p.message for p in error.details}
    except (ValueError, ValidationError, RecursionError):
        text = body[: _SNIPPET * 8].decode(response.encoding or "utf-8", errors="replace")
        snippet = _plain_snippet(text)
        message = f"unexpected answer from the server (HTTP {status})" + (
            f": {snippet}" if snippet else ""
        )
    if status in (400, 422):
        return errors.ValidationFailed(message, code=code, status=status, field_errors=fields)
    if status == 429:
        return errors.RateLimited(message, code=code, retry_after=retry_after_seconds(response))
    kinds: dict[int, type[errors.FlexPortalError]] = {
        401: errors.Unauthorized,
        403: errors.Forbidden,
        404: errors.NotFound,
        409: errors.Conflict,
    }
    if status in kinds:
        return kinds[status](message, code=code, status=status)
    if status >= 500:
        failure = errors.ServerError(message, code=code, status=status)
        if status == 503:
            failure.retry_after = retry_after_seconds(response)
        return failure
    return errors.ApiRefusal(message, code=code, status=status)
