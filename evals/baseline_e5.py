"""The fair baseline: what a user who knows the stack would build in an afternoon, run on the same questions.

LangChain + Chroma (an explicit in-memory client) + the same e5 embedder resqa uses, over the 61 paragraphs
(one Document per paragraph, id = paragraph id); the top paragraph is the answer, quoted whole, and its id is
the citation. It differs from resqa only in what resqa adds on top of dense retrieval (lexical fusion,
clause anchors, answer selection, refusal), so the gap between the two rows is what those parts earn.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from evals.dataset import EvalRow
from evals.metrics import Produced
from index import Corpus

LABEL = "LangChain + Chroma + e5, paragraph chunks, top-1 (fair baseline)"


def ephemeral_client() -> Any:
    """An in-memory Chroma client with telemetry off (nothing is written to disk)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))


class ParagraphBaseline:
    def __init__(self, corpus: Corpus, client: Any, k: int = 10) -> None:
        from langchain_chroma import Chroma
        from langchain_core.documents import Document

        from index.embed import make_embedder

        self.k = k
        self.store = Chroma(collection_name="baseline-e5-paragraphs", embedding_function=make_embedder("e5"),
                            client=client, collection_configuration={"hnsw": {"space": "cosine"}})
        self.store.reset_collection()
        docs = [Document(page_content=p.text, id=p.id, metadata={"label": p.label_zh}) for p in corpus.paragraphs]
        self.store.add_documents(docs, ids=[p.id for p in corpus.paragraphs])

    def answer(self, question: str) -> Produced:
        t0 = time.perf_counter()
        found = self.store.similarity_search(question, k=self.k)
        top = found[0]
        pid = str(top.id)
        ms = (time.perf_counter() - t0) * 1000
        return Produced(f"{top.page_content}[{pid}]", False, ((pid, top.page_content),),
                        tuple(str(d.id) for d in found), ms)

    def run(self, rows: Iterable[EvalRow]) -> list[tuple[EvalRow, Produced]]:
        return [(row, self.answer(row.question)) for row in rows]
