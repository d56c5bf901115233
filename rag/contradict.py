"""A premise the quoted text contradicts by number: the question says "三位 X" or "第六 X" where the quote
says "两位 X" or "第三 X", and the document nowhere says the question's version.

Chinese numerals in words are not caught by the digit checks (rag.text.facts), so a question resting on a
wrong count or ordinal could be affirmed with the very quote that refutes it. This looks for the question's
numeral + the words after it (its head, two to four characters) in each quote, preceded there by another
numeral; the question's own numeral + head must occur nowhere in the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.strings import is_han, occurrences
from rag.text import normalize
from rag.types import Citation

_NUMERAL = "一二两三四五六七八九十百"
_RUN = re.compile(f"第?[{_NUMERAL}]+")
_ENDS_IN_NUMERAL = re.compile(f"第?[{_NUMERAL}]+$")
_VALUE = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"两": 2}
HEAD_MIN, HEAD_MAX = 2, 4  # a head of one character only when it is a measure word (两天, 三位)


_CLASSIFIERS = "位个次项届段份名种类部条批天年周"


@dataclass(frozen=True)
class Clash:
    asked: str  # the question's numeral, with its measure word if it has one ("三位", "第六")
    stated: str  # the quote's in its place ("两位", "第三")
    citation: Citation  # the quote that states it


def _word(numeral: str, head: str) -> str:
    return numeral + head[0] if head and head[0] in _CLASSIFIERS else numeral


def _value(numeral: str) -> str:
    """A canonical form of a numeral run (两 and 二 are one value)."""
    return "".join(str(_VALUE.get(ch, ch)) for ch in numeral.lstrip("第"))


def clash(asked: str, citations: list[Citation] | tuple[Citation, ...], document_flat: str) -> Clash | None:
    """The first numeral of the question whose head a quote states with another numeral (see the module)."""
    for m in _RUN.finditer(asked):
        numeral, rest = m.group(), asked[m.end():]
        head_len = 0
        while head_len < HEAD_MAX and head_len < len(rest) and is_han(rest[head_len]):
            head_len += 1
        smallest = 1 if rest[:1] and rest[0] in _CLASSIFIERS else HEAD_MIN
        for size in range(head_len, smallest - 1, -1):
            head = rest[:size]
            if normalize(numeral + head) in document_flat:
                break  # the document says it as asked: no clash on this numeral
            for c in citations:
                for at in occurrences(head, c.quote):
                    run = _ENDS_IN_NUMERAL.search(c.quote[max(0, at - 4):at])
                    if run and _value(run.group()) != _value(numeral) and \
                            run.group().startswith("第") == numeral.startswith("第"):
                        return Clash(_word(numeral, head), _word(run.group(), head), c)
    return None
