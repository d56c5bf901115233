"""The answer cache (rag/cache.py) in front of the real Answerer over the session's real index: a hit is the
same Answer; a different history, k or document is a miss; the size bound holds; size 0 is off."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from rag import Answer, Delta, Final, QuestionError
from rag.cache import CachedAnswerer, normalise

QUESTION = "大会决定何时召开高级别会议？"


def _same(a: Answer, b: Answer) -> None:
    assert dataclasses.replace(a, latency_ms=0.0) == dataclasses.replace(b, latency_ms=0.0)


def test_a_hit_returns_an_equal_answer_and_skips_the_answerer(answerer, monkeypatch: pytest.MonkeyPatch) -> None:
    cached = CachedAnswerer(answerer, 16)
    first = cached.ask(QUESTION)
    calls = []
    monkeypatch.setattr(answerer, "stream", lambda *a, **kw: calls.append(a) or iter(()))
    again = cached.ask(QUESTION)
    assert calls == [], "a hit does not run the answerer"
    _same(first, again)
    assert cached.cache.stats().hits == 1 and cached.cache.stats().misses == 1
    # Spaces and control characters around it are what the answerer drops too: the same entry.
    _same(cached.ask(f"  {QUESTION}\x00 "), first)
    assert cached.cache.stats().hits == 2
    monkeypatch.undo()
    # "?" for "？" is another entry: the answer may quote the question as asked.
    cached.ask(QUESTION.replace("？", "?"))
    assert cached.cache.stats().misses == 2


def test_a_streamed_hit_gives_the_answer_text_then_the_same_final(answerer) -> None:
    cached = CachedAnswerer(answerer, 16)
    direct = answerer.ask(QUESTION)
    cached.ask(QUESTION)
    events = list(cached.stream(QUESTION))
    assert isinstance(events[-1], Final) and cached.cache.stats().hits == 1
    _same(events[-1].answer, direct)
    assert "".join(e.text for e in events if isinstance(e, Delta)) == direct.text


def test_history_k_and_document_are_part_of_the_key(answerer, corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    cached = CachedAnswerer(answerer, 16)
    cached.ask("它呢？", history=[{"role": "user", "content": "OP5 说了什么？"}])
    cached.ask("它呢？", history=[{"role": "user", "content": "OP12 说了什么？"}])
    assert cached.cache.stats().misses == 2 and cached.cache.stats().hits == 0
    cached.ask(QUESTION, k=5)
    cached.ask(QUESTION)  # k=None is the settings' k (5): the same entry
    assert cached.cache.stats().hits == 1
    small = cached.ask(QUESTION, k=2)
    assert cached.cache.stats().misses == 4
    _same(small, answerer.ask(QUESTION, k=2))
    # A rebuilt index from another document (a new sha256): the answer it gives is not the old one's.
    monkeypatch.setattr(answerer, "corpus", dataclasses.replace(corpus, sha256="0" * 64))
    rebuilt = cached.ask(QUESTION)
    assert cached.cache.stats().misses == 5 and rebuilt.doc["sha256"] == "0" * 64


def test_the_size_bound_holds_and_the_oldest_goes_first(answerer) -> None:
    cached = CachedAnswerer(answerer, 2)
    for q in ("OP1 说了什么？", "OP2 说了什么？", "OP3 说了什么？"):
        cached.ask(q)
    assert cached.cache.stats().size == 2
    cached.ask("OP3 说了什么？")
    cached.ask("OP1 说了什么？")  # evicted first
    stats = cached.cache.stats()
    assert (stats.hits, stats.misses, stats.size) == (1, 4, 2)


def test_size_zero_is_off_and_bad_questions_fail_as_before(answerer) -> None:
    off = CachedAnswerer(answerer, 0)
    off.ask(QUESTION)
    off.ask(QUESTION)
    assert off.cache.stats() == dataclasses.replace(off.cache.stats(), size=0, hits=0, misses=0)
    with pytest.raises(QuestionError):
        CachedAnswerer(answerer, 4).ask("   ")
    with pytest.raises(ValueError):
        CachedAnswerer(answerer, -1)


def test_it_is_the_answerer_everywhere_else(answerer) -> None:
    cached = CachedAnswerer(answerer, 4)
    assert cached.corpus is answerer.corpus and cached.retriever is answerer.retriever
    assert cached.paragraph("op12") == answerer.paragraph("OP12")
    assert cached.search(QUESTION) == answerer.search(QUESTION)
    assert cached.backend_name == answerer.backend_name


def test_threads_share_it_safely(answerer) -> None:
    cached = CachedAnswerer(answerer, 3)
    questions = [f"OP{i} 说了什么？" for i in range(1, 7)]
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            for n in range(12):
                cached.ask(questions[(i + n) % len(questions)])
        except BaseException as exc:  # noqa: B036 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stats = cached.cache.stats()
    assert not errors and stats.size <= 3 and stats.hits + stats.misses == 72


def test_the_key_is_the_question_the_answerer_reads() -> None:
    assert normalise(" OP12 说了什么？\x07 ", 100) == "OP12 说了什么？"
    assert normalise("OP１２", 100) != normalise("OP12", 100)
