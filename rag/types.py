"""Values that flow out of the answerer: retrieval hits, verified citations, the answer itself, and the
events of a streamed answer (`Delta` pieces of verified text, then one `Final` holding the Answer)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, TypeAlias


@dataclass(frozen=True)
class Hit:
    """One retrieved paragraph. `score` is the fused score; `dense`/`lexical` the parts (None if unused)."""

    id: str
    rank: int
    score: float
    dense: float | None = None
    lexical: float | None = None
    via: str = "search"  # "search", "reference" (named in the question), "link" (footnote ↔ paragraph) or
    # "structure" (found by a list, count or summary in the document's structure)


@dataclass(frozen=True)
class Citation:
    """A paragraph id and a quote that is exactly `paragraph.text[start:end]` (checked before returning)."""

    id: str
    label_zh: str
    label_en: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    refused: bool
    citations: tuple[Citation, ...]
    retrieved: tuple[Hit, ...]
    backend: str
    doc: dict[str, str]
    lang: str = "zh"
    see_also: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    latency_ms: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)  # extra["decision"]: verdict, reason, signals, margins
    verdict: str = "answer"  # "answer", "no" (the question's premise is contradicted, quoted) or "refuse"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape every interface returns (CLI --json, HTTP, Gradio API, MCP)."""
        d = asdict(self)
        d["citations"] = [asdict(c) for c in self.citations]
        d["retrieved"] = [asdict(h) for h in self.retrieved]
        d["see_also"] = list(self.see_also)
        d["notes"] = list(self.notes)
        return d


@dataclass(frozen=True)
class Delta:
    """A piece of the answer text as it is ready, already verified: the pieces joined are the start of the
    final Answer's text (all of it for the extractive backend), which replaces them."""

    text: str


@dataclass(frozen=True)
class Final:
    """The last event of every stream: the verified Answer."""

    answer: Answer


StreamEvent: TypeAlias = Delta | Final  # what `Answerer.stream` yields: Delta pieces, then exactly one Final
