"""`make bench`: index build time (cold and the no-op rebuild), query-embedding time (the floor), and warm
`ask` latency over the public eval set, extractive. Prints medians; whole numbers come from this machine.

`--json PATH` also writes the figures with the machine they were taken on (CPUs, load average at the start);
`make readme` renders that file into the README's Benchmarks block (evals/readme.py), so the table is never
typed by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from evals.dataset import PUBLIC, EvalRow, load_jsonl
from index import IndexStore, Settings, apply_offline_defaults, load_corpus, make_client, make_embedder


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _spread(values_ms: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(values_ms), 1), "p95_ms": round(_pct(values_ms, 0.95), 1)}


def bench_build(home: Path) -> dict[str, Any]:
    settings = Settings(home=home)
    t0 = time.perf_counter()
    report = IndexStore(make_client(settings), make_embedder("e5"), load_corpus()).ensure()
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = IndexStore(make_client(settings), make_embedder("e5"), load_corpus()).ensure()
    assert not again.built
    return {"cold_s": round(cold, 2), "noop_s": round(time.perf_counter() - t0, 2),
            "paragraphs": report.paragraphs, "clauses": report.clauses}


def bench_queries(home: Path, questions: list[str]) -> dict[str, Any]:
    """Embedding alone (the floor), then warm asks: a new question (query cache cleared) and the same again."""
    from rag import Answerer

    qa = Answerer.from_settings(Settings(home=home))
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
    return {"embed": _spread(embed_ms), "ask": _spread(ask_ms), "ask_cached": _spread(cached_ms)}


def machine() -> dict[str, Any]:
    """What the timings depend on besides the code: read them together with the figures."""
    return {"cpus": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2),
            "processor": platform.processor() or platform.machine(), "python": platform.python_version()}


def run() -> dict[str, Any]:
    questions = [r.question for r in load_jsonl(PUBLIC, EvalRow)]
    started = machine()
    with tempfile.TemporaryDirectory() as tmp:
        build = bench_build(Path(tmp))
        queries = bench_queries(Path(tmp), questions)
    return {"machine": started, "dataset": PUBLIC.name, "questions": len(questions), "index": build, **queries}


def describe(r: dict[str, Any]) -> list[str]:
    b, e, a, c = r["index"], r["embed"], r["ask"], r["ask_cached"]
    return [
        f"index build, cold (load model, parse, embed {b['paragraphs']} paragraphs + {b['clauses']} clauses, "
        f"write Chroma): {b['cold_s']:.2f} s",
        f"index build, second run (checks the build key, embeds nothing):            {b['noop_s']:.2f} s",
        f"query embedding (e5, the floor), {r['questions']} questions: p50 {e['p50_ms']:.1f} ms, "
        f"p95 {e['p95_ms']:.1f} ms",
        f"warm ask, extractive, query cache cleared: p50 {a['p50_ms']:.1f} ms, p95 {a['p95_ms']:.1f} ms "
        f"(p50 = {a['p50_ms'] / e['p50_ms']:.2f} × the embedding floor)",
        f"warm ask, same question again (cached query vector): p50 {c['p50_ms']:.1f} ms, p95 {c['p95_ms']:.1f} ms",
    ]


def main(argv: list[str] | None = None) -> int:
    apply_offline_defaults()
    p = argparse.ArgumentParser(prog="python -m evals.bench", description=__doc__.split("\n")[0])
    p.add_argument("--json", help="also write the figures (and the machine's CPUs and load) to this file")
    p.add_argument("--vs", metavar="REF", help="also run REF's benchmark (a commit or tag) side by side; print ratios")
    p.add_argument("--rounds", type=int, default=5, help="with --vs: alternating rounds per side (default 5)")
    args = p.parse_args(argv)
    if args.vs:
        from evals.bench_vs import side_by_side

        return side_by_side("evals.bench", args.vs, [], args.rounds, cold=True)
    result = run()
    print("\n".join(describe(result)))
    m = result["machine"]
    print(f"machine: {m['cpus']} CPUs ({m['processor']}), load average {m['load_average_1min']} at the start")
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
