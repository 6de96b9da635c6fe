"""The HTTP/1.1 connection handling of ``gerokg serve``: uvicorn's httptools protocol, tightened.

HTTP framing is uvicorn's and llhttp's (the parser of Node.js, through httptools): requests
with two Content-Length headers, a Transfer-Encoding that does not end in ``chunked``, both
Content-Length and Transfer-Encoding, bad chunk sizes or invalid header characters are refused
there, so no request can be smuggled inside another. What this subclass adds are the limits a
public endpoint needs and uvicorn leaves open:

- the request head (request line and headers) must arrive within ``head_timeout`` seconds of
  the connection opening or of the previous answer, so slow-header clients cannot hold sockets;
- the request line may be at most ``max_url_bytes`` long (414) and the head at most
  ``max_head_bytes`` in at most ``max_headers`` fields (431);
- at most ``max_connections`` connections are open at once; one more gets a 503 and is closed;
- every refusal is the API's JSON error ``{"error", "status"}`` and closes the connection;
- every connection has TCP_NODELAY set: uvicorn writes an answer's head and body separately, and
  without it the body waits for the client's delayed acknowledgement (about 40 ms on Linux) on
  every keep-alive request after the first (asyncio sets it only on sockets created with an
  explicit IPPROTO_TCP).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from dataclasses import dataclass
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["ConnectionLimits", "GerokgHttpProtocol", "new_event_loop", "protocol_for"]

_REASONS = {400: "Bad Request", 408: "Request Timeout", 414: "URI Too Long",
            431: "Request Header Fields Too Large", 503: "Service Unavailable"}


@dataclass(frozen=True)
class ConnectionLimits:
    """Limits on each connection (see SECURITY.md for the defaults and what they stop)."""

    head_timeout: float = 10.0
    max_url_bytes: int = 65_536
    max_head_bytes: int = 65_536
    max_headers: int = 100
    max_connections: int = 4096


class _Refuse(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class GerokgHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with head timeouts, size limits, a connection cap and JSON
    errors."""

    limits = ConnectionLimits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_bytes = 0
        self._header_count = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._refusal: _Refuse | None = None

    # -- the connection
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            self._send_error(503, f"too many open connections (the endpoint's limit is {self.limits.max_connections}); "
                                  "try again later")
            return
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.limits.head_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        if self._head_bytes:
            self._send_error(408, f"the request head did not arrive within {self.limits.head_timeout:g} s")
        else:  # an idle connection: close it quietly
            self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._head_bytes = 0
            self._arm_head_timer()

    # -- parsing
    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._send_error(400, "protocol upgrades (WebSocket, h2c) are not supported")
        except httptools.HttpParserError as exc:
            refusal = self._refusal
            if refusal is not None:
                self._send_error(refusal.status, refusal.message)
            else:
                detail = str(exc).strip() or type(exc).__name__
                self._send_error(400, f"invalid HTTP request: {detail}")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_count = 0
        if self._head_timer is None:
            self._arm_head_timer()

    def on_url(self, url: bytes) -> None:
        self._head_bytes += len(url)
        if len(self.url) + len(url) > self.limits.max_url_bytes:
            self._refusal = _Refuse(414, f"request URI longer than {self.limits.max_url_bytes} bytes")
            raise self._refusal
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_bytes += len(name) + len(value) + 4
        self._header_count += 1
        if self._head_bytes > self.limits.max_head_bytes or self._header_count > self.limits.max_headers:
            self._refusal = _Refuse(431, f"request head larger than {self.limits.max_head_bytes} bytes or more "
                                         f"than {self.limits.max_headers} header fields")
            raise self._refusal
        if name.lower() == b"transfer-encoding" and value.strip().lower() != b"chunked":
            # only plain chunked framing: any other coding (gzip, chunked; xchunked) could be read
            # differently by a proxy in front, which is how requests are smuggled
            self._refusal = _Refuse(400, f"Transfer-Encoding {value.decode('latin-1')[:40]!r} is not supported; "
                                         "use chunked or Content-Length")
            raise self._refusal
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._cancel_head_timer()
        super().on_headers_complete()

    # -- refusals
    def send_400_response(self, msg: str) -> None:
        self._send_error(400, msg)

    def _send_error(self, status: int, message: str) -> None:
        self._cancel_head_timer()
        if self.transport.is_closing():
            return
        body = json.dumps({"error": message, "status": status}).encode()
        head = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}".encode()]
        head += [name + b": " + value for name, value in self.server_state.default_headers]
        head += [b"content-type: application/json", b"content-length: " + str(len(body)).encode(),
                 b"access-control-allow-origin: *", b"connection: close"]
        self.transport.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
        self.transport.close()


def protocol_for(limits: ConnectionLimits) -> type[GerokgHttpProtocol]:
    """A protocol class carrying ``limits`` (uvicorn instantiates the class per connection)."""
    return type("GerokgHttpProtocol", (GerokgHttpProtocol,), {"limits": limits})


def new_event_loop() -> asyncio.AbstractEventLoop:
    """The event loop the server runs on: uvloop's (libuv, the loop uvicorn itself prefers) when it
    is installed, else asyncio's. On uvloop a request on a new connection costs about half as
    much of the server's time (benchmarks/RESULTS.md, section 6)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()
