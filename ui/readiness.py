"""GET /readyz: whether a question can be answered end to end right now. (/healthz only says the process
answers HTTP: a load balancer restarts on that one, and routes traffic on this one.)

Four checks, in the order an answer needs them, each named in the 503 when it fails: the embedder turns a
probe text into a vector; the index is open and verified (the live build, adopted first if another process
switched a new one in); the store on disk still opens and holds the expected records (embedded only: Chroma
answers from memory long after its files were damaged); Chroma answers a query with that vector (within
RESQA_CHROMA_TIMEOUT on a server).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from index import StoreError
from rag import Answerer
from ui import schemas

PROBE = "readiness probe"


def build_of(qa: Answerer) -> str | None:
    """Which index build answers now (generation folder or collection id); None when it cannot be told."""
    try:
        return qa.retriever.store.build_id()
    except StoreError:
        return None


def readyz(request: Request) -> JSONResponse:
    """A plain `def`: the checks embed and query, which may wait up to the Chroma timeout (threadpool)."""
    qa: Answerer = request.app.state.answerer
    t0 = time.perf_counter()
    checks: dict[str, str] = {}
    vector = _check(checks, "embedder", lambda: qa.retriever.embedder.embed_query(PROBE))
    store = qa.retriever.store
    built = _check(checks, "index", store.build_id)
    _check(checks, "store", lambda: _on_disk(store))
    if vector is not None and built is not None:
        _check(checks, "chroma", lambda: _query(store, list(vector)))
    else:
        checks["chroma"] = "not checked"
    ms = round((time.perf_counter() - t0) * 1000, 1)
    failed = [name for name, state in checks.items() if state not in ("ok", "not checked")]
    if not failed:
        return JSONResponse({"status": "ready", "checks": checks, "build": built, "ms": ms})
    message = "not ready: " + "; ".join(f"{name}: {checks[name]}" for name in failed)
    body = {**schemas.error_body(503, message, "service_unavailable", dependency=failed[0]),
            "status": "not ready", "checks": checks, "ms": ms}
    return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})


def _check(checks: dict[str, str], name: str, run: Callable[[], Any]) -> Any:
    """Run one check; record "ok" or the reason it failed (any failure means not ready, never a 500)."""
    try:
        result = run()
    except Exception as exc:  # an embedder or store failure of any kind: report it, do not raise
        checks[name] = str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}"
        return None
    checks[name] = "ok"
    return result


def _on_disk(store: Any) -> None:
    problem = store.disk_problem()
    if problem:
        raise StoreError(f"the index on disk is damaged ({problem}); run `resqa index` on this RESQA_HOME: it moves "
                         "the damaged store aside and rebuilds, and this server switches to the new build")


def _query(store: Any, vector: list[float]) -> None:
    if not store.search(vector, 1):
        raise StoreError("the index answered a query with no paragraphs")
