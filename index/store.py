"""The paragraph index in Chroma: build it once per (source sha256, parser version, embedder), then query it.

Two collections share one build key: paragraphs (the retrieval unit, one vector each) and their clauses
(vectors the answerer uses to pick the sentence that answers). Vectors are always computed by our own
embedder and sent explicitly; Chroma's default embedding function never runs.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from index.anchors import clause_index_text, index_text
from index.clauses import Clause, split_clauses
from index.corpus import Corpus
from index.embed import embedder_id
from index.parse import PARSER_VERSION

Progress = Callable[[int, int], None]
_BATCH = 16
STORE_VERSION = "4"  # what is embedded for each paragraph/clause; a change here rebuilds


@dataclass(frozen=True)
class BuildReport:
    built: bool
    paragraphs: int
    clauses: int
    seconds: float
    collection: str


def build_key(sha256: str, embedder: str) -> str:
    return f"{sha256}|parser{PARSER_VERSION}|store{STORE_VERSION}|{embedder}"


class IndexStore:
    """The Chroma side of resqa: `ensure()` builds when needed, `search()` ranks paragraphs by a vector."""

    def __init__(self, client: Any, embedder: Embeddings, corpus: Corpus) -> None:
        self.client = client
        self.embedder = embedder
        self.corpus = corpus
        self.key = build_key(corpus.sha256, embedder_id(embedder))
        self.name = "resqa-" + hashlib.sha1(self.key.encode()).hexdigest()[:16]
        self.clauses = [c for p in corpus.paragraphs for c in split_clauses(p.id, p.text)]
        self._para = self._store(self.name + "-p")
        self._clause = self._store(self.name + "-c")

    def _store(self, name: str) -> Chroma:
        return Chroma(
            collection_name=name,
            embedding_function=self.embedder,
            client=self.client,
            collection_metadata={"resqa_key": self.key},
            collection_configuration={"hnsw": {"space": "cosine"}},
        )

    def is_built(self) -> bool:
        for store, n in ((self._para, len(self.corpus.paragraphs)), (self._clause, len(self.clauses))):
            col = store._collection
            meta = col.metadata or {}
            if not meta.get("complete") or meta.get("resqa_key") != self.key or col.count() != n:
                return False
        return True

    def ensure(self, rebuild: bool = False, progress: Progress | None = None) -> BuildReport:
        """Build both collections unless a complete build with this key exists (or `rebuild`)."""
        t0 = time.perf_counter()
        if not rebuild and self.is_built():
            return BuildReport(False, len(self.corpus.paragraphs), len(self.clauses), 0.0, self.name)
        for store in (self._para, self._clause):
            store.delete_collection()
        self._para = self._store(self.name + "-p")
        self._clause = self._store(self.name + "-c")
        total = len(self.corpus.paragraphs) + len(self.clauses)
        done = self._add(self._para, _paragraph_rows(self.corpus), 0, total, progress)
        self._add(self._clause, _clause_rows(self.corpus, self.clauses), done, total, progress)
        for store in (self._para, self._clause):
            # Marked complete last, so an interrupted build is never mistaken for a finished one.
            store._collection.modify(metadata={"resqa_key": self.key, "complete": True})
        seconds = time.perf_counter() - t0
        return BuildReport(True, len(self.corpus.paragraphs), len(self.clauses), seconds, self.name)

    def _add(self, store: Chroma, rows: list[tuple[str, str, dict]], done: int, total: int,
             progress: Progress | None) -> int:
        for i in range(0, len(rows), _BATCH):
            batch = rows[i : i + _BATCH]
            store.add_texts([r[1] for r in batch], metadatas=[r[2] for r in batch], ids=[r[0] for r in batch])
            done += len(batch)
            if progress:
                progress(done, total)
        return done

    def search(self, vector: list[float], k: int) -> list[tuple[str, float]]:
        """(paragraph id, cosine similarity) for the k nearest paragraphs."""
        res: Any = self._para._collection.query(
            query_embeddings=[vector], n_results=k, include=["distances"]  # type: ignore[arg-type]
        )
        return [(pid, 1.0 - float(d)) for pid, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def clause_vectors(self) -> tuple[list[Clause], np.ndarray]:
        """Every clause with its vector, in corpus order (rows aligned with `self.clauses`)."""
        res: Any = self._clause._collection.get(include=["embeddings"])
        by_id = dict(zip(res["ids"], res["embeddings"], strict=True))
        matrix = np.asarray([by_id[_clause_id(c)] for c in self.clauses], dtype=np.float32)
        return self.clauses, matrix

    def langchain_store(self) -> Chroma:
        """The paragraph collection as a LangChain vector store (for users composing their own chains)."""
        return self._para


def _clause_id(c: Clause) -> str:
    return f"{c.pid}:{c.start}-{c.end}"


def _paragraph_rows(corpus: Corpus) -> list[tuple[str, str, dict]]:
    rows = []
    for p in corpus.paragraphs:
        meta: dict[str, Any] = {"id": p.id, "kind": p.kind, "label_zh": p.label_zh, "label_en": p.label_en,
                                "footnotes": ",".join(map(str, p.footnotes)), "sha256": corpus.sha256}
        if p.number is not None:
            meta["number"] = p.number
        if p.verb:
            meta["verb"] = p.verb
        rows.append((p.id, index_text(corpus, p), meta))
    return rows


def _clause_rows(corpus: Corpus, clauses: list[Clause]) -> list[tuple[str, str, dict]]:
    return [(_clause_id(c), clause_index_text(corpus, c),
             {"pid": c.pid, "start": c.start, "end": c.end, "sentence": c.sentence}) for c in clauses]
