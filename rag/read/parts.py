"""A message that asks several things, split into its questions: one per part, each read on its own.

"…哪些机构？大会鼓励它做什么？" is two questions; "分别说了什么？" or "请逐项列出。" after a question is no question
of its own but asks the items of the one before, and stays with it.
"""

from __future__ import annotations

import re

from rag.strings import in_words
from rag.text import asks_wh, content_bigrams

_PART_END = re.compile(r"(?<=[？?])\s*")
# A part that asks about the items of the part before ("分别说了什么", "鼓励他们做什么") or asks nothing new
# ("请逐项列出") belongs to it; one with its own wh-word ("谁提出的？") is a question of its own.
_ABOUT_ITEMS = ("分别", "各自", "逐一", "逐项", "他们", "它们", "她们", "这些", " each ", " them ", " they ")
_ASKS_ANEW = re.compile(r"谁|什么|哪|几|多少|何|吗|是否|\b(?:who|what|which|when|where|why|how)\b", re.I)
MIN_PART = 4


def split_parts(query: str) -> list[str]:
    """A question of several questions ("…哪些机构？大会鼓励它做什么？"), one per part; else itself. A part
    with no words of its own ("分别说了什么？", "请逐项列出。") belongs to the part before it."""
    parts: list[str] = []
    for p in (p.strip() for piece in _PART_END.split(query) for p in _comma_parts(piece)):
        if not p:
            continue
        if parts and (len(p) < MIN_PART or len(content_bigrams(p)) < 2) and (
                in_words(p, _ABOUT_ITEMS) or not _ASKS_ANEW.search(p)):
            parts[-1] += p
        else:
            parts.append(p)
    return parts[:3] if len(parts) > 1 else [query]


def _comma_parts(piece: str) -> list[str]:
    """"序言表达了什么关切，回顾了哪些文书": two questions joined by a comma, each with its own wh-word and
    words; a clause that only sets the subject ("秘书长那份报告，编号是多少") stays with its question."""
    pieces = [x for x in re.split(r"[，,；;]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", piece) if x.strip()]
    if len(pieces) > 1 and all(asks_wh(x) and len(content_bigrams(x)) >= 2 for x in pieces):
        return pieces
    return [piece]


__all__ = ["split_parts"]
