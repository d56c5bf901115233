"""Values that flow out of the answerer: retrieval hits, verified citations, and the answer itself."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
