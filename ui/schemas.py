"""The REST boundary: pydantic models of /v1/ask, /v1/search, /v1/paragraphs, /v1/info; the JSON error shape;
and the one request check that needs the answerer (which LLM a request may name).

Pydantic lives only here and in ui/openai_compat.py: requests are validated into these models, and the
response models document in OpenAPI the JSON that `Answer.to_dict()` / `Paragraph.to_dict()` already produce
(the endpoints return those dicts directly, so the answer shape has one source of truth: rag/types.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from rag.answerer import MAX_K  # the answerer's bound on k, also checked here so that OpenAPI states it

if TYPE_CHECKING:
    from rag import Answerer

MAX_HISTORY = 100  # turns; the body limit bounds their size, this bounds their count


def encodable(text: str) -> str:
    """Text that can be encoded as UTF-8. JSON lets a client send a lone surrogate (\\ud800), which Python
    keeps in a str and which the embedder, the log and every response would fail on later: refused here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"contains text that is not valid Unicode (a lone surrogate, U+{ord(text[exc.start]):04X}, "
                         f"at character {exc.start}); send UTF-8 text") from None
    return text


Text = Annotated[str, AfterValidator(encodable)]


class Message(BaseModel):
    """One earlier turn, OpenAI style."""

    model_config = ConfigDict(extra="forbid")
    role: Literal["system", "user", "assistant"]
    content: Text


class AskRequest(BaseModel):
    # Unknown fields are refused rather than ignored: a typo such as "questoin" must not pass silently.
    model_config = ConfigDict(extra="forbid")
    question: Text = Field(description="The question, Chinese or English (at most settings.max_question_chars).",
                          examples=["大会决定何时召开高级别会议？"])
    k: int | None = Field(None, ge=1, le=MAX_K, strict=True,
                          description="Paragraphs to retrieve (default: the server's k).")
    history: list[Message] | None = Field(None, max_length=MAX_HISTORY,
                                          description="Earlier turns, oldest first, for follow-up questions.")
    llm: Text | None = Field(None, description="Backend to answer with: 'extractive' or the configured LLM; "
                                              "any other name is refused with 400.")


class Citation(BaseModel):
    id: str
    label_zh: str
    label_en: str
    quote: str = Field(description="Exactly the paragraph text[start:end].")
    start: int
    end: int


class Hit(BaseModel):
    id: str
    rank: int
    score: float
    dense: float | None = None
    lexical: float | None = None
    via: str = Field(description="search, reference (named in the question) or link (footnote ↔ paragraph)")


class Doc(BaseModel):
    symbol: str
    sha256: str


class Answer(BaseModel):
    """The same JSON as `resqa ask --json`."""

    question: str
    text: str
    refused: bool
    citations: list[Citation]
    retrieved: list[Hit]
    backend: str
    doc: Doc
    lang: str
    see_also: list[str]
    notes: list[str]
    latency_ms: float
    extra: dict[str, Any]
    verdict: str = Field("answer", description="answer, no (the question's premise is contradicted; the "
                         "citations quote what the resolution says instead) or refuse")


class Paragraph(BaseModel):
    id: str
    kind: str
    number: int | None
    label_zh: str
    label_en: str
    text: str
    spans: list[list[int]]
    footnotes: list[int]
    marks: list[list[int]]
    cited_by: list[str]
    verb: str | None
    n_tokens: int
    doc: Doc


class ParagraphList(BaseModel):
    doc: Doc
    count: int
    ranges: str = Field(description="e.g. HEADER, PP1–PP25, OP1–OP15, FN1–FN19, MEETING")
    paragraphs: list[Paragraph]


class SearchHit(Hit):
    label_zh: str
    label_en: str
    text: str


class SearchResult(BaseModel):
    query: str
    k: int
    hits: list[SearchHit]


class Info(BaseModel):
    name: str
    version: str
    symbol: str
    sha256: str
    embedder: str
    paragraphs: int
    ranges: str
    backend: str
    k: int
    max_question_chars: int
    build: str | None = Field(description="The index build answering now: its generation folder (embedded) or "
                              "collection id (Chroma server); changes when a rebuild is switched in.")


class Health(BaseModel):
    status: Literal["ok"]


class Ready(BaseModel):
    status: Literal["ready"]
    checks: dict[str, str] = Field(description="embedder, index, store (on disk), chroma: each 'ok'")
    build: str
    ms: float


class ErrorBody(BaseModel):
    message: str
    type: str
    code: int
    dependency: str | None = Field(None, description="On a 503: what is down (chroma, embedder, index).")


class Error(BaseModel):
    """Every 4xx/5xx body. `error` follows OpenAI's shape so OpenAI clients show the message."""

    error: ErrorBody
    detail: list[dict[str, Any]] | None = Field(None, description="Validation errors: loc, msg, type.")


class NotReady(Error):
    status: Literal["not ready"]
    checks: dict[str, str] = Field(description="embedder, index, store, chroma: 'ok', 'not checked' or why not")
    ms: float


def error_body(status: int, message: str, kind: str, detail: list[dict[str, Any]] | None = None,
               dependency: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"error": {"message": message, "type": kind, "code": status}}
    if dependency is not None:
        body["error"]["dependency"] = dependency
    if detail is not None:
        body["detail"] = detail
    return body


def validation_details(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Pydantic's errors cut to loc/msg/type: `input` and `ctx` may hold raw bytes or exception objects."""
    return [{"loc": [p if isinstance(p, int) else str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")),
             "type": str(e.get("type", ""))} for e in errors]


def summary(detail: list[dict[str, Any]]) -> str:
    """'body.question: Field required' — the first problem, for clients that only show `error.message`."""
    if not detail:
        return "invalid request"
    where = ".".join(str(p) for p in detail[0]["loc"])
    return f"{where}: {detail[0]['msg']}" if where else str(detail[0]["msg"])


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Error, "description": text}
    for code, text in ((400, "Bad request (e.g. an LLM that is not configured)"),
                       (401, "Missing or wrong API key (when RESQA_API_KEY is set)"),
                       (413, "Request body too large"),
                       (422, "Invalid request (empty or over-long question, wrong types, invalid Unicode)"),
                       (503, "A dependency (chroma) is unreachable or timed out; `error.dependency` names it"))
}


class LLMNotConfigured(ValueError):
    """A request named an LLM backend this server does not have (answered 400, never silently ignored)."""


def wants_llm(qa: Answerer, requested: str | None) -> bool:
    """Whether to let the LLM write the answer, from the request's `llm` field (None: the server's default)."""
    if requested is None:
        return True
    name = requested.strip()
    if name == "extractive":
        return False
    configured = qa.settings.llm
    if qa.chat_model is not None and name in (configured, qa.backend_name):
        return True
    have = ["'extractive'"] + ([repr(configured)] if qa.chat_model is not None and configured else [])
    raise LLMNotConfigured(f"LLM {name[:80]!r} is not configured on this server; available: {', '.join(have)}")
