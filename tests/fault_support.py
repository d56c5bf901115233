"""Helpers for tests/test_faults.py: run the real CLI and read its messages, check what a case must show
and record it, damage a store, mount small or read-only disks and fill them, start or kill a real
`chroma run` server, and a feedback writer to kill."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import free_port
from fault_matrix import generic

from index import load_corpus

QUESTION = "大会决定何时召开高级别会议？"
CORPUS = load_corpus()
# The installed console script, as a user runs it (`python -m ui.cli` adds a runpy warning of its own).
CLI = [str(Path(sys.executable).with_name("resqa"))]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def _env(home: Path, extra: dict[str, str] | None) -> dict[str, str]:
    return {**os.environ, "RESQA_HOME": str(home), **(extra or {})}


def resqa(home: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """`resqa ARGS` in a subprocess with RESQA_HOME=home, to completion."""
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=600, env=_env(home, env))
    return Run(done.returncode, done.stdout, done.stderr)


def start_resqa(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env(home, env))


def messages(stderr: str) -> list[str]:
    """What resqa said on stderr: every line but the progress bar and the HTTP server's own log."""
    lines = (line.strip() for line in stderr.replace("\r", "\n").splitlines())
    return [line for line in lines if line and not line.startswith(("embedding [", "INFO:", '{"method"'))]


def live_folder(home: Path) -> Path:
    return (home / "chroma").resolve()


