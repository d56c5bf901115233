"""Split a paragraph's clean text into clauses: the smallest quotable pieces an answer is built from.

Sentences end at ；/。; inside a sentence, ，-separated pieces become clauses of their own, a piece too
short to stand alone being joined to the next. A line break (the header's lines) always ends a clause.
Offsets are into the paragraph text, so a quote built
from consecutive clauses of one sentence is always a verbatim substring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = "；。"
_SOFT_BREAK = "，："
_EDGE = " \t\n，；。：、"
MIN_CLAUSE = 8
SHORT_SENTENCE = 40
_OPEN, _CLOSE = "《“(（[", "》”)）]"


@dataclass(frozen=True)
class Clause:
    pid: str
    sentence: int
    start: int
    end: int
    text: str


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split text[start:end] at soft breaks, trimming edge punctuation and spaces."""
    out = []
    s = start
    depth = 0
    for i in range(start, end):
        ch = text[i]
        depth += (ch in _OPEN) - (ch in _CLOSE)
        # A comma inside a title, quotation or bracket does not end a clause.
        # A line break (the header's lines) always ends a clause; a comma only in a long sentence.
        if ch == "\n" or (ch in _SOFT_BREAK and depth <= 0 and end - start > SHORT_SENTENCE):
            out.append((s, i))
            s = i + 1
    out.append((s, end))
    trimmed = []
    for a, b in out:
        while a < b and text[a] in _EDGE:
            a += 1
        while b > a and text[b - 1] in _EDGE:
            b -= 1
        if b > a:
            trimmed.append((a, b))
    return trimmed


def _merge_short(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for i, (a, b) in enumerate(pieces):
        a = carry if carry is not None else a
        carry = None
        line_ends = i + 1 < len(pieces) and "\n" in text[b : pieces[i + 1][0]]
        if b - a < MIN_CLAUSE and not line_ends:
            carry = a
            continue
        merged.append((a, b))
    if carry is not None:
        if merged:
            merged[-1] = (merged[-1][0], pieces[-1][1])
        else:
            merged.append((carry, pieces[-1][1]))
    return merged


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each ；/。-terminated sentence, terminator excluded."""
    out = []
    s = 0
    for m in re.finditer(f"[{_SENTENCE_END}]", text):
        out.append((s, m.start()))
        s = m.end()
    if text[s:].strip():
        out.append((s, len(text)))
    return out


def split_clauses(pid: str, text: str) -> list[Clause]:
    clauses = []
    for si, (s, e) in enumerate(sentences(text)):
        for a, b in _merge_short(text, _pieces(text, s, e)):
            clauses.append(Clause(pid, si, a, b, text[a:b]))
    return clauses
