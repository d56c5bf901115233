"""LangChain faces of the answerer: a `BaseRetriever` over the hybrid search, and the answerer as a Runnable.

    retriever = ResqaRetriever(answerer=qa, k=5)      # Documents with paragraph metadata
    chain = answer_runnable(qa)                       # str or {"question", "history"} in, Answer dict out
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import ConfigDict

from rag.answerer import Answerer


class ResqaRetriever(BaseRetriever):
    """Ranked paragraphs of the resolution for a query, as LangChain Documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    answerer: Any
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        docs = []
        for hit in self.answerer.search(query, self.k):
            p = self.answerer.paragraph(hit.id)
            meta = {"id": p.id, "kind": p.kind, "label_zh": p.label_zh, "label_en": p.label_en,
                    "rank": hit.rank, "via": hit.via, "score": hit.score, "dense": hit.dense, "lexical": hit.lexical,
                    "symbol": p.doc.symbol, "sha256": p.doc.sha256}
            docs.append(Document(page_content=p.text, metadata=meta, id=p.id))
        return docs


def answer_runnable(answerer: Answerer) -> Runnable[Any, dict[str, Any]]:
    """The answerer as a Runnable: a question string, or {"question": ..., "history": [...], "k": ...}."""

    def run(inp: Any) -> dict[str, Any]:
        if isinstance(inp, str):
            return answerer.ask(inp).to_dict()
        if isinstance(inp, dict) and "question" in inp:
            return answerer.ask(inp["question"], history=inp.get("history"), k=inp.get("k")).to_dict()
        raise TypeError("expected a question string or a dict with a 'question' key")

    return RunnableLambda(run, name="resqa")
