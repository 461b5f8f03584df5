"""A synchronous FlexPortal client: typed results, typed errors, retries and a rate limit.

Blocking on purpose: the UI calls it from worker threads, sync from its own thread, and tests
and benchmarks call it plainly. It holds no Qt.
"""

from __future__ import annotations

import logging
import platform
import ssl
import threading
import time
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from flexdesk import __version__
from flexdesk.api import errors
from flexdesk.api.models import (
    Customer,
    CustomerPage,
    CustomerStatus,
    CustomerType,
    CustomerUpdate,
    CustomerUpdated,
    DeleteResult,
)
from flexdesk.api.plans import TenantPlan, limiter_for
from flexdesk.api.reading import path_of, plain_problem, read_answer
from flexdesk.api.responses import error_from_response, read_body
from flexdesk.api.retry import Clock, Limiter, RateLimiter, RetryPolicy, Sleep
from flexdesk.api.urls import checked_base_url

log = logging.getLogger(__name__)

Model = TypeVar("Model", bound=BaseModel)

MAX_PAGE_SIZE = 100
SORT_FIELDS = (
    "createdAt", "firstName", "lastName", "email", "totalMonthlyRevenue", "totalDevicesRented",
)
# The server (or its gateway) says it did not take the request: any call may be repeated.
_NOT_TAKEN = frozenset({429, 503})
# A gateway lost the answer: the request may have been applied. Repeated only when reading.
_GATEWAY = frozenset({502, 504})


@dataclass(frozen=True)
class CustomerQuery:
    """Server-side filters and order of `GET /v1/customers`."""

    status: CustomerStatus | None = None
    customer_type: CustomerType | None = None
    email: str | None = None
    has_active_rentals: bool | None = None
    sort_by: str = "createdAt"
    sort_order: str = "desc"

    def params(self) -> dict[str, str]:
        if self.sort_by not in SORT_FIELDS:
            raise ValueError(f"cannot sort by {self.sort_by!r}; choose one of {SORT_FIELDS}")
        if self.sort_order not in ("asc", "desc"):
            raise ValueError("sort_order is 'asc' or 'desc'")
        params = {"sortBy": self.sort_by, "sortOrder": self.sort_order}
        if self.status is not None:
            params["status"] = self.status.value
        if self.customer_type is not None:
            params["customerType"] = self.customer_type.value
        if self.email:
            params["email"] = self.email.strip()
        if self.has_active_rentals is not None:
            params["hasActiveRentals"] = "true" if self.has_active_rentals else "false"
        return params


def _tls_for(base_url: str) -> ssl.SSLContext | bool:
    """Certificate checks for `base_url`: the default CA bundle for HTTPS.

    Plain HTTP is allowed only on loopback (the sandbox) and never redirected, so no TLS
    happens there; it gets a context that trusts no certificate at all instead of paying
    ~30 ms to load a CA bundle it cannot use. Should TLS ever occur, it fails closed.
    """
    if base_url.startswith("https://"):
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class _BearerAuth(httpx.Auth):
    """Adds the API key per request, so it lives in one attribute that no repr shows."""

    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def __repr__(self) -> str:
        return "_BearerAuth(<redacted>)"


def user_agent() -> str:
    return f"flexdesk/{__version__} (httpx/{httpx.__version__}; Python {platform.python_version()})"


