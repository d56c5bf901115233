"""`python -m evals.bench_http` (`make bench-http`): a bounded load test of the HTTP service.

The server is `resqa serve` as a user starts it (its workers, answer cache and batched embeddings, the chat
mounted, access log on as in production; extractive, no key), a subprocess on a free loopback port; this
process drives POST /v1/ask with 50 concurrent closed-loop clients (asyncio + httpx) over the public eval
questions, then prints req/s, p50/p99 latency, errors and the server's memory (VmHWM/VmRSS from /proc, summed
over its processes), and stops the server. Two phases, both reported:
  cold    every question once: each is a text the server has not seen, so its query vector is computed;
  steady  the questions again, round-robin, for the rest of the budget: answers come from the answer cache.
Bounded: at most --seconds of load (60) and --requests requests (6000) in all. The figures are this machine's
(and whatever else it is running): the load average at the start and the CPU time of both sides are printed.
Closed loop: each client waits for its answer, so mean latency ≈ clients / throughput (Little's law).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
GOAL = "0 errors, ≥100 req/s, p99 ≤ 100 ms"


@dataclass
class Phase:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + len(self.errors)

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms) or [float("nan")]
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))]

    def line(self) -> str:
        rate = self.requests / self.seconds if self.seconds else 0.0
        return (f"{self.name:<7} {self.requests:>5} requests in {self.seconds:5.1f} s = {rate:6.1f} req/s | "
                f"p50 {self.pct(0.5):6.1f} ms  p90 {self.pct(0.9):6.1f} ms  p99 {self.pct(0.99):6.1f} ms  "
                f"max {self.pct(1.0):6.1f} ms | errors {len(self.errors)}")


# ---- the server ---------------------------------------------------------------------------------------------
SERVE = ["-c", "import sys; from ui.cli import main; sys.exit(main())", "serve"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, log: Path) -> subprocess.Popen[bytes]:
    # Server output goes to a file: an unread pipe would fill up and stall the server mid-benchmark.
    with log.open("wb") as out:
        # Extractive and open whatever the environment says: the benchmark measures the service, not an LLM.
        env = {**os.environ, "RESQA_LLM": "", "RESQA_API_KEY": ""}
        return subprocess.Popen([sys.executable, *SERVE, "--port", str(port)], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, env=env)


def wait_ready(proc: subprocess.Popen[bytes], base: str, timeout: float) -> None:
    """Until /readyz answers from every worker `resqa serve` starts (RESQA_WORKERS, default 1, 0 = one per CPU;
    the first start may build the index)."""
    from ui.settings import ServeSettings

    deadline = time.monotonic() + timeout
    expected = ServeSettings.from_env().workers or os.cpu_count() or 1  # as `resqa serve` counts them
    workers: set[str] = set()
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        workers |= _ready_workers(base)
        if len(workers) >= expected:
            return
        time.sleep(0.25)
    if not workers:
        raise RuntimeError(f"the server did not answer /readyz within {timeout:.0f} s")


def _ready_workers(base: str) -> set[str]:
    """The worker pids that answered 16 concurrent /readyz on new connections (the kernel spreads those)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(_i: int) -> str | None:
        try:
            r = httpx.get(f"{base}/readyz", timeout=30)
        except httpx.TransportError:
            return None
        return r.headers.get("x-resqa-worker", "1") if r.status_code == 200 else None

    with ThreadPoolExecutor(16) as pool:
        return {w for w in pool.map(one, range(16)) if w}


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU time of a process and its children (this one when pid is None)."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    total = 0.0
    for p in family(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def family(pid: int) -> list[int]:
    """The process and its descendants (`resqa serve --workers N`: the supervisor and its workers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return out


def memory(pid: int) -> dict[str, str]:
    """VmHWM (peak resident set) and VmRSS of the server's processes, summed, as /proc reports them."""
    kb = {"VmHWM": 0, "VmRSS": 0}
    for p in family(pid):
        with contextlib.suppress(OSError):
            for ln in Path(f"/proc/{p}/status").read_text().splitlines():
                if ln.startswith(("VmHWM", "VmRSS")):
                    k, v = ln.split(":", 1)
                    kb[k] += int(v.split()[0])
    return {k: f"{v} kB" for k, v in kb.items()} if kb["VmRSS"] else {}


# ---- the load (this process) ------------------------------------------------------------------------------
async def run_phase(clients: list[httpx.AsyncClient], phase: Phase, questions: list[str], budget: int,
                    deadline: float) -> Phase:
    """One worker per client, each sending its next request as soon as the last one is answered (closed loop)."""
    counter = itertools.count()

    async def worker(client: httpx.AsyncClient) -> None:
        while (i := next(counter)) < budget and time.perf_counter() < deadline:
            question = questions[i % len(questions)]
            t0 = time.perf_counter()
            try:
                r = await client.post("/v1/ask", json={"question": question})
                body = r.json() if r.status_code == 200 else {}
                ok = body.get("question") == question.strip() and "citations" in body
                problem = "" if ok else f"HTTP {r.status_code}: {r.text[:120]}"
            except (httpx.HTTPError, ValueError) as exc:
                problem = f"{type(exc).__name__}: {exc or repr(exc.__context__)}"
            if problem:
                phase.errors.append(problem)
            else:
                phase.latencies_ms.append((time.perf_counter() - t0) * 1000)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in clients))
    phase.seconds = time.perf_counter() - t0
    return phase


