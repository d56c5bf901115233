"""The Answerer: question in, verified Answer out. Wires retrieval, the extractive answer and (when
configured) an LLM; every citation is checked here, whichever backend made it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from index import (
    Corpus,
    IndexStore,
    Paragraph,
    Settings,
    describe_ranges,
    load_corpus,
    make_client,
    make_embedder,
    normalize_id,
)
from rag.compose import injection_text, missing_subparagraph_text, missing_text
from rag.conversation import contextualize
from rag.evidence import EvidenceFinder
from rag.extractive import Draft, Extractive, Thresholds, merge_drafts, split_parts
from rag.guard import QuestionError, clean_question, is_injection
from rag.refs import resolve
from rag.retrieve import HybridRetriever
from rag.text import is_chinese
from rag.types import Answer, Hit
from rag.verify import citation_is_valid

MAX_K = 20


class UnknownParagraph(KeyError):
    """A paragraph id that the resolution does not have; the message names the valid ranges."""

    def __str__(self) -> str:
        return str(self.args[0])


class Answerer:
    def __init__(self, corpus: Corpus, store: IndexStore, embedder: Embeddings, settings: Settings,
                 chat_model: BaseChatModel | None = None, thresholds: Thresholds | None = None) -> None:
        self.corpus = corpus
        self.settings = settings
        self.retriever = HybridRetriever(corpus, store, embedder)
        clauses, matrix = store.clause_vectors()
        self.extractive = Extractive(corpus, EvidenceFinder(corpus, clauses, matrix), thresholds)
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
        corpus = load_corpus()
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

    # ---- lookups -------------------------------------------------------------------------------------
    def paragraph(self, pid: str) -> Paragraph:
        p = self.corpus.get(normalize_id(pid))
        if p is None:
            raise UnknownParagraph(f"no paragraph {pid!r}; valid ids: {describe_ranges(self.corpus.ids)}")
        return p

    def search(self, question: str, k: int | None = None) -> list[Hit]:
        q = clean_question(question, self.settings.max_question_chars)
        return self.retriever.search(q, self._k(k))

    def _k(self, k: int | None) -> int:
        k = self.settings.k if k is None else k
        if not 1 <= k <= MAX_K:
            raise QuestionError(f"k must be between 1 and {MAX_K}")
        return k

    # ---- answering -----------------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[Any] | None = None, k: int | None = None,
            use_llm: bool = True) -> Answer:
        answer: Answer | None = None
        for piece in self.stream(question, history, k, use_llm):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(self, question: str, history: Sequence[Any] | None = None, k: int | None = None,
               use_llm: bool = True) -> Iterator[str | Answer]:
        """Pieces of the answer text as they are ready (each already verified), then the final Answer."""
        t0 = time.perf_counter()
        q = clean_question(question, self.settings.max_question_chars)
        k = self._k(k)
        lang = "zh" if is_chinese(q) else "en"
        query = contextualize(q, history)
        if is_injection(q):
            hits = self.retriever.search(query, k)
            draft = Draft(injection_text(lang), [], True, [h.id for h in hits[:3]])
        else:
            draft, hits = self._extractive(query, lang, k)
        backend = "extractive"
        notes: list[str] = []
        if self.chat_model is not None and use_llm and not draft.refused:
            from rag.llm import llm_answer

            llm_draft, note = yield from llm_answer(self.chat_model, self.corpus, query, lang, hits, draft,
                                                    self.settings.llm_timeout)
            if llm_draft is not None:
                draft, backend = llm_draft, self.backend_name
            if note:
                notes.append(note)
        if backend == "extractive":
            yield from _pieces(draft.text)
        citations = tuple(c for c in draft.citations if citation_is_valid(self.corpus, c))
        yield Answer(
            question=q, text=draft.text, refused=draft.refused or not citations, citations=citations,
            retrieved=tuple(hits), backend=backend, doc=self.corpus.stamp(), lang=lang,
            see_also=tuple(draft.see_also), notes=tuple(notes),
            latency_ms=round((time.perf_counter() - t0) * 1000, 2), extra={"signals": draft.signals},
        )

    def _extractive(self, query: str, lang: str, k: int) -> tuple[Draft, list[Hit]]:
        """The extractive draft; a question that asks two things ("…哪些机构？它被鼓励做什么？") is answered
        part by part, each part read in the light of the one before."""
        parts = split_parts(query)
        drafts: list[Draft] = []
        hits: list[Hit] = []
        for i, part in enumerate(parts):
            # Parts of one message share its subject: a later part is read with the one before it, but
            # asks for its own kind of fact.
            text = f"{parts[i - 1]} {part}" if i else part
            d, h = self._one(text, lang, k, own=part)
            drafts.append(d)
            hits += [x for x in h if x.id not in {y.id for y in hits}]
        ranked = [Hit(h.id, i + 1, h.score, h.dense, h.lexical, h.via) for i, h in enumerate(hits)]
        return merge_drafts(drafts, lang, self.corpus), ranked

    def _one(self, query: str, lang: str, k: int, own: str | None = None) -> tuple[Draft, list[Hit]]:
        resolved = resolve(query)
        referenced = [r.id for r in resolved.refs if self.corpus.get(r.id)]
        missing = [r.id for r in resolved.refs if not self.corpus.get(r.id)]
        qvec = self.retriever.embed(query)
        hits = self._with_references(self.retriever.search(query, k, qvec), referenced, k)
        if missing and not referenced:
            return Draft(missing_text(missing, self.corpus, lang), [], True), hits
        lacking = [x for x in resolved.subparagraphs
                   if not any(f"({x})" in self.corpus.get(pid).text for pid in referenced)]  # type: ignore[union-attr]
        if referenced and lacking:
            return Draft(missing_subparagraph_text(referenced, tuple(lacking), self.corpus, lang), [], True), hits
        draft = self.extractive.answer(query, lang, hits, qvec, referenced, resolved.remainder, own)
        if missing:
            draft.text = missing_text(missing, self.corpus, lang) + ("\n" if lang == "zh" else " ") + draft.text
        return draft, hits

    def _with_references(self, hits: list[Hit], referenced: list[str], k: int) -> list[Hit]:
        """Paragraphs the question names come first in `retrieved`, marked as such."""
        if not referenced:
            return hits
        top = [Hit(pid, 0, 1.0, None, None, "reference") for pid in referenced]
        rest = [h for h in hits if h.id not in referenced]
        merged = (top + rest)[: max(k, len(top))]
        return [Hit(h.id, i + 1, h.score, h.dense, h.lexical, h.via) for i, h in enumerate(merged)]


def _pieces(text: str) -> Iterator[str]:
    """Stream an extractive answer line by line (each line is one cited sentence)."""
    for line in text.splitlines(keepends=True):
        yield line