class FlexPortalClient:
    """One connection to one tenant of one FlexPortal server."""

    def __init__(
        self,
        base_url: str,
        tenant_id: str,
        token: str,
        *,
        timeout: float = 15.0,
        retry: RetryPolicy | None = None,
        requests_per_minute: int | None = 100,
        plan: TenantPlan | None = None,
        limiter: Limiter | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        identity: str | None = None,
    ) -> None:
        self.base_url = checked_base_url(base_url)
        self.tenant_id = tenant_id
        # What the drafts of this server are kept under: its URL, or for a server whose URL
        # changes every start (the built-in sandbox picks a free port) something that lasts.
        self.identity = identity or self.base_url
        self.retry = retry or RetryPolicy()
        self._timeout = timeout
        self._clock = clock
        self._sleep = sleep
        # The plan's limit when the profile names one (the app's way); a fixed one otherwise.
        # A `limiter` of the caller's wins (tests scale a minute down).
        self._limiter: Limiter | None
        if limiter is not None:
            self._limiter = limiter
        elif plan is not None:
            self._limiter = limiter_for(plan, clock=clock, sleep=sleep)
        elif requests_per_minute:
            self._limiter = RateLimiter(requests_per_minute, clock=clock, sleep=sleep)
        else:
            self._limiter = None
        # Built on first use, on a worker thread rather than during the window's start-up.
        self._make_http = partial(
            httpx.Client,
            base_url=self.base_url,
            verify=_tls_for(self.base_url),
            auth=_BearerAuth(token),
            headers={"Tenant-ID": tenant_id, "User-Agent": user_agent(),
                     "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )
        self._http: httpx.Client | None = None
        self._http_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"FlexPortalClient(base_url={self.base_url!r}, tenant_id={self.tenant_id!r})"

    @property
    def limiter(self) -> Limiter | None:
        """The rate limit every request of this client keeps (None: no cap)."""
        return self._limiter

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        with self._http_lock:
            if self._http is not None:
                self._http.close()

    def _session(self) -> httpx.Client:
        with self._http_lock:
            if self._http is None:
                self._http = self._make_http()
            return self._http

    # -- the calls -----------------------------------------------------------------------

    def list_customers(
        self,
        query: CustomerQuery | None = None,
        *,
        limit: int = MAX_PAGE_SIZE,
        start_after: str | None = None,
        background: bool = False,
    ) -> CustomerPage:
        """A page of customers. `background`: work nobody waits for (filling the copy of the
        tenant), which leaves part of the rate limit free for the user's requests."""
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}")
        params = (query or CustomerQuery()).params() | {"limit": str(limit)}
        if start_after:
            params["startAfter"] = start_after
        return self._call("GET", "/v1/customers", CustomerPage, params=params,
                          background=background)

    def iter_pages(
        self, query: CustomerQuery | None = None, *, page_size: int = MAX_PAGE_SIZE
    ) -> Iterator[CustomerPage]:
        cursor: str | None = None
        while True:
            page = self.list_customers(query, limit=page_size, start_after=cursor)
            yield page
            if not page.has_more or not page.next_cursor:
                return
            cursor = page.next_cursor

    def iter_customers(
        self, query: CustomerQuery | None = None, *, page_size: int = MAX_PAGE_SIZE
    ) -> Iterator[Customer]:
        for page in self.iter_pages(query, page_size=page_size):
            yield from page.customers

    def get_customer(self, customer_id: str) -> Customer:
        return self._call("GET", _customer_path(customer_id), Customer)

    def update_customer(
        self, customer_id: str, changes: CustomerUpdate | Mapping[str, Any]
    ) -> Customer:
        """Send a partial update; `changes` uses API names and holds only what changed."""
        update = changes if isinstance(changes, CustomerUpdate) else _build_update(
            customer_id, changes
        )
        if update.customer_id != customer_id:
            raise ValueError("the body's customerId must be the customer being updated")
        answer = self._call("PUT", _customer_path(customer_id), CustomerUpdated,
                            json=update.to_body())
        return answer.customer

    def delete_customer(self, customer_id: str) -> DeleteResult:
        """Deactivate (soft delete). Raises `Conflict` while subscriptions or orders are open."""
        return self._call("DELETE", _customer_path(customer_id), DeleteResult)

    # -- the machinery -------------------------------------------------------------------

    def _call(self, method: str, path: str, model: type[Model], *, background: bool = False,
              **kwargs: Any) -> Model:
        response, body = self._send(method, path, background=background, **kwargs)
        return read_answer(model, body, status=response.status_code)

    def _exchange(self, method: str, path: str, kwargs: Mapping[str, Any]
                  ) -> tuple[httpx.Response, bytes]:
        """One request, and its answer's body read within bounds (see `read_body`)."""
        session = self._session()
        response = session.send(session.build_request(method, path, **kwargs), stream=True)
        try:
            return response, read_body(response)
        finally:
            response.close()  # before the whole body came: the connection is closed, not reused

    def _send(self, method: str, path: str, *, background: bool = False,
              **kwargs: Any) -> tuple[httpx.Response, bytes]:
        # A GET changes nothing: any failure may be retried. A PUT or DELETE is repeated only
        # when it provably was not taken (no connection was made, or the server said 429/503):
        # once it may have been applied with only its answer lost, a blind repeat could
        # overwrite a colleague's newer value, so the caller gets AnswerLost and reads first.
        reading = method == "GET"
        deadline = self._clock() + self.retry.deadline
        attempt = 0
        refused_waited = False  # this retry follows a 429 whose Retry-After was slept here
        while True:
            attempt += 1
            if self._limiter is not None:
                self._limiter.acquire(background=background, refused_waited=refused_waited)
            retry_after: float | None = None
            started = self._clock()
            try:
                response, body = self._exchange(method, path, kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                failure: errors.FlexPortalError = _unreachable(self.base_url, exc)
                retryable = True
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                failure = _answer_lost(self.base_url, exc)
                retryable = reading
            else:
                log.debug("%s %s -> %s in %.0f ms", method, path, response.status_code,
                          (self._clock() - started) * 1000)
                if response.is_success:
                    return response, body
                failure = error_from_response(response, body)
                status = response.status_code
                retryable = status in _NOT_TAKEN or (reading and status in _GATEWAY)
                if status in _GATEWAY and not reading:
                    failure = errors.AnswerLost(
                        f"{self.base_url} did not confirm the request (HTTP {status} from a "
                        "gateway): it may or may not have been applied", status=status)
                retry_after = failure.retry_after
                if status == 429 and self._limiter is not None:
                    self._limiter.refused(retry_after)  # every thread of this client waits
            if not retryable or attempt >= self.retry.attempts:
                raise failure
            delay = self.retry.delay_for(attempt, retry_after)
            if self._clock() + delay > deadline:
                # Not waited here: the error carries the server's wait for the caller.
                raise failure
            log.info("%s %s failed (%s); retry %d in %.1f s", method, path, failure.message,
                     attempt, delay)
            self._sleep(delay)
            refused_waited = isinstance(failure, errors.RateLimited)


def _customer_path(customer_id: str) -> str:
    if not customer_id:
        raise ValueError("a customer ID is required")
    return f"/v1/customers/{quote(customer_id, safe='')}"


def _build_update(customer_id: str, changes: Mapping[str, Any]) -> CustomerUpdate:
    """Validate locally with the same rules the server applies; raise its error type."""
    try:
        return CustomerUpdate.model_validate({**changes, "customerId": customer_id})
    except ValidationError as exc:
        fields = {path_of(problem["loc"]): plain_problem(problem)
                  for problem in exc.errors(include_input=False, include_url=False)}
        summary = "; ".join(f"{path}: {problem}" for path, problem in fields.items())
        raise errors.ValidationFailed(f"the changes are not valid: {summary}", status=None,
                                      field_errors=fields) from None


def _unreachable(base_url: str, exc: httpx.HTTPError) -> errors.Unreachable:
    """No connection was made: the request never left."""
    log.debug("cannot connect to %s: %r", base_url, exc)
    reason = ("the server did not answer in time" if isinstance(exc, httpx.TimeoutException)
              else "cannot connect")
    return errors.Unreachable(f"{base_url} is unreachable: {reason}")


def _answer_lost(base_url: str, exc: httpx.HTTPError) -> errors.AnswerLost:
    """The request left, but its answer did not come back whole."""
    log.debug("no answer from %s: %r", base_url, exc)
    reason = ("the server did not answer in time" if isinstance(exc, httpx.TimeoutException)
              else "the connection was lost before the answer came")
    return errors.AnswerLost(f"{base_url} is unreachable: {reason}")
