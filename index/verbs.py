"""The opening verb of a UN resolution paragraph (申明, 又敦促, 赞赏地注意到 …), found without per-document rules.

Operative verbs are often marked `**…**` in the source; where they are not (and always in the preamble),
the verb is the longest known verb phrase at the start, optionally preceded by 又/还/并/再次/进一步.
"""

from __future__ import annotations

from functools import lru_cache

# Verbs of General Assembly drafting (Chinese texts), longest phrases first where one contains another.
_BASE = (
    "赞赏地注意到", "满意地注意到", "关切地注意到", "深为关切地注意到", "表示严重关切", "表示深切关注",
    "表示关切", "表示关注", "表示赞赏", "表示感谢", "表示支持", "表示遗憾", "深表关切", "深感关切",
    "注意到", "意识到", "认识到", "考虑到", "铭记", "深信", "相信", "回顾", "重申", "肯定", "确认",
    "强调", "申明", "欢迎", "敦促", "促请", "吁请", "呼吁", "鼓励", "邀请", "请", "决定", "赞扬",
    "谴责", "强烈谴责", "支持", "核可", "通过", "建议", "期待", "要求", "授权", "宣布", "指出",
)
_PREFIXES = ("再次", "进一步", "又", "还", "并", "也")
# The verbs that direct someone to act: the actor after them is who the paragraph is addressed to.
DIRECTING = ("敦促", "促请", "吁请", "呼吁", "鼓励", "邀请", "请", "要求", "授权")


def _candidates() -> list[str]:
    out = set(_BASE)
    for p in _PREFIXES:
        out.update(p + b for b in _BASE)
    return sorted(out, key=len, reverse=True)


_ALL = _candidates()


@lru_cache(maxsize=8192)  # asked of the same clauses for every question
def leading_verb(text: str) -> str | None:
    """The verb phrase a paragraph opens with, or None when none is known."""
    head = text.lstrip()
    for cand in _ALL:
        if head.startswith(cand):
            return cand
    return None


def base_verb(verb: str) -> str:
    """A drafting verb without its 又/还/再次 … prefix ("再次请" → "请"); the prefix is removed as a whole word,
    never character by character."""
    for p in sorted(_PREFIXES, key=len, reverse=True):
        if verb.startswith(p) and verb[len(p) :] in _BASE:
            return verb[len(p) :]
    return verb
