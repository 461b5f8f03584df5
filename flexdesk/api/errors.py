"""Typed errors: one class for each outcome a caller must treat differently."""

from __future__ import annotations

from collections.abc import Mapping


class FlexPortalError(Exception):
    """Base of every error the client raises. `message` is safe to show to a user."""

    status: int | None = None
    # Seconds the server asked us to wait before trying again (`Retry-After`), when it said.
    retry_after: float | None = None

    def __init__(self, message: str, *, code: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        if status is not None:
            self.status = status


class Unreachable(FlexPortalError):
    """No answer at all: connection refused, DNS failure, timeout. The app goes offline."""


class AnswerLost(Unreachable):
    """The request went out but no answer came back (timeout, dropped connection).

    For a PUT the server may or may not have applied it: the caller must read the record again
    before deciding to send anything (a blind re-send could overwrite a colleague's newer value).
    """


class InsecureUrl(FlexPortalError, ValueError):
    """A plain-HTTP URL for a host that is not this machine."""


class ApiRefusal(FlexPortalError):
    """The server answered and refused; retrying the same request will not help."""


class Unauthorized(ApiRefusal):
    status = 401


class Forbidden(ApiRefusal):
    status = 403


class NotFound(ApiRefusal):
    status = 404


class Conflict(ApiRefusal):
    """409: a delete refused (active subscriptions or pending orders)."""

    status = 409


class ValidationFailed(ApiRefusal):
    """400/422: `field_errors` maps API paths (`billingAddress.city`) to the server's words."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "VALIDATION_ERROR",
        status: int | None = 422,
        field_errors: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status)
        self.field_errors: dict[str, str] = dict(field_errors or {})


class RateLimited(FlexPortalError):
    status = 429

    def __init__(self, message: str, *, retry_after: float | None,
                 code: str = "") -> None:
        super().__init__(message, code=code or "RATE_LIMITED")
        self.retry_after = retry_after


class ServerError(FlexPortalError):
    """5xx, or a body that is not what the contract promises."""


def user_text(exc: BaseException) -> str:
    """What to tell a person about a failure: the client's own words for the errors it knows;
    for anything else (a bug) a plain sentence, never a programmer's repr. Log the exception
    itself where it is caught: the details belong in the log, not in the window."""
    if isinstance(exc, FlexPortalError):
        return exc.message
    if isinstance(exc, OSError) and exc.strerror:
        return f"the system said: {exc.strerror}"
    return "an unexpected error in flexdesk (details are in the log)"
