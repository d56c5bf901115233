"""A running `resqa serve` (a real uvicorn subprocess) while the world changes under it: `resqa index --rebuild`
in another process with 10 clients asking (embedded store and `chroma run` server), a paused Chroma server,
slow clients, and text that is not valid Unicode. README "Readiness, live rebuilds and timeouts"."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import free_port
from fault_support import CLI, QUESTION, ChromaServer, resqa

pytestmark = pytest.mark.slow

CHROMA_TIMEOUT = 2  # seconds (RESQA_CHROMA_TIMEOUT): small, so a paused server shows quickly
CLIENT_TIMEOUT = 60  # far above it: a request still open after this is a hang, whatever the machine's load
QUESTIONS = (QUESTION, "What does the resolution urge States to ratify?", "秘书长要提交什么报告？")


# ---- a `resqa serve` process and clients that keep asking ------------------------------------------------
class Server:
    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.base = f"http://127.0.0.1:{free_port()}"
        # Its log goes to a file: a pipe nobody reads fills up with access-log lines and stalls the server.
        self.log = home.parent / "serve.log"
        with self.log.open("w") as log:
            self.proc = subprocess.Popen([*CLI, "serve", "--port", self.base.rsplit(":", 1)[1]], stdout=log,
                                         stderr=subprocess.STDOUT, env={**os.environ, "RESQA_HOME": str(home), **env})
        deadline = time.monotonic() + 900  # loads the model, and builds the index when there is none
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"resqa serve ended (exit {self.proc.returncode}): {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.base + "/readyz", timeout=CLIENT_TIMEOUT).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        pytest.fail("resqa serve did not become ready")

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.base + path, timeout=CLIENT_TIMEOUT)

    def build(self) -> str:
        return str(self.get("/v1/info").json()["build"])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Clients:
    """10 threads asking continuously (ask, search, chat, info); every non-200 or broken request is kept."""

    def __init__(self, base: str, n: int = 10) -> None:
        self.base, self.stop_asking = base, threading.Event()
        self.done: list[int] = []
        self.failures: list[str] = []
        self.builds: list[str] = []  # /v1/info's build, in the order seen
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(n)]
        for t in self.threads:
            t.start()

    def _run(self, i: int) -> None:
        with httpx.Client(base_url=self.base, timeout=CLIENT_TIMEOUT) as c:
            n = i
            while not self.stop_asking.is_set():
                q = QUESTIONS[n % len(QUESTIONS)]
                try:
                    r = self._one(c, n % 4, q)
                except httpx.HTTPError as exc:
                    self.failures.append(f"{type(exc).__name__}: {exc}")
                else:
                    if r.status_code != 200:
                        self.failures.append(f"{r.request.url.path}: {r.status_code} {r.text[:300]}")
                    elif r.request.url.path == "/v1/info":
                        self.builds.append(r.json()["build"])
                self.done.append(1)
                n += 1

    @staticmethod
    def _one(c: httpx.Client, kind: int, q: str) -> httpx.Response:
        if kind == 0:
            return c.post("/v1/ask", json={"question": q})
        if kind == 1:
            return c.get("/v1/search", params={"q": q})
        if kind == 2:
            return c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": q}]})
        return c.get("/v1/info")

    def wait_for_more(self, count: int) -> None:
        """Until `count` more requests have ended (so the clients have asked after whatever just happened)."""
        target = len(self.done) + count
        deadline = time.monotonic() + 600
        while len(self.done) < target and time.monotonic() < deadline:
            time.sleep(0.1)

    def finish(self) -> None:
        self.stop_asking.set()
        for t in self.threads:
            t.join(timeout=CLIENT_TIMEOUT * 2)


def _rebuild_under_load(server: Server, home: Path, env: dict[str, str], rebuilds: int) -> tuple[Clients, list[str]]:
    clients = Clients(server.base)
    builds = [server.build()]
    try:
        clients.wait_for_more(20)
        for _ in range(rebuilds):
            run = resqa(home, "index", "--rebuild", env=env)
            assert run.code == 0, run.err
            clients.wait_for_more(40)  # the clients go on asking after the switch
            builds.append(server.build())
    finally:
        clients.finish()
    return clients, builds


# ---- embedded store ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def embedded(answerer, shared_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    """`resqa serve` on a copy of the session's built home (the answerer fixture builds it once)."""
    home = tmp_path_factory.mktemp("live") / "home"
    shutil.copytree(shared_home, home, symlinks=True)
    env = {"RESQA_HTTP_HEADER_TIMEOUT": "2", "RESQA_HTTP_BODY_TIMEOUT": "2"}
    server = Server(home, env)
    yield server, home
    server.stop()


def test_rebuilds_under_a_live_server_fail_no_request_and_switch_the_build(embedded: tuple[Server, Path]) -> None:
    server, home = embedded
    first_generation = (home / "chroma").resolve()
    clients, builds = _rebuild_under_load(server, home, {}, rebuilds=2)
    assert clients.failures == [], clients.failures[:5]
    assert len(clients.done) > 100
    # Each rebuild switched in a new generation and the server answers from it, without a restart...
    assert len(set(builds)) == 3 and builds[-1] == (home / "chroma").resolve().name, builds
    assert builds[0] == first_generation.name and clients.builds[-1] == builds[-1]
    # ...and the second rebuild swept the generation the server read first, while it was being asked.
    assert not first_generation.exists()
    assert server.get("/readyz").json()["build"] == builds[-1]


