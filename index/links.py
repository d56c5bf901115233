"""Footnote links: which paragraph cites which footnote, and the words each mark is attached to (its anchor).

`index.corpus.Corpus` owns these links and exposes them (`footnote`, `footnotes_of`, `cited_by`, `linked`,
`anchors`, `anchor`, `footnote_anchors`); this module only computes them from the parsed paragraphs, whose
`footnotes`, `marks` and `cited_by` the parser filled in. Nothing outside `index` calls it directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.labels import make_id
from index.model import Paragraph

_STOPS = "，；。、：\n"
_OPEN, _CLOSE = "《“(（", "》”)）"
MAX_ANCHOR = 80


@dataclass(frozen=True)
class Anchor:
    """The words footnote `footnote` is the source of: `text` is paragraph `pid`'s text[start:end]."""

    footnote: int
    pid: str
    start: int
    end: int
    text: str


def footnote_id(number: int) -> str:
    """The id of footnote `number` ('FN9'), whether or not the document has it."""
    return make_id("footnote", number)


def linked_ids(p: Paragraph) -> tuple[str, ...]:
    """A footnote's citing paragraphs; any other paragraph's footnotes (ids, in order of first mark)."""
    if p.kind == "footnote":
        return p.cited_by
    return tuple(footnote_id(n) for n in p.footnotes)


def anchors(p: Paragraph) -> list[Anchor]:
    """The anchor of each mark in `p`: back from the mark to the previous mark or top-level separator."""
    out = []
    prev_mark = 0
    for pos, n in p.marks:
        end = pos
        # A mark often follows the separator ("…决议，⁵"): the anchor is the words before it.
        while end > prev_mark and (p.text[end - 1] in _STOPS or p.text[end - 1].isspace()):
            end -= 1
        start = _anchor_start(p.text, end, prev_mark)
        text = p.text[start:end].strip()
        if text:
            begin = p.text.index(text, start)
            out.append(Anchor(n, p.id, begin, begin + len(text), text))
        prev_mark = pos
    return out


def _anchor_start(text: str, pos: int, floor: int) -> int:
    depth = 0
    i = pos
    while i > floor and pos - i < MAX_ANCHOR:
        ch = text[i - 1]
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
            depth -= 1
        elif ch in _STOPS and depth <= 0:
            break
        i -= 1
    return i


def footnote_anchors(fn: Paragraph, anchors_of: Callable[[str], Sequence[Anchor]]) -> list[Anchor]:
    """Every anchor of footnote `fn`, in the order its citing paragraphs appear (`anchors_of(pid)` gives a
    paragraph's anchors)."""
    return [a for pid in fn.cited_by for a in anchors_of(pid) if a.footnote == fn.number]
