"""Every error on every route in the documented shape (`{"error": {"message", "type", "code"}}`, README "The HTTP
service"), with the right status, and never a 500 for what a client sent.

- `JsonErrors` reshapes any 4xx/5xx a route answered in another shape: Gradio's `{"detail": ...}` and
  `{"error": "<text>"}`, Starlette's and uvicorn's plain text. The original JSON fields are kept beside `error`
  (the chat page's own script reads Gradio's `detail`); the login page (HTML, for browsers) is left as it is.
- `ApiRoutes` answers a path under /v1 (and the service routes) that no API route matches, instead of letting it
  fall through to the chat mounted at "/": a JSON 404, or a 405 with `Allow` when the path exists for
  other methods (Gradio would say 404 for both).
- `JsonBodies` refuses a JSON body nested deeper than `MAX_DEPTH` with a 422 before any parser sees it (Python's
  parser raises RecursionError on 50,000 levels, which every route turned into a 500), and, outside /v1 (whose
  models name the field), one with a lone surrogate escape such as `"\\ud800"`, which JSON allows and Gradio's
  routes fail on when they encode it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui import schemas
from ui.limits import header, read_upto, replay, send_error

MAX_DEPTH = 100  # a chat turn with its history nests about 8 levels
MAX_RESHAPED = 256 * 1024  # an error body larger than this is passed on as it is (no route sends one)
API_PREFIXES = ("/v1/",)
API_PATHS = frozenset({"/v1", "/healthz", "/readyz", "/docs", "/openapi.json"})
KINDS = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "not_found_error",
         405: "method_not_allowed", 408: "request_timeout", 413: "request_too_large", 422: "invalid_request_error",
         429: "rate_limit_error", 431: "request_too_large", 503: "service_unavailable"}


def kind_of(status: int) -> str:
    return KINDS.get(status, "server_error" if status >= 500 else "invalid_request_error")


def reshaped(status: int, body: bytes) -> bytes | None:
    """The body in the documented shape, or None when it already is."""
    try:
        payload: Any = json.loads(body) if body.strip() else None
    except (ValueError, RecursionError):
        payload = None
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return None
        message = _message(payload.get("detail", error if error is not None else payload.get("message")))
        out: dict[str, Any] = {**payload, **schemas.error_body(status, message or _phrase(status), kind_of(status))}
    else:
        text = " ".join(body.decode("utf-8", "replace").split())[:500]
        out = schemas.error_body(status, text or _phrase(status), kind_of(status))
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode()


def _message(value: Any) -> str:
    if isinstance(value, str):
        return value[:2000]
    if isinstance(value, list):  # FastAPI/pydantic validation errors
        return "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" if isinstance(e, dict)
                         else str(e) for e in value[:5])[:2000]
    return "" if value is None else json.dumps(value, ensure_ascii=False)[:2000]


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


class JsonErrors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") == "HEAD":
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        parts: list[bytes] = []

        async def relay(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                if message["status"] >= 400 and _reshapable(message):
                    held = message
                    return
            elif held is not None and message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                size = sum(map(len, parts))
                if message.get("more_body", False) and size <= MAX_RESHAPED:
                    return
                start, body, held = held, b"".join(parts), None
                new = reshaped(start["status"], body) if size <= MAX_RESHAPED else None
                if new is not None:
                    headers = [(k, v) for k, v in start.get("headers", ()) if k.lower() not in (b"content-length",
                                                                                           b"content-type")]
                    start = {**start, "headers": [*headers, (b"content-type", b"application/json"),
                                                  (b"content-length", str(len(new)).encode())]}
                    await send(start)
                    await send({"type": "http.response.body", "body": new, "more_body": False})
                    return
                await send(start)
                message = {**message, "body": body}
            await send(message)

        await self.app(scope, receive, relay)


def _reshapable(start: Message) -> bool:
    kind = next((v for k, v in start.get("headers", ()) if k.lower() == b"content-type"), b"").lower()
    return not kind.startswith((b"text/html", b"text/event-stream"))


class ApiRoutes:
    """A JSON 404/405 for API paths no API route takes (`routes`: the app's, read at each request)."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app, self.routes = app, routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path in API_PATHS or path.startswith(API_PREFIXES)):
            await self.app(scope, receive, send)
            return
        allowed: set[str] = set()
        for route in self.routes:
            if isinstance(route, Mount):
                continue
            match, _ = route.matches(scope)
            if match is Match.FULL:
                await self.app(scope, receive, send)
                return
            if match is Match.PARTIAL:
                allowed |= set(getattr(route, "methods", None) or ())
        if allowed and scope.get("method") != "OPTIONS":  # OPTIONS: CORS preflights are answered further in
            methods = ", ".join(sorted(allowed))
            await send_error(send, 405, f"{scope.get('method')} is not allowed on this path; use {methods}",
                             "method_not_allowed", [(b"allow", methods.encode())])
        elif allowed:
            await self.app(scope, receive, send)
        else:
            await send_error(send, 404, "no such API route; the API is described at /docs", "not_found_error")


_TOKENS = re.compile(rb'[\[\]{}"\\]')
_LONE = re.compile(rb"(?<!\\)(?:\\\\)*\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                   rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})(?<!\\)(?:\\\\)*\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def too_deep(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON text nests arrays/objects deeper than `limit` (strings skipped; no parsing)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth, in_string, escaped_at = 0, False, -1
    for m in _TOKENS.finditer(body):
        t, at = m.group(), m.start()
        if in_string:
            if at == escaped_at:  # the character after a backslash
                continue
            if t == b"\\":
                escaped_at = at + 1
            elif t == b'"':
                in_string = False
        elif t == b'"':
            in_string = True
        elif t in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif t in (b"]", b"}"):
            depth -= 1
    return False


def lone_surrogate(body: bytes) -> bool:
    """Whether the JSON text escapes half a surrogate pair (`\\ud800` alone), which no UTF-8 text can hold."""
    return b"\\u" in body and _LONE.search(body) is not None


class JsonBodies:
    """422 for a request body nested deeper than MAX_DEPTH or (outside /v1) holding a lone surrogate escape;
    multipart uploads pass untouched (never JSON)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = (header(scope, b"content-type") or b"").lower()
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS") or kind.startswith(
                b"multipart/"):
            await self.app(scope, receive, send)
            return
        body, _ = await read_upto(receive, None)  # bounded: BodyLimit, outside this, refused larger bodies
        if too_deep(body):
            await send_error(send, 422, f"the JSON body nests deeper than {MAX_DEPTH} levels", "invalid_request_error")
            return
        if not scope.get("path", "").startswith("/v1/") and lone_surrogate(body):
            await send_error(send, 422, "text must be valid Unicode (a lone surrogate was found)",
                             "invalid_request_error")
            return
        await self.app(scope, replay(body, receive), send)
