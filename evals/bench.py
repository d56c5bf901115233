"""`make bench`: index build time (cold and the no-op rebuild), query-embedding time (the floor), and warm
`ask` latency over the public eval set, extractive. Prints medians; whole numbers come from this machine."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from evals.dataset import PUBLIC, EvalRow, load_jsonl
from index import IndexStore, Settings, load_corpus, make_client, make_embedder


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def bench_build(home: Path) -> tuple[float, float]:
    settings = Settings(home=home)
    t0 = time.perf_counter()
    IndexStore(make_client(settings), make_embedder("e5"), load_corpus()).ensure()
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = IndexStore(make_client(settings), make_embedder("e5"), load_corpus()).ensure()
    assert not report.built
    return cold, time.perf_counter() - t0


def main() -> None:
    from rag import Answerer

    with tempfile.TemporaryDirectory() as tmp:
        cold, noop = bench_build(Path(tmp))
        print(f"index build, cold (load model, parse, embed 61 paragraphs + clauses, write Chroma): {cold:.2f} s")
        print(f"index build, second run (checks the build key, embeds nothing):            {noop:.2f} s")
        qa = Answerer.from_settings(Settings(home=Path(tmp)))
        questions = [r.question for r in load_jsonl(PUBLIC, EvalRow)]
        embedder = make_embedder("e5")
        embedder.embed_query("热身")
        embed_ms = []
        for q in questions:
            t0 = time.perf_counter()
            embedder.embed_query(q)
            embed_ms.append((time.perf_counter() - t0) * 1000)
        for q in questions:  # warm-up pass: jieba, numpy and Chroma caches
            qa.ask(q)
        ask_ms, cached_ms = [], []
        for q in questions:
            qa.retriever.clear_cache()
            t0 = time.perf_counter()
            qa.ask(q)
            ask_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            qa.ask(q)
            cached_ms.append((time.perf_counter() - t0) * 1000)
    floor = statistics.median(embed_ms)
    p50, p95 = statistics.median(ask_ms), _pct(ask_ms, 0.95)
    print(f"query embedding (e5, the floor), {len(questions)} questions: p50 {floor:.1f} ms, "
          f"p95 {_pct(embed_ms, 0.95):.1f} ms")
    print(f"warm ask, extractive, query cache cleared: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"(p50 = {p50 / floor:.2f} × the embedding floor)")
    print(f"warm ask, same question again (cached query vector): p50 {statistics.median(cached_ms):.1f} ms, "
          f"p95 {_pct(cached_ms, 0.95):.1f} ms")


if __name__ == "__main__":
    main()
