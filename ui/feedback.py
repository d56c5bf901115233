"""👍/👎 feedback on answers, appended as JSON lines to `settings.home / "feedback.jsonl"`, bounded and torn-proof.

- A rating is one of `RATINGS` ("none" is an un-like), a reason at most `MAX_REASON` characters; anything else
  is a `FeedbackError` before a byte is written.
- The file never grows past `max_bytes`: the write that would cross it first moves the file to
  `feedback.1.jsonl` (replacing the previous one), so the two files together hold at most 2 × `max_bytes`.
- Writers in every process take an exclusive flock on `feedback.jsonl.lock` (a file that is never renamed, so
  rotation cannot split writers between two inodes); lines never interleave.
- A write that fails half-way (a full disk, a kill) must not glue the next record onto a torn one: the failing
  writer truncates back to where its line began, and every writer cuts an unterminated tail (left by a kill)
  before appending. Readers skip any line that is not whole JSON and report how many (`scan`).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILENAME = "feedback.jsonl"
ROTATED = "feedback.1.jsonl"
RATINGS = ("up", "down", "none")
MAX_REASON = 1000
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
log = logging.getLogger(__name__)


class FeedbackError(ValueError):
    """A rating outside `RATINGS`, a reason that is too long or not text, or a record over the file's cap."""


@dataclass(frozen=True)
class FeedbackScan:
    """What `FeedbackLog.scan` read: the whole records, oldest first, and how many lines it had to skip."""

    records: tuple[dict[str, Any], ...]
    skipped: int


def check(rating: str, reason: str | None) -> str | None:
    """The reason, stripped (None when empty), if `rating` and `reason` are acceptable; else FeedbackError."""
    if rating not in RATINGS:
        raise FeedbackError(f"rating must be one of {', '.join(RATINGS)}")
    if reason is None:
        return None
    if not isinstance(reason, str):
        raise FeedbackError("reason must be text")
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise FeedbackError(f"reason is {len(reason)} characters long; at most {MAX_REASON}")
    try:
        reason.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate: it could not be written as UTF-8 anyway
        raise FeedbackError("reason is not valid text") from exc
    return reason or None


class FeedbackLog:
    """One feedback file (and its one rotated predecessor); `add` appends a record, `scan`/`records` read."""

    def __init__(self, home: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = Path(home) / FILENAME
        self.rotated = Path(home) / ROTATED
        self.max_bytes = max_bytes
        self._lock = threading.Lock()  # flock is per open file, so threads of one process also need this

    def add(self, rating: str, answer: Mapping[str, Any] | None, extra: Mapping[str, Any] | None = None,
            reason: str | None = None) -> dict[str, Any]:
        """Append one record: when, the rating, the optional reason, and what was rated."""
        record: dict[str, Any] = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "rating": rating}
        if (reason := check(rating, reason)) is not None:
            record["reason"] = reason
        if answer is not None:
            record.update({
                "question": answer.get("question"),
                "answer": answer.get("text"),
                "refused": answer.get("refused"),
                "citations": [{"id": c["id"], "start": c["start"], "end": c["end"]}
                              for c in answer.get("citations", ())],
                "backend": answer.get("backend"),
                "doc": answer.get("doc"),
                "lang": answer.get("lang"),
            })
        record.update(extra or {})
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", "replace")
        if len(line) > self.max_bytes:
            raise FeedbackError(f"record of {len(line)} bytes is over the file cap of {self.max_bytes}")
        self._append(line)
        return record

    def _append(self, line: bytes) -> None:
        with self._exclusive():
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                _cut_torn_tail(fd)
                if os.fstat(fd).st_size + len(line) > self.max_bytes:
                    os.replace(self.path, self.rotated)  # the open fd follows the old file; start a new one
                    os.close(fd)
                    fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
                _write_whole_or_nothing(fd, line)
            finally:
                os.close(fd)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock_fd = os.open(self.path.with_name(FILENAME + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(lock_fd, fcntl.LOCK_EX)  # released by the kernel if this process dies holding it
                yield
            finally:
                os.close(lock_fd)

    def scan(self) -> FeedbackScan:
        """Every whole record of the rotated file, then the current one. A line that is not whole JSON (torn by
        a full disk or a kill in an older version, or edited by hand) is skipped and counted, never raised."""
        records: list[dict[str, Any]] = []
        skipped = 0
        for path in (self.rotated, self.path):
            if not path.exists():
                continue
            with path.open("rb") as f:  # bytes: a line cut short may end inside a character
                for line in f:
                    if not line.strip():
                        continue
                    # An unterminated last line may be a write in progress: not a record (yet), not an error.
                    if not line.endswith(b"\n"):
                        continue
                    try:
                        value = json.loads(line)
                    except ValueError:  # JSONDecodeError and UnicodeDecodeError
                        skipped += 1
                        continue
                    if isinstance(value, dict):
                        records.append(value)
                    else:
                        skipped += 1
        return FeedbackScan(tuple(records), skipped)

    def records(self) -> list[dict[str, Any]]:
        """The whole records, oldest first; skipped lines are logged as a warning with their count."""
        result = self.scan()
        if result.skipped:
            log.warning("%s: skipped %d torn or invalid line(s)", self.path, result.skipped)
        return list(result.records)


def _write_whole_or_nothing(fd: int, line: bytes) -> None:
    """Write `line` to the end of `fd`; if that fails part-way (ENOSPC, EIO), truncate back to where it began so
    the file still ends with a whole record, then re-raise. Truncating to a smaller size needs no free space."""
    start = os.fstat(fd).st_size
    view = memoryview(line)
    try:
        while view:  # a short write is rare but possible; finish the same line before unlocking
            view = view[os.write(fd, view):]
    except OSError:
        try:
            os.ftruncate(fd, start)
        except OSError:  # the next writer's _cut_torn_tail and the readers still cope
            log.exception("could not truncate %d torn bytes of feedback", len(line) - len(view))
        raise


def _cut_torn_tail(fd: int) -> None:
    """Truncate the file after its last newline when it does not end with one (a writer was killed mid-line)."""
    end = os.fstat(fd).st_size
    if end == 0 or os.pread(fd, 1, end - 1) == b"\n":
        return
    pos = end
    while pos > 0:
        start = max(0, pos - 65536)
        cut = os.pread(fd, pos - start, start).rfind(b"\n")
        if cut >= 0:
            os.ftruncate(fd, start + cut + 1)
            return
        pos = start
    os.ftruncate(fd, 0)
