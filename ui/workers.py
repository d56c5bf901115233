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

from index import IndexStore, Settings, load_corpus, make_client, make_embedder
from ui.limits import uvicorn_options
from ui.metrics import MULTIPROC_ENV
from ui.settings import ServeSettings


def worker_count(serving: ServeSettings) -> int:
    """RESQA_WORKERS / --workers; 0 (the default) means one per CPU."""
    if serving.workers < 0:
        raise ValueError("--workers must be 0 (one per CPU) or more")
    return serving.workers or os.cpu_count() or 1


def export(settings: Settings) -> dict[str, str]:
    """The RESQA_* variables that give a new process these settings (Settings.from_env reads them back)."""
    out = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if value is not None:
            out[f"RESQA_{f.name.upper()}"] = str(value)
    return out


def serve_workers(settings: Settings, serving: ServeSettings, workers: int, host: str, port: int,
                  notify: Any = print, progress: Any = None) -> None:
    """Check (or build) the index once, then run `workers` processes on host:port until interrupted."""
    import uvicorn

    store = IndexStore(make_client(settings, notify), make_embedder(settings.embedder), load_corpus(), notify)
    report = store.ensure(progress=progress)
    if report.built:
        notify(f"built index {report.collection}: {report.paragraphs} paragraphs, {report.clauses} clauses")
    metrics_dir = tempfile.mkdtemp(prefix="resqa-metrics-")
    os.environ.update({**export(settings), MULTIPROC_ENV: metrics_dir})
    options = {**uvicorn_options(serving), "http": f"{__name__}:HeaderDeadline"}  # by name: workers import it
    try:
        uvicorn.run(f"{__name__}:app", factory=True, workers=workers, host=host, port=port, access_log=False,
                    log_level="info", **options)
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)


def app() -> FastAPI:
    """One worker's app (uvicorn calls this in each worker process): the same as `resqa serve` builds."""
    from rag import Answerer
    from ui.http import create_app, quiet_access_log

    quiet_access_log()
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
    """`HeaderDeadline`: the header-timeout protocol class, built in each worker from its RESQA_* variables
    (uvicorn imports the protocol by name there; a class made in the parent cannot be sent to a new process)."""
    if name == "HeaderDeadline":
        from ui.limits import header_deadline_protocol

        return header_deadline_protocol(ServeSettings.from_env().http_header_timeout)
    raise AttributeError(name)
