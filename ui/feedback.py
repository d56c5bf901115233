"""👍/👎 feedback on answers, appended as JSON lines to `settings.home / "feedback.jsonl"`.

Append-only and safe under concurrent clicks: a lock serialises writers in this process, and each record
is one whole line written with a single O_APPEND write, so lines from other processes never interleave.
"""

from __future__ import annotations

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
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                view = memoryview(line)
                while view:  # a short write is rare but possible; finish the same line before unlocking
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)

    def records(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