async def load(base: str, questions: list[str], n: int, seconds: float, max_requests: int) -> list[Phase]:
    # One single-connection client per worker, like 50 separate users. (One shared 50-connection pool costs
    # httpx several times more CPU per request, and this load generator shares the machine with the server.)
    one = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with contextlib.AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(httpx.AsyncClient(base_url=base, limits=one, timeout=30))
                   for _ in range(n)]
        deadline = time.perf_counter() + seconds
        cold = await run_phase(clients, Phase("cold"), questions, min(len(questions), max_requests), deadline)
        steady = await run_phase(clients, Phase("steady"), questions, max_requests - cold.requests, deadline)
    return [cold, steady]


def report(phases: list[Phase], before: dict[str, str], after: dict[str, str], cpu: tuple[float, float],
           clients: int) -> bool:
    for p in phases:
        print(p.line())
    everything = Phase("all", [x for p in phases for x in p.latencies_ms], [e for p in phases for e in p.errors],
                       sum(p.seconds for p in phases))
    print(everything.line())
    for p in phases:
        for problem in sorted(set(p.errors))[:5]:
            print(f"  {p.name} error: {problem}")
    print(f"server memory: before load {before or 'n/a'}; after {after or 'n/a'}")
    print(f"CPU time during the load: server {cpu[0]:.1f} s, this load generator {cpu[1]:.1f} s "
          f"(over {everything.seconds:.1f} s of wall time on {os.cpu_count()} CPUs)")
    steady = phases[-1]
    rate = steady.requests / steady.seconds if steady.seconds else 0.0
    met = not everything.errors and rate >= 100 and steady.pct(0.99) <= 100
    stated = "" if clients == 50 else " (the goal is stated for 50 clients)"
    print(f"goal ({GOAL}) on the steady phase with {clients} clients: {'met' if met else 'NOT met'}{stated}")
    return not everything.errors


def main(argv: list[str] | None = None) -> int:
    from index.offline import apply_offline_defaults

    apply_offline_defaults()  # the server subprocess inherits them; loopback bypasses any proxy here too
    ap = argparse.ArgumentParser(prog="python -m evals.bench_http", description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    ap.add_argument("--seconds", type=float, default=60.0, help="load time limit, both phases (default 60)")
    ap.add_argument("--requests", type=int, default=6000, help="request limit, both phases (default 6000)")
    ap.add_argument("--startup-timeout", type=float, default=600.0, help="wait for the server (index build)")
    ap.add_argument("--vs", metavar="REF", help="also run REF's benchmark (a commit or tag) side by side; print ratios")
    ap.add_argument("--rounds", type=int, default=5, help="with --vs: alternating rounds per side (default 5)")
    args = ap.parse_args(argv)
    if not 1 <= args.clients <= 1000 or not 0 < args.seconds <= 600 or args.requests < 1:
        ap.error("--clients must be 1–1000, --seconds 0–600 and --requests ≥ 1")
    if args.vs:
        from evals.bench_vs import side_by_side

        return side_by_side("evals.bench_http", args.vs, ["--clients", str(args.clients), "--seconds",
                            str(args.seconds), "--requests", str(args.requests)], args.rounds)
    from evals.dataset import PUBLIC, EvalRow, load_jsonl

    questions = [r.question for r in load_jsonl(PUBLIC, EvalRow)]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        proc = start_server(port, log)
        try:
            wait_ready(proc, base, args.startup_timeout)
            print(f"POST /v1/ask, {args.clients} clients, {len(questions)} questions ({PUBLIC.name}), "
                  f"≤{args.seconds:.0f} s, ≤{args.requests} requests; {os.cpu_count()} CPUs, "
                  f"load average {os.getloadavg()[0]:.2f} at start; server pid {proc.pid}")
            before, server_cpu, own_cpu = memory(proc.pid), cpu_seconds(proc.pid), cpu_seconds()
            phases = asyncio.run(load(base, questions, args.clients, args.seconds, args.requests))
            cpu = (cpu_seconds(proc.pid) - server_cpu, cpu_seconds() - own_cpu)
            ok = report(phases, before, memory(proc.pid), cpu, args.clients)
        except RuntimeError as exc:
            print(f"bench-http: {exc}\n--- server log ---\n{log.read_text(errors='replace')[-3000:]}",
                  file=sys.stderr)
            return 1
        finally:
            stop_server(proc)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
