"""The feedback file on its own (no server): 20 writer processes against a size cap with rotation, the closed
rating set and reason limit, a torn line skipped and counted, a full disk on a real 64 KB tmpfs, and the
per-client token bucket."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# ---- the feedback file itself ----------------------------------------------------------------------------
WRITER = """
import sys
from ui.feedback import FeedbackLog
log = FeedbackLog(sys.argv[1], max_bytes=int(sys.argv[2]))
for i in range(40):
    log.add("down", None, {"writer": sys.argv[3], "n": i}, reason="理由" * 200)
"""


def test_twenty_concurrent_writers_cannot_grow_the_file_past_the_cap(tmp_path: Path) -> None:
    from ui.feedback import FeedbackLog

    cap = 30_000  # each record is ~1.3 KB: 800 records (1 MB) through a 30 KB cap
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(cap), str(i)], cwd=ROOT)
             for i in range(20)]
    assert all(p.wait(timeout=300) == 0 for p in procs)
    log = FeedbackLog(tmp_path, max_bytes=cap)
    assert log.path.stat().st_size <= cap and log.rotated.stat().st_size <= cap
    scan = log.scan()
    assert scan.skipped == 0 and 20 <= len(scan.records) < 800  # rotated away, never torn or interleaved
    for path in (log.path, log.rotated):
        assert all(json.loads(line)["rating"] == "down" for line in path.read_text(encoding="utf-8").splitlines())


def test_ratings_and_reasons_are_checked(tmp_path: Path) -> None:
    from ui.feedback import FeedbackError, FeedbackLog

    log = FeedbackLog(tmp_path)
    for rating, reason in (("", None), ("cleared", None), ("up", "x" * 1001), ("down", "\ud800")):
        with pytest.raises(FeedbackError):
            log.add(rating, None, reason=reason)
    assert log.add("none", None, reason="  ")["rating"] == "none" and not log.path.with_suffix(".x").exists()
    assert [r.get("reason") for r in log.records()] == [None]


def test_a_torn_line_is_skipped_counted_and_cut(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from ui.feedback import FeedbackLog

    log = FeedbackLog(tmp_path)
    for i in range(3):
        log.add("up", None, {"n": i})
    whole = json.dumps({"rating": "up", "n": 99, "reason": "长" * 300}, ensure_ascii=False).encode()
    with log.path.open("ab") as f:  # half a record, cut inside a character, as a kill or a full disk leaves it
        f.write(whole[: len(whole) // 2 + 1])
    assert [r["n"] for r in log.records()] == [0, 1, 2]
    log.add("down", None, {"n": 3})  # the next write cuts the torn tail: its line is whole, not glued on
    assert [r["n"] for r in log.records()] == [0, 1, 2, 3]
    with log.path.open("ab") as f:  # a torn line in the middle (glued by an older version): skipped and said so
        f.write(whole[:40] + b"\n")
    log.add("up", None, {"n": 4})
    with caplog.at_level("WARNING", logger="ui.feedback"):
        records = log.records()
    assert [r["n"] for r in records] == [0, 1, 2, 3, 4] and log.scan().skipped == 1
    assert "skipped 1 torn or invalid line" in caplog.text


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "small"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a 64 KB tmpfs here (needs root/CAP_SYS_ADMIN): {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_a_full_disk_leaves_the_file_whole(small_disk: Path) -> None:
    from ui.feedback import FeedbackLog

    log = FeedbackLog(small_disk, max_bytes=10 * 1024 * 1024)
    filler = small_disk / "filler"
    with filler.open("wb") as f:  # fill all but ~12 KB
        free = shutil.disk_usage(small_disk).free
        f.write(b"\0" * max(0, free - 12 * 1024))
    written = 0
    with pytest.raises(OSError) as failure:
        while True:
            size = log.path.stat().st_size if log.path.exists() else 0
            log.add("down", None, {"n": written}, reason="满" * 900)
            written += 1
    assert failure.value.errno == 28  # ENOSPC
    assert written >= 1
    data = log.path.read_bytes()
    assert len(data) == size and data.endswith(b"\n")  # the failed write left no torn bytes
    scan = log.scan()
    assert scan.skipped == 0 and [r["n"] for r in scan.records] == list(range(written))
    filler.unlink()
    log.add("up", None, {"n": written})
    lines = log.path.read_bytes().splitlines(keepends=True)
    assert json.loads(lines[-1])["n"] == written and lines[-1].endswith(b"\n") and len(lines) == written + 1


def test_the_rate_limiter_gives_each_client_its_burst() -> None:
    from ui.ratelimit import RateLimiter

    limiter = RateLimiter(per_minute=1, burst=3)
    assert [limiter.allow("a") for _ in range(5)] == [True, True, True, False, False]
    assert limiter.allow("b")  # another client is not affected
    assert os.environ.get("RESQA_API_KEY") is None  # the autouse fixture keeps the key out of other tests

