"""Hybrid retrieval: dense (Chroma, the configured embedder) + BM25 over jieba tokens, fused by reciprocal rank.

Footnotes ride along with the paragraphs that cite them and vice versa: footnotes are indexed with the
words they are the source of (index.anchors), so a question about a convention's treaty volume finds the
footnote; and the top hits bring their linked footnotes/citing paragraphs after the ranked k (via="link").
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np

from index import Corpus, IndexStore, index_text
from rag.glossary import chinese_terms
from rag.lexical import LexicalIndex
from rag.text import content_of_question
from rag.types import Hit

if TYPE_CHECKING:  # the embedder is any LangChain Embeddings; langchain_core loads where it is made
    from langchain_core.embeddings import Embeddings

RRF_K = 60
LINKED_FROM_TOP = 3
_CACHE = 256
MAX_EMBED_CHARS = 512  # e5 reads 512 tokens at most; longer text only costs time under the embedder's lock


class HybridRetriever:
    def __init__(self, corpus: Corpus, store: IndexStore, embedder: Embeddings) -> None:
        self.corpus = corpus
        self.store = store
        self.embedder = embedder
        self.ids = list(corpus.ids)
        self.lexical = LexicalIndex(self.ids, [index_text(corpus, p) for p in corpus.paragraphs])
        self._links = _links(corpus)
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # the HTTP service answers from a thread pool

    def embed(self, text: str) -> np.ndarray:
        """The query vector, memoised: follow-ups and retries ask the same text again."""
        with self._lock:
            vec = self._vectors.get(text)
            if vec is not None:
                self._vectors.move_to_end(text)
                return vec
        vec = np.asarray(self.embedder.embed_query(text[:MAX_EMBED_CHARS]), dtype=np.float32)
        with self._lock:
            self._vectors[text] = vec
            if len(self._vectors) > _CACHE:
                self._vectors.popitem(last=False)
        return vec

    def clear_cache(self) -> None:
        """Forget memoised query vectors (benchmarks measure the embedding too)."""
        with self._lock:
            self._vectors.clear()

    def lexical_query(self, question: str) -> str:
        """Content words only: asking words and "决议/大会" would match every paragraph alike."""
        return " ".join([content_of_question(question), *chinese_terms(question, self.corpus)])

    def search(self, question: str, k: int, vector: np.ndarray | None = None) -> list[Hit]:
        """All paragraphs that either half finds, best first, cut to k."""
        vec = self.embed(question) if vector is None else vector
        dense = dict(self.store.search(vec.tolist(), len(self.ids)))
        lex = self.lexical.scores(self.lexical_query(question))
        fused = dict.fromkeys(self.ids, 0.0)
        for rank, pid in enumerate(sorted(dense, key=lambda p: -dense[p])):
            fused[pid] += 1.0 / (RRF_K + rank + 1)
        lex_by_id = {pid: float(s) for pid, s in zip(self.ids, lex, strict=True)}
        for rank, pid in enumerate(sorted((p for p in self.ids if lex_by_id[p] > 0), key=lambda p: -lex_by_id[p])):
            fused[pid] += 1.0 / (RRF_K + rank + 1)
        order = sorted(self.ids, key=lambda p: -fused[p])[:k]
        riders = [q for pid in order[:LINKED_FROM_TOP] for q in self._links[pid] if q not in order]
        return [Hit(pid, i + 1, round(fused[pid], 6), round(dense.get(pid, 0.0), 6), round(lex_by_id[pid], 6),
                    "search" if i < len(order) else "link")
                for i, pid in enumerate(order + list(dict.fromkeys(riders)))]


def _links(corpus: Corpus) -> dict[str, tuple[str, ...]]:
    return {p.id: corpus.linked(p.id) for p in corpus.paragraphs}
