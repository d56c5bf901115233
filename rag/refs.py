"""Explicit references in a question: 执行部分第5段, 第3至5段, 第十二段, 脚注9, OP5, preambular paragraph 3 …

An unqualified paragraph number (第5段, 决议第5段, para. 5) means the operative paragraph, as in UN usage.
The resolver only reads references; whether the paragraphs exist is checked against the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index import Corpus
from rag.numerals import CHINESE_NUMERAL_CHARS, parse_number

_NUM = rf"(?:[0-9０-９]+|[{CHINESE_NUMERAL_CHARS}]+)"
_SEP = r"(?:至|到|-|–|—|~|～|、|和|及|与|,|，|to|and|&)"
_LIST = rf"{_NUM}(?:\s*{_SEP}\s*第?\s*{_NUM})*"

_PATTERNS: list[tuple[re.Pattern[str], str | None]] = [
    # Chinese paragraphs, optionally qualified: 执行部分第5段, 序言部分第三、四段, 决议第5段, 第3至5段.
    (re.compile(rf"(?P<q>执行部分|执行段落|执行|序言部分|序言段落|序言|决议)?的?\s*第\s*(?P<body>{_LIST})\s*(?:段|款)"),
     None),
    (re.compile(rf"(?:脚注|注释|注)\s*第?\s*(?P<body>{_LIST})"), "footnote"),
    (re.compile(rf"\b(?P<q>operative|preambular|preamble)\s+(?:paragraphs?|paras?\.?)\s*(?P<body>{_LIST})",
                re.I), None),
    (re.compile(rf"\b(?:paragraphs?|paras?\.?)\s*(?P<body>{_LIST})", re.I), "operative"),
    (re.compile(rf"\b(?:foot)?notes?\s*(?P<body>{_LIST})", re.I), "footnote"),
    # "OP12说…": a CJK character right after the number is not part of it (\b would not end there).
    (re.compile(r"(?<![A-Za-z])(?P<code>OP|PP|FN)\s*\.?\s*(?P<body>[0-9０-９]+)(?![0-9０-９A-Za-z])", re.I), None),
]


@dataclass(frozen=True)
class Reference:
    kind: str  # operative | preamble | footnote
    number: int

    @property
    def id(self) -> str:
        return Corpus.id_for(self.kind, self.number)


_SUBPARAGRAPH = re.compile(r"sub-?paragraphs?\s*\(([a-z])\)|[（(]([a-z])[）)]\s*(?:分段|项|款|目)|"
                           r"(?:段|OP\s*\d+|PP\s*\d+|paragraph\s+\d+)\s*[（(]([a-z])[）)]", re.I)


@dataclass(frozen=True)
class Resolved:
    refs: tuple[Reference, ...]
    remainder: str  # the question with the references cut out
    subparagraphs: tuple[str, ...] = ()  # lettered subparagraphs asked for: "(c)" of a paragraph
    spans: tuple[tuple[int, int], ...] = ()  # where the references stand in the question, in order

    def reference_text(self, question: str) -> str:
        """The references as the question wrote them ("第13段"), without the rest."""
        return " ".join(question[s:e].strip() for s, e in self.spans)


def _kind(match: re.Match[str], fixed: str | None) -> str:
    if fixed:
        return fixed
    code = (match.groupdict().get("code") or "").upper()
    if code:
        return Corpus.kind_of_prefix(code)
    q = (match.groupdict().get("q") or "").lower()
    return "preamble" if q.startswith(("序言", "preamb")) else "operative"


def _numbers(body: str) -> list[int]:
    """'3至5' -> [3, 4, 5]; '3、4和6' -> [3, 4, 6]; bounded so '1-9999' cannot explode."""
    tokens = re.split(rf"\s*({_SEP})\s*第?\s*", body)
    nums: list[int] = []
    pending_range = False
    for tok in tokens:
        if re.fullmatch(_SEP, tok):
            pending_range = tok in ("至", "到", "-", "–", "—", "~", "～", "to")
            continue
        n = parse_number(tok)
        if n is None:
            continue
        if pending_range and nums and n > nums[-1] and n - nums[-1] <= 100:
            nums.extend(range(nums[-1] + 1, n + 1))
        else:
            nums.append(n)
        pending_range = False
    return nums


def resolve(question: str) -> Resolved:
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, bool, Reference]] = []
    for pattern, fixed in _PATTERNS:
        for m in pattern.finditer(question):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append(m.span())
            kind = _kind(m, fixed)
            bare = fixed is None and not (m.groupdict().get("q") or m.groupdict().get("code"))
            found += [(m.start(), bare, Reference(kind, n)) for n in _numbers(m.group("body"))]
    refs: list[Reference] = []
    part = ""
    for _, bare, ref in sorted(found, key=lambda x: x[0]):
        # "序言第8段和第22段": a bare number after a qualified one is in the same part, as a reader takes it.
        if bare and part == "preamble":
            ref = Reference(part, ref.number)
        elif not bare and ref.kind != "footnote":
            part = ref.kind
        if ref not in refs:
            refs.append(ref)
    remainder = question
    for s, e in sorted(taken, reverse=True):
        remainder = remainder[:s] + " " + remainder[e:]
    letters = tuple(dict.fromkeys(next(g for g in m.groups() if g).lower() for m in _SUBPARAGRAPH.finditer(question)))
    return Resolved(tuple(refs), remainder, letters, tuple(sorted(taken)))