def test_readyz_names_its_checks_and_healthz_stays_liveness(embedded: tuple[Server, Path]) -> None:
    server, _home = embedded
    ready = server.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"embedder": "ok", "index": "ok", "store": "ok", "chroma": "ok"}
    assert server.get("/healthz").json() == {"status": "ok"}


def test_a_silent_or_slow_client_is_cut_off(embedded: tuple[Server, Path]) -> None:
    server, _home = embedded
    host, port = server.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=CLIENT_TIMEOUT) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the blank line that ends the headers
        assert s.recv(1024) == b"", "the server closed the connection"
    with socket.create_connection((host, int(port)), timeout=CLIENT_TIMEOUT) as s:
        s.sendall(b"POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100\r\n\r\n{\"question\":")  # 12 of the 100 bytes promised
        reply = _read_all(s)
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408") and json.loads(body)["error"]["type"] == "request_timeout"


def _read_all(s: socket.socket) -> bytes:
    parts = []
    while chunk := s.recv(65536):
        parts.append(chunk)
    return b"".join(parts)


# ---- a `chroma run` server ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def on_chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path, ChromaServer, dict]]:
    chroma = ChromaServer(tmp_path_factory.mktemp("chroma-data"))
    chroma.start()
    home = tmp_path_factory.mktemp("live-server") / "home"
    env = {"RESQA_CHROMA_URL": chroma.url, "RESQA_CHROMA_TIMEOUT": str(CHROMA_TIMEOUT)}
    try:
        server = Server(home, env)  # builds the index on the Chroma server first
        yield server, home, chroma, env
        server.stop()
    finally:
        chroma.kill()


def test_a_rebuild_on_the_chroma_server_fails_no_request(on_chroma: tuple[Server, Path, ChromaServer, dict]) -> None:
    server, home, _chroma, env = on_chroma
    clients, builds = _rebuild_under_load(server, home, env, rebuilds=1)
    assert clients.failures == [], clients.failures[:5]
    assert builds[0] != builds[1] and clients.builds[-1] == builds[1], "the renamed-in collections answer"


def test_a_paused_chroma_server_gives_json_503s_not_hangs(on_chroma: tuple[Server, Path, ChromaServer, dict]) -> None:
    server, _home, chroma, _env = on_chroma
    assert chroma.proc is not None
    assert server.get("/readyz").status_code == 200
    os.kill(chroma.proc.pid, signal.SIGSTOP)
    try:
        replies: dict[str, httpx.Response] = {}

        def call(name: str, method: str, path: str, body: dict | None = None) -> None:
            replies[name] = httpx.request(method, server.base + path, json=body, timeout=CLIENT_TIMEOUT)

        calls = [("ask", "POST", "/v1/ask", {"question": "大会请谁编写高级别会议的纪要？"}),
                 ("search", "GET", "/v1/search?q=trafficking+rapporteur", None),
                 ("chat", "POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": "OP5？"}]}),
                 ("readyz", "GET", "/readyz", None)]
        threads = [threading.Thread(target=call, args=c) for c in calls]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for name, r in replies.items():  # a hang would have raised httpx.ReadTimeout in its thread instead
            assert r.status_code == 503, (name, r.status_code, r.text[:300])
            assert r.json()["error"]["dependency"] == "chroma", (name, r.text[:300])
        assert set(replies) == {c[0] for c in calls}
        assert "Timeout" in replies["readyz"].json()["checks"]["chroma"]
    finally:
        os.kill(chroma.proc.pid, signal.SIGCONT)
    deadline = time.monotonic() + 60
    while server.get("/readyz").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert server.get("/readyz").status_code == 200, "it recovers when Chroma answers again"
    assert httpx.post(server.base + "/v1/ask", json={"question": QUESTION}, timeout=CLIENT_TIMEOUT).status_code == 200


# ---- text that is not valid Unicode ------------------------------------------------------------------------
CASES = {
    "ask question": ("/v1/ask", '{"question": "OP12\\ud800是什么？"}'),
    "ask history": ("/v1/ask", '{"question": "它呢？", "history": [{"role": "user", "content": "OP12 \\udfff"}]}'),
    "chat question": ("/v1/chat/completions", '{"messages": [{"role": "user", "content": "OP12\\ud800"}]}'),
    "chat history": ("/v1/chat/completions", '{"messages": [{"role": "user", "content": "a\\ud83d"}, '
                     '{"role": "assistant", "content": "b"}, {"role": "user", "content": "OP12?"}]}'),
    "chat part": ("/v1/chat/completions",
                  '{"messages": [{"role": "user", "content": [{"type": "text", "text": "\\udc00"}]}]}'),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_lone_surrogates_are_a_422_before_the_embedder(client: httpx.Client, case: str) -> None:
    path, raw = CASES[case]
    r = client.post(path, content=raw.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text[:300]
    assert "not valid Unicode" in r.json()["error"]["message"]
