"""One client without the key cannot take `resqa serve` down, fill the disk through its log or dodge its limits
(README "Clients, limits and logs"): a real `resqa serve` (uvicorn subprocess) with RESQA_API_KEY set and its
log in a size-rotated file; clients on distinct loopback addresses (127.0.0.2 and 127.0.0.3 are two clients).
Every request loop here is bounded in count, and every socket read in time."""

from __future__ import annotations

import json
import select
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from http_server import running
from test_gradio_guard import AUTH, KEY, WHEN, event_id, records_of
from test_live_ops import Server

from ui.connections import uvicorn_options
from ui.http import create_app

pytestmark = pytest.mark.slow
PER_CLIENT = 64  # RESQA_HTTP_MAX_CONNECTIONS_PER_CLIENT, its default
LOG_CAP = 64 * 1024  # RESQA_LOG_MAX_BYTES for this server: small, so the test sees it rotate


@pytest.fixture(scope="module")
def server(answerer, shared_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    """(the server, its log file); the server's RESQA_HOME is the log's folder / "home"."""
    home = tmp_path_factory.mktemp("abuse") / "home"
    shutil.copytree(shared_home, home, symlinks=True)
    log = home.parent / "resqa.log"
    env = {"RESQA_API_KEY": KEY, "RESQA_LOG_FILE": str(log), "RESQA_LOG_MAX_BYTES": str(LOG_CAP),
           "RESQA_HTTP_IDLE_TIMEOUT": "5", "RESQA_FEEDBACK_PER_MINUTE": "1"}
    srv = Server(home, env)
    yield srv, log
    srv.stop()
    assert "Traceback" not in srv.log.read_text(errors="replace"), "nothing printed a traceback to stderr"


def address(srv: Server) -> tuple[str, int]:
    host, port = srv.base.removeprefix("http://").split(":")
    return host, int(port)


def connect(srv: Server, source: str) -> socket.socket:
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(30)
    s.connect(address(srv))
    return s


def read_all(s: socket.socket) -> bytes:
    """What the server sent until it closed. A server that answers (431) and closes while the client is still
    writing leaves unread bytes, so the kernel resets the connection: what arrived before the reset is kept."""
    parts = []
    try:
        while chunk := s.recv(65536):
            parts.append(chunk)
    except ConnectionResetError:
        pass
    return b"".join(parts)


def exchange(srv: Server, raw: bytes, source: str = "127.0.0.1") -> tuple[bytes, Any]:
    """Send `raw` in one write on a new connection; (status line, JSON body) of the reply."""
    with connect(srv, source) as s:
        s.sendall(raw)
        head, _, body = read_all(s).partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0], json.loads(body) if body else None


def still_open(s: socket.socket) -> bool:
    readable, _, _ = select.select([s], [], [], 0)
    return not readable  # still open: nothing to read, no EOF


# ---- connections ----------------------------------------------------------------------------------------
def test_idle_connections_of_one_client_never_starve_another(server: tuple[Server, Path]) -> None:
    srv, _log = server
    idle = [connect(srv, "127.0.0.2") for _ in range(300)]
    try:
        keyed = (b"GET /v1/paragraphs/OP12 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY.encode() +
                 b"\r\nConnection: close\r\n\r\n")
        status, body = exchange(srv, keyed, source="127.0.0.3")
        assert status == b"HTTP/1.1 200 OK" and body["id"] == "OP12"
        replies = [read_all(s) for s in idle]  # refused ones: a 429 at once; held ones: closed when idle
    finally:
        for s in idle:
            s.close()
    refused = [r for r in replies if r]
    assert len(refused) == 300 - PER_CLIENT and replies.count(b"") == PER_CLIENT
    head, _, body = refused[0].partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 429") and json.loads(body)["error"]["type"] == "rate_limit_error"


def test_a_connection_that_sends_nothing_is_closed(server: tuple[Server, Path]) -> None:
    srv, _log = server
    with connect(srv, "127.0.0.4") as s:
        assert still_open(s)
        assert s.recv(1) == b"", "closed by the server (RESQA_HTTP_IDLE_TIMEOUT) before the 30 s read timeout"


