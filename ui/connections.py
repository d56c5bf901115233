"""Per-client bounds on the HTTP server (`resqa serve`), so one client cannot take the service from others.

Who a client is: the socket's peer address. Only a peer named in `forwarded_allow_ips` (RESQA_FORWARDED_ALLOW_IPS,
`--forwarded-allow-ips`; none by default) is a proxy whose `X-Forwarded-For` uvicorn believes; from any other
peer that header changes nothing, so no limit can be dodged by rotating it.

Two places enforce the bounds:
- the HTTP protocol (`guarded_protocol`, a subclass of uvicorn's h11 protocol), per TCP connection: at most
  `http_max_connections_per_client` open connections per peer (a trusted proxy is exempt: it carries many
  clients), at most `http_max_connections` in all; a connection that sends nothing for `http_idle_timeout`
  seconds after it opens is closed, and one whose request headers are not complete `http_header_timeout`
  seconds after their first byte (on a new or a kept-alive connection). A refused connection gets a JSON 429 or
  503 and is closed at once, and a request h11 cannot parse gets a JSON 400 (uvicorn's are plain text);
- an ASGI middleware (`ClientLimits`), per request: the request line and headers within
  `http_max_header_bytes` however they arrived (h11 checks the size only of headers still incomplete after a
  read), and at most `http_max_requests_per_client` requests running at once per client (the proxied address
  when the peer is a trusted proxy).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from ui import schemas
from ui.limits import send_error
from ui.settings import ServeSettings

_REASONS = {400: b"Bad Request", 408: b"Request Timeout", 429: b"Too Many Requests", 503: b"Service Unavailable"}


class Peers:
    """Which addresses are trusted proxies (`*`, addresses, networks)."""

    def __init__(self, trusted: Iterable[str]) -> None:
        names = [t.strip() for t in trusted if t.strip()]
        self.everyone = "*" in names
        self.networks = []
        for name in names:
            if name != "*":
                try:
                    self.networks.append(ipaddress.ip_network(name, strict=False))
                except ValueError as exc:
                    raise ValueError(f"RESQA_FORWARDED_ALLOW_IPS: {name!r} is not an IP address or network") from exc

    def trusted(self, address: str | None) -> bool:
        if self.everyone:
            return True
        if not self.networks or not address:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self.networks)


def raw_error(status: int, message: str, kind: str) -> bytes:
    """A whole HTTP/1.1 response, JSON error body, `Connection: close` (for use before any request is parsed)."""
    body = json.dumps(schemas.error_body(status, message, kind), ensure_ascii=False, separators=(",", ":")).encode()
    head = (b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n"
            % (status, _REASONS.get(status, b"Error"), len(body)))
    return head + body


def guarded_protocol(serving: ServeSettings) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with the per-connection bounds above (one class per server: it holds the counts)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    peers = Peers(serving.forwarded_allow_ips)
    open_by_peer: dict[str, int] = {}  # peer address -> open connections (touched by the event loop only)
    per_peer, total = serving.http_max_connections_per_client, serving.http_max_connections
    header_timeout, idle_timeout = serving.http_header_timeout, serving.http_idle_timeout

    class Guarded(H11Protocol):
        _timer: asyncio.TimerHandle | None = None
        _waiting_for: object = None  # the request cycle that was current when the timer was armed
        _peer: str | None = None  # counted in open_by_peer (None: refused, or a trusted proxy)
        _refused = False
        _began = False  # whether this connection sent a byte (the idle timer then gives way to the header one)

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            peer = self.client[0] if self.client else "unknown"
            if len(self.connections) > total or len(self.tasks) >= total:
                self._refuse(503, f"the server has {total} connections open; try again shortly", "service_unavailable")
                return
            if not peers.trusted(peer):
                if open_by_peer.get(peer, 0) >= per_peer:
                    self._refuse(429, f"too many connections from {peer} (at most {per_peer} at once)",
                                 "rate_limit_error")
                    return
                open_by_peer[peer] = open_by_peer.get(peer, 0) + 1
                self._peer = peer
            self._arm(idle_timeout)

        def _refuse(self, status: int, message: str, kind: str) -> None:
            self._refused = True
            self.transport.write(raw_error(status, message, kind))
            self.transport.close()

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return
            if (self.cycle is None or self.cycle.response_complete) and (self._timer is None or not self._began):
                self._began = True  # the first byte of a request: its headers have this long (not the idle bound)
                self._arm(header_timeout)
            super().data_received(data)
            if self._timer is not None and self.cycle is not self._waiting_for:
                self._disarm()  # its headers are complete: a new request cycle started

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            if self._peer is not None:
                left = open_by_peer.get(self._peer, 1) - 1
                if left > 0:
                    open_by_peer[self._peer] = left
                else:
                    open_by_peer.pop(self._peer, None)
                self._peer = None
            super().connection_lost(exc)

        def send_400_response(self, msg: str) -> None:
            """A request h11 cannot parse (malformed, or headers over the limit while still arriving): JSON."""
            self.logger.debug("bad request from %s: %s", self.client, msg)
            if not self.transport.is_closing():
                self.transport.write(raw_error(400, "invalid HTTP request (malformed, or its headers are over "
                                                    f"{serving.http_max_header_bytes} bytes)", "invalid_request_error"))
                self.transport.close()

        def _arm(self, timeout: float) -> None:
            self._disarm()
            self._waiting_for = self.cycle
            self._timer = self.loop.call_later(timeout, self._expire)

        def _disarm(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def _expire(self) -> None:
            self._timer = None
            if self.cycle is self._waiting_for and not self.transport.is_closing():
                self.transport.close()

    return Guarded


def client_of(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class ClientLimits:
    """Per request: a 431 for a request line and headers over `max_header_bytes`; a 429 for a client with
    `per_client` requests already running (an answer, a chat stream)."""

    def __init__(self, app: ASGIApp, max_header_bytes: int, per_client: int) -> None:
        self.app, self.max_header_bytes, self.per_client = app, max_header_bytes, per_client
        self.running: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") + sum(
            len(k) + len(v) + 4 for k, v in scope.get("headers", ()))
        if size > self.max_header_bytes:
            await _refuse(scope, send, 431, f"the request line and headers are over {self.max_header_bytes} bytes",
                          "request_too_large")
            return
        who = client_of(scope)
        if self.running.get(who, 0) >= self.per_client:
            await _refuse(scope, send, 429, f"too many requests running for {who} (at most {self.per_client} at "
                          "once); wait for one to finish", "rate_limit_error")
            return
        self.running[who] = self.running.get(who, 0) + 1
        try:
            await self.app(scope, receive, send)
        finally:
            left = self.running[who] - 1
            if left:
                self.running[who] = left
            else:
                del self.running[who]


async def _refuse(scope: Scope, send: Send, status: int, message: str, kind: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008 if status != 431 else 1009})
    else:
        await send_error(send, status, message, kind, [(b"retry-after", b"1")] if status == 429 else ())


def uvicorn_options(serving: ServeSettings) -> dict[str, Any]:
    """Keyword arguments for uvicorn.run: this protocol (h11: only h11 takes a header size limit), keep-alive,
    the header limit, and X-Forwarded-For believed only from the trusted proxies (uvicorn trusts 127.0.0.1 by
    default; here nobody unless named). The connection limits are the protocol's (JSON, per client), so
    uvicorn's own `limit_concurrency` (a plain-text 503 for everyone) is not set."""
    trusted = list(serving.forwarded_allow_ips)
    return {"http": guarded_protocol(serving), "timeout_keep_alive": serving.http_keep_alive,
            "h11_max_incomplete_event_size": serving.http_max_header_bytes,
            "proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None}
