"""BM25 over jieba tokens (bm25s): the lexical half of hybrid retrieval, exact on names and numbers."""

from __future__ import annotations

import re

import bm25s
import numpy as np

from rag import segment
from rag.text import normalize

_STOP = set("的 了 和 与 及 在 是 对 其 之 以 为 并 或 等 这 那 中 上 下 有 被 将 把 也 又 还".split())
_TOKEN = re.compile(r"[\w]+", re.U)


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens of the normalised text, single-character function words dropped."""
    words = segment.cut_for_search(normalize(text))
    return [w for w in words if _TOKEN.fullmatch(w) and w not in _STOP]


class LexicalIndex:
    """BM25 scores of a query against every paragraph, aligned with `ids`."""

    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.ids = ids
        self._retriever = bm25s.BM25()
        self._retriever.index([tokenize(t) for t in texts], show_progress=False)
        self._vocab = set(self._retriever.vocab_dict)

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in tokenize(query) if t in self._vocab]
        if not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)
