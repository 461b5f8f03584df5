"""The sandbox over HTTP: a threaded stdlib server, its request log, and its life cycle.

    with SandboxServer(port=0, customers=200) as sandbox:
        httpx.get(f"{sandbox.base_url}/v1/customers", headers=sandbox.auth_headers)
        sandbox.requests[-1].status  # 200
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import selectors
import socket
import threading
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from types import TracebackType
from typing import Any, overload
from urllib.parse import parse_qsl, urlsplit

from flexdesk import __version__
from flexdesk.sandbox.api import Incoming, Reply, SandboxApi
from flexdesk.sandbox.faults import Fault, Faults, LongBody
from flexdesk.sandbox.storage import Storage
from flexdesk.sandbox.validation import ApiError, Problem, invalid

logger = logging.getLogger("flexdesk.sandbox")

_MAX_BODY = 1 << 20


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the sandbox saw it. The Authorization value reads "<redacted>"."""

    method: str
    path: str  # without the query string
    query: dict[str, str]  # the first value of each parameter
    headers: dict[str, str]  # lower-case names
    body: Any  # the parsed JSON body; None when absent or not JSON
    # The answer's status; Faults.DROP (0) when the connection was dropped unanswered,
    # Faults.ANSWER_LOST (-1) when the request was applied and then dropped unanswered.
    status: int


