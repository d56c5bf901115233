"""Route a question to the answer its kind needs — a list, count, summary, relation, name, reason, yes/no
verdict or plain fact — and put every outcome through the one decision policy (rag.decide).

A kind-specific answer that finds nothing to say about the question (no back-reference in it, no name
that holds its words) falls back to the plain fact answer, which decides for itself.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from index import Corpus
from rag import premise, segment
from rag.decide import Signals, decide
from rag.described import Describer
from rag.extractive import Draft, Extractive
from rag.intent import Intent, of_the_whole, theme_of_summary, units_named
from rag.listing import Gatherer
from rag.masthead import masthead_answer
from rag.outline import Outliner
from rag.qtype import QUANTITY_UNITS, need_of
from rag.question import Question
from rag.relation import Relater
from rag.structure import Span, Structure
from rag.types import Citation, Hit

# A count of documents ("报告有几份", "how many reports"): a footnote may list them by symbol.
_DOCUMENT_COUNT = re.compile(r"(?:报告|文件|决议)[^，。？?]{0,6}(?:几|多少)\s*(?:份|项|个)|"
                             r"(?:几|多少)\s*(?:份|项|个)\s*(?:[\u4e00-\u9fff]{0,6}的)?(?:报告|文件|决议)|"
                             r"how many (?:\w+ )?(?:reports|documents|resolutions)", re.I)
# Refusals for want of evidence, which a masthead field may still answer (never a false premise's).
_WEAK = ("unknown-words", "weak-evidence", "no-content", "need-unmet")
_JOINED = re.compile(r"和|与|及|以及|或|\band\b|\bor\b|&", re.I)
_HOW_MANY = re.compile(r"(?:多少|几)\s*[个项段条份次位种部名]?")


def _counted_noun(question: str) -> str | None:
    """The first noun after "几个/多少": what a count asks the number of."""
    m = _HOW_MANY.search(question)
    if not m:
        return None
    nouns = (w.word for w in segment.cut_tagged(question[m.end():]) if w.flag.startswith("n") and len(w.word) >= 2)
    return next(nouns, None)




class Router:
    def __init__(self, corpus: Corpus, extractive: Extractive) -> None:
        self.corpus = corpus
        self.extractive = extractive
        self.structure = Structure(corpus)
        self.gatherer = Gatherer(corpus, self.structure)
        self.outliner = Outliner(corpus, self.structure)
        self.relater = Relater(corpus, self.structure)
        self.describer = Describer(corpus, self.structure)

    def draft(self, q: Question, hits: list[Hit], qvec: np.ndarray) -> Draft:
        """The draft for the kind the reader read the question as."""
        query, lang, referenced, remainder, own, followup = (q.query, q.lang, list(q.refs), q.remainder, q.asked,
                                                              q.followup)
        intent = q.intent
        # A follow-up's name is of what the conversation is about ("它的主题" after a question on the dialogue),
        # not of the resolution its bare pronoun would otherwise stand for.
        subject = query if followup and intent.kind == "name" else own
        made = self._by_kind(intent, subject, lang, referenced, [h.id for h in hits[:3]])
        if made is not None and intent.kind == "count" and made[2] == 1 and intent.mentioned:
            # "那段点名了多少个组织": one paragraph found — the count is of the list inside it.
            made = self._count_items(remainder, lang, [c.id for c in made[1]][:1]) or made
        if made is None:
            # A list the structure cannot gather ("which three organizations does OP8 credit", "可借助哪些渠道")
            # is a sentence of the text, quoted with its neighbouring clauses, like a reason.
            kind = intent.kind if intent.kind in ("why", "yesno", "list") else "fact"
            draft = self.extractive.answer(query, lang, hits, qvec, referenced, remainder, own, kind, followup)
            if len(referenced) == 1 and not draft.refused and intent.kind in ("fact", "why", "relation", "yesno"):
                draft = self._also_elsewhere(draft, own, lang, referenced[0], intent.kind)
            if draft.refused and str(draft.signals.get("reason", "")).startswith(_WEAK) and not referenced:
                draft = self._masthead(own, lang) or draft
            if intent.kind != "count" or not draft.refused or draft.signals.get("reason") != "need-unmet:number":
                return draft
            # A count the text does not state may be a count of what it lists: names, an enumeration.
            made = self._count_items(remainder if referenced else own, lang, referenced or [h.id for h in hits[:1]])
            if made is None:
                return draft
        text, citations, found = made
        signals = Signals(kind=intent.kind, lang=lang, found=found, referenced=bool(referenced),
                          foreign=tuple(self.extractive.foreign_facts(own)),
                          premise=self._contradicted(remainder if referenced else own, lang, citations)
                          if intent.kind in ("list", "count") else None)
        decision = decide(signals, self.extractive.t)
        if not decision.answers:
            return self.extractive.refuse(own, lang, hits, signals, decision)
        return Draft(text, citations, False, signals=decision.to_dict(signals), structured=True)

    def _by_kind(self, intent: Intent, own: str, lang: str, referenced: list[str],
                 top: list[str]) -> tuple[str, list[Citation], int] | None:
        """(text, citations, lines found) for the structural kinds; None to answer as a plain fact."""
        focus = self.gatherer.focus(theme_of_summary(own) if intent.kind == "summary" else own, lang)
        if intent.kind == "summary":
            # a theme ("决议在数据收集方面说了什么", "序言中有关公约的内容")
            if focus and not referenced and not self._everywhere(focus):
                unit = intent.unit if intent.unit in ("preamble", "operative") else None
                # No sentence holds every word of one theme (the question writes "保护儿童", the text
                # "儿童保护"): its most specific word alone is the theme. Themes joined by a
                # conjunction ("funding and resources") are two, and go to the fact path.
                gathered = self._gather(Intent("list", unit=unit), focus, lang) or (
                    self._gather(Intent("list", unit=unit), [self.gatherer.rarest(focus)], lang)
                    if len(focus) > 1 and not _JOINED.search(own) else None)
                # Nothing gathered, no word of the text, and asked of the document itself ("这个决议的核心意思",
                # "这份文件讲了啥"): its words are about the whole, which the overview answers.
                if gathered or not (of_the_whole(own) and all(self._not_a_topic(f) for f in focus)):
                    return gathered
            text, cites = self.outliner.summary(intent.unit or "all", lang, referenced)
            return text, cites, len(cites)
        if intent.kind == "count" and not intent.mentioned:
            if not intent.unit or self.extractive.own_facts(own):
                return None  # a stated number; or "第20/1号决议有多少段": another document's parts
            text, cites = self.outliner.count_parts(intent.unit, lang)
            return text, cites, len(cites)
        if intent.kind == "count" and not intent.klass:
            names = self.relater.full_names(self.relater.wanted(own, focus))
            if len(names) >= 2:  # "how many trust funds": the distinct names, not the paragraphs
                text, cites = self.outliner.counted(names, lang)
                return text, cites, len(names)
        if intent.kind in ("list", "count"):
            if referenced and not intent.klass:
                return None
            return self._gather(intent, focus, lang, referenced)
        if intent.kind == "relation":
            notes = [pid for pid in referenced if pid.startswith("FN")]
            result = self.relater.refers(own, referenced, lang) or self.relater.relate(referenced, lang) or (
                self.relater.footnote_sites(notes, lang) if notes and len(notes) == len(referenced) else None)
            return (*result, len(result[1])) if result else None
        if intent.kind == "name":
            result = self.relater.name(own, lang, focus, top, within=[r for r in referenced if r.startswith("FN")])
            # "…是谁" asks for a person or a body: a name that is neither, or is the question's own word
            # ("秘书长是谁" → "秘书长"), names nothing new; the fact path then says the text does not name one.
            need = need_of(own, actors=self.corpus.facts.actor_names)
            if result and need.kind in ("person", "actor") and not any(
                    need.satisfied_by(c.quote) and c.quote not in own for c in result[1]):
                return None
            return (*result, len(result[1])) if result else None
        return None

    def _contradicted(self, own: str, lang: str, citations: list[Citation]) -> str | None:
        """A list or count gathered for a question whose stated number, date or symbol the gathered quotes place
        elsewhere rests on a false premise, like a fact would (rag.premise). Only such facts: words the quotes
        lack are no contradiction for a list, which gathers by the question's subject, not its wording."""
        stated = self.extractive.own_facts(own)  # numbers, dates, symbols; not the document's own symbol
        if not citations or not stated:
            return None
        failed = premise.check(own, lang, [c.quote for c in citations], self.extractive._text, self.corpus)
        return failed if failed is not None and failed.partition(":")[2] in stated else None

    def _not_a_topic(self, word: str) -> bool:
        """A word the text never writes, or the name of the body whose resolution it is ("联合国大会决议")."""
        speaker = self.corpus.facts.speaker
        return not self.gatherer.known(word) or bool(speaker and speaker in word)

    def _everywhere(self, focus: list[str]) -> bool:
        """Whether every word of a summary's theme stands in a third or more of the document's paragraphs
        ("联合国", "文件"): a theme the whole text shares is the whole text, summarised as such."""
        body = [p.text for p in self.corpus.paragraphs if p.kind in ("preamble", "operative")]
        return bool(body) and all(sum(t in text for text in body) * 3 >= len(body) for t in focus)

    def _masthead(self, own: str, lang: str) -> Draft | None:
        """A question about this resolution's own number, title, date … in words the index does not give those
        lines ("本决议的文号"): the header and meeting lines that hold the fields it asks for."""
        found = masthead_answer(self.corpus, own, lang)
        if found is None:
            return None
        foreign = tuple(self.extractive.foreign_facts(own))
        signals = Signals(kind="fact", lang=lang, found=len(found[1]), foreign=foreign)
        decision = decide(signals, self.extractive.t)
        return Draft(found[0], found[1], False, signals=decision.to_dict(signals), structured=True) \
            if decision.answers else None

    def _also_elsewhere(self, draft: Draft, own: str, lang: str, pid: str, kind_of: str) -> Draft:
        """A thing of the named paragraph that the question asks about where another paragraph says it."""
        p = self.corpus.get(pid)
        other_units = [u for u in units_named(own) if p is None or u != p.kind]  # "在序言里…": another part
        found = self.describer.elsewhere(own, pid, lang, other_units[0] if other_units else None,
                                         relation=kind_of == "relation")
        if found is None or any(c.id == found[1][0].id for c in draft.citations):
            return draft
        text, cites = found
        return replace(draft, text=draft.text + ("\n" if lang == "zh" else " ") + text,
                       citations=draft.citations + cites)

    def _count_items(self, own: str, lang: str, pids: list[str]) -> tuple[str, list[Citation], int] | None:
        if self.extractive.own_facts(own):
            return None  # numbers or symbols in the question: it asks about something else's count
        need = need_of(own)
        unit = need.unit or (need.noun or "")[:1]  # "多少人口…" counts people as "多少人" does
        if unit and all(u in QUANTITY_UNITS for u in unit):
            return None  # people, years, days: a quantity the text would state, not items a list names
        counted = _counted_noun(own)
        if counted and not self.gatherer.known(counted):
            return None  # a thing the text never names ("昨天吃了几个苹果"): no list of it to count
        focus = self.gatherer.focus(own, lang)
        for pid in pids:
            found = self._listed_documents(pid) if _DOCUMENT_COUNT.search(own) else None
            found = found or self.structure.enumeration(pid, next((f for f in focus if f in self._text(pid)), None))
            if found and (not counted or counted in found[0].text or counted in self._text(pid)[:found[0].start]):
                span, items = found
                text, cites = self.outliner.enumerated(span, len(items), lang)
                return text, cites, len(items)
        return None

    def _listed_documents(self, pid: str) -> tuple[Span, list[str]] | None:
        """"以前的报告有几份": the document symbols a paragraph's footnote lists ("A/63/90、A/64/130 和
        A/65/113"), quoted from the first to the last."""
        p = self.corpus.get(pid)
        notes = [p] if p is not None and p.kind == "footnote" else list(self.corpus.footnotes_of(pid))
        symbols = self.structure.symbols()
        for fn in notes:
            listed = [s for s in symbols if s.pid == fn.id]
            if len(listed) >= 2:
                return self.structure.span(fn.id, listed[0].start, listed[-1].end), [s.text for s in listed]
        return None

    def _text(self, pid: str) -> str:
        p = self.corpus.get(pid)
        return p.text if p else ""

    def _gather(self, intent: Intent, focus: list[str], lang: str,
                referenced: list[str] | None = None) -> tuple[str, list[Citation], int] | None:
        gathered = self.gatherer.gather(intent, focus, referenced)
        if gathered is None:
            return None
        text, cites = self.outliner.list_draft(gathered, lang)
        return text, cites, len(gathered.lines)
