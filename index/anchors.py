"""Where each footnote is cited: the words a footnote mark is attached to (its anchor).

A footnote's own text is often bare ("同上，第 2171 卷，第 27531 号。", "A/67/156。"); what it is the
source *of* stands before its mark in the citing paragraph. Footnotes are indexed together with their
anchors, so a question naming the convention or report finds the footnote that gives its source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.clauses import Clause
from index.corpus import Corpus
from index.model import Paragraph

_STOPS = "，；。、：\n"
_OPEN, _CLOSE = "《“(（", "》”)）"
MAX_ANCHOR = 80


@dataclass(frozen=True)
class Anchor:
    footnote: int
    pid: str
    start: int
    end: int
    text: str


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


def footnote_anchors(corpus: Corpus, fn: Paragraph) -> list[Anchor]:
    """Every anchor of footnote `fn`, in the order its citing paragraphs appear."""
    return [a for pid in fn.cited_by for a in anchors(corpus.get(pid)) if a.footnote == fn.number]  # type: ignore


def antecedent(corpus: Corpus, fn: Paragraph) -> Paragraph | None:
    """For a "同上" (ibid.) footnote, the nearest earlier footnote that it repeats."""
    if not fn.text.startswith("同上") or fn.number is None:
        return None
    for n in range(fn.number - 1, 0, -1):
        prev = corpus.get(f"FN{n}")
        if prev and not prev.text.startswith("同上"):
            return prev
    return None


# The fields of a GA resolution's masthead, named so that a question about them finds the header.
_HEADER_FIELDS = (
    (re.compile(r"^Distr\."), "分发 distribution"),
    (re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$"), "分发日期 印发日期 date of issue"),
    (re.compile(r"届会议$"), "届会 session"),
    (re.compile(r"^议程项目"), "议程项目 agenda item"),
    (re.compile(r"大会决议$"), "通过日期 date of adoption"),
    (re.compile(r"^\[?根据.*报告"), "所依据的委员会报告 report of the committee"),
    (re.compile(r"^\d+/\d+\."), "决议编号和标题 resolution number and title"),
)


def _header_text(p: Paragraph) -> str:
    lines = []
    for line in p.text.split("\n"):
        names = [name for pattern, name in _HEADER_FIELDS if pattern.search(line)]
        lines.append(f"{line}（{'；'.join(names)}）" if names else line)
    return "\n".join(lines)


def index_text(corpus: Corpus, p: Paragraph) -> str:
    """The text indexed for `p`: a footnote with its anchors (and its ibid. antecedent), the header with the
    names of its fields, else the text itself."""
    if p.kind == "header":
        return _header_text(p)
    if p.kind != "footnote":
        return p.text
    parts = [p.text]
    ante = antecedent(corpus, p)
    if ante:
        parts.append(ante.text.split("，第")[0])
    parts += [a.text for a in footnote_anchors(corpus, p)]
    return " ".join(dict.fromkeys(parts))


def clause_index_text(corpus: Corpus, c: Clause) -> str:
    """What a clause is embedded and matched as: a footnote with its anchors, a header line with its field's
    name, any other clause as itself."""
    p = corpus.get(c.pid)
    if p is not None and p.kind == "footnote":
        return index_text(corpus, p)
    if p is not None and p.kind == "header":
        return index_text(corpus, p).split("\n")[p.text.count("\n", 0, c.start)]
    return c.text
