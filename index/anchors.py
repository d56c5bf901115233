"""What a footnote and the header are indexed as: a footnote with its anchors, the header with field names.

A footnote's own text is often bare ("同上，第 2171 卷，第 27531 号。", "A/67/156。"); what it is the
source *of* stands before its mark in the citing paragraph (its anchor, `Corpus.footnote_anchors`).
Footnotes are indexed together with their anchors, so a question naming the convention or report finds
the footnote that gives its source.
"""

from __future__ import annotations

import re

from index.clauses import Clause
from index.corpus import Corpus
from index.model import Paragraph


def antecedent(corpus: Corpus, fn: Paragraph) -> Paragraph | None:
    """For a "同上" (ibid.) footnote, the nearest earlier footnote that it repeats."""
    if not fn.text.startswith("同上") or fn.number is None:
        return None
    for n in range(fn.number - 1, 0, -1):
        prev = corpus.footnote(n)
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
    parts += [a.text for a in corpus.footnote_anchors(p.id)]
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
