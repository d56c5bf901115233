"""What a demonstrative in the text points back to: "该基金" / "此办公室" → the name the text gave that noun before.

Resolution texts name a body, fund or report once in full and then write "该办公室", "该基金", "该公约". A
question names the thing in full, so whatever compares a question with the text — how much of it a clause
covers, who a clause gives an act to — reads the demonstrative as the name. The antecedent is the nearest
earlier mention of the same noun in the same text, read leftwards to where its name begins
(rag.structure.name_start); a noun the text has not named before points to nothing here.
"""

from __future__ import annotations

from functools import lru_cache

from rag import segment
from rag.structure import name_start

_DEMONSTRATIVES = "该此"
_NOUN_SPAN = 6  # characters after the demonstrative its noun is read from


@lru_cache(maxsize=4096)
def antecedents(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, name): each demonstrative phrase of `text` ("该基金", its offsets) whose noun the text named
    before, and the full name it points back to."""
    out = []
    for j, ch in enumerate(text):
        if ch not in _DEMONSTRATIVES:
            continue
        words = segment.cut(text[j + 1 : j + 1 + _NOUN_SPAN])
        noun = words[0] if words else ""
        at = text.rfind(noun, 0, j) if len(noun) >= 2 else -1
        if at < 0:
            continue
        name = text[name_start(text, at + len(noun)) : at + len(noun)]
        if len(name) > len(noun):
            out.append((j, j + 1 + len(noun), name))
    return tuple(out)


@lru_cache(maxsize=4096)
def resolved(text: str) -> str:
    """`text` with each demonstrative phrase that points back written as the name it points to."""
    for start, end, name in reversed(antecedents(text)):
        text = text[:start] + name + text[end:]
    return text


__all__ = ["antecedents", "resolved"]
