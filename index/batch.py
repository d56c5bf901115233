"""Micro-batched query embeddings for a server: concurrent new questions are embedded together.

`BatchingEmbedder` wraps an embedder. A question that finds the engine idle is embedded at once (no added
wait); questions that arrive while a batch is being embedded queue up, and the next batch embeds all of them in
one engine call (`embed_queries`, at most `max_batch`). The window is therefore exactly as long as the engine
is busy: nothing is delayed when the server is idle, and under load one call serves many clients. The first
waiter of a batch leads it (runs the call in its own thread); the others wait for their vectors. Vectors are
the same as one by one (e5's engine gives bitwise-equal rows; tests/test_batch.py checks it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from langchain_core.embeddings import Embeddings


@dataclass(eq=False)
class _Slot:
    text: str
    ready: threading.Event = field(default_factory=threading.Event)
    vector: list[float] | None = None
    error: BaseException | None = None


class BatchingEmbedder(Embeddings):
    def __init__(self, inner: Embeddings, max_batch: int = 32) -> None:
        self.inner, self.max_batch = inner, max_batch
        self.id = str(getattr(inner, "id", type(inner).__name__))
        self._lock = threading.Lock()
        self._pending: list[_Slot] = []
        self._busy = False  # a batch is being embedded now
        self.calls = 0  # engine calls made (batches), for metrics and tests

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        slot = _Slot(text)
        with self._lock:
            self._pending.append(slot)
            lead = not self._busy
            self._busy = True
        if not lead:
            slot.ready.wait()  # woken with its vector, or to lead the next batch
            if slot.vector is not None or slot.error is not None:
                return self._result(slot)
        # A leader is the first of the queue (it arrived to an idle engine, or was handed it): in this batch.
        self._run_batch()
        return self._result(slot)

    def _run_batch(self) -> None:
        with self._lock:
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch:]
            self.calls += 1
        try:
            vectors = _embed_queries(self.inner, [s.text for s in batch])
        except BaseException as exc:  # every waiter of the batch gets the error its own call would have raised
            for s in batch:
                s.error = exc
        else:
            for s, v in zip(batch, vectors, strict=True):
                s.vector = v
        with self._lock:
            following = self._pending[0] if self._pending else None
            self._busy = following is not None
        for s in batch:
            s.ready.set()
        if following is not None:
            following.ready.set()  # hand the engine to the first of those who queued meanwhile

    @staticmethod
    def _result(slot: _Slot) -> list[float]:
        if slot.error is not None:
            raise slot.error
        assert slot.vector is not None
        return slot.vector


def _embed_queries(inner: Any, texts: list[str]) -> list[list[float]]:
    many = getattr(inner, "embed_queries", None)
    if callable(many):
        return list(many(texts))
    return [inner.embed_query(t) for t in texts]  # an embedder without a batch call: one by one, in order
