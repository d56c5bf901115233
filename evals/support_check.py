"""How well the deterministic support function agrees with hand labels (support_pairs-*.jsonl), per kind.

`resqa eval` prints the per-kind table and report.md shows it; the default set is support_pairs-v2.jsonl.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evals.dataset import SUPPORT_PAIRS, SupportPair, load_jsonl
from index import Corpus
from rag import supports


def check_support(corpus: Corpus, path: Path = SUPPORT_PAIRS) -> dict[str, Any]:
    """Agreement overall and per kind, and the pairs where the function and the label disagree."""
    pairs = load_jsonl(path, SupportPair, set(corpus.ids))
    per_kind: dict[str, list[bool]] = {}
    misses = []
    for pair in pairs:
        p = corpus.get(pair.paragraph)
        assert p is not None
        got = supports(pair.sentence, p.text)
        ok = got == pair.supported
        per_kind.setdefault(pair.kind, []).append(ok)
        if not ok:
            misses.append({"id": pair.id, "kind": pair.kind, "label": pair.supported, "got": got,
                           "sentence": pair.sentence, "paragraph": pair.paragraph})
    total = [ok for oks in per_kind.values() for ok in oks]
    return {
        "pairs": len(total),
        "agreement": round(sum(total) / len(total), 4),
        "per_kind": {k: round(sum(v) / len(v), 4) for k, v in sorted(per_kind.items())},
        "per_kind_n": {k: len(v) for k, v in sorted(per_kind.items())},
        "disagreements": misses,
    }

