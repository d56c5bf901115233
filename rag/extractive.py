"""The default answerer: no LLM, only quotes. Picks evidence, decides whether the resolution answers at all,
and cites every quote at its exact offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from index import Corpus, antecedent
from rag import phrase, premise
from rag.compose import answer_text, correction_lead, no_text, refusal_text
from rag.counterpart import Span
from rag.decide import Decision, Signals, Thresholds, decide, refusal
from rag.evidence import Evidence, EvidenceFinder
from rag.glossary import chinese_terms
from rag.qtype import named_specifics, need_of
from rag.specifics import absent_titles, written
from rag.text import bigrams, content_bigrams, content_words, coverage, facts, normalize
from rag.types import Citation, Hit

_SOURCE = re.compile(r"出处|来源|哪一?卷|第几卷|卷号|文号|文件号|文件编号|编号|条约汇编|哪几?份|哪一份|哪些报告|"
                     r"哪个报告|哪一?项决议|哪个决议|source|volume|treaty series|document|symbol|which reports?|"
                     r"cite[sd]?|reference|which (?:\w+ )?resolutions?|[”\"]\s*(?:是|具体)?指(?:的是)?哪些", re.I)
_EN_FILLER = re.compile(r"\b(what|does|do|did|say|says|said|state|states|the|of|in|about|is|are|text|"
                        r"resolution|paragraph|content|contain|contains|full|me|tell|show|please|and|it)\b", re.I)
MAX_CITATIONS = 3
MAX_WHOLE = 5
MIN_OWN_WORDS = 2  # content words a follow-up needs to be read on its own words
WIDE_CHARS = 220  # how far a reason or a contradicting quote may grow within its sentence
CORRECTION_HITS = 3  # a correction's counterpart is looked for in the evidence and this many top paragraphs


@dataclass
class Draft:
    text: str
    citations: list[Citation]
    refused: bool
    see_also: list[str] = field(default_factory=list)
    signals: dict[str, Any] = field(default_factory=dict)  # the decision, its reason and its signals
    verdict: str = "answer"  # "answer" | "no" | "refuse" (rag.decide)
    structured: bool = False  # a list, count, summary, relation or name: its lines are kept as worded


class Extractive:
    def __init__(self, corpus: Corpus, finder: EvidenceFinder, thresholds: Thresholds | None = None) -> None:
        self.corpus = corpus
        self.finder = finder
        self.t = thresholds or Thresholds()
        self._text = " ".join(p.text for p in corpus.paragraphs)
        number = corpus.symbol.split("/", 2)[-1]  # A/RES/N/M → N/M: the document naming itself
        self._self_reference = re.compile(rf"(?:A\s*/\s*RES\s*/\s*)?{re.escape(number)}", re.I)
        self._flat = normalize(self._text)

    def question_bigrams(self, query: str, lang: str) -> set[str]:
        if lang == "zh":
            # English words count by their Chinese terms; one the text never writes ("Resolution") not at all.
            own = {b for b in content_bigrams(query) if not (b.isascii() and b.isalpha()) or b in self._flat}
            return own | set().union(*(bigrams(t) for t in chinese_terms(query, self.corpus)))
        terms = chinese_terms(query, self.corpus) + sorted(facts(query))
        return set().union(*(bigrams(t) for t in terms)) if terms else set()

    def is_bare_reference(self, remainder: str, lang: str) -> bool:
        """A question that only points at paragraphs ("执行部分第5段说了什么？") wants them whole."""
        if lang == "en":
            return not re.search(r"[a-z]{3,}", _EN_FILLER.sub(" ", remainder), re.I)
        return not self.question_bigrams(remainder, lang)

    def own_facts(self, query: str) -> set[str]:
        """Numbers, dates and symbols the question states, less this document's own symbol ("N/M")."""
        return facts(self._self_reference.sub(" ", query))

    def foreign_facts(self, query: str) -> list[str]:
        """Numbers, dates and symbols the question states that the resolution never mentions (a false premise)."""
        named = self.own_facts(query) | set(named_specifics(query, self.corpus.facts.names("places")))
        return [f for f in named if not written(f, self._flat, self.corpus)] + absent_titles(query, self._flat)

    def answer(self, query: str, lang: str, hits: list[Hit], qvec: np.ndarray, referenced: list[str],
               remainder: str, own: str | None = None, kind: str = "fact", followup: bool = False) -> Draft:
        """`hits`/`qvec` come from `query`; `own` (default: query) is what this question itself asks —
        for one part of a several-part question, its own words, which must be covered on their own; for a
        follow-up ("它是什么时候开的？"), the query it is read as (its subject is the previous question's)."""
        own = own or query
        if referenced and self.is_bare_reference(remainder, lang):
            return self._whole(referenced[:MAX_WHOLE], lang)
        cover = query if followup else own
        qbig = self.question_bigrams(remainder if referenced else cover, lang) or self.question_bigrams(cover, lang)
        need = need_of(own, reason=kind == "why", actors=self.corpus.facts.actor_names,
                       terms=chinese_terms(phrase.english_object(own), self.corpus) if lang == "en" else ())
        candidates = self._candidates(hits, referenced)
        found = self.finder.best(candidates, qbig, qvec, need, "" if referenced else own)
        if followup and not referenced and found and lang == "zh":
            # A follow-up whose pronoun points into the previous answer ("它的主席由谁任命"): when one window
            # holds every word it asks with (two or more: one word alone, "负责", says too little), its own words
            # say what it asks, not the previous question's, which that window need not hold.
            own_big, own_words = self.question_bigrams(own, lang), content_words(own)
            alt = self.finder.best(candidates, own_big, qvec, need, own) if len(own_words) >= MIN_OWN_WORDS else []
            if alt and self._holds(alt[0], own_words):
                found, qbig = alt, own_big
        words = content_words(cover) + sorted(self.own_facts(own)) if lang == "zh" else []  # "A/N/M" too
        base = Signals(kind=kind, lang=lang, content=len(qbig), need=need.kind, referenced=bool(referenced),
                       yesno=kind == "yesno", foreign=tuple(self.foreign_facts(own)), words=len(words),
                       known_words=sum(normalize(w) in self._flat for w in words))
        if not found:
            return self.refuse(own, lang, hits, base, decide(replace(base, meets_need=False), self.t))
        # The reason for X stands where X is said (as the thing itself, not a modifier: rag.phrase), not in any
        # clause with a marker (以便/因而) matching less well.
        found = sorted(found, key=lambda e: (e.modifier, -e.score)) if kind == "why" else found
        top = found[0]
        near = [e for e in found if e.meets_need and e.score >= self.t.need_ratio * top.score and (
            kind != "why" or (e.pid == top.pid and e.lex >= self.t.lex_floor))]
        # Of those, first one naming what a "who" asks about as the thing itself, not as a modifier (rag.phrase).
        best = next((e for e in near if not e.modifier), near[0] if near else None)
        # A "why" the policy answers without a reason marker (rag.decide) quotes its best window of a
        # paragraph, widened (a footnote holds a source, never a reason).
        chosen = self._companions(best, [e for e in found if e.meets_need], qbig) if best else (
            [next((e for e in found if getattr(self.corpus.get(e.pid), "kind", "") != "footnote"), top)]
            if kind == "why" else [])
        texts = self.finder.texts(chosen)
        signals = replace(base, lex=round(top.lex, 6), dense=round(top.dense, 6), meets_need=best is not None,
                          premise=premise.check(self._self_reference.sub(" ", remainder if referenced and not followup
                                                                         else own), lang, texts, self._text,
                                                        self.corpus)
                          if texts else None)
        fix = self._correction(own, signals, lang, chosen, hits)
        signals = replace(signals, counter=fix is not None)
        decision = decide(signals, self.t)
        if not decision.answers:
            return self.refuse(own, lang, hits, signals, decision)
        if decision.verdict == "no":
            # A "no" quotes what the text says instead: the counterpart's whole sentence when there is one.
            at = [self.finder.clause_at(fix[1].pid, fix[1].start, fix[1].end)] if fix else chosen
            citations = self._citations(at, qbig, source=False, wide=True)
            lead = correction_lead(fix[0] if fix else decision.reason, kind == "yesno", lang)
            return Draft(no_text(citations, self.corpus, lang, lead), citations, False,
                         signals=decision.to_dict(signals), verdict="no")
        citations = self._citations(chosen, qbig, source=bool(_SOURCE.search(own)),
                                    wide=kind in ("why", "list"))  # a reason stands before 因此/after 以便
        if not citations:  # nothing to quote: never an empty answer
            return self.refuse(own, lang, hits, signals, refusal("no-quote"))
        text = answer_text(citations, self.corpus, lang, whole=False)
        text = (("是。" if lang == "zh" else "Yes. ") + text) if kind == "yesno" else text
        return Draft(text, citations, False, signals=decision.to_dict(signals))

    def _correction(self, own: str, signals: Signals, lang: str, chosen: list[Evidence],
                    hits: list[Hit]) -> tuple[str, Span] | None:
        """Where the text states the truth in place of a failed premise: the evidence, else the top hits."""
        reasons = ([signals.premise] if signals.premise else []) + [f"specific-elsewhere:{f}" for f in signals.foreign]
        if not reasons:
            return None
        pids = list(dict.fromkeys([e.pid for e in chosen] + [h.id for h in hits[:CORRECTION_HITS]]))
        paragraphs = [p for p in (self.corpus.get(pid) for pid in pids) if p is not None]
        return premise.correction(self._self_reference.sub(" ", own), reasons, lang, paragraphs,
                                  self.corpus.facts.actor_names)

    def _candidates(self, hits: list[Hit], referenced: list[str]) -> list[tuple[str, float]]:
        base = [(pid, 1.0) for pid in referenced] or [
            (h.id, 1.0 - i / max(1, len(hits))) for i, h in enumerate(hits)]
        out = dict(base)
        for pid, prior in base:
            for q in self.corpus.linked(pid):
                out.setdefault(q, prior * 0.8)
        return list(out.items())

    def _holds(self, e: Evidence, words: list[str]) -> bool:
        p = self.corpus.get(e.pid)
        window = normalize(p.text[e.start : e.end]) if p else ""
        return bool(window) and all(normalize(w) in window for w in words)

    def _companions(self, best: Evidence, found: list[Evidence], qbig: set[str]) -> list[Evidence]:
        """The best window, plus windows of other paragraphs that cover what it leaves out."""
        chosen = [best]
        covered = self.finder.covered(best, qbig)
        for e in found:
            if len(chosen) >= MAX_CITATIONS or e.score < self.t.second_ratio * best.score:
                break
            same = e.pid in {c.pid for c in chosen}
            gain = len(self.finder.covered(e, qbig) - covered) / max(1, len(qbig))
            # Another paragraph that adds to the answer; or the same paragraph saying it again of another thing
            # ("专列一节，说明…的情况 … 在该报告中专列一节，说明本决议的执行情况").
            if (not same and gain >= self.t.second_gain) or (same and self.finder.parallel(e, chosen, qbig)):
                chosen.append(e)
                covered |= self.finder.covered(e, qbig)
        return chosen

    def _citations(self, chosen: list[Evidence], qbig: set[str], source: bool, wide: bool = False) -> list[Citation]:
        """Quotes for the chosen evidence; a footnote comes with the words it is the source of, and a source
        question about a paragraph gets the footnote whose anchor matches it best."""
        out: list[Citation] = []
        for e in chosen:
            p = self.corpus.get(e.pid)
            assert p is not None
            if p.kind == "footnote":
                out += self._footnote_with_context(p.id, qbig)
                continue
            # Header lines are separate facts (date, session, title): they are quoted as matched.
            chars = WIDE_CHARS if wide else self.t.context_chars
            start, end = (e.start, e.end) if p.kind == "header" else self.finder.widen(e, chars)
            out.append(_cite(self.corpus, p.id, start, end))
            if source:
                out += self._source_of(p.id, start, end, qbig)
        unique: list[Citation] = []
        for c in out:
            if all((c.id, c.start, c.end) != (u.id, u.start, u.end) for u in unique):
                unique.append(c)
        return unique[: MAX_CITATIONS + 2]

    def _footnote_with_context(self, fid: str, qbig: set[str]) -> list[Citation]:
        fn = self.corpus.get(fid)
        assert fn is not None
        cites = []
        cited_at = self.corpus.footnote_anchors(fid)
        if cited_at:
            a = max(cited_at, key=lambda a: coverage(qbig, bigrams(a.text)))
            cites.append(_cite(self.corpus, a.pid, a.start, a.end))
        ante = antecedent(self.corpus, fn)
        if ante:
            head = ante.text.split("，第")[0]
            cites.append(_cite(self.corpus, ante.id, 0, len(head)))
        cites.append(_cite(self.corpus, fid, 0, len(fn.text.rstrip())))
        return cites

    def _source_of(self, pid: str, start: int, end: int, qbig: set[str]) -> list[Citation]:
        p = self.corpus.get(pid)
        assert p is not None
        inside = [(pos, n) for pos, n in p.marks if start <= pos <= end + 2]
        if not inside:
            return []
        by_note = {a.footnote: a for a in self.corpus.anchors(pid)}
        pos, n = max(inside, key=lambda m: coverage(qbig, bigrams(by_note[m[1]].text)) if m[1] in by_note else 0)
        fn = self.corpus.footnote(n)
        return [_cite(self.corpus, fn.id, 0, len(fn.text.rstrip()))] if fn else []

    def _whole(self, pids: list[str], lang: str) -> Draft:
        citations = []
        for pid in pids:
            p = self.corpus.get(pid)
            if p:
                start = len(p.text) - len(p.text.lstrip())
                citations.append(_cite(self.corpus, pid, start, len(p.text.rstrip())))
        return Draft(answer_text(citations, self.corpus, lang, whole=True), citations, False)

    def refuse(self, query: str, lang: str, hits: list[Hit], signals: Signals, decision: Decision) -> Draft:
        see = [p for p in (self.corpus.get(h.id) for h in hits[:3]) if p]
        return Draft(refusal_text(query, lang, see, decision.reason), [], True, [p.id for p in see],
                     decision.to_dict(signals), verdict="refuse")


