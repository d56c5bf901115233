"""The browser's way in when `RESQA_API_KEY` is set: a login page that takes the key once and sets a signed,
expiring, HttpOnly cookie, which the chat page's own requests then carry. Scripts send
`Authorization: Bearer <key>` instead, as for the REST API.

The cookie is `<expiry>.<HMAC-SHA256(key, expiry)>`: it holds no copy of the key, stops working when it expires
or when the key changes (no server-side session store), and is SameSite=Lax, so another site's forms and
scripts cannot make the browser call the chat with it.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import time
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

from starlette.types import Scope, Send

from ui.limits import header

COOKIE = "resqa_chat"
LIFETIME = 12 * 3600  # seconds; a working day, then the key is asked again
LOGIN, LOGOUT = "/resqa/login", "/resqa/logout"
MAX_FORM = 4096


def _sign(key: str, expiry: int) -> str:
    return hmac.new(key.encode(), f"resqa-chat|{expiry}".encode(), hashlib.sha256).hexdigest()


def cookie_value(key: str, now: float | None = None) -> str:
    expiry = int(now if now is not None else time.time()) + LIFETIME
    return f"{expiry}.{_sign(key, expiry)}"


def key_matches(given: bytes, key: str) -> bool:
    return hmac.compare_digest(given, key.encode())  # constant time: no key-guessing by timing


def authorized(scope: Scope, key: str) -> bool:
    """Whether the request carries the key (`Authorization: Bearer`) or a valid, unexpired chat cookie."""
    if key_matches(header(scope, b"authorization") or b"", f"Bearer {key}"):
        return True
    raw = header(scope, b"cookie")
    if not raw:
        return False
    try:
        jar: SimpleCookie = SimpleCookie(raw.decode("latin-1"))
    except CookieError:
        return False
    morsel = jar.get(COOKIE)
    expiry, _, signature = (morsel.value if morsel else "").partition(".")
    if not (expiry.isascii() and expiry.isdigit()) or len(expiry) > 12 or int(expiry) < time.time():
        return False
    return hmac.compare_digest(signature.encode(), _sign(key, int(expiry)).encode())


def form_key(body: bytes) -> bytes:
    """The `key` field of an urlencoded login form (empty when absent)."""
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=4)
    return (fields.get("key") or [""])[0].encode()


def set_cookie_header(scope: Scope, value: str, max_age: int) -> tuple[bytes, bytes]:
    secure = "; Secure" if scope.get("scheme") == "https" else ""
    return (b"set-cookie",
            f"{COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}".encode())


async def send_page(send: Send, status: int, note: str = "",
                    headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    body = _PAGE.format(note=f'<p class="note">{html.escape(note)}</p>' if note else "").encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store"),
                            (b"www-authenticate", b"Bearer"), *headers]})
    await send({"type": "http.response.body", "body": body})


async def redirect(send: Send, location: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode()), (b"content-length", b"0"),
                            (b"cache-control", b"no-store"), *headers]})
    await send({"type": "http.response.body", "body": b""})


# The form posts to a path relative to the page ("/" → "/resqa/login"), so it also works behind a path prefix.
_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>resqa · 登录 / Sign in</title>
<style>body{{font-family:system-ui,sans-serif;max-width:26rem;margin:12vh auto;padding:0 1rem;color:#1f2937}}
input,button{{font:inherit;padding:.5rem .7rem;width:100%;box-sizing:border-box;margin-top:.5rem}}
button{{background:#2563eb;color:#fff;border:0;border-radius:.4rem}}.note{{color:#b91c1c}}</style></head>
<body><h1>决议问答 · A/RES/67/190</h1>
<p>此服务需要访问密钥（RESQA_API_KEY）。<br>This service needs its access key (RESQA_API_KEY).</p>{note}
<form method="post" action="resqa/login" id="resqa-login">
<label for="key">访问密钥 / Access key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
<button type="submit">登录 / Sign in</button></form></body></html>
"""