# ---- headers, however they arrive --------------------------------------------------------------------------
def test_header_size_is_enforced_however_the_headers_arrive(server: tuple[Server, Path]) -> None:
    srv, _log = server
    big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 20_000 + b"\r\nConnection: close\r\n\r\n"
    status, body = exchange(srv, big)  # complete in one read: h11 alone would take it
    assert status.startswith(b"HTTP/1.1 431") and body["error"]["code"] == 431
    status, body = exchange(srv, big[:17_000])  # still incomplete past the limit: h11's own check
    assert status.startswith(b"HTTP/1.1 400") and body["error"]["type"] == "invalid_request_error"
    status, body = exchange(srv, b"NOT HTTP AT ALL\r\n\r\n")  # uvicorn answered this in plain text
    assert status.startswith(b"HTTP/1.1 400") and body["error"]["code"] == 400


# ---- the log ---------------------------------------------------------------------------------------------------
def log_bytes(log: Path) -> int:
    return sum(p.stat().st_size for p in log.parent.glob(log.name + "*"))


def test_long_paths_cannot_fill_the_disk_through_the_log(server: tuple[Server, Path]) -> None:
    srv, log = server
    before = log_bytes(log)
    statuses = set()
    for size in (60_000, 15_000):  # over the 16 KB header limit (431), and under it (401: no key)
        for _ in range(200):
            status, _body = exchange(srv, b"GET /v1/" + b"p" * size + b" HTTP/1.1\r\nHost: x\r\nConnection: close"
                                     b"\r\n\r\n")
            statuses.add(status[:12])
    # An oversized request may see the reset before the 431 (read_all); every answer that arrived is one of these.
    assert statuses - {b""} == {b"HTTP/1.1 431", b"HTTP/1.1 401"}
    grown = log_bytes(log) - before
    print(f"400 requests with 60 KB / 15 KB paths grew the log by {grown} bytes")
    assert grown < 1_000_000
    files = sorted(log.parent.glob(log.name + "*"))
    assert len(files) > 1 and all(p.stat().st_size <= LOG_CAP for p in files), "rotated by size"
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    bad = [x for x in lines if x["path"].startswith("/v1/ppp")]
    assert bad and all(len(x["path"]) <= 201 and x["path_chars"] > 200 and len(x["id"]) == 12 for x in bad)
    assert "Traceback" not in "".join(p.read_text(errors="replace") for p in files)


# ---- X-Forwarded-For ---------------------------------------------------------------------------------------
def logins(base: str, forwarded: list[str]) -> list[int]:
    with httpx.Client(base_url=base, timeout=60) as c:
        return [c.post("/resqa/login", data={"key": "wrong"}, headers={"X-Forwarded-For": f}).status_code
                for f in forwarded]


def test_a_rotating_forwarded_for_from_an_untrusted_peer_changes_no_limit(server: tuple[Server, Path]) -> None:
    srv, _log = server
    statuses = logins(srv.base, [f"10.0.{i}.1" for i in range(12)])
    assert statuses[:5] == [401] * 5 and statuses[-5:] == [429] * 5, statuses
    session, home = f"s-xff-{uuid.uuid4().hex[:8]}", _log.parent / "home"
    with httpx.Client(base_url=srv.base, timeout=120) as web:
        assert completed(web, "respond", [WHEN, None, 5, "zh"], session)["success"]
        for i in range(8):  # RESQA_FEEDBACK_PER_MINUTE=1: one record, whatever each click claims to come from
            completed(web, "like", [None, "zh"], session, {"index": 1, "value": "x", "liked": True},
                      {"X-Forwarded-For": f"10.1.{i}.1"})
    assert 1 <= len(records_of(home, session)) <= 2  # a second only if a minute passed


def completed(web: httpx.Client, name: str, data: list[Any], session: str, event_data: Any = None,
              headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Join the queue as the page does (with `headers`), then read the session's stream until the event is done."""
    r = web.post("/gradio_api/queue/join", headers={**AUTH, **(headers or {})}, json={
        "data": data, "fn_index": event_id(web, name), "session_hash": session, "event_data": event_data,
        "trigger_id": None})
    assert r.status_code == 200, r.text[:300]
    with web.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}, headers=AUTH) as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                msg = json.loads(line[6:])
                if msg.get("msg") == "process_completed" and msg.get("event_id") == r.json()["event_id"]:
                    return dict(msg)
    raise AssertionError("the stream ended before the event completed")


def test_a_trusted_proxy_names_its_clients(answerer, settings, serving) -> None:  # type: ignore[no-untyped-def]
    proxied = serving.with_overrides(api_key=KEY, forwarded_allow_ips=("127.0.0.1",))
    with running(create_app(answerer, settings, proxied), **uvicorn_options(proxied)) as base:
        assert logins(base, [f"10.2.{i}.1" for i in range(8)]) == [401] * 8  # eight clients, one try each
        assert logins(base, ["10.3.0.1"] * 8)[-1] == 429  # one client, eight tries