def wait_for(found: Callable[[], Any], proc: subprocess.Popen, limit: float = 600) -> Any:
    """Poll (every 2 ms: a build writes for well under a second) until `found()` is truthy."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        got = found()
        if got:
            return got
        if proc.poll() is not None:
            pytest.fail(f"the process ended first (exit {proc.returncode}): {proc.communicate()[1]}")
        time.sleep(0.002)
    pytest.fail("timed out")


@contextlib.contextmanager
def mounted(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` at `where` (root only); the test is skipped, saying why, where that is not allowed."""
    where.mkdir(parents=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@contextlib.contextmanager
def fill_disk(mount: Path, leave: int) -> Iterator[Path]:
    """A ballast file that leaves `leave` bytes free on `mount`, removed afterwards."""
    ballast = mount / f"ballast-{os.getpid()}-{time.monotonic_ns()}"
    # Unbuffered: ENOSPC ends the filling inside the loop, and no buffered bytes are left for close() to fail on.
    with ballast.open("wb", buffering=0) as f, contextlib.suppress(OSError):
        while (room := shutil.disk_usage(mount).free - leave) > 0:
            f.write(b"\0" * min(room, 1 << 16))
    try:
        yield ballast
    finally:
        ballast.unlink(missing_ok=True)


class ChromaServer:
    """A real `chroma run` on 127.0.0.1 that a test can kill and start again on the same port and folder."""

    def __init__(self, path: Path) -> None:
        exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        assert exe, "the chroma CLI comes with chromadb"
        self.cmd = [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(free_port())]
        self.url = f"http://127.0.0.1:{self.cmd[-1]}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1)
                return
            time.sleep(0.2)
        self.kill()
        pytest.fail("chroma run did not answer its heartbeat")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def ask_http(base: str, server: subprocess.Popen, path: str = "/v1/ask", body: dict | None = None) -> tuple[int, dict]:
    """POST `body` (the test question to /v1/ask; GET when there is none), waiting for the server to come up."""
    body = {"question": QUESTION} if body is None and path == "/v1/ask" else body
    data = json.dumps(body).encode() if body is not None else None
    deadline = time.monotonic() + 300
    while True:
        req = urllib.request.Request(base + path, data=data, headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.3)


# ---- what a case must show, and how it is recorded ------------------------------------------------------
def copy_of(built: Path, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(built, home, symlinks=True)
    return home


def verified(run: Run) -> str:
    """The run answered the test question with OP12 first, every quote exactly its paragraph's text."""
    assert run.code == 0, run.err
    assert "Traceback" not in run.err + run.out
    answer = json.loads(run.out)
    assert answer["citations"] and answer["citations"][0]["id"] == "OP12"
    for c in answer["citations"]:
        para = CORPUS.get(c["id"])
        assert para is not None and para.text[c["start"]:c["end"]] == c["quote"]
    return "answers OP12 (quotes verified)"


def failed_cleanly(run: Run, code: int, pattern: str) -> list[str]:
    """Exit `code`, no traceback, and stderr is exactly one line matching `pattern`."""
    said = messages(run.err)
    assert run.code == code, (run.code, run.err)
    assert "Traceback" not in run.err + run.out
    assert len(said) == 1 and re.search(pattern, said[0]), said
    return said


def record(matrix: dict, order: int, key: str, case: str, fault: str, code: int | str, said: list[str],
           then: str, replace: dict[str, str]) -> None:
    matrix[key] = {"order": order, "case": case, "fault": fault, "exit": code, "then": then,
                   "messages": [generic(m, replace) for m in said]}


# ---- damage and builds in progress ----------------------------------------------------------------------
def garble(path: Path, offset: int, n: int = 4096) -> None:
    with path.open("r+b") as f:
        f.seek(offset if offset >= 0 else path.stat().st_size + offset)
        f.write((b"\xde\xad\xbe\xef" * (n // 4 + 1))[:n])


def middle_page(db: Path) -> int:
    return db.stat().st_size // 8192 * 4096


def segments(store: Path) -> list[Path]:
    return [p for p in store.iterdir() if p.is_dir()]


def writing(home: Path, existing: set[Path]) -> list[Path]:
    """New generation folders in which a build is writing its collections (a segment folder exists)."""
    return [g for g in home.glob("chroma.g*") if g not in existing and g.is_dir() and any(
        p.is_dir() for p in g.iterdir())]


DAMAGE: dict[str, tuple[str, Callable[[Path], object]]] = {
    "sqlite-empty": ("chroma.sqlite3 truncated to 0 bytes", lambda s: os.truncate(s / "chroma.sqlite3", 0)),
    "sqlite-truncated": ("chroma.sqlite3 cut to half its size",
                         lambda s: os.truncate(s / "chroma.sqlite3", (s / "chroma.sqlite3").stat().st_size // 2)),
    "sqlite-garbage-header": ("100 bytes of garbage over the sqlite header",
                              lambda s: garble(s / "chroma.sqlite3", 0, 100)),
    "sqlite-garbage-middle": ("a page of garbage in the middle of chroma.sqlite3",
                              lambda s: garble(s / "chroma.sqlite3", middle_page(s / "chroma.sqlite3"))),
    "sqlite-garbage-tail": ("the last page of chroma.sqlite3 overwritten",
                            lambda s: garble(s / "chroma.sqlite3", -4096)),
    "segment-truncated": ("every HNSW data_level0.bin truncated to 100 bytes",
                          lambda s: [os.truncate(d / "data_level0.bin", 100) for d in segments(s)]),
    "segment-garbled": ("garbage over every HNSW segment file",
                        lambda s: [garble(f, 0, f.stat().st_size or 16) for d in segments(s) for f in d.iterdir()]),
    "segment-deleted": ("the HNSW segment files deleted",
                        lambda s: [f.unlink() for d in segments(s) for f in d.iterdir()]),
}


# ---- a feedback writer, for kill -9 -------------------------------------------------------------------------
# Loads ui/feedback.py by path (it needs only the standard library), so each writer starts in milliseconds.
WRITER = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("feedback", sys.argv[3])
feedback = importlib.util.module_from_spec(spec)
sys.modules["feedback"] = feedback  # a dataclass looks its module up there
spec.loader.exec_module(feedback)
log, me = feedback.FeedbackLog(sys.argv[1], max_bytes=1 << 30), sys.argv[2]  # no rotation: one file to check
answer = {"question": "问" * 2000, "text": "答" * 14000, "citations": [{"id": "OP12", "start": 47, "end": 129}]}
print("ready", flush=True)
n = 0
while me.startswith("a") or n < RECORDS:  # writer a runs until it is killed
    log.add("up", answer, {"writer": me, "n": n})
    n += 1
"""
RECORDS = 100
