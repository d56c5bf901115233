"""GET /metrics in the Prometheus text format: requests by route and status, latency histograms by route, and
the answer cache's hits and misses (README "HTTP API", Metrics).

Routes are labelled by their template (`/v1/paragraphs/{pid}`, never the id asked for; the chat mounted at "/"
is one label), so the number of series stays fixed whatever clients send. Each response also names the worker
process that made it (`X-Resqa-Worker: <pid>`). With several workers (`resqa serve --workers N`) the command
sets PROMETHEUS_MULTIPROC_DIR before they start: each worker writes its figures there and a scrape of any of
them sums all of them (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Seconds: an answer from the cache takes well under 1 ms, a new one tens of ms, a queue under load longer.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The service's metrics, registered in a registry of its own (one per app, so that tests can build many)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("resqa_http_requests", "HTTP requests answered, by route, method and status",
                                ("route", "method", "status"), registry=self.registry)
        self.latency = Histogram("resqa_http_request_duration_seconds", "Time from request to the last byte sent",
                                 ("route", "method"), buckets=BUCKETS, registry=self.registry)
        self.cache = Counter("resqa_answer_cache_lookups", "Answer cache lookups, by result (hit or miss)",
                             ("result",), registry=self.registry)
        for result in ("hit", "miss"):  # both series exist from the start, at 0
            self.cache.labels(result)

    def cache_lookup(self, hit: bool) -> None:
        self.cache.labels("hit" if hit else "miss").inc()

    def exposition(self) -> bytes:
        if os.environ.get(MULTIPROC_ENV):  # all workers' figures, summed
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return bytes(generate_latest(registry))
        return bytes(generate_latest(self.registry))


def add_metrics(app: FastAPI) -> None:
    """GET /metrics, the middleware that counts every request, and the answer cache's hook (when it has one)."""
    metrics = Metrics()
    app.state.metrics = metrics
    cache = getattr(app.state.answerer, "cache", None)
    if cache is not None and hasattr(cache, "on_lookup"):
        cache.on_lookup = metrics.cache_lookup

    async def scrape(_request: Request) -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    app.add_api_route("/metrics", scrape, methods=["GET"], include_in_schema=False)
    app.add_middleware(RequestMetrics, metrics=metrics)


def route_of(scope: Scope) -> str:
    """The matched route's template; "/" for the chat mounted there, "unmatched" when nothing matched."""
    route: Any = scope.get("route")
    if route is None:
        return "unmatched"
    return str(getattr(route, "path", "") or "/")


class RequestMetrics:
    """Plain ASGI (no buffering): counts each HTTP request by route and status, times it to its last byte."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics
        self.worker = (b"x-resqa-worker", str(os.getpid()).encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0, status = time.perf_counter(), 500  # 500 unless a response starts: an exception escaped

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), self.worker]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            route, method = route_of(scope), scope["method"]
            self.metrics.requests.labels(route, method, str(status)).inc()
            self.metrics.latency.labels(route, method).observe(time.perf_counter() - t0)
