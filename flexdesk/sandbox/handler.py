"""The sandbox's HTTP plumbing: a stdlib request handler and a threaded server that ends at once.

Everything the handler decides is asked of its owner, the `SandboxServer`: the reply to a
request (or a fault instead of one), whether it is stopping, and where to record requests.
"""

from __future__ import annotations

import contextlib
import json
import logging
import selectors
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from flexdesk import __version__
from flexdesk.sandbox.api import Incoming, Reply
from flexdesk.sandbox.faults import Fault, Faults, LongBody
from flexdesk.sandbox.request_log import RecordedRequest
from flexdesk.sandbox.validation import ApiError, Problem, invalid

if TYPE_CHECKING:
    from flexdesk.sandbox.server import SandboxServer

logger = logging.getLogger("flexdesk.sandbox")

_MAX_BODY = 1 << 20


class Handler(BaseHTTPRequestHandler):
    server: HttpServer
    protocol_version = "HTTP/1.1"  # keep-alive, as real clients expect
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server_version = f"flexdesk-sandbox/{__version__}"
    sys_version = ""
    _started = 0.0

    def _serve(self) -> None:
        self._started = time.monotonic()
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
            RecordedRequest(self.command, path, query, headers, body, status,
                            started=self._started, finished=time.monotonic())
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


class HttpServer(ThreadingHTTPServer):
    # Joined by server_close (after close_connections has ended idle keep-alives), so no
    # request is still using the database when the server closes it.
    daemon_threads = False
    block_on_close = True
    timeout = 1.0  # bounds handle_request() should a ready connection vanish before accept

    def __init__(self, address: tuple[str, int], owner: SandboxServer) -> None:
        self.owner = owner
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._wakeup = socket.socketpair()
        self._woken = False
        super().__init__(address, Handler)

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
