"""The guard in front of the Gradio chat mounted at "/" by `resqa serve` (`mount_chat`).

It wraps the mounted Gradio app only (the REST API has its own ApiKey middleware) and, on every request:
1. with `RESQA_API_KEY` set, lets through without the key only the static files the login page and the chat
   shell need (`PUBLIC`); everything else — the page, /config, /gradio_api/info, queue/join, queue/data, run,
   call, upload, file, heartbeat, MCP, and any route a later Gradio adds — needs `Authorization: Bearer <key>`
   or the login cookie (`ui.chat_login`). The page itself answers with the login form;
2. refuses calls by name of anything but a public endpoint (404), so the UI's private events (respond, like…)
   are reachable only as the page reaches them, by index through the queue — with the key;
3. checks named and queue/join calls' arguments first (`ui.gradio_args`): a bad call is a 4xx with a reason;
   a `gr.Error` a public endpoint raises for bad input (an unknown paragraph, k out of range) is a 422, not
   Gradio's 500; an exception escaping Gradio before it answered is a JSON 500, not a reset connection.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui import chat_login
from ui.gradio_args import BadCall, Endpoints
from ui.limits import read_upto, replay, send_error
from ui.ratelimit import RateLimiter
from ui.settings import ServeSettings

log = logging.getLogger(__name__)
PUBLIC_PREFIXES = ("/assets/", "/static/", "/svelte/", "/pwa_icon")
PUBLIC_PATHS = frozenset({"/favicon.ico", "/theme.css", "/gradio_api/theme.css", "/robots.txt", "/manifest.json"})
NAMED = re.compile(r"^/gradio_api/(run|api|call/v2|call)/([^/]+)/?(.*)$")
JOIN, DATA = "/gradio_api/queue/join", "/gradio_api/queue/data"
LOGIN_PER_MINUTE, LOGIN_BURST = 10, 5


def mount_chat(app: Any, chat: Any, serving: ServeSettings) -> None:
    """Mount the chat (a `ui.chat_page.ChatApp`) at "/" of the FastAPI `app`, behind a ChatGuard."""
    chat.mount(app)  # with the page options `resqa ui` launches it with (show_error=False among them)
    mount = app.router.routes[-1]  # the Mount just added; wrapping its app is what Mount(middleware=...) does
    mount.app = ChatGuard(mount.app, Endpoints.of(chat.blocks), serving.api_key, chat.blocks)


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class ChatGuard:
    def __init__(self, app: ASGIApp, endpoints: Endpoints, key: str | None, blocks: Any) -> None:
        self.app, self.endpoints, self.key, self.blocks = app, endpoints, key, blocks
        self.logins = RateLimiter(LOGIN_PER_MINUTE, LOGIN_BURST)  # key guessing: a handful a minute per address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = _route_path(scope)
        if self.key and path in (chat_login.LOGIN, chat_login.LOGOUT) and scope["type"] == "http":
            await self._login(scope, receive, send, path)
            return
        if self.key and not (is_public(path) and scope.get("method") in ("GET", "HEAD")) \
                and not chat_login.authorized(scope, self.key):
            await self._refuse(scope, send, path)
            return
        if scope["type"] == "http":
            await self._checked(scope, receive, send, path)
        else:
            await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, send: Send, path: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
        elif path in ("", "/") and scope["method"] in ("GET", "HEAD"):
            await chat_login.send_page(send, 401)
        else:
            await send_error(send, 401, "missing or wrong API key (Authorization: Bearer <RESQA_API_KEY>, or sign "
                             "in on the chat page)", "authentication_error", [(b"www-authenticate", b"Bearer")])

    async def _login(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        assert self.key is not None
        if path == chat_login.LOGOUT:
            await chat_login.redirect(send, "../", (chat_login.set_cookie_header(scope, "", 0),))
            return
        if scope["method"] != "POST":
            await chat_login.redirect(send, "../")
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        if not self.logins.allow(client):
            await chat_login.send_page(send, 429, "尝试次数过多，请稍后再试。Too many attempts; wait a minute.")
            return
        body, over = await read_upto(receive, chat_login.MAX_FORM)
        if over or not chat_login.key_matches(chat_login.form_key(body), self.key):
            await chat_login.send_page(send, 401, "密钥不正确。Wrong key.")
            return
        cookie = chat_login.set_cookie_header(scope, chat_login.cookie_value(self.key), chat_login.LIFETIME)
        await chat_login.redirect(send, "../", (cookie,))

    def _component(self, session: str, block: int) -> Any:
        """A block as `session` has it (its choices or samples may have been updated), else as built. Read from
        Gradio's session store without creating an entry (its __getitem__ would make one per session id)."""
        holder = getattr(self.blocks, "state_holder", None)
        state = holder.session_data.get(session) if holder is not None else None
        blocks = state.blocks_config.blocks if state is not None else self.blocks.blocks
        return blocks.get(block)

    def _stream_exists(self, session: str | None) -> None:
        """Gradio answers an event stream for an unknown session with 200, then raises 404 inside the stream and
        drops the connection; say 404 before the stream starts instead."""
        if session is None or session not in self.blocks._queue.pending_messages_per_session:
            raise BadCall(404, "no such event or session (it finished, or never started)")

    async def _checked(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        named, method = NAMED.match(path), scope["method"]
        try:
            if named and (method == "POST" or named.group(3)):  # a call, or GET call/<name>/<event id>
                kind, name = named.group(1), named.group(2)
                if method != "POST":
                    self.endpoints.require(name)
                    self._stream_exists(session_of_event(self.blocks, named.group(3).strip("/")))
                else:
                    raw, _ = await read_upto(receive, None)
                    body = self.endpoints.named(name, raw, keywords=kind == "call/v2")
                    scope, receive = _with_body(scope, body), replay(body, receive)
                    if kind in ("run", "api"):
                        send = _input_errors_are_422(send)
            elif path == DATA and method == "GET":
                query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
                self._stream_exists((query.get("session_hash") or [None])[0])
            elif path == JOIN and method == "POST":
                raw, _ = await read_upto(receive, None)
                self.endpoints.join(raw, self._component)
                receive = replay(raw, receive)
        except BadCall as exc:
            kind = "not_found_error" if exc.status == 404 else "invalid_request_error"
            await send_error(send, exc.status, str(exc), kind)
            return
        await _guarded(self.app, scope, receive, send)


def session_of_event(blocks: Any, event_id: str) -> str:
    """The session whose stream `/call/<name>/<event id>` reads (as Gradio's simple_predict_get finds it)."""
    queue = blocks._queue
    event = queue.event_ids_to_events.get(event_id)
    if event is not None:
        return str(event.session_hash)
    return next((s for s, ids in queue.pending_event_ids_session.items() if event_id in ids), event_id)


async def _guarded(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    started = False

    async def watch(message: Message) -> None:
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, receive, watch)
    except Exception:
        log.exception("the chat failed on %s %s", scope.get("method"), scope.get("path"))
        if not started:
            await send_error(send, 500, "internal error in the chat service", "server_error")


def _input_errors_are_422(send: Send) -> Send:
    """A named call that fails with gr.Error (the endpoint's own input check: Gradio's error payload then has a
    "title") answers 422; other 500s stay 500. Only /run and /api, whose answer is one JSON body."""
    held: Message | None = None

    async def relay(message: Message) -> None:
        nonlocal held
        if message["type"] == "http.response.start" and message["status"] == 500:
            held = message
            return
        if held is not None and message["type"] == "http.response.body":
            start, held = held, None
            if not message.get("more_body") and _is_app_error(message.get("body", b"")):
                start = {**start, "status": 422}
            await send(start)
        await send(message)

    return relay


def _is_app_error(body: bytes) -> bool:
    try:
        payload = json.loads(body)
    except ValueError:
        return False
    return isinstance(payload, dict) and isinstance(payload.get("error"), str) and "title" in payload


def _route_path(scope: Scope) -> str:
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path


def _with_body(scope: Scope, body: bytes) -> Scope:
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
    return {**scope, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
