"""`--vs REF` (evals/bench_vs.py): the reference is checked out in a temporary worktree and removed after; both
sides' printed figures are read (the reference's words are the same as HEAD's) and shown with their ratio.
Nothing here times anything: the figures below are fixed text."""

from __future__ import annotations

import subprocess

from evals.bench_vs import BENCH, HTTP, ROOT, _collect, render, worktree

REF_BENCH = """index build, cold (load model, parse, embed 61 paragraphs + clauses, write Chroma): 3.50 s
index build, second run (checks the build key, embeds nothing):            0.05 s
query embedding (e5, the floor), 327 questions: p50 8.0 ms, p95 12.5 ms
warm ask, extractive, query cache cleared: p50 10.0 ms, p95 20.4 ms (p50 = 1.25 × the embedding floor)
warm ask, same question again (cached query vector): p50 2.0 ms, p95 6.0 ms
"""
HTTP_OUT = """POST /v1/ask, 50 clients, 327 questions (public-v2.jsonl), ≤60 s, ≤6000 requests; 2 CPUs
cold      327 requests in   7.0 s =   46.4 req/s | p50 1066.9 ms  p90 1131.1 ms  p99 1897.3 ms  max 1960.3 ms | errors 0
steady   2614 requests in  53.8 s =   48.6 req/s | p50 1017.8 ms  p90 1124.4 ms  p99 1838.2 ms  max 2070.3 ms | errors 2
"""


def test_the_reference_is_checked_out_aside_and_removed() -> None:
    ref = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD~1"], capture_output=True, text=True,
                         check=True).stdout.strip()
    with worktree(ref) as tree:
        assert (tree / "evals" / "bench.py").is_file()
        head = subprocess.run(["git", "-C", str(tree), "rev-parse", "HEAD"], capture_output=True, text=True)
        assert head.stdout.strip() == ref
    assert not tree.exists()
    listed = subprocess.run(["git", "-C", str(ROOT), "worktree", "list"], capture_output=True, text=True).stdout
    assert str(tree) not in listed


def test_both_sides_figures_are_read_and_the_ratio_says_which_is_better() -> None:
    seen = {"HEAD": {f: [] for f in BENCH}, "old": {f: [] for f in BENCH}}  # type: dict[str, dict[str, list[float]]]
    _collect(REF_BENCH, BENCH, seen["old"])
    _collect(REF_BENCH.replace("p50 10.0 ms", "p50 5.0 ms").replace("p50 2.0 ms", "p50 4.0 ms"), BENCH, seen["HEAD"])
    assert seen["old"]["warm ask, new question p50"] == [10.0] and seen["old"]["index build, cold"] == [3.5]
    table = render(seen, BENCH, "old", 1)
    assert "| warm ask, new question p50 | 5 ms | 10 ms | 2.00× |" in table  # half the time: twice as good
    assert "| warm ask, cached vector p50 | 4 ms | 2 ms | 0.50× |" in table


def test_http_figures_higher_is_better_for_throughput() -> None:
    seen = {"HEAD": {f: [] for f in HTTP}, "old": {f: [] for f in HTTP}}  # type: dict[str, dict[str, list[float]]]
    _collect(HTTP_OUT, HTTP, seen["old"])
    _collect(HTTP_OUT.replace("46.4 req/s", "92.8 req/s"), HTTP, seen["HEAD"])
    assert seen["old"]["steady errors"] == [2.0] and seen["old"]["steady p99"] == [1838.2]
    assert "| cold req/s | 92.8 req/s | 46.4 req/s | 2.00× |" in render(seen, HTTP, "old", 1)


def test_the_http_bench_waits_for_the_workers_resqa_serve_starts(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`resqa serve` starts one worker unless RESQA_WORKERS says otherwise: the bench must not wait for one per
    CPU (it waited its whole start-up timeout, ten minutes, for a second worker that never comes)."""
    from evals import bench_http

    class Running:
        returncode = None

        def poll(self) -> None:
            return None

    naps: list[float] = []
    monkeypatch.delenv("RESQA_WORKERS", raising=False)
    monkeypatch.setattr(bench_http, "_ready_workers", lambda base: {"worker-1"})
    monkeypatch.setattr(bench_http.time, "sleep", naps.append)
    bench_http.wait_ready(Running(), "http://127.0.0.1:1", timeout=5.0)  # type: ignore[arg-type]
    assert naps == [], "it kept polling after the only worker was ready"
    monkeypatch.setenv("RESQA_WORKERS", "2")
    seen = iter([{"worker-1"}, {"worker-1"}, {"worker-2"}])
    monkeypatch.setattr(bench_http, "_ready_workers", lambda base: next(seen))
    bench_http.wait_ready(Running(), "http://127.0.0.1:1", timeout=5.0)  # type: ignore[arg-type]
    assert len(naps) == 2, "with two workers it waits until both have answered"
