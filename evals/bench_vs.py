"""Benchmarks side by side: `python -m evals.bench --vs REF` and `python -m evals.bench_http --vs REF`
(`make bench REF=9ff6c1b`, `make bench-http REF=9ff6c1b`).

The reference commit is checked out into a temporary git worktree; the same benchmark then runs there and here
in the same run on the same machine with the same venv (PYTHONPATH set to each tree, each tree's own benchmark
module), alternating A/B round by round, and both are printed with their ratio. Absolute times depend on the
machine and on what else it runs; the ratio of two runs taken side by side is what can be compared. `make
bench` also times a cold `resqa ask` and `resqa --help` (wall time and peak RSS of the process) on each side.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "大会决定何时召开高级别会议？"
# What both sides print (the lines kept the same words since 9ff6c1b): figure name -> (pattern, unit, better).
BENCH = {
    "query embedding p50 (the floor)": (r"query embedding .*?p50 ([\d.]+) ms", "ms", "lower"),
    "warm ask, new question p50": (r"warm ask, extractive, query cache cleared: p50 ([\d.]+) ms", "ms", "lower"),
    "warm ask, cached vector p50": (r"same question again .*?p50 ([\d.]+) ms", "ms", "lower"),
    "index build, cold": (r"index build, cold .*?: ([\d.]+) s", "s", "lower"),
}
HTTP = {f"{phase} {what}": (rf"^{phase}\s+\d+ requests in .*? = \s*([\d.]+) req/s" if what == "req/s" else
                            rf"^{phase}\s+\d+ requests .*? p99 \s*([\d.]+) ms" if what == "p99" else
                            rf"^{phase}\s+\d+ requests .*?\| errors (\d+)", unit, better)
        for phase in ("cold", "steady") for what, unit, better in (("req/s", "req/s", "higher"), ("p99", "ms", "lower"),
                                                                  ("errors", "", "lower"))}


@contextlib.contextmanager
def worktree(ref: str) -> Iterator[Path]:
    """`ref` checked out (detached) in a temporary worktree of this repository, removed afterwards."""
    where = Path(tempfile.mkdtemp(prefix="resqa-ref-")) / "tree"
    done = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), ref],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"--vs {ref}: cannot check it out: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where)], capture_output=True)
        shutil.rmtree(where.parent, ignore_errors=True)


def _env(tree: Path, home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "RESQA_HOME": str(home)}


def run_module(tree: Path, module: str, args: list[str], home: Path) -> str:
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=tree, capture_output=True, text=True,
                          env=_env(tree, home), timeout=3600)
    if done.returncode not in (0, 1):  # bench_http exits 1 when its goal is not met: its figures still count
        raise SystemExit(f"{module} at {tree} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def timed(cmd: list[str], tree: Path, home: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process, from its own rusage (os.wait4)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=tree, env=_env(tree, home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode()[-2000:] if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} at {tree} failed: {err}")
    return wall, usage.ru_maxrss / 1024


def cold_start(tree: Path, home: Path) -> str:
    """The lines a benchmark would print for a cold `resqa ask` and `resqa --help` in `tree`."""
    cli = [sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())"]
    ask_s, ask_mb = timed([*cli, "ask", QUESTION], tree, home)
    help_s, _ = timed([*cli, "--help"], tree, home)
    return f"cold resqa ask: {ask_s:.2f} s, peak {ask_mb:.0f} MB\ncold resqa --help: {help_s:.2f} s\n"


COLD = {"cold `resqa ask` wall": (r"cold resqa ask: ([\d.]+) s", "s", "lower"),
        "cold `resqa ask` peak RSS": (r"cold resqa ask: .*?peak ([\d.]+) MB", "MB", "lower"),
        "cold `resqa --help` wall": (r"cold resqa --help: ([\d.]+) s", "s", "lower")}


def side_by_side(module: str, ref: str, args: list[str], rounds: int, cold: bool = False) -> int:
    figures = {**(BENCH if module == "evals.bench" else HTTP), **(COLD if cold else {})}
    with worktree(ref) as there, tempfile.TemporaryDirectory() as tmp:
        sides = {"HEAD": ROOT, ref: there}
        homes = {name: Path(tmp) / f"home-{i}" for i, name in enumerate(sides)}
        seen: dict[str, dict[str, list[float]]] = {name: {f: [] for f in figures} for name in sides}
        for r in range(rounds):
            order = list(sides) if r % 2 == 0 else list(reversed(sides))  # A/B, then B/A: neither always first
            for name in order:
                out = run_module(sides[name], module, args, homes[name])
                if cold:
                    out += cold_start(sides[name], homes[name])
                _collect(out, figures, seen[name])
                got = ", ".join(f"{f} {v[-1]:g}" for f, v in seen[name].items() if v)
                print(f"round {r + 1}/{rounds} {name}: {got}", file=sys.stderr, flush=True)  # kept if interrupted
    print(render(seen, figures, ref, rounds))
    return 0


def _collect(out: str, figures: dict[str, tuple[str, str, str]], into: dict[str, list[float]]) -> None:
    for name, (pattern, _unit, _better) in figures.items():
        m = re.search(pattern, out, re.M)
        if m:
            into[name].append(float(m.group(1)))


def render(seen: dict[str, dict[str, list[float]]], figures: dict[str, tuple[str, str, str]], ref: str,
           rounds: int) -> str:
    head, other = seen["HEAD"], seen[ref]
    lines = [f"side by side, {rounds} round(s) alternating, medians; ratio > 1 means HEAD is better",
             f"| figure | HEAD | {ref} | ratio |", "|---|---|---|---|"]
    for name, (_pattern, unit, better) in figures.items():
        a, b = _median(head[name]), _median(other[name])
        ratio: Callable[[float, float], float] = (lambda x, y: x / y) if better == "higher" else (lambda x, y: y / x)
        shown = f"{ratio(a, b):.2f}×" if a and b and a == a and b == b else "–"
        lines.append(f"| {name} | {_fmt(a, unit)} | {_fmt(b, unit)} | {shown} |")
    return "\n".join(lines)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _fmt(v: float, unit: str) -> str:
    return "n/a" if v != v else f"{v:g} {unit}".strip()
