"""The labeled questions the reader learns from: every eval set of this resolution with a `kind` for each
question (evals/labels/KINDS.md), read into one list of rows, and the hash that names that data.

A set's kinds come from its own rows ("kind" field) or from evals/labels/kinds-<set>.jsonl, matched by id
and checked against the question text (a label whose question changed is an error, not a silent mismatch).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.question import KINDS

HERE = Path(__file__).parent
DATASETS = HERE / "datasets"
LABELS = HERE / "labels"
# Every labeled set of A/RES/67/190, in the order the reports list them. public-v1 is a subset of public-v2.
SETS = ("public-v2", "holdout-v1", "holdout-v2", "holdout-v3", "holdout-v4", "holdout-v5", "holdout-v6",
        "holdout-v7", "holdout-v8", "premise-v1", "newcomer-v1", "chat-seed-v1", "refs-v1", "themes-v1")


class LabelError(ValueError):
    """A labeled set that cannot be used; the message names the file and row."""


@dataclass(frozen=True)
class Labeled:
    set: str
    id: str
    question: str
    history: tuple[dict[str, str], ...]
    kind: str
    answerable: bool | None


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_set(name: str) -> list[Labeled]:
    rows = _rows(DATASETS / f"{name}.jsonl")
    labels_path = LABELS / f"kinds-{name}.jsonl"
    labels = {r["id"]: r for r in _rows(labels_path)} if labels_path.exists() else {}
    out = []
    for r in rows:
        label = labels.get(r["id"])
        if labels and label is None:
            raise LabelError(f"{labels_path}: no kind for {name} row {r['id']}")
        if label is not None and label["question"] != r["question"]:
            raise LabelError(f"{labels_path}: row {r['id']} labels another question than {name} has")
        kind = label["kind"] if label is not None else r.get("kind")
        if kind not in KINDS:
            raise LabelError(f"{name} row {r['id']}: kind {kind!r} is not one of {', '.join(KINDS)}")
        answerable = r.get("answerable")
        history = tuple({"role": t["role"], "content": t["content"]} for t in r.get("history") or ())
        out.append(Labeled(name, r["id"], r["question"], history, kind,
                           answerable if isinstance(answerable, bool) else None))
    return out


def load_all(sets: tuple[str, ...] = SETS) -> list[Labeled]:
    return [row for name in sets for row in load_set(name)]


def data_hash(rows: list[Labeled]) -> str:
    """sha256 of the rows that matter to training (set, id, question, history, kind), in a canonical form."""
    canon = [[r.set, r.id, r.question, list(map(list, (sorted(t.items()) for t in r.history))), r.kind]
             for r in rows]
    return hashlib.sha256(json.dumps(canon, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
