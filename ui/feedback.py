"""👍/👎 feedback on answers, appended as JSON lines to `settings.home / "feedback.jsonl"`.

Append-only and safe under concurrent clicks and kill -9: writers in every process take an exclusive flock
on the file, so lines never interleave. A process killed in the middle of a write (a record longer than a page
can be cut there) leaves an unterminated last line: readers skip it and the next writer cuts it off first, so
every complete line is a whole record.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FILENAME = "feedback.jsonl"


class FeedbackLog:
    """One feedback file; `add` appends a record, `records` reads them back."""

    def __init__(self, home: Path) -> None:
        self.path = Path(home) / FILENAME
        self._lock = threading.Lock()

    def add(self, rating: str, answer: Mapping[str, Any] | None, extra: Mapping[str, Any] | None = None) -> dict:
        """Append one record: when, the rating ("up"/"down"/other), and what was rated."""
        record: dict[str, Any] = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "rating": rating}
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
        self._append((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        return record

    def _append(self, line: bytes) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # released by the kernel if this process dies holding it
                _cut_torn_tail(fd)
                view = memoryview(line)
                while view:  # a short write is rare but possible; finish the same line before unlocking
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)

    def records(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self.path.open("rb") as f:  # bytes: a line cut short may end inside a character
            # An unterminated last line is a write in progress, or one a kill cut short: not a record (yet).
            return [json.loads(line) for line in f if line.endswith(b"\n") and line.strip()]


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
