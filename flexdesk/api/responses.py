"""Turn an HTTP answer that is not a success into the matching typed error."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
from pydantic import ValidationError

from flexdesk.api import errors
from flexdesk.api.models import ErrorBody

_SNIPPET = 160


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


def error_from_response(response: httpx.Response) -> errors.FlexPortalError:
    status = response.status_code
    code, message, fields = "", "", {}
    try:
        body = ErrorBody.model_validate(json.loads(response.content))
        code, message = body.error.code, body.error.message
        fields = {p.field: p.message for p in body.error.details}
    except (ValueError, ValidationError):
        snippet = _plain_snippet(response.text)
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