def _cite(corpus: Corpus, pid: str, start: int, end: int) -> Citation:
    p = corpus.get(pid)
    assert p is not None
    return Citation(p.id, p.label_zh, p.label_en, p.text[start:end], start, end)


def merge_drafts(drafts: list[Draft], lang: str, corpus: Corpus) -> Draft:
    """One draft from the parts: their citations (a quote overlapping one already given is not repeated),
    worded once, then what the resolution does not say; refused only if every part was."""
    if len(drafts) == 1:
        return drafts[0]
    if any(d.structured or d.verdict == "no" for d in drafts):
        return _joined(drafts, lang)  # a corrected premise keeps its "no": it is never reworded as support
    citations: list[Citation] = []
    for d in drafts:
        citations += [c for c in d.citations
                      if not any(x.id == c.id and x.start < c.end and c.start < x.end for x in citations)]
    sep = "\n" if lang == "zh" else " "
    texts = [answer_text(citations, corpus, lang, whole=False)] if citations else []
    texts += [d.text.split("\n")[0] for d in drafts if d.refused]
    refused = all(d.refused for d in drafts)
    see_also = list(dict.fromkeys(pid for d in drafts for pid in d.see_also))
    verdict = "refuse" if refused else "answer"
    return Draft(sep.join(texts), citations, refused, see_also, drafts[0].signals, verdict)


def _joined(drafts: list[Draft], lang: str) -> Draft:
    """Parts of which one is structured (a list …): each part as worded, refusals by their first line."""
    sep = "\n" if lang == "zh" else " "
    text = sep.join(dict.fromkeys(d.text if not d.refused else d.text.split("\n")[0] for d in drafts))  # once each
    citations = list({(c.id, c.start, c.end): c for d in drafts for c in d.citations}.values())
    refused = all(d.refused for d in drafts)
    see_also = list(dict.fromkeys(pid for d in drafts for pid in d.see_also))
    no = next((d for d in drafts if d.verdict == "no"), None)
    verdict = "refuse" if refused else "no" if no else "answer"
    return Draft(text, citations, refused, see_also, (no or drafts[0]).signals, verdict, True)
