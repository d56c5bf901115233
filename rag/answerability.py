"""Whether a drafted answer answers what was asked: a learned check on every quoted answer.

A composer that finds evidence drafts an answer; this model asks whether the evidence holds the thing the
question asks for (a number of people, a penalty, the title of a resolution the text cites only by number) or
only something near it. It is a logistic regression over the draft's signals — trained by `make train`
(evals/train_answer.py) on the labeled questions' `answerable` flags, committed beside this module — and
`rag.decide` is the one place that reads it: below even odds, the draft is refused. The model can only
withhold an answer, never turn a refusal into one.

Features: the reader's kind probabilities; the composer's evidence signals (lexical coverage, embedding
similarity, known words, whether the evidence holds the kind of fact asked for); how much of the question's
content the quoted words themselves cover, and whether they hold a number when one is asked for.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.question import KINDS, Question
from rag.text import bigrams, content_bigrams, normalize
from rag.types import Citation

MODEL_PATH = Path(__file__).with_name("answerability.npz")
REASONS = ("evidence", "gathered", "reference", "other")
NAMES = tuple(f"kind:{k}" for k in KINDS) + tuple(f"reason:{r}" for r in REASONS) + (
    "lex", "dense", "content/10", "known_share", "unknown_words", "need", "meets_need", "referenced",
    "found/5", "quote_cover", "quote_digit", "citations/3", "english", "followup", "topic0", "bias",
)
THRESHOLD = 0.5


def _reason_family(reason: str) -> str:
    family = reason.split(":", 1)[0]
    return family if family in REASONS else "other"


def features(q: Question, signals: dict[str, Any], citations: list[Citation], topic_words: int) -> np.ndarray:
    """The feature row of one drafted answer (`signals` is the draft's decision record)."""
    s = signals.get("signals", {})
    probs = dict(q.kinds)
    quotes = normalize(" ".join(c.quote for c in citations))
    asked = content_bigrams(q.asked) if q.lang == "zh" else set()
    have = bigrams(quotes)
    cover = len(asked & have) / len(asked) if asked else 0.0
    words, known = int(s.get("words") or 0), s.get("known_words")
    values = {
        **{f"kind:{k}": probs.get(k, 0.0) for k in KINDS},
        f"reason:{_reason_family(str(signals.get('reason', '')))}": 1.0,
        "lex": float(s.get("lex") or 0.0), "dense": float(s.get("dense") or 0.0),
        "content/10": min(int(s.get("content") or 0), 30) / 10,
        "known_share": (known / words) if words and known is not None else 1.0,
        "unknown_words": float(words - (known or 0)) / 5 if words else 0.0,
        "need": float(s.get("need") is not None), "meets_need": float(s.get("meets_need", True)),
        "referenced": float(bool(s.get("referenced"))), "found/5": math.log1p(int(s.get("found") or 0)) / 5,
        "quote_cover": cover, "quote_digit": float(any(ch.isdigit() for ch in quotes)),
        "citations/3": len(citations) / 3, "english": float(q.lang == "en"), "followup": float(q.followup),
        "topic0": float(topic_words == 0), "bias": 1.0,
    }
    return np.array([values.get(name, 0.0) for name in NAMES], dtype=np.float64)


@dataclass(frozen=True)
class AnswerModel:
    weights: np.ndarray  # (len(NAMES),)
    meta: dict[str, object]

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> AnswerModel | None:
        """The committed model, or None when there is none yet (then no answer is withheld by it)."""
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as z:
            weights, meta = z["weights"].astype(np.float64), json.loads(str(z["meta"]))
        if weights.shape != (len(NAMES),) or meta.get("names") != list(NAMES):
            raise ValueError(f"the answerability model {path} does not fit the features; rebuild it: make train")
        return cls(weights, meta)

    def save(self, path: Path = MODEL_PATH) -> None:
        meta = dict(self.meta, names=list(NAMES))
        np.savez_compressed(path, weights=self.weights,
                            meta=np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True)))

    def probability(self, row: np.ndarray) -> float:
        return 1.0 / (1.0 + math.exp(-float(self.weights @ row)))
