"""An answer cache in front of the Answerer: a bounded, thread-safe LRU of verified Answers.

The key is everything an answer depends on: the question as the answerer reads it (`Reader.clean`: ends
and control characters stripped), the conversation history, the document (its sha256, `Answer.doc`), and the
settings that change answers (k, the LLM and whether it is used, the embedder). A hit returns the same Answer
(`latency_ms` is the time of this call). Width and inner spacing are not folded: a refusal quotes the question
as asked, so "？" and "?" get different answers (16 of the 1008 eval questions that NFKC would change).
`CachedAnswerer` has the Answerer's interface (ask, stream, search, paragraph and its attributes), so HTTP,
the chat and MCP take it in place of the Answerer. Size 0 disables it (every call goes through).
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rag.answerer import Answerer
from rag.types import Answer, Delta, Final, StreamEvent


@dataclass(frozen=True)
class CacheStats:
    size: int
    capacity: int
    hits: int
    misses: int


def normalise(question: str, max_chars: int) -> str:
    """The question's cache form: what the answerer reads (anything it reads alike is one entry) — the
    reader's own cleaning (rag.read.Reader.clean), the one stage that reads the raw string."""
    from rag.read.reader import clean_input

    return clean_input(question, max_chars)


class AnswerCache:
    """A bounded LRU from keys to Answers, safe to share between threads."""

    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("the answer cache size must be 0 (off) or more")
        self.capacity = capacity
        self._items: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        self.on_lookup: Callable[[bool], None] = lambda _hit: None  # metrics hook: called with hit or miss

    def get(self, key: Hashable) -> Answer | None:
        with self._lock:
            answer = self._items.get(key)
            if answer is None:
                self.misses += 1
            else:
                self._items.move_to_end(key)
                self.hits += 1
        self.on_lookup(answer is not None)
        return answer

    def put(self, key: Hashable, answer: Answer) -> None:
        if not self.capacity:
            return
        with self._lock:
            self._items[key] = answer
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def stats(self) -> CacheStats:
        with self._lock:
            return CacheStats(len(self._items), self.capacity, self.hits, self.misses)


class CachedAnswerer(Answerer):
    """The Answerer behind an AnswerCache. Every attribute not defined here is the wrapped answerer's.

    (A subclass only so that it type-checks wherever an Answerer is expected: it never runs Answerer's
    __init__; its state is the inner answerer's.)"""

    def __init__(self, inner: Answerer, capacity: int) -> None:
        self.__dict__["inner"] = inner
        self.__dict__["cache"] = AnswerCache(capacity)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["inner"], name)

    def __setattr__(self, name: str, value: Any) -> None:  # e.g. tests swapping the corpus: the inner's
        setattr(self.__dict__["inner"], name, value)

    def key(self, question: str, history: Sequence[Any] | None, k: int | None, use_llm: bool) -> Hashable:
        qa: Answerer = self.inner
        s = qa.settings
        llm = s.llm if (use_llm and qa.chat_model is not None) else None
        return (normalise(question, s.max_question_chars), _history_key(history), qa.corpus.stamp()["sha256"],
                qa._k(k), llm, s.embedder)

    def ask(self, question: str, history: Sequence[Any] | None = None, k: int | None = None,
            use_llm: bool = True) -> Answer:
        for event in self.stream(question, history, k, use_llm):
            if isinstance(event, Final):
                return event.answer
        raise RuntimeError("the answer stream ended without its Final event")

    def stream(self, question: str, history: Sequence[Any] | None = None, k: int | None = None,
               use_llm: bool = True) -> Iterator[StreamEvent]:
        inner: Answerer = self.inner
        if not self.cache.capacity:
            yield from inner.stream(question, history, k, use_llm)
            return
        t0 = time.perf_counter()
        key = self.key(question, history, k, use_llm)  # raises QuestionError as the answerer would
        cached = self.cache.get(key)
        if cached is not None:
            ms = round((time.perf_counter() - t0) * 1000, 2)
            for line in cached.text.splitlines(keepends=True):
                yield Delta(line)
            yield Final(replace(cached, latency_ms=ms))
            return
        for event in inner.stream(question, history, k, use_llm):
            if isinstance(event, Final) and not event.answer.notes:  # a note says the LLM failed: ask again
                self.cache.put(key, event.answer)
            yield event


def _history_key(history: Sequence[Any] | None) -> str:
    """The history as canonical JSON (messages are dicts or pydantic models; both dump to the same shape)."""
    rows = []
    for m in history or ():
        dump = getattr(m, "model_dump", None)
        rows.append(dump() if callable(dump) else m)
    return json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
