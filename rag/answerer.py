"""The Answerer: question in, verified Answer out. Wires the pipeline — the reader (rag.read: raw text and
history → Question), retrieval, the composer for the question's kind, the one decision (rag.decide.final over
rag.checks) and, when configured, an LLM; every citation is checked here, whichever backend made it."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from index import (
    Corpus,
    IndexStore,
    Paragraph,
    Settings,
    describe_ranges,
    load_corpus_for,
    make_client,
    make_embedder,
    normalize_id,
)

if TYPE_CHECKING:  # langchain_core's models load only where an LLM or LangChain is used
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel

from rag import answerability
from rag.checks import Checks
from rag.compose import (
    correction_lead,
    injection_text,
    missing_subparagraph_text,
    missing_text,
    no_text,
    refusal_text,
    reply,
)
from rag.decide import Decision, Signals, Thresholds, final, refusal
from rag.evidence import EvidenceFinder
from rag.extractive import Draft, Extractive, merge_drafts
from rag.guard import QuestionError
from rag.intent import units_named
from rag.masthead import OTHER_DOCUMENT
from rag.question import Question
from rag.read import KindModel, Reader
from rag.retrieve import HybridRetriever
from rag.route import Router
from rag.types import Answer, Delta, Final, Hit, StreamEvent
from rag.verify import citation_is_valid

MAX_K = 20
# A question on when/where/how the resolution itself was adopted, and words that make it another document's.
_OWN_ADOPTION = re.compile(r"(?:(?:本|这项|这份|这一|这个|该|此)决议|^决议|决议本身|\bth(?:is|e) resolution\b)"
                           r".{0,30}(?:通过|adopt)|(?:通过|adopt(?:ed)?)\s*(?:了)?(?:本|这项|这份|该|此|this)\s*(?:决议|resolution)",
                           re.I)
_OWN = ("header", "meeting")


class UnknownParagraph(KeyError):
    """A paragraph id that the resolution does not have; the message names the valid ranges."""

    def __str__(self) -> str:
        return str(self.args[0])


class Answerer:
    def __init__(self, corpus: Corpus, store: IndexStore, embedder: Embeddings, settings: Settings,
                 chat_model: BaseChatModel | None = None, thresholds: Thresholds | None = None,
                 kind_model: KindModel | None = None, answer_model: answerability.AnswerModel | None = None,
                 vet: bool = True) -> None:
        self.corpus = corpus
        self.settings = settings
        self.retriever = HybridRetriever(corpus, store, embedder)
        clauses, matrix = store.clause_vectors()
        self.extractive = Extractive(corpus, EvidenceFinder(corpus, clauses, matrix), thresholds)
        self.router = Router(corpus, self.extractive)
        self.reader = Reader(corpus, self._e5_embedder(embedder), kind_model, settings.max_question_chars)
        # The learned check that a quoted answer holds what was asked (None: answers are not vetted).
        self.checks = Checks(corpus, self.extractive.own_facts,
                             (answer_model or answerability.AnswerModel.load()) if vet else None)
        self.chat_model = chat_model
        self.backend_name = "extractive"
        if chat_model is not None:
            self.backend_name = f"llm:{settings.llm or type(chat_model).__name__}"

    @classmethod
    def from_settings(cls, settings: Settings | None = None, notify: Callable[[str], None] = lambda _m: None,
                      progress: Callable[[int, int], None] | None = None,
                      chat_model: BaseChatModel | None = None) -> Answerer:
        """Open (or build) the index the settings name; load the LLM when `settings.llm` is set."""
        settings = settings or Settings.from_env()
        corpus = load_corpus_for(settings.corpus)
        embedder = make_embedder(settings.embedder)
        store = IndexStore(make_client(settings, notify), embedder, corpus)
        report = store.ensure(progress=progress)
        if report.built:
            notify(f"built index {report.collection}: {report.paragraphs} paragraphs, {report.clauses} clauses "
                   f"in {report.seconds:.1f} s")
        if chat_model is None and settings.llm:
            from rag.llm import make_chat_model

            chat_model = make_chat_model(settings)
        return cls(corpus, store, embedder, settings, chat_model)

    def _e5_embedder(self, embedder: Embeddings) -> Callable[[str], Any]:
        """The reader's kind model reads e5 question vectors: the retriever's (memoised) when it embeds with
        e5 too, else a separate e5 embedder's."""
        from index.embed import E5Embeddings

        if isinstance(embedder, E5Embeddings):
            return self.retriever.embed
        e5 = E5Embeddings()
        return lambda text: np.asarray(e5.embed_query(text[:512]), dtype=np.float32)

    # ---- lookups -------------------------------------------------------------------------------------
    def paragraph(self, pid: str) -> Paragraph:
        p = self.corpus.get(normalize_id(pid))
        if p is None:
            raise UnknownParagraph(f"no paragraph {pid!r}; valid ids: {describe_ranges(self.corpus.ids)}")
        return p

    def search(self, question: str, k: int | None = None) -> list[Hit]:
        return self.retriever.search(self.reader.prepare(question).query, self._k(k))

    def _k(self, k: int | None) -> int:
        k = self.settings.k if k is None else k
        if not 1 <= k <= MAX_K:
            raise QuestionError(f"k must be between 1 and {MAX_K}")
        return k

    # ---- answering -----------------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[Any] | None = None, k: int | None = None,
            use_llm: bool = True) -> Answer:
        for event in self.stream(question, history, k, use_llm):
            match event:
                case Final(answer=answer):
                    return answer
        raise RuntimeError("the answer stream ended without its Final event")

    def stream(self, question: str, history: Sequence[Any] | None = None, k: int | None = None,
               use_llm: bool = True) -> Iterator[StreamEvent]:
        """`Delta` pieces of the answer text as they are ready (each already verified), then one `Final`
        holding the Answer, whose text replaces the pieces."""
        t0 = time.perf_counter()
        k = self._k(k)
        q = self.reader.read(question, history)
        hits: list[Hit] = []
        if q.act == "injection":  # whatever else it asks, an instruction to answer otherwise is refused
            hits = self.retriever.search(q.query, k)
            draft = _refused(injection_text(q.lang), q.lang, "injection")
            draft.see_also = [h.id for h in hits[:3]]
        elif q.act != "ask":  # a chat act
            draft = Draft(reply(q.act, self.corpus, q.lang), [], q.act == "opinion", verdict=q.act)
        else:
            draft, hits = self._extractive(q, k)
        decision, answer_p = self._decide(q, draft)
        if decision.verdict == "refuse" and not draft.refused and q.act == "ask":
            see = [p for p in (self.corpus.get(c.id) for c in draft.citations) if p]
            draft = Draft(refusal_text(q.asked, q.lang, see, decision.reason), [], True, [p.id for p in see])
        backend = "extractive"
        notes: list[str] = []
        if self.chat_model is not None and use_llm and decision.verdict == "answer":
            from rag.llm import llm_answer

            llm_draft, note = yield from llm_answer(self.chat_model, self.corpus, q.query, q.lang, hits, draft,
                                                    self.settings.llm_timeout)
            if llm_draft is not None:
                draft, backend = llm_draft, self.backend_name
            if note:
                notes.append(note)
        if backend == "extractive":
            yield from _pieces(draft.text)
        citations = tuple(c for c in draft.citations if citation_is_valid(self.corpus, c))
        decision = final(q.act, draft.refused, bool(citations), decision, None)  # the LLM's citations, checked
        verdict = decision.verdict
        record = dict(draft.signals)
        record.update(verdict=verdict, reason=decision.reason, margins=decision.margins)
        record["kind"] = {"kind": q.kind, "p": q.kind_p}
        if answer_p is not None:
            record["answerability"] = round(answer_p, 6)
        if q.changes:
            record["read_as"] = q.text
        yield Final(Answer(
            question=q.raw, text=draft.text, refused=verdict == "refuse", citations=citations,
            retrieved=tuple(hits), backend=backend, doc=self.corpus.stamp(), lang=q.lang,
            see_also=tuple(draft.see_also), notes=tuple(notes),
            latency_ms=round((time.perf_counter() - t0) * 1000, 2), extra={"decision": record},
            verdict=verdict,
        ))

    def _decide(self, q: Question, draft: Draft) -> tuple[Decision, float | None]:
        """The one decision on a draft (rag.decide.final) over what rag.checks finds; a count the quote
        contradicts turns the draft into a "no" quoting it."""
        decision, answer_p, found = self.checks.decide(q, draft)
        if found and decision.verdict == "no":
            lead = correction_lead(f"numeral:{found.asked}>{found.stated}", q.kind == "yesno", q.lang)
            draft.text, draft.citations = no_text([found.citation], self.corpus, q.lang, lead), [found.citation]
            draft.verdict = "no"
        return decision, answer_p

    def answer_features(self, q: Question, draft: Draft) -> np.ndarray:
        """The answerability model's feature row for a drafted answer (evals/train_answer.py fits on these)."""
        return self.checks.features(q, draft)

    def _extractive(self, q: Question, k: int) -> tuple[Draft, list[Hit]]:
        """The extractive draft; a question that asks two things ("…哪些机构？它被鼓励做什么？") is answered
        part by part (the reader read each part with the one before it). A follow-up asks only its own
        question."""
        if q.followup or not q.parts:
            return self._one(q, k)
        drafts: list[Draft] = []
        hits: list[Hit] = []
        for part in q.parts:
            d, h = self._one(part, k)
            drafts.append(d)
            hits += [x for x in h if x.id not in {y.id for y in hits}]
        return merge_drafts(drafts, q.lang, self.corpus), _ranked(hits)

    def _one(self, q: Question, k: int) -> tuple[Draft, list[Hit]]:
        referenced, missing, lang = list(q.refs), list(q.missing_refs), q.lang
        qvec = self.retriever.embed(q.query)
        hits = self._with_references(self.retriever.search(q.query, k, qvec), referenced, k)
        scoped = hits if referenced else self._in_scope(hits, q.asked)
        # A paragraph that does not exist: nothing to say of it, nor of how it relates to another.
        if missing and (not referenced or q.kind == "relation"):
            return _refused(missing_text(missing, self.corpus, lang), lang, "missing-paragraph"), hits
        lacking = [x for x in q.subparagraphs
                   if not any(f"({x})" in self.corpus.get(pid).text for pid in referenced)]  # type: ignore[union-attr]
        if referenced and lacking:
            text = missing_subparagraph_text(referenced, tuple(lacking), self.corpus, lang)
            return _refused(text, lang, "missing-subparagraph"), hits
        draft = self.router.draft(q, scoped, qvec)
        if scoped is not hits:  # retrieved shows the part's hits first, then the rest
            hits = _ranked(scoped + [h for h in hits if h not in scoped])
        if missing:
            draft.text = missing_text(missing, self.corpus, lang) + ("\n" if lang == "zh" else " ") + draft.text
        if draft.structured and not draft.refused:
            hits = _found_by_structure(draft, hits)
        return draft, hits

    def _in_scope(self, hits: list[Hit], question: str) -> list[Hit]:
        """The hits a question's scope allows, when there are any (else all hits): for the resolution's own
        adoption, its header and meeting lines; for "序言里提到的秘书长的报告…", the hits in the one part the
        question names and their footnotes."""
        units = units_named(question)
        if _OWN_ADOPTION.search(question) and not OTHER_DOCUMENT.search(question):
            # "这项决议是2011年通过的吗？": the resolution's own adoption is told by its header and meeting lines,
            # not by a 2011 resolution of the preamble.
            return [h for h in hits if getattr(self.corpus.get(h.id), "kind", "") in _OWN] or hits
        if len(units) != 1 or units[0] == "footnote":
            return hits
        inside = {p.id for p in self.corpus.paragraphs if p.kind == units[0]}
        inside |= {fn.id for pid in inside for fn in self.corpus.footnotes_of(pid)}
        return [h for h in hits if h.id in inside] or hits

    def _with_references(self, hits: list[Hit], referenced: list[str], k: int) -> list[Hit]:
        """Paragraphs the question names come first in `retrieved`, marked as such."""
        if not referenced:
            return hits
        top = [Hit(pid, 0, 1.0, None, None, "reference") for pid in referenced]
        rest = [h for h in hits if h.id not in referenced]
        return _ranked((top + rest)[: max(k, len(top))])


def _found_by_structure(draft: Draft, hits: list[Hit]) -> list[Hit]:
    """A list, count or summary finds its paragraphs in the document's structure, not by search: they lead
    `retrieved` (via="structure"), the search hits follow."""
    found = list(dict.fromkeys(c.id for c in draft.citations))
    rest = [h for h in hits if h.id not in found]
    return _ranked([Hit(pid, 0, 1.0, None, None, "structure") for pid in found] + rest)


def _ranked(hits: list[Hit]) -> list[Hit]:
    """The hits numbered 1, 2, … in the order given."""
    return [Hit(h.id, i + 1, h.score, h.dense, h.lexical, h.via) for i, h in enumerate(hits)]


def _refused(text: str, lang: str, reason: str) -> Draft:
    signals = Signals(lang=lang, referenced=True)
    return Draft(text, [], True, [], refusal(reason).to_dict(signals), "refuse")


def _pieces(text: str) -> Iterator[Delta]:
    """Stream an extractive answer line by line (each line is one cited sentence)."""
    for line in text.splitlines(keepends=True):
        yield Delta(line)

