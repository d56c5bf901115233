"""The paragraph index in Chroma: build it once per (source sha256, parser version, embedder), then query it.

Two collections share one build key: paragraphs (the retrieval unit, one vector each) and their clauses
(vectors the answerer uses to pick the sentence that answers). Vectors are always computed by our own
embedder and sent explicitly; Chroma's default embedding function never runs.

A build is atomic and serialised (`index.builds`): written aside under a file lock, verified (every row there,
vectors present and findable), marked complete with its key and a content digest last, then switched in.
Opening checks the same things, so a half-built, killed or altered index is never used.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.errors import NotFoundError
from langchain_core.embeddings import Embeddings

from index.anchors import clause_index_text, index_text
from index.builds import build_bytes, place_of
from index.chroma import STORE_FAILURES, StoreError, store_errors
from index.clauses import Clause, split_clauses
from index.corpus import Corpus
from index.embed import embedder_id
from index.integrity import content_problem, digest, on_disk_problem, read_rows
from index.parse import PARSER_VERSION

if TYPE_CHECKING:
    from langchain_chroma import Chroma

Progress = Callable[[int, int], None]
Rows = list[tuple[str, str, dict]]
_BATCH = 16
STORE_VERSION = "4"  # what is embedded for each paragraph/clause; a change here rebuilds


@dataclass(frozen=True)
class BuildReport:
    built: bool
    paragraphs: int
    clauses: int
    seconds: float
    collection: str
    reused: bool = False  # another process completed a build after this one was asked for


def build_key(sha256: str, embedder: str) -> str:
    return f"{sha256}|parser{PARSER_VERSION}|store{STORE_VERSION}|{embedder}"


class IndexStore:
    """The Chroma side of resqa: `ensure()` builds when needed, `search()` ranks paragraphs by a vector."""

    def __init__(self, client: ClientAPI, embedder: Embeddings, corpus: Corpus,
                 notify: Callable[[str], None] | None = None) -> None:
        self.client = client
        self.embedder = embedder
        self.corpus = corpus
        self.key = build_key(corpus.sha256, embedder_id(embedder))
        self.name = "resqa-" + hashlib.sha1(self.key.encode()).hexdigest()[:16]
        self.names = (self.name + "-p", self.name + "-c")
        self.clauses = [c for p in corpus.paragraphs for c in split_clauses(p.id, p.text)]
        self.rows = (_paragraph_rows(corpus), _clause_rows(corpus, self.clauses))
        self.place = place_of(client, notify or (lambda _m: None))
        self._cols: tuple[Collection, ...] | None = None
        self._opened = self.place.opened()  # the generation `_cols` come from (embedded)
        self._seen = self._opened  # the live generation last looked at
        self._switching = threading.Lock()
        self._retired: ClientAPI | None = None

    # ---- opening and building ---------------------------------------------------------------------------
    def _verified(self, client: ClientAPI) -> tuple[Collection, ...] | None:
        """Both collections, when they hold a complete build with this key that passes its checks."""
        cols = []
        with store_errors(self.place.unavailable()):
            for name, rows in zip(self.names, self.rows, strict=True):
                try:
                    col = client.get_collection(name, embedding_function=None)
                except NotFoundError:
                    return None
                meta = col.metadata or {}
                if not meta.get("complete") or meta.get("resqa_key") != self.key or not meta.get("digest"):
                    return None
                if content_problem(col, read_rows(col), {r[0] for r in rows}):
                    return None
                cols.append(col)
        return tuple(cols)

    def is_built(self) -> bool:
        return self._verified(self.place.current()) is not None

    def ensure(self, rebuild: bool = False, progress: Progress | None = None,
               asked_at: float | None = None) -> BuildReport:
        """Use a complete, verified build with this key, or build one (always with `rebuild`).

        `asked_at` (seconds since the epoch) is when the caller asked: a build another process completed after
        that moment is as new as the one asked for, so even `rebuild` uses it instead of building twice.
        """
        t0 = time.perf_counter()
        if not rebuild and self._use(self.client):
            return self._report(False, 0.0)
        before = self.place.identity(self.names)
        with self.place.lock() as waited:
            # Another build may have finished while we waited, or since we were asked (a process that started
            # with ours but reached the lock after that build ended): use it, even for --rebuild.
            usable = self._use(self.place.current())
            fresh = usable and ((waited and self.place.identity(self.names) != before)
                                or (asked_at is not None and self._built_at() >= asked_at))
            if usable and (not rebuild or fresh):
                return self._report(False, 0.0, reused=waited or fresh)
            need = build_bytes(sum(len(r) for r in self.rows), len(self.embedder.embed_query("dimension")))
            self.place.prepare(self.names, need)  # refuses before the embedding work, not after
            vectors = self._embed(progress)
            self.client, self._cols = self.place.build(self.names, lambda c, s: self._write(c, s, vectors), need)
            self._opened = self._seen = self.place.opened()
        return self._report(True, time.perf_counter() - t0)

    def _built_at(self) -> float:
        """When the collections in use were marked complete (0 for a build older than this field)."""
        return min((float((c.metadata or {}).get("built_at", 0.0)) for c in self._cols or ()), default=0.0)

    def _use(self, client: ClientAPI) -> bool:
        cols = self._verified(client)
        if cols is not None:
            self.client, self._cols = client, cols
            self._opened = self._seen = self.place.opened()
        return cols is not None

    def _report(self, built: bool, seconds: float, reused: bool = False) -> BuildReport:
        return BuildReport(built, len(self.corpus.paragraphs), len(self.clauses), seconds, self.name, reused)

    def _embed(self, progress: Progress | None) -> tuple[list[list[float]], ...]:
        """Every vector, computed before the store is touched (an embedder error is not a store error)."""
        total, done, out = sum(len(r) for r in self.rows), 0, []
        for rows in self.rows:
            vecs: list[list[float]] = []
            for i in range(0, len(rows), _BATCH):
                vecs += self.embedder.embed_documents([r[1] for r in rows[i : i + _BATCH]])
                done += len(rows[i : i + _BATCH])
                if progress:
                    progress(done, total)
            out.append(vecs)
        return tuple(out)

    def _write(self, client: ClientAPI, suffix: str, vectors: tuple[list[list[float]], ...]) -> tuple[Collection, ...]:
        """Create, fill and verify both collections; the key, count and digest are written last."""
        cols = []
        for name, rows, vecs in zip(self.names, self.rows, vectors, strict=True):
            try:
                client.delete_collection(name + suffix)
            except NotFoundError:
                pass
            col = client.create_collection(name + suffix, configuration={"hnsw": {"space": "cosine"}},
                                           embedding_function=None)
            for i in range(0, len(rows), 256):
                part = rows[i : i + 256]
                col.add(ids=[r[0] for r in part], documents=[r[1] for r in part], metadatas=[r[2] for r in part],
                        embeddings=np.asarray(vecs[i : i + 256], dtype=np.float32))
            got = read_rows(col)
            problem = content_problem(col, got, {r[0] for r in rows})
            if problem:
                raise StoreError(f"the new collection {name} failed its check: {problem}")
            col.modify(metadata={"resqa_key": self.key, "complete": True, "count": len(rows),
                                 "digest": digest(got), "built_at": time.time()})
            cols.append(col)
        return tuple(cols)

    # ---- queries ------------------------------------------------------------------------------------------
    # Another process may switch a new build in at any time (`resqa index --rebuild`). Embedded, the live
    # generation is checked before every query (one readlink) and a new one is verified and adopted by one
    # thread while the others keep reading the old one, which the next build's sweep is the first to remove.
    # On a server, a switch shows as the old collections vanishing. Either way a query that fails on a build
    # that is no longer live is retried once on the live one, so a rebuild costs no request.
    def _call(self, which: int, fn: Callable[[Collection], Any]) -> Any:
        with store_errors(self.place.unavailable()):
            cols = self._live_cols()
            try:
                return fn(cols[which])
            except STORE_FAILURES as exc:
                if isinstance(exc, httpx.TimeoutException):  # a retry would wait the whole bound again
                    raise
                fresh = self._moved_from(cols)
                if fresh is None:
                    raise
                return fn(fresh[which])

    def _live_cols(self) -> tuple[Collection, ...]:
        cols = self._cols
        if cols is not None and self.place.live() == self._seen:
            return cols
        if not self._switching.acquire(blocking=cols is None):
            return cols  # type: ignore[return-value]  # another thread is adopting the new build
        try:
            fresh = self._reopen()
        finally:
            self._switching.release()
        if fresh is not None:
            return fresh
        if cols is None:
            raise StoreError(f"no complete index {self.name} yet: run `resqa index`")
        return cols  # the new live store holds no build of ours: keep the one we have

    def _moved_from(self, cols: tuple[Collection, ...]) -> tuple[Collection, ...] | None:
        """The live build's collections when they are not `cols` (a switch happened), else None."""
        with self._switching:
            fresh = self._cols if self._cols is not cols else self._reopen()
        if fresh is None or [c.id for c in fresh] == [c.id for c in cols]:
            return None
        return fresh

    def _reopen(self) -> tuple[Collection, ...] | None:
        """Verify the live build and adopt it (call holding `_switching`)."""
        client = self.place.current()
        self._seen = self.place.opened()  # looked at: not again until the live build changes
        cols = self._verified(client)
        if cols is not None:
            if client is not self.client:
                # The client two switches back: nothing still reads it, so release its files.
                self._retire(self.client)
            self.client, self._cols, self._opened = client, cols, self._seen
        return cols

    def _retire(self, client: ClientAPI) -> None:
        old, self._retired = self._retired, client
        if old is not None and old is not client and old is not self.client:
            close = getattr(old, "close", None)  # the concrete clients have it; chromadb's ClientAPI type does not
            with contextlib.suppress(*STORE_FAILURES):
                if close is not None:
                    close()

    def build_id(self) -> str:
        """Which build answers now: its generation folder (embedded) or paragraph collection id (server)."""
        with store_errors(self.place.unavailable()):
            cols = self._live_cols()
        opened = self._opened
        return opened.name if isinstance(opened, Path) else str(cols[0].id)

    def disk_problem(self) -> str | None:
        """What is wrong with the build answering now as it is on disk (queries may still be answered from
        memory): its files and record counts. None when sound, or on a Chroma server (no files of ours)."""
        opened = self._opened
        if not isinstance(opened, Path):
            return None
        return on_disk_problem(opened, {name: len(rows) for name, rows in zip(self.names, self.rows, strict=True)})

    def search(self, vector: list[float], k: int) -> list[tuple[str, float]]:
        """(paragraph id, cosine similarity) for the k nearest paragraphs."""
        query: list[Sequence[float]] = [vector]
        res: Any = self._call(0, lambda col: col.query(query_embeddings=query, n_results=k, include=["distances"]))
        return [(pid, 1.0 - float(d)) for pid, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def clause_vectors(self) -> tuple[list[Clause], np.ndarray]:
        """Every clause with its vector, in corpus order (rows aligned with `self.clauses`)."""
        res: Any = self._call(1, lambda col: col.get(include=["embeddings"]))
        by_id = dict(zip(res["ids"], res["embeddings"], strict=True))
        matrix = np.asarray([by_id[_clause_id(c)] for c in self.clauses], dtype=np.float32)
        return self.clauses, matrix

    def langchain_store(self) -> Chroma:
        """The paragraph collection as a LangChain vector store (for users composing their own chains)."""
        from langchain_chroma import Chroma  # imported here: a CLI answer does not load it

        return Chroma(collection_name=self.names[0], embedding_function=self.embedder, client=self.client)


def _clause_id(c: Clause) -> str:
    return f"{c.pid}:{c.start}-{c.end}"


def _paragraph_rows(corpus: Corpus) -> Rows:
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


def _clause_rows(corpus: Corpus, clauses: list[Clause]) -> Rows:
    return [(_clause_id(c), clause_index_text(corpus, c),
             {"pid": c.pid, "start": c.start, "end": c.end, "sentence": c.sentence}) for c in clauses]
