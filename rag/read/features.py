"""The reader's features of a question: what the learned kind model sees.

Three blocks, concatenated:
- character 1–3-grams of the read text with every number as one placeholder (and English word 1–2-grams),
  hashed into `NGRAM_DIM` buckets with CRC-32 (stable across machines and Python runs, unlike `hash`),
  counted, then scaled to unit length;
- the question's e5 vector (unit length already), which carries the paraphrases n-grams miss;
- a few structural facts the reader has already worked out: the kind the hand-written patterns suggest (kept
  as a feature, never as the decision), paragraph references, language, follow-up, length, and how many of
  its content words the document uses (a question that names no topic of the text asks about the whole of
  it, or is no question about it at all).
Nothing here depends on a particular document, so a model trained on one resolution reads another's questions.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

NGRAM_DIM = 4096
EMBED_DIM = 384
PATTERN_KINDS = ("fact", "list", "count", "summary", "relation", "name", "why", "yesno")
STRUCT_NAMES = tuple(f"pattern:{k}" for k in PATTERN_KINDS) + (
    "refs", "missing_refs", "english", "followup", "len<=4", "len<=10", "len<=25", "len>25", "asks?", "digits",
    "topic:0", "topic:1-2", "topic:3+",
)
EMBED_WEIGHT = 2.0  # the e5 block counts double: it carries the paraphrases n-grams miss (chosen by LOSO)
STRUCT_WEIGHT = 0.5  # binary facts weigh half a unit-length block's single strongest direction
DIM = NGRAM_DIM + EMBED_DIM + len(STRUCT_NAMES)
_WORD = re.compile(r"[a-z]+")
# Which paragraph or how many is never what decides the kind: every number reads as one placeholder.
DIGITS = re.compile(r"\d+")
_CJK_NUMERALS = re.compile(r"[二三四五六七八九十百]+")


@dataclass(frozen=True)
class Structure:
    """The structural facts of one read question that the features include."""

    pattern_kind: str
    refs: bool
    missing_refs: bool
    english: bool
    followup: bool
    length: int
    asks: bool
    digits: bool
    topic_words: int  # the question's content words that the document's text uses (0: it names no topic of it)


def _bucket(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) % NGRAM_DIM


def ngram_block(text: str) -> np.ndarray:
    """Hashed counts of character 1–3-grams and English word 1–2-grams, scaled to unit length."""
    t = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    t = _CJK_NUMERALS.sub("〇", DIGITS.sub("0", t))
    out = np.zeros(NGRAM_DIM, dtype=np.float32)
    for n in (1, 2, 3):
        for i in range(len(t) - n + 1):
            out[_bucket(t[i : i + n])] += 1.0
    words = _WORD.findall(t)
    for i, w in enumerate(words):
        out[_bucket("w:" + w)] += 1.0
        if i:
            out[_bucket(f"w:{words[i - 1]} {w}")] += 1.0
    norm = float(np.linalg.norm(out))
    return out / norm if norm else out


def struct_block(s: Structure) -> np.ndarray:
    on = {f"pattern:{s.pattern_kind}", *(name for name, flag in (
        ("refs", s.refs), ("missing_refs", s.missing_refs), ("english", s.english), ("followup", s.followup),
        ("asks?", s.asks), ("digits", s.digits)) if flag)}
    on.add("len<=4" if s.length <= 4 else "len<=10" if s.length <= 10 else "len<=25" if s.length <= 25 else "len>25")
    on.add("topic:0" if s.topic_words == 0 else "topic:1-2" if s.topic_words <= 2 else "topic:3+")
    return np.array([STRUCT_WEIGHT if name in on else 0.0 for name in STRUCT_NAMES], dtype=np.float32)


def features(text: str, vector: np.ndarray, s: Structure) -> np.ndarray:
    """The feature row of one question: n-grams of `text`, its e5 `vector`, its structure."""
    vec = np.asarray(vector, dtype=np.float32).reshape(-1)
    if vec.shape[0] != EMBED_DIM or not math.isfinite(float(vec.sum())):
        raise ValueError(f"the kind model reads {EMBED_DIM}-d e5 question vectors, not shape {vec.shape}")
    return np.concatenate([ngram_block(text), EMBED_WEIGHT * vec, struct_block(s)])
