"""The recipe a user would otherwise reach for, run on the same questions for a side-by-side row:
LangChain + Chroma + all-MiniLM-L6-v2 (sentence-transformers, the bundled model), RecursiveCharacterTextSplitter
500-character chunks, top-k similarity, the top chunk as the answer and its chunk index as the citation
(mapped to the paragraph ids the chunk overlaps, so it can be scored)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from evals.dataset import EvalRow
from evals.metrics import Produced
from index import Corpus, read_source

CHUNK_SIZE = 500


class Baseline:
    def __init__(self, corpus: Corpus, client: Any, k: int = 5) -> None:
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from index.embed import make_embedder

        self.corpus = corpus
        self.k = k
        source, _ = read_source()
        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=0, add_start_index=True)
        docs = splitter.create_documents([source])
        self.chunks = [(d.metadata["start_index"], d.metadata["start_index"] + len(d.page_content)) for d in docs]
        self.store = Chroma(collection_name="baseline-minilm", embedding_function=make_embedder("st:minilm"),
                            client=client, collection_configuration={"hnsw": {"space": "cosine"}})
        self.store.reset_collection()
        self.store.add_documents(docs, ids=[f"chunk{i}" for i in range(len(docs))])

    def paragraphs_of(self, chunk: int) -> list[str]:
        """Paragraph ids whose source spans overlap chunk `chunk` (the baseline's citation, made scorable)."""
        a, b = self.chunks[chunk]
        return [p.id for p in self.corpus.paragraphs if any(s < b and a < e for s, e in p.spans)]

    def answer(self, question: str) -> Produced:
        t0 = time.perf_counter()
        found = self.store.similarity_search(question, k=self.k)
        ranked: list[str] = []
        for doc in found:
            for pid in self.paragraphs_of(int(str(doc.id).removeprefix("chunk"))):
                if pid not in ranked:
                    ranked.append(pid)
        top = found[0]
        cited = self.paragraphs_of(int(str(top.id).removeprefix("chunk")))
        text = top.page_content + "".join(f"[{pid}]" for pid in cited)
        ms = (time.perf_counter() - t0) * 1000
        return Produced(text, False, tuple((pid, None) for pid in cited), tuple(ranked), ms)

    def run(self, rows: Iterable[EvalRow]) -> list[tuple[EvalRow, Produced]]:
        return [(row, self.answer(row.question)) for row in rows]
