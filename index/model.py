"""Values that flow out of the index layer: a parsed paragraph and the document stamp."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("header", "preamble", "operative", "footnote", "meeting")


@dataclass(frozen=True)
class DocStamp:
    """Which document (and which exact bytes of it) a paragraph came from."""

    symbol: str
    sha256: str

    def to_dict(self) -> dict[str, str]:
        return {"symbol": self.symbol, "sha256": self.sha256}


@dataclass(frozen=True)
class Paragraph:
    """One citable unit of the resolution: a preambular/operative paragraph, a footnote, or a frame line."""

    id: str
    kind: str
    number: int | None
    label_zh: str
    label_en: str
    text: str
    spans: tuple[tuple[int, int], ...]
    footnotes: tuple[int, ...] = ()
    marks: tuple[tuple[int, int], ...] = ()  # (offset in text, footnote number): where each mark stood
    cited_by: tuple[str, ...] = ()
    verb: str | None = None
    doc: DocStamp = field(default=DocStamp("", ""))

    @property
    def n_tokens(self) -> int:
        """The clean text's length in cl100k_base tokens. Counted when first asked (an answer never needs it, and
        loading tiktoken's encoding costs a cold CLI answer a quarter of a second), then remembered."""
        from index.tokens import count_tokens

        return count_tokens(self.text)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["n_tokens"] = self.n_tokens
        d["spans"] = [list(s) for s in self.spans]
        d["footnotes"] = list(self.footnotes)
        d["marks"] = [list(m) for m in self.marks]
        d["cited_by"] = list(self.cited_by)
        return d
