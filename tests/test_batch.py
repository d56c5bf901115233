"""Micro-batched query embeddings (index/batch.py) over the real bundled e5 engine: concurrent distinct questions
are embedded in fewer engine calls than questions, with the same vectors as one by one; an error reaches every
waiter of its batch. The engine is held busy by an event, never by timing."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from index.batch import BatchingEmbedder
from index.embed import make_embedder

QUESTIONS = ["大会决定何时召开高级别会议？", "What does the resolution urge States to ratify?",
             "秘书长要提交什么报告？",
             "OP12 说了什么？", "谁被邀请参加高级别会议？", "Which protocol supplements the Convention?",
             "决议提到了哪些受害者？", "脚注 3 引用了什么文件？"]


class Gated:
    """The real e5 embedder, counting its batch calls; the first call waits until the test opens the gate."""

    def __init__(self) -> None:
        self.e5 = make_embedder("e5")
        self.gate = threading.Event()
        self.batches: list[list[str]] = []

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        self.batches.append(list(texts))
        if len(self.batches) == 1:
            assert self.gate.wait(60)
        return self.e5.embed_queries(texts)  # type: ignore[attr-defined,no-any-return]


def test_eight_concurrent_questions_take_fewer_calls_and_give_the_same_vectors() -> None:
    inner = Gated()
    emb = BatchingEmbedder(inner)  # type: ignore[arg-type]
    got: dict[str, list[float]] = {}
    first = threading.Thread(target=lambda: got.__setitem__(QUESTIONS[0], emb.embed_query(QUESTIONS[0])))
    first.start()
    while not inner.batches:  # the first question holds the engine...
        threading.Event().wait(0.001)
    rest = [threading.Thread(target=lambda q=q: got.__setitem__(q, emb.embed_query(q))) for q in QUESTIONS[1:]]
    for t in rest:
        t.start()
    while emb.pending() < 7:  # ...while the seven others queue
        threading.Event().wait(0.001)
    inner.gate.set()
    for t in [first, *rest]:
        t.join(60)
    assert len(inner.batches) == 2 < len(QUESTIONS) and sorted(inner.batches[1]) == sorted(QUESTIONS[1:])
    e5 = make_embedder("e5")
    for q in QUESTIONS:  # one by one, as without batching
        assert np.array_equal(np.asarray(got[q]), np.asarray(e5.embed_query(q))), q


def test_alone_a_question_is_embedded_at_once_and_documents_pass_through() -> None:
    inner = Gated()
    inner.gate.set()
    emb = BatchingEmbedder(inner)  # type: ignore[arg-type]
    assert len(emb.embed_query("OP12")) == 384 and inner.batches == [["OP12"]]
    real = BatchingEmbedder(inner.e5)
    assert real.id.startswith("e5") and real.embed_documents(["a"]) == inner.e5.embed_documents(["a"])


class Broken:
    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        raise RuntimeError("engine failed")


def test_an_engine_error_reaches_every_waiter() -> None:
    emb = BatchingEmbedder(Broken())  # type: ignore[arg-type]
    errors: list[str] = []

    def one(q: str) -> None:
        with pytest.raises(RuntimeError, match="engine failed"):
            emb.embed_query(q)
        errors.append(q)

    threads = [threading.Thread(target=one, args=(q,)) for q in QUESTIONS]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(errors) == sorted(QUESTIONS) and emb.pending() == 0


def test_the_servers_answerer_batches_its_embeddings(settings, serving) -> None:  # type: ignore[no-untyped-def]
    from rag import Answerer
    from ui.workers import served

    qa = served(Answerer.from_settings(settings), serving)
    assert isinstance(qa.retriever.embedder, BatchingEmbedder)
    calls = qa.retriever.embedder.calls
    assert qa.ask(QUESTIONS[0]).citations and qa.retriever.embedder.calls == calls + 1
