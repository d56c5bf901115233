"""How much a client can make the HTTP server hold, in bytes and in time: a body size limit and a deadline for
the body, with the helpers the other guards share (`send_error`, `header`, `read_upto`, `replay`).

uvicorn has no header or body read timeout of its own: its keep-alive timer is cancelled by the first byte of
a request, so a client that sends a byte and then nothing (or headers a byte at a time) holds a connection
slot forever. Headers are not visible to an ASGI app until they are complete, so their deadline lives in the
HTTP protocol (`ui.connections`, with the per-client connection bounds); the body's is an ASGI middleware
(`BodyDeadline`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui import schemas


async def send_error(send: Send, status: int, message: str, kind: str,
                     headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps(schemas.error_body(status, message, kind), ensure_ascii=False, separators=(",", ":")).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


def header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


class BodyDeadline:
    """408 when a request body has not fully arrived `timeout` seconds after its headers. The app sees the
    cut body as a disconnect; whatever it makes of that is replaced by the 408, and the connection closes."""

    def __init__(self, app: ASGIApp, timeout: float) -> None:
        self.app, self.timeout = app, timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline, body_done, expired, started = loop.time() + self.timeout, False, False, False

        async def bounded() -> Message:
            nonlocal body_done, expired
            if body_done:  # after the body: disconnect notices, which a streamed answer waits on unbounded
                return await receive()
            if expired:
                return {"type": "http.disconnect"}
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                expired = True
                return {"type": "http.disconnect"}
            body_done = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if expired:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded, watched)
        except Exception:
            if not expired:
                raise
        if expired and not started:
            await send_error(send, 408, f"the request body did not arrive within {self.timeout:g} s",
                             "request_timeout", [(b"connection", b"close")])


def _has_body(scope: Scope) -> bool:
    return header(scope, b"transfer-encoding") is not None or header(scope, b"content-length") not in (None, b"0")


class BodyLimit:
    """413 for request bodies over the limit, decided before the app sees any of the body."""

    def __init__(self, app: ASGIApp, api_limit: int, ui_limit: int) -> None:
        self.app, self.api_limit, self.ui_limit = app, api_limit, ui_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.api_limit if scope["path"].startswith("/v1/") else self.ui_limit
        declared = header(scope, b"content-length")
        if declared is not None:
            # The server enforces Content-Length framing, so the declared size is the size.
            if not declared.isdigit():
                await send_error(send, 400, "invalid Content-Length", "invalid_request_error")
            elif int(declared) > limit:
                await send_error(send, 413, f"request body over {limit} bytes", "request_too_large")
            else:
                await self.app(scope, receive, send)
            return
        # Chunked upload: read it now (at most limit + one chunk), then replay it to the app.
        body, more = await read_upto(receive, limit)
        if more:
            await send_error(send, 413, f"request body over {limit} bytes", "request_too_large")
            return
        await self.app(scope, replay(body, receive), send)


async def read_upto(receive: Receive, limit: int | None) -> tuple[bytes, bool]:
    """The body, and whether it went over `limit` (reading stops there; None: no limit of its own)."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(parts), False
        parts.append(message.get("body", b""))
        size += len(parts[-1])
        if limit is not None and size > limit:
            return b"", True
        if not message.get("more_body", False):
            return b"".join(parts), False


def replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: disconnect notices come from the server as usual
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
