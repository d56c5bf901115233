"""Counts of things a question asserts ("第3段…某组织的两项公约", "肯定了两个组织"), checked by counting
them in the evidence: 《》 titles for conventions, protocols and instruments; the bodies the text names for
organisations; document symbols for resolutions and reports.

A count is only checked when the evidence names at least one thing of its class, and, when the question
qualifies it ("某组织的…公约"), only the things in the clause that follows the qualifier are counted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.strings import split_on, squeeze
from rag.text import TITLE

_NUMERALS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CLASSES = {"公约": "title", "议定书": "title", "文书": "title", "组织": "body", "机构": "body", "决议": "symbol",
            "报告": "symbol"}
# A whole number (not the tail of "172"), its measure word, then the class noun within the same noun phrase: a
# copula or an asking word between them ("172个是指哪个公约") ends the phrase.
_CLAIM = re.compile(r"(?:([\u4e00-\u9fff]{2,10}?)(?:的|那|这))?(?<!\d)([两二三四五六七八九十]|\d{1,2})\s*[项个份部]"
                    r"((?:(?![是指哪什几为])[\u4e00-\u9fff]){0,4}?)(" + "|".join(_CLASSES) + ")")
_SYMBOL = re.compile(r"第\s*(\d+/\d+)\s*号")


def asserted(question: str) -> list[tuple[int, str, str | None]]:
    """(count, class noun, qualifier) for each "N项公约"-like phrase of the question."""
    out = []
    for m in _CLAIM.finditer(question):
        n = int(m.group(2)) if m.group(2).isdigit() else _NUMERALS[m.group(2)]
        out.append((n, m.group(4), m.group(1)))
    return out


def _things(text: str, noun: str, bodies: Sequence[str]) -> set[str]:
    kind = _CLASSES[noun]
    if kind == "title":
        return {t for t in TITLE.findall(text) if noun == "文书" or t.endswith(noun)}
    if kind == "symbol":
        return set(_SYMBOL.findall(text))
    found = {b for b in bodies if b in text}
    return {b for b in found if not any(b != o and b in o for o in found)}


def miscounted(question: str, evidence: Sequence[str], bodies: Sequence[str]) -> str | None:
    """The first count the question asserts that the evidence's own list of such things contradicts."""
    for n, noun, qualifier in asserted(question):
        scopes = list(evidence)
        # The qualifier as the text writes it: the longest end of the words before 的 that the evidence has.
        qualifier = next((qualifier[i:] for i in range(len(qualifier or "") - 1)
                          if any(qualifier[i:] in t for t in evidence)), None) if qualifier else None
        if qualifier:
            scopes = [split_on(t[t.find(qualifier) :], "，；。", maxsplit=1)[0] for t in evidence if qualifier in t]
        each = [_things(squeeze(s), noun, bodies) for s in scopes]
        counted = set().union(*each) if each else set()
        # Wrong only when neither one paragraph's list nor all of them together hold that many.
        if counted and len(counted) != n and all(len(x) != n for x in each):
            return f"{n}{noun}"
    return None
