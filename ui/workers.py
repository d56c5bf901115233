"""`resqa serve --workers N`: N uvicorn worker processes behind one port, each with its own answerer over the
same persistent index (the embedded store under RESQA_HOME, or one `chroma run` server with --chroma-url).

The command resolves its settings once (variables and flags) and hands them to the workers the only way a new
process can receive them, as RESQA_* variables, before uvicorn starts them; each worker then builds the app
with `app()` exactly as the single-process server does. The index is built or checked once, in the parent,
before any worker starts (so N workers never race to build it), and the workers' metrics are summed through a
private PROMETHEUS_MULTIPROC_DIR (ui/metrics.py). A rebuild later is adopted by each worker on its own, as one
process does (README "Readiness, live rebuilds and timeouts").
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import fields
from typing import Any

from fastapi import FastAPI

from index import IndexStore, Settings, load_corpus_for, make_client, make_embedder
from ui.connections import guarded_protocol, uvicorn_options
from ui.logging_setup import log_config
from ui.metrics import MULTIPROC_ENV
from ui.settings import ServeSettings


def worker_count(serving: ServeSettings) -> int:
    """RESQA_WORKERS / --workers; 0 means one per CPU. The default is 1: on a 2-CPU machine two workers were
    measured slower in the steady state (each has its own answer cache, and the load shares the CPUs)."""
    if serving.workers < 0:
        raise ValueError("--workers must be 0 (one per CPU) or more")
    return serving.workers or os.cpu_count() or 1


def export(settings: Settings | ServeSettings) -> dict[str, str]:
    """The RESQA_* variables that give a new process these settings (`from_env` reads them back; a tuple as
    its comma-separated items)."""
    out = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if value is not None:
            out[f"RESQA_{f.name.upper()}"] = ",".join(value) if isinstance(value, tuple) else str(value)
    return out


def serve_workers(settings: Settings, serving: ServeSettings, workers: int, host: str, port: int,
                  notify: Any = print, progress: Any = None) -> None:
    """Check (or build) the index once, then run `workers` processes on host:port until interrupted."""
    import uvicorn

    store = IndexStore(make_client(settings, notify), make_embedder(settings.embedder),
                       load_corpus_for(settings.corpus), notify)
    report = store.ensure(progress=progress)
    if report.built:
        notify(f"built index {report.collection}: {report.paragraphs} paragraphs, {report.clauses} clauses")
    metrics_dir = tempfile.mkdtemp(prefix="resqa-metrics-")
    os.environ.update({**export(settings), **export(serving), MULTIPROC_ENV: metrics_dir})
    # The connection guard by name: each worker imports it (a class made here cannot reach a new process).
    options = {**uvicorn_options(serving), "http": f"{__name__}:GuardedProtocol"}
    try:
        uvicorn.run(f"{__name__}:app", factory=True, workers=workers, host=host, port=port, access_log=False,
                    log_level="info", log_config=log_config(serving), **options)
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)


def app() -> FastAPI:
    """One worker's app (uvicorn calls this in each worker process): the same as `resqa serve` builds."""
    from rag import Answerer
    from ui.http import create_app

    settings, serving = Settings.from_env(), ServeSettings.from_env()
    answerer = Answerer.from_settings(settings, notify=lambda m: logging.getLogger("resqa").warning(m))
    return create_app(served(answerer, serving), settings, serving)


def served(answerer: Any, serving: ServeSettings) -> Any:
    """The answerer as the servers share it (HTTP, chat, MCP): concurrent new questions embedded in batches
    (index/batch.py), and behind the answer cache (RESQA_ANSWER_CACHE, rag/cache.py)."""
    from index.batch import BatchingEmbedder
    from rag.cache import CachedAnswerer

    if not isinstance(answerer.retriever.embedder, BatchingEmbedder):
        answerer.retriever.embedder = BatchingEmbedder(answerer.retriever.embedder)
    return CachedAnswerer(answerer, serving.answer_cache)


def __getattr__(name: str) -> Any:
    """`GuardedProtocol`: the connection-guard protocol class (ui.connections), built in each worker from its
    RESQA_* variables (uvicorn imports the protocol by name there; a class made in the parent cannot be sent to a
    new process)."""
    if name == "GuardedProtocol":
        return guarded_protocol(ServeSettings.from_env())
    raise AttributeError(name)
