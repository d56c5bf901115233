"""The OpenAI-compatible face of resqa: GET /v1/models and POST /v1/chat/completions (JSON or SSE stream).

Any OpenAI client (or Open WebUI) can talk to model `resqa`. The answer, with its citation marks, is in
`choices[0].message.content`; the verified citations ride along in extra fields (top-level `citations` and
`choices[0].message.citations`), and the whole Answer JSON in `resqa`, so clients that know them keep them
and clients that don't are unaffected. In a stream the chunk just before `data: [DONE]` carries them.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from itertools import chain
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from index import count_tokens
from rag import Answer, Answerer, Delta, Final, QuestionError, StreamEvent
from ui import schemas

MODEL_ID = "resqa"
MAX_MESSAGES = 200
_log = logging.getLogger("resqa.http")


class ModelNotFound(LookupError):
    """A request named a model this server does not serve (OpenAI answers 404 for these)."""


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")  # name, tool_call_id… are harmless to accept
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    @field_validator("content")
    @classmethod
    def _unicode(cls, content: str | list[ContentPart] | None) -> str | list[ContentPart] | None:
        """Valid Unicode only (no lone surrogates), else 422: the same check as `schemas.Text`."""
        for text in [content] if isinstance(content, str) else [p.text for p in content or () if p.text]:
            schemas.encodable(text)
        return content


class ChatRequest(BaseModel):
    # Sampling options (temperature, top_p, max_tokens…) are accepted and have no effect: the answer is built
    # from verified quotes, not sampled. Rejecting them would break ordinary OpenAI clients.
    model_config = ConfigDict(extra="allow")
    model: str = Field(MODEL_ID, description="Must be 'resqa' (see GET /v1/models).")
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    k: int | None = Field(None, ge=1, le=schemas.MAX_K, strict=True,
                          description="resqa extension: paragraphs to retrieve.")
    llm: str | None = Field(None, description="resqa extension: as in POST /v1/ask.")


class AssistantMessage(BaseModel):
    role: Literal["assistant"]
    content: str
    citations: list[schemas.Citation]


class Choice(BaseModel):
    index: int
    message: AssistantMessage
    finish_reason: str
    logprobs: None = None


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    citations: list[schemas.Citation]
    resqa: schemas.Answer


class Model(BaseModel):
    id: str
    object: Literal["model"]
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"]
    data: list[Model]


# The schema of one server-sent event, as clients (and schemathesis) read each one: its `data` line holds a
# chat.completion.chunk as JSON text, the last one "[DONE]".
_SSE_DOC = {"text/event-stream": {"schema": {"type": "object", "required": ["data"], "properties": {
    "data": {"type": "string"}, "event": {"type": "string"}, "id": {"type": "string"}}}, "description":
    "with stream=true: `data: {chat.completion.chunk}` events, then `data: [DONE]`"}}


def add_routes(app: FastAPI) -> None:
    app.add_api_route("/v1/models", list_models, methods=["GET"], response_model=ModelList, tags=["openai"],
                      responses=schemas.ERRORS)
    app.add_api_route("/v1/models/{model}", get_model, methods=["GET"], response_model=Model, tags=["openai"],
                      responses={**schemas.ERRORS, 404: {"model": schemas.Error, "description": "Unknown model"}})
    app.add_api_route("/v1/chat/completions", chat_completions, methods=["POST"], response_model=ChatCompletion,
                      tags=["openai"], summary="OpenAI-compatible chat completion (JSON or SSE)",
                      responses={**schemas.ERRORS, 200: {"content": _SSE_DOC},
                                 404: {"model": schemas.Error, "description": "Unknown model"}})


def _model_card(request: Request) -> dict[str, Any]:
    return {"id": MODEL_ID, "object": "model", "created": request.app.state.started, "owned_by": "resqa"}


async def list_models(request: Request) -> JSONResponse:
    return JSONResponse({"object": "list", "data": [_model_card(request)]})


async def get_model(model: str, request: Request) -> JSONResponse:
    _check_model(model)
    return JSONResponse(_model_card(request))


def _check_model(model: str) -> None:
    if model != MODEL_ID:
        raise ModelNotFound(f"model {model[:80]!r} does not exist; this server serves {MODEL_ID!r}")


def chat_completions(body: ChatRequest, request: Request) -> Any:
    """Sync on purpose: FastAPI runs it in the threadpool, where the CPU-bound answerer belongs."""
    _check_model(body.model)
    qa: Answerer = request.app.state.answerer
    use_llm = schemas.wants_llm(qa, body.llm)
    question, history = split_messages(body.messages)
    events = qa.stream(question, history, body.k, use_llm=use_llm)
    # The first event is computed here, before any byte is sent, so a bad question is a clean 422, not a
    # broken stream (the extractive backend finishes all its work before yielding).
    first = next(events)
    meta = {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()),
            "model": MODEL_ID}
    if body.stream:
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(_sse(first, events, meta), media_type="text/event-stream", headers=headers)
    return JSONResponse(completion(_final(chain((first,), events)), body.messages, meta))


def _final(events: Iterator[StreamEvent]) -> Answer:
    """The Answer a stream ends with; its text replaces the deltas before it, which are skipped."""
    for event in events:
        match event:
            case Final(answer=answer):
                return answer
    raise RuntimeError("the answerer ended without an Answer")


def _text(m: ChatMessage) -> str:
    if m.content is None or isinstance(m.content, str):
        return m.content or ""
    if any(p.type != "text" for p in m.content):
        raise QuestionError("only text message content is supported")
    return "".join(p.text or "" for p in m.content)


def split_messages(messages: list[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """The last user message is the question; the user/assistant turns before it are the history."""
    last = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
    if last is None:
        raise QuestionError("the messages contain no user message to answer")
    history = [{"role": m.role, "content": _text(m)} for m in messages[:last] if m.role in ("user", "assistant")]
    return _text(messages[last]), history


def completion(answer: Answer, messages: list[ChatMessage], meta: dict[str, Any]) -> dict[str, Any]:
    full = answer.to_dict()
    prompt = sum(count_tokens(_text(m)) for m in messages)
    done = count_tokens(answer.text)
    message = {"role": "assistant", "content": answer.text, "citations": full["citations"]}
    return {**meta, "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": done, "total_tokens": prompt + done},
            "citations": full["citations"], "resqa": full}


def _event(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def _chunk(meta: dict[str, Any], delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {**meta, "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}


def _sse(first: StreamEvent, events: Iterator[StreamEvent], meta: dict[str, Any]) -> Iterator[str]:
    """OpenAI's stream: a role chunk, content chunks, a finish chunk carrying the citations, [DONE]."""
    yield _event(_chunk(meta, {"role": "assistant", "content": ""}))
    try:
        for event in chain((first,), events):
            match event:
                case Delta(text=text):
                    if text:
                        yield _event(_chunk(meta, {"content": text}))
                case Final(answer=answer):
                    full = answer.to_dict()
                    final = _chunk(meta, {"citations": full["citations"]}, "stop")
                    yield _event({**final, "citations": full["citations"], "resqa": full})
                    break
        else:
            raise RuntimeError("the answerer ended without an Answer")
    except Exception as exc:  # headers are sent: the only way left to report is an error event
        _log.exception("chat stream failed")
        yield _event({"error": {"message": f"internal error: {type(exc).__name__}", "type": "server_error",
                                "code": 500}})
    yield "data: [DONE]\n\n"
