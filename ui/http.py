"""The HTTP service: one FastAPI app with the REST API (/v1/*), the OpenAI-compatible endpoints, health and
info, hardened (body limits, JSON errors, optional API key, CORS only when asked, a JSON access log), with the
Gradio chat mounted at "/". `create_app` builds it from an Answerer, the index/rag `Settings` and the servers'
`ServeSettings` (key, CORS, HTTP and feedback limits); `serve` runs it on uvicorn.

The answerer is synchronous and CPU-bound, so every endpoint that calls it is a plain `def`: FastAPI runs
those in its threadpool and the event loop stays free for other requests.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict
from importlib import metadata
from typing import Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from index import Settings, StoreError, describe_ranges
from index.embed import embedder_id
from rag import Answerer, QuestionError, UnknownParagraph
from ui import openai_compat, schemas
from ui.api_docs import add_docs
from ui.connections import ClientLimits, uvicorn_options
from ui.errors import ApiRoutes, JsonBodies, JsonErrors
from ui.limits import BodyDeadline, BodyLimit, header, send_error
from ui.logging_setup import ACCESS_LOG, RequestLog, log_config
from ui.metrics import add_metrics
from ui.readiness import build_of, readyz
from ui.settings import ServeSettings

MAX_API_BODY = 64 * 1024  # /v1/*: a question is ≤ 2000 chars; 64 KB leaves room for history
MAX_UI_BODY = 1024 * 1024  # the Gradio chat re-sends the conversation with every turn


def version() -> str:
    try:
        return metadata.version("resqa")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"


# ---- the app ------------------------------------------------------------------------------------------
def create_app(answerer: Answerer, settings: Settings, serving: ServeSettings, mount_ui: bool = True) -> FastAPI:
    app = FastAPI(title="resqa", version=version(), docs_url=None, redoc_url=None,  # offline: ui.api_docs
                  description="Grounded answers from UN General Assembly resolution A/RES/67/190 (Chinese "
                              "text); every answer cites paragraphs with verbatim quotes.")
    app.state.answerer, app.state.settings, app.state.started = answerer, settings, int(time.time())
    _add_error_handlers(app)
    _add_rest_routes(app)
    openai_compat.add_routes(app)
    add_docs(app)  # /docs and /redoc from files shipped with the package, never a CDN
    # Added innermost first: the access log sees every response, CORS answers preflights before the key check.
    app.add_middleware(ApiRoutes, routes=app.router.routes)  # /v1 paths never fall through to the chat
    app.add_middleware(JsonBodies)  # inside BodyLimit: reads only bodies within the limit
    app.add_middleware(BodyLimit, api_limit=MAX_API_BODY, ui_limit=MAX_UI_BODY)
    if serving.api_key:
        app.add_middleware(ApiKey, key=serving.api_key)
    if serving.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(serving.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(BodyDeadline, timeout=serving.http_body_timeout)  # outside BodyLimit: bounds its reads too
    app.add_middleware(JsonErrors)  # every error in the documented shape, the chat's included
    app.add_middleware(ClientLimits, max_header_bytes=serving.http_max_header_bytes,
                       per_client=serving.http_max_requests_per_client)
    app.add_middleware(RequestLog, logger=logging.getLogger(ACCESS_LOG))
    add_metrics(app)  # GET /metrics, and outermost: it counts every response, 401s and 413s too
    if mount_ui:
        from ui.app import chat_app
        from ui.gradio_guard import mount_chat

        # Mounted last: a mount at "/" matches every path, so the API routes above must come first. The chat's
        # guard asks for the key on every Gradio route that answers or writes (README "Key and feedback limits").
        # The same chat, theme and scripts as `resqa ui` (ui.chat_page).
        mount_chat(app, chat_app(answerer, settings, serving), serving)
    return app


def serve(answerer: Answerer, settings: Settings, serving: ServeSettings, host: str = "127.0.0.1",
          port: int = 8000, mount_ui: bool = True) -> None:
    """Run the service until interrupted (blocking). Loopback by default: exposing it is a choice."""
    import uvicorn

    app = create_app(answerer, settings, serving, mount_ui)
    # Keep-alive (serving.http_keep_alive, 15 s) longer than the 5 s idle expiry of httpx-based clients: when
    # both are 5 s, a client can reuse a connection the server is closing that instant, and its request fails.
    # Logs to stderr or a size-rotated file (ui.logging_setup); per-client connection bounds (ui.connections).
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info", log_config=log_config(serving),
                **uvicorn_options(serving))


# ---- REST endpoints -----------------------------------------------------------------------------------
def _add_rest_routes(app: FastAPI) -> None:
    errors = schemas.ERRORS
    not_found = {**errors, 404: {"model": schemas.Error, "description": "No such paragraph; names the valid ids"}}
    app.add_api_route("/healthz", healthz, methods=["GET"], response_model=schemas.Health, tags=["service"])
    app.add_api_route("/readyz", readyz, methods=["GET"], response_model=schemas.Ready, tags=["service"],
                      responses={503: {"model": schemas.NotReady, "description": "Names what is missing"}})
    app.add_api_route("/v1/info", info, methods=["GET"], response_model=schemas.Info, tags=["service"],
                      responses=errors)
    app.add_api_route("/v1/ask", ask, methods=["POST"], response_model=schemas.Answer, tags=["resqa"],
                      responses=errors, summary="Answer a question with verified citations")
    app.add_api_route("/v1/search", search, methods=["GET"], response_model=schemas.SearchResult, tags=["resqa"],
                      responses=errors, summary="Retrieval only: ranked paragraphs")
    app.add_api_route("/v1/paragraphs", paragraphs, methods=["GET"], response_model=schemas.ParagraphList,
                      tags=["resqa"], responses=errors)
    app.add_api_route("/v1/paragraphs/{pid}", paragraph, methods=["GET"], response_model=schemas.Paragraph,
                      tags=["resqa"], responses=not_found, summary="One paragraph (ids are case-insensitive)")


def _qa(request: Request) -> Answerer:
    qa: Answerer = request.app.state.answerer
    return qa


async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def info(request: Request) -> JSONResponse:  # def: build_of may verify a newly switched-in build
    qa, settings = _qa(request), request.app.state.settings
    return JSONResponse({"name": "resqa", "version": request.app.version, **qa.corpus.stamp(),
                         "embedder": embedder_id(qa.retriever.embedder), "paragraphs": len(qa.corpus.paragraphs),
                         "ranges": describe_ranges(qa.corpus.ids), "backend": qa.backend_name, "k": settings.k,
                         "max_question_chars": settings.max_question_chars, "build": build_of(qa)})


# Endpoints return JSONResponse directly: the dicts already have the documented shape (to_dict), and skipping
# response-model re-validation saves CPU. Those that run the answerer are `def` (threadpool); the cheap lookups
# are `async def`, so health checks and paragraph lookups never queue behind answers for a pool thread.
def ask(body: schemas.AskRequest, request: Request) -> JSONResponse:
    qa = _qa(request)
    use_llm = schemas.wants_llm(qa, body.llm)
    history = [m.model_dump() for m in body.history or ()]
    return JSONResponse(qa.ask(body.question, history, body.k, use_llm=use_llm).to_dict())


def search(request: Request, q: str = Query(description="The question or keywords"),
           k: int | None = Query(None, ge=1, le=schemas.MAX_K)) -> JSONResponse:
    qa = _qa(request)
    paras = [(h, qa.paragraph(h.id)) for h in qa.search(q, k)]
    hits = [{**asdict(h), "label_zh": p.label_zh, "label_en": p.label_en, "text": p.text} for h, p in paras]
    return JSONResponse({"query": q, "k": k or request.app.state.settings.k, "hits": hits})


async def paragraphs(request: Request) -> JSONResponse:
    corpus = _qa(request).corpus
    return JSONResponse({"doc": corpus.stamp(), "count": len(corpus.paragraphs), "ranges": describe_ranges(corpus.ids),
                         "paragraphs": [p.to_dict() for p in corpus.paragraphs]})


async def paragraph(request: Request,
                    pid: str = Path(max_length=32, description="OP12, pp3, FN18, HEADER…")) -> JSONResponse:
    return JSONResponse(_qa(request).paragraph(pid).to_dict())


# ---- errors: always JSON, never a traceback -------------------------------------------------------------
def _error(status: int, message: str, kind: str, detail: list[dict[str, Any]] | None = None,
           headers: Mapping[str, str] | None = None, dependency: str | None = None) -> JSONResponse:
    return JSONResponse(schemas.error_body(status, message, kind, detail, dependency), status_code=status,
                        headers=dict(headers) if headers else None)


def _add_error_handlers(app: FastAPI) -> None:
    async def invalid(_r: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        detail = schemas.validation_details(exc.errors())
        return _error(422, schemas.summary(detail), "invalid_request_error", detail)

    async def http_error(_r: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        kind = "not_found_error" if exc.status_code == 404 else "invalid_request_error"
        return _error(exc.status_code, str(exc.detail), kind, headers=exc.headers)

    def domain(status: int, kind: str) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
        async def handler(_r: Request, exc: Exception) -> JSONResponse:
            return _error(status, str(exc), kind)
        return handler

    async def store_down(_r: Request, exc: Exception) -> JSONResponse:  # unreachable, timed out or being rebuilt
        return _error(503, str(exc), "service_unavailable", headers={"Retry-After": "5"}, dependency="chroma")

    async def crashed(_r: Request, exc: Exception) -> JSONResponse:
        logging.getLogger("resqa.http").error("unhandled error", exc_info=exc)
        return _error(500, f"internal error: {type(exc).__name__}", "server_error")

    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(StoreError, store_down)
    for error, status, kind in ((QuestionError, 422, "invalid_request_error"), (UnknownParagraph, 404,
                                "not_found_error"), (schemas.LLMNotConfigured, 400, "invalid_request_error"),
                                (openai_compat.ModelNotFound, 404, "model_not_found")):
        app.add_exception_handler(error, domain(status, kind))
    app.add_exception_handler(Exception, crashed)


# ---- middleware (plain ASGI: cheaper than BaseHTTPMiddleware and it does not buffer streams) ---------------
class ApiKey:
    """`Authorization: Bearer <key>` on /v1/*; everything else (health, docs, the chat page) stays open."""

    def __init__(self, app: ASGIApp, key: str) -> None:
        self.app, self.expected = app, f"Bearer {key}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (scope["path"] + "/").startswith("/v1/"):
            given = header(scope, b"authorization") or b""
            if not hmac.compare_digest(given, self.expected):  # constant time: no key-guessing by timing
                await send_error(send, 401, "missing or wrong API key (Authorization: Bearer <RESQA_API_KEY>)",
                                 "authentication_error", [(b"www-authenticate", b"Bearer")])
                return
        await self.app(scope, receive, send)
