"""Choosing the evidence an extractive answer quotes: the best window of clauses in the best paragraphs.

A window is 1–3 consecutive clauses of one sentence, so its quote is always a verbatim substring. It is
scored by how much of the question's content it covers (character bigrams, or the Chinese terms of an
English question), how close its clauses' vectors are to the question's, and its paragraph's rank.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from index import Clause, Corpus, clause_index_text
from rag import phrase
from rag.anaphora import antecedents
from rag.qtype import Need
from rag.strings import squeeze, stands_alone
from rag.text import bigrams, coverage, facts

MAX_WINDOW = 3
W_LEX, W_DENSE, W_PRIOR, W_LEN = 0.55, 0.45, 0.2, 0.03
DENSE_FLOOR, DENSE_SPAN = 0.75, 0.17
HELD_PRIOR = 0.5  # the rank prior of a paragraph added because it names a symbol the question names


@dataclass(frozen=True)
class Evidence:
    pid: str
    start: int
    end: int
    score: float
    lex: float
    dense: float
    meets_need: bool
    modifier: bool = False  # what a "who" asks about stands here only as a modifier of another noun


class EvidenceFinder:
    def __init__(self, corpus: Corpus, clauses: list[Clause], matrix: np.ndarray) -> None:
        self.corpus = corpus
        self.clauses = clauses
        self.matrix = matrix
        self._by_pid: dict[str, list[int]] = {}
        for i, c in enumerate(clauses):
            self._by_pid.setdefault(c.pid, []).append(i)
        # A footnote is matched with its anchors (what it is the source of), quoted without them.
        self._bigrams = [bigrams(clause_index_text(corpus, c)) | self._referents(c) for c in clauses]
        self._flat_of = {p.id: squeeze(p.text) for p in corpus.paragraphs}  # "第 20/1 号" → 第20/1号
        self._symbol = corpus.symbol
        # Where each clause's sentence begins in its paragraph (document structure, computed once).
        firsts: dict[tuple[str, int], int] = {}
        for c in clauses:
            firsts.setdefault((c.pid, c.sentence), c.start)
        self._sentence_start = [firsts[(c.pid, c.sentence)] for c in clauses]

    def _referents(self, clause: Clause) -> set[str]:
        """A clause that points back with 该/此 + a noun ("并注意到该基金…") is about the thing its paragraph
        named before with that noun ("某某合作基金"): the name's bigrams count as the clause's own when a
        window's coverage of a question is measured (the quote stays the clause's own words)."""
        p = self.corpus.get(clause.pid)
        return set().union(*(bigrams(name) for start, _, name in (antecedents(p.text) if p else ())
                             if clause.start <= start < clause.end))

    def windows(self, pid: str, qbig: set[str], qvec: np.ndarray, prior: float, need: Need) -> list[Evidence]:
        idx = self._by_pid.get(pid, [])
        if not idx:
            return []
        text = self.corpus.get(pid).text  # type: ignore[union-attr]
        sims = self.matrix[idx] @ qvec
        anaphors = antecedents(text) if need.acted_on else ()
        out = []
        for a in range(len(idx)):
            for b in range(a, min(a + MAX_WINDOW, len(idx))):
                if self.clauses[idx[b]].sentence != self.clauses[idx[a]].sentence:
                    break
                big = set().union(*(self._bigrams[i] for i in idx[a : b + 1]))
                lex = coverage(qbig, big)
                dense = float(sims[a : b + 1].max())
                dense_n = min(1.0, max(0.0, (dense - DENSE_FLOOR) / DENSE_SPAN))
                score = W_LEX * lex + W_DENSE * dense_n + W_PRIOR * prior - W_LEN * (b - a)
                start, end = self.clauses[idx[a]].start, self.clauses[idx[b]].end
                # Who acts is said once, at the head of the sentence ("请秘书长…，…，安排…"): an actor asked
                # for may stand before the window, in the clauses it continues.
                held = text[self._sentence_start[idx[a]] if need.kind == "actor" else start : end]
                modifier = bool(need.acted_on) and phrase.only_as_modifier(need.acted_on or "", text, start, end,
                                                                           anaphors)
                out.append(Evidence(pid, start, end, score, lex, dense, need.satisfied_by(held), modifier))
        return out

    def best(self, candidates: list[tuple[str, float]], qbig: set[str], qvec: np.ndarray,
             need: Need, stated: str = "") -> list[Evidence]:
        """Every candidate window, best first; those meeting the question's need ahead of those that don't,
        and first of all those in a paragraph holding every document symbol the question names that the text
        has ("64/178是哪年通过的": the paragraph naming 64/178, not another date). A number or date is no such
        key: "2013" stands for many things."""
        # Symbols only ("20/1" as a whole, never inside "2013"), and not this document's own symbol.
        held = [f for f in facts(stated) if "/" in f and not self._symbol.endswith(f)]
        holding = {pid for pid, flat in self._flat_of.items()
                   if all(stands_alone(f, flat, joiners="/") for f in held)} if held else set()
        seen = {pid for pid, _ in candidates}  # a paragraph naming the symbol is a candidate, retrieved or not
        candidates = candidates + [(pid, HELD_PRIOR) for pid in self._flat_of if pid in holding and pid not in seen]
        found: list[Evidence] = []
        for pid, prior in candidates:
            found += self.windows(pid, qbig, qvec, prior, need)
        if need.kind == "symbol":
            found = self._sources_of_anchors(found)
        return sorted(found, key=lambda e: (bool(holding) and e.pid not in holding, not e.meets_need, -e.score))

    def _sources_of_anchors(self, found: list[Evidence]) -> list[Evidence]:
        """A document symbol stands in a footnote, the words a question describes it by in the paragraph
        that cites it ("秘书长关于…的报告，文件编号"): a footnote holding a symbol is as good evidence as its
        anchor paragraph's best window."""
        best: dict[str, Evidence] = {}
        for e in found:
            if e.pid not in best or e.score > best[e.pid].score:
                best[e.pid] = e
        out = []
        for e in found:
            anchors = [best[p.id] for p in self.corpus.cited_by(e.pid) if p.id in best]
            top = max(anchors, key=lambda a: a.score, default=None)
            if e.meets_need and top is not None and top.score > e.score:
                e = replace(e, score=top.score, lex=max(e.lex, top.lex), dense=max(e.dense, top.dense))
            out.append(e)
        return out

    def covered(self, e: Evidence, qbig: set[str]) -> set[str]:
        """The question's bigrams a window holds."""
        p = self.corpus.get(e.pid)
        return qbig & bigrams(p.text[e.start : e.end]) if p else set()

    def parallel(self, e: Evidence, chosen: list[Evidence], qbig: set[str]) -> bool:
        """A window of a chosen paragraph, apart from what is chosen there, that holds exactly the question's
        words the best window holds: the paragraph says the asked thing twice (two sections, two requests)."""
        apart = all(e.end <= c.start or e.start >= c.end for c in chosen if c.pid == e.pid)
        held = self.covered(e, qbig)
        return apart and e.meets_need and len(held) >= 2 and held == self.covered(chosen[0], qbig)

    def texts(self, chosen: list[Evidence]) -> list[str]:
        """What the chosen evidence says, for checking a premise against it: a footnote with the paragraph
        that cites it (it is the source of that paragraph's words: "第六届会议的成果" → "CTOC/COP/2012/15")."""
        out = []
        for e in chosen:
            p = self.corpus.get(e.pid)
            assert p is not None
            out += [p.text] + [c.text for c in self.corpus.cited_by(p.id)]
        return out

    def clause_at(self, pid: str, start: int, end: int) -> Evidence:
        """The clauses holding [start, end) as a window (a span found by other means, to be widened)."""
        held = [self.clauses[i] for i in self._by_pid.get(pid, [])
                if self.clauses[i].start < end and start < self.clauses[i].end]
        if held:
            start, end = min(start, held[0].start), max(end, held[-1].end)
        return Evidence(pid, start, end, 0.0, 0.0, 0.0, True)

    def widen(self, e: Evidence, max_chars: int) -> tuple[int, int]:
        """Grow a window by whole neighbouring clauses of its sentence, nearest first, up to `max_chars`:
        the words that answer a question often stand next to the words that match it."""
        idx = self._by_pid.get(e.pid, [])
        inside = [i for i in idx if e.start <= self.clauses[i].start and self.clauses[i].end <= e.end]
        if not inside:
            return e.start, e.end
        sentence = self.clauses[inside[0]].sentence
        same = [i for i in idx if self.clauses[i].sentence == sentence]
        lo, hi = same.index(inside[0]), same.index(inside[-1])
        start, end = e.start, e.end
        while True:
            grown = False
            for j in (hi + 1, lo - 1):
                if 0 <= j < len(same):
                    c = self.clauses[same[j]]
                    s2, e2 = min(start, c.start), max(end, c.end)
                    if e2 - s2 <= max_chars:
                        start, end, grown = s2, e2, True
                        lo, hi = min(lo, j), max(hi, j)
                        break
            if not grown:
                return start, end
