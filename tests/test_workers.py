"""`resqa serve --workers 2` (RESQA_WORKERS=2) as a user starts it, against one real `chroma run` server: both
worker processes answer on the one port, /metrics sums them, and a rebuild on the Chroma server under load
fails no request and is adopted by both (README "Several workers")."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fault_support import ChromaServer
from prometheus_client.parser import text_string_to_metric_families
from test_live_ops import CLIENT_TIMEOUT, Server, _rebuild_under_load

pytestmark = pytest.mark.slow
ROUNDS = 40  # bounded: 16 concurrent requests a round until both workers have answered


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path, dict[str, str]]]:
    chroma = ChromaServer(tmp_path_factory.mktemp("workers-chroma"))
    chroma.start()
    home = tmp_path_factory.mktemp("workers") / "home"
    env = {"RESQA_CHROMA_URL": chroma.url, "RESQA_WORKERS": "2"}
    try:
        server = Server(home, env)
        yield server, home, env
        server.stop()
    finally:
        chroma.kill()


def _by_worker(base: str, path: str) -> dict[str, list[httpx.Response]]:
    """Responses to GET `path` grouped by the worker pid that made them, asking until two pids have answered."""
    seen: dict[str, list[httpx.Response]] = {}
    lock = threading.Lock()

    def one(c: httpx.Client) -> None:
        r = c.get(path)
        with lock:
            seen.setdefault(r.headers["x-resqa-worker"], []).append(r)

    for _ in range(ROUNDS):
        # A new connection each: the kernel hands connections, not requests, to the workers.
        clients = [httpx.Client(base_url=base, timeout=CLIENT_TIMEOUT) for _ in range(16)]
        threads = [threading.Thread(target=one, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for c in clients:
            c.close()
        if len(seen) >= 2:
            break
    return seen


def test_two_workers_answer_on_one_port_and_metrics_sum_them(two_workers) -> None:  # type: ignore[no-untyped-def]
    server, _home, _env = two_workers
    seen = _by_worker(server.base, "/v1/search?q=trafficking")
    assert len(seen) == 2, f"only worker(s) {list(seen)} answered"
    assert all(r.status_code == 200 for rs in seen.values() for r in rs)
    hits = [tuple(h["id"] for h in r.json()["hits"]) for rs in seen.values() for r in rs]
    assert len(set(hits)) == 1, "both read the same index"
    text = httpx.get(server.base + "/metrics", timeout=CLIENT_TIMEOUT).text
    counted = sum(s.value for f in text_string_to_metric_families(text) for s in f.samples
                  if s.name == "resqa_http_requests_total" and s.labels["route"] == "/v1/search")
    assert counted == sum(len(rs) for rs in seen.values()), "a scrape of one worker counts both"


def test_a_rebuild_under_load_fails_no_request_and_both_workers_adopt_it(two_workers) -> None:  # type: ignore[no-untyped-def]
    server, home, env = two_workers
    clients, builds = _rebuild_under_load(server, home, env, rebuilds=1)
    assert clients.failures == [], clients.failures[:5]
    assert builds[0] != builds[1]
    seen = _by_worker(server.base, "/v1/info")
    assert len(seen) == 2 and {r.json()["build"] for rs in seen.values() for r in rs} == {builds[1]}
