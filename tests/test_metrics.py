"""GET /metrics on a real uvicorn server over the real answerer behind the answer cache: after a few requests
the Prometheus text parses, and it counts them by route and status, times them, and counts cache hits/misses."""

from __future__ import annotations

import httpx
import pytest
from http_server import running
from prometheus_client.parser import text_string_to_metric_families

from rag.cache import CachedAnswerer
from ui.http import create_app

pytestmark = pytest.mark.slow
QUESTION = "大会决定何时召开高级别会议？"


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_metrics_count_requests_latency_and_cache(answerer, settings, serving) -> None:  # type: ignore[no-untyped-def]
    app = create_app(CachedAnswerer(answerer, 32), settings, serving, mount_ui=False)
    with running(app) as base, httpx.Client(base_url=base, timeout=60) as c:
        for _ in range(3):
            assert c.post("/v1/ask", json={"question": QUESTION}).status_code == 200
        assert c.post("/v1/ask", json={"question": ""}).status_code == 422
        assert c.get("/v1/paragraphs/OP12").status_code == 200
        assert c.get("/v1/paragraphs/OP99").status_code == 404
        r = c.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert r.headers["x-resqa-worker"].isdigit()
    got = _samples(r.text)

    def requests(route: str, method: str, status: str) -> float:
        return got[("resqa_http_requests_total", (("method", method), ("route", route), ("status", status)))]

    assert requests("/v1/ask", "POST", "200") == 3 and requests("/v1/ask", "POST", "422") == 1
    # By the route's template, not the id asked for: two series, not one per paragraph.
    assert requests("/v1/paragraphs/{pid}", "GET", "200") == 1
    assert requests("/v1/paragraphs/{pid}", "GET", "404") == 1
    assert not any("OP12" in str(labels) for _name, labels in got)
    count = got[("resqa_http_request_duration_seconds_count", (("method", "POST"), ("route", "/v1/ask")))]
    inf = got[("resqa_http_request_duration_seconds_bucket", (("le", "+Inf"), ("method", "POST"),
                                                              ("route", "/v1/ask")))]
    assert count == inf == 4
    assert got[("resqa_http_request_duration_seconds_sum", (("method", "POST"), ("route", "/v1/ask")))] > 0
    # The first ask filled the cache, the next two were hits (the empty question never reached it).
    assert got[("resqa_answer_cache_lookups_total", (("result", "hit"),))] == 2
    assert got[("resqa_answer_cache_lookups_total", (("result", "miss"),))] == 1
