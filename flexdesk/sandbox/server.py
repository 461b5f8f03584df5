"""The sandbox over HTTP: a threaded stdlib server, its request log, and its life cycle.

    with SandboxServer(port=0, customers=200) as sandbox:
        httpx.get(f"{sandbox.base_url}/v1/customers", headers=sandbox.auth_headers)
        sandbox.requests[-1].status  # 200
"""

from __future__ import annotations

import logging
import os
import threading
import zlib
from types import TracebackType

from flexdesk.sandbox.api import Incoming, Reply, SandboxApi
from flexdesk.sandbox.faults import Fault, Faults
from flexdesk.sandbox.handler import HttpServer
from flexdesk.sandbox.plans import PLANS, RateLimit, RequestMeter
from flexdesk.sandbox.request_log import RecordedRequest, RequestLog
from flexdesk.sandbox.storage import Storage
from flexdesk.sandbox.validation import ApiError

__all__ = ["RecordedRequest", "RequestLog", "SandboxServer"]

logger = logging.getLogger("flexdesk.sandbox")


class SandboxServer:
    """A local stand-in for the FlexPortal customers API, seeded with made-up customers.

    `db` names an SQLite file to keep edits across restarts (seeded only when the file holds
    no such tenant yet); without it everything lives in memory. Not restartable: after `stop()`
    make a new server (on the same `db` to see the same data).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        tenant: str = "sandbox",
        token: str = "sandbox",  # noqa: S107 - the sandbox's well-known demo key
        customers: int = 500,
        seed: int = 1,
        db: str | os.PathLike[str] | None = None,
        plan: str | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        """`plan` ("starter", "growth", "enterprise"; None: no limit) sets the rate limit per
        key, as FlexPortal's plans do; a `rate_limit` of its own wins (tests scale it down)."""
        self.host, self.tenant = host, tenant
        self._address = (host, port)
        self._token = token
        self.faults = Faults(seed=seed)
        if plan is not None and plan not in PLANS:
            raise ValueError(f"no plan {plan!r}; choose one of {', '.join(PLANS)}")
        self._meter: RequestMeter | None = None
        self.rate_limit = rate_limit or (PLANS[plan] if plan else None)
        self._requests = RequestLog()
        self._storage = Storage(db)
        self._storage.seed_tenant(tenant, customers, seed)
        self._api = SandboxApi(self._storage, token)
        self._life = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: HttpServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        where = self.base_url if self._httpd else "not started"
        return f"SandboxServer({where}, tenant={self.tenant!r})"

    # ---- life cycle

    def start(self) -> SandboxServer:
        """Listen and serve from a daemon thread; returns self."""
        with self._life:
            if self._stopping.is_set():
                raise RuntimeError("a stopped SandboxServer cannot start again; make a new one")
            if self._httpd is None:
                try:
                    self._httpd = HttpServer(self._address, self)
                except OSError:  # e.g. the port is taken: this server is done for
                    self._stopping.set()
                    self._storage.close()
                    raise
                self._thread = threading.Thread(
                    target=self._httpd.serve, name=f"flexdesk-sandbox-{self.port}", daemon=True
                )
                self._thread.start()
                logger.debug("listening on %s (tenant %s)", self.base_url, self.tenant)
        return self

    def stop(self) -> None:
        """Stop serving, end open connections, wait for their threads, close the database."""
        with self._life:
            if self._stopping.is_set():
                return
            self._stopping.set()  # also wakes requests sleeping on injected latency
            if self._httpd is not None and self._thread is not None:
                self._httpd.wake()
                self._thread.join()
                self._httpd.close_connections()
                self._httpd.server_close()  # joins the request threads
            self._storage.close()

    def serve_forever(self) -> None:
        """Serve until `stop()` (from another thread) or Ctrl+C; then stop."""
        self.start()
        try:
            self._stopping.wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    # ---- where and how to reach it

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the sandbox is not started yet")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def auth_headers(self) -> dict[str, str]:
        """The headers an API call needs here: the bearer key and the Tenant-ID."""
        return {"Authorization": f"Bearer {self._token}", "Tenant-ID": self.tenant}

    # ---- the plan

    @property
    def rate_limit(self) -> RateLimit | None:
        meter = self._meter
        return None if meter is None else meter.limit

    @rate_limit.setter
    def rate_limit(self, limit: RateLimit | None) -> None:
        """A new limit starts with a fresh count."""
        self._meter = None if limit is None else RequestMeter(limit)

    def _over_limit(self, request: Incoming) -> ApiError | None:
        meter = self._meter
        if meter is None:
            return None
        wait = meter.admit(request.headers.get("authorization", ""))  # per key, as FlexPortal
        if wait is None:
            return None
        return ApiError(429, "RATE_LIMITED",
                        f"Rate limit exceeded: {meter.limit.requests} requests per "
                        f"{meter.limit.window:g} seconds",
                        headers={"Retry-After": meter.limit.retry_after(wait)})

    # ---- data and observation

    def add_tenant(self, tenant: str, customers: int = 50, seed: int | None = None) -> bool:
        """Another tenant the same key may use (False if the database already holds it).

        Without a seed the tenant's name picks one, so its customers differ from ours.
        """
        if seed is None:
            seed = zlib.crc32(tenant.encode())
        return self._storage.seed_tenant(tenant, customers, seed)

    @property
    def requests(self) -> RequestLog:
        """Every request received, faulted and refused ones included, oldest first."""
        return self._requests

    def clear_requests(self) -> None:
        self._requests.clear()

    def _answer(self, request: Incoming, refusal: ApiError | None) -> Reply | Fault | None:
        """The reply to one request: a fault's raw body, or None to drop the connection."""
        latency = self.faults.latency
        if latency:
            self._stopping.wait(latency)
        over = self._over_limit(request)
        if over is not None:
            return Reply.of(over)
        fault = self.faults.next_fault()
        if fault is not None:
            if fault.status == Faults.DROP:
                return None
            if fault.status == Faults.ANSWER_LOST:
                self._handle(request, refusal)  # applied; the handler then drops the answer
                return fault
            if fault.body is not None:
                return fault
            refusal = fault.error()
        return self._handle(request, refusal)

    def _handle(self, request: Incoming, refusal: ApiError | None) -> Reply:
        if refusal is not None:
            return Reply.of(refusal)
        try:
            return self._api.handle(request)
        except Exception:
            logger.exception("sandbox failure on %s %s", request.method, request.path)
            return Reply.of(ApiError.for_status(500, "The sandbox failed; see its log"))