class RequestLog(Sequence[RecordedRequest]):
    """A thread-safe, append-only list of requests; compares equal to a list of the same."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[RecordedRequest] = []

    def append(self, request: RecordedRequest) -> None:
        with self._lock:
            self._items.append(request)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    @overload
    def __getitem__(self, index: int) -> RecordedRequest: ...
    @overload
    def __getitem__(self, index: slice) -> list[RecordedRequest]: ...
    def __getitem__(self, index: int | slice) -> RecordedRequest | list[RecordedRequest]:
        with self._lock:
            return self._items[index]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(self.snapshot())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RequestLog):
            return self.snapshot() == other.snapshot()
        if isinstance(other, list | tuple):
            return self.snapshot() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"RequestLog({self.snapshot()!r})"


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    protocol_version = "HTTP/1.1"  # keep-alive, as real clients expect
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server_version = f"flexdesk-sandbox/{__version__}"
    sys_version = ""

    def _serve(self) -> None:
        owner = self.server.owner
        url = urlsplit(self.path)
        query: dict[str, str] = {}
        for name, value in parse_qsl(url.query, keep_blank_values=True):
            query.setdefault(name, value)
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        raw, refusal = self._read_body()
        reply = owner._answer(Incoming(self.command, url.path, query, headers, raw), refusal)
        if "authorization" in headers:
            headers["authorization"] = "<redacted>"
        if reply is None or owner.stopping:  # Faults.DROP, or the server is stopping
            self._record(url.path, query, headers, raw, Faults.DROP)
            self.close_connection = True
        elif isinstance(reply, Fault) and reply.status == Faults.ANSWER_LOST:
            self._record(url.path, query, headers, raw, Faults.ANSWER_LOST)
            self._run_then(reply)
            self.close_connection = True
        elif isinstance(reply, Fault):
            self._record(url.path, query, headers, raw, reply.status)
            self._send_raw(reply)
        else:
            self._record(url.path, query, headers, raw, reply.status)
            self._send(reply)

    # BaseHTTPRequestHandler dispatches a request to `do_<METHOD>` and answers 501 when there
    # is none; every method is served here instead, and routing in SandboxApi answers a method
    # a path does not take (TRACE, PATCH, BREW, ...) with 405 and that path's `Allow`.
    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _read_body(self) -> tuple[bytes, ApiError | None]:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            return b"", invalid(400, [Problem("body", "must be sent with a Content-Length")])
        length = self.headers.get("Content-Length", "0").strip() or "0"
        if not length.isdigit() or int(length) > _MAX_BODY:
            self.close_connection = True
            return b"", invalid(400, [Problem("Content-Length", "must be a size up to 1 MiB")])
        return self.rfile.read(int(length)), None

    def _record(self, path: str, query: dict[str, str], headers: dict[str, str], raw: bytes,
                status: int) -> None:
        try:
            body = json.loads(raw) if raw else None
        except (ValueError, RecursionError):  # not JSON, or nested too deeply to parse
            body = None
        self.server.owner.requests.append(
            RecordedRequest(self.command, path, query, headers, body, status)
        )

    def _send(self, reply: Reply) -> None:
        payload = json.dumps(reply.body, ensure_ascii=False).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _run_then(self, fault: Fault) -> None:
        """A lost answer's callback, after the request was applied and recorded."""
        if fault.then is None:
            return
        try:
            fault.then()
        except Exception:
            logger.exception("the callback of a lost answer failed")

    def _send_raw(self, fault: Fault) -> None:
        """A scripted body, sent as it is (text, not the API's shape); a `LongBody` in chunks,
        counting what went out until the client stops reading."""
        body = fault.body if fault.body is not None else b""
        self.send_response(fault.status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body) if isinstance(body, bytes)
                                               else body.size))
        for name, value in fault.headers().items():
            self.send_header(name, value)
        self.end_headers()
        if self.command == "HEAD":
            return
        if isinstance(body, bytes):
            self.wfile.write(body)
            return
        self._send_long(body)

    def _send_long(self, body: LongBody) -> None:
        try:
            for chunk in body.chunks():
                self.wfile.write(chunk)
                body.note_written(len(chunk))
        except OSError:  # the client stopped reading and hung up: what the fault is for
            self.close_connection = True
        finally:
            body.finished.set()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Malformed requests and unknown methods get the API's error shape too."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # an unparsable request line: answer in 1.1
            self.request_version = "HTTP/1.1"
        self._send(Reply.of(ApiError.for_status(code, message or "")))

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Method, path and status only: no headers (the key) and no query (a searched email).
        # A malformed request line leaves command and path unset.
        logger.debug("%s %s %s -> %s", self.address_string(), self.command or "-",
                     urlsplit(getattr(self, "path", "")).path or "-", code)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    timeout = 1.0  # bounds handle_request() should a ready connection vanish before accept

    def __init__(self, address: tuple[str, int], owner: SandboxServer) -> None:
        self.owner = owner
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._wakeup = socket.socketpair()
        self._woken = False
        super().__init__(address, _Handler)

    def serve(self) -> None:
        """`serve_forever` without its polling, so that `wake()` ends it at once."""
        with selectors.DefaultSelector() as selector:
            selector.register(self, selectors.EVENT_READ)
            selector.register(self._wakeup[0], selectors.EVENT_READ)
            while not self._woken:
                for key, _ in selector.select():
                    if key.fileobj is self and not self._woken:
                        self.handle_request()

    def wake(self) -> None:
        self._woken = True
        self._wakeup[1].send(b"!")

    def server_close(self) -> None:
        super().server_close()
        for end in self._wakeup:
            end.close()

    def server_bind(self) -> None:
        TCPServer.server_bind(self)  # HTTPServer's own would do a reverse DNS lookup
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End idle keep-alive connections so their threads can finish."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):  # already gone
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up mid-answer (timeouts, drops) is normal here.
        logger.debug("connection from %s ended abruptly", client_address, exc_info=True)


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
    ) -> None:
        self.host, self.tenant = host, tenant
        self._address = (host, port)
        self._token = token
        self.faults = Faults(seed=seed)
        self._requests = RequestLog()
        self._storage = Storage(db)
        self._storage.seed_tenant(tenant, customers, seed)
        self._api = SandboxApi(self._storage, token)
        self._life = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _HttpServer | None = None
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
                    self._httpd = _HttpServer(self._address, self)
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
