"""What the text says in place of a question's false premise: the span a correction quotes.

A question can put a wrong date, place or number into a frame the text also uses ("…于2013年1月召开…" where
the text says "于 Y 年 M 月召开"; "在甲地举行" where it says "在乙地举行"), a wrong actor before a verb
the text gives to another ("秘书长编写" where it says "请大会主席编写"), or an act the text never performs
on an object it does name ("撤回对…办公室的支持" where it says "表示完全支持"). The correction must quote
the words that state the truth — not whatever clause scored best for the question's other words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from index import Paragraph
from rag.strings import occurrences, squeeze

_CJK = r"[\u4e00-\u9fff]"
_DATE = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?|(\d{1,2})\s*月\s*(\d{1,2})\s*日")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_EN_DATE = re.compile(r"\b(?:(\d{1,2})\s+)?(" + "|".join(MONTHS) + r")\s+(?:(\d{1,2}),?\s+)?(\d{4})\b", re.I)
GOVERNED = 4  # an object this close after a paragraph's verb is what the verb acts on ("敦促各会员国")


@dataclass(frozen=True)
class Span:
    pid: str
    start: int
    end: int


def date_units(question: str) -> list[str]:
    """Dates a question states with more than a year ("2013年1月", "10月15日", "January 2013"), written as
    the Chinese text writes them, without spaces: a year alone is a number (`rag.text.facts`) already."""
    t = unicodedata.normalize("NFKC", question)
    out = []
    for m in _DATE.finditer(t):
        if m.group(2) or m.group(4):
            out.append(squeeze(m.group()))
    for m in _EN_DATE.finditer(t):
        day = m.group(1) or m.group(3)
        month = MONTHS.index(m.group(2).lower()) + 1
        out.append(f"{m.group(4)}年{month}月" + (f"{int(day)}日" if day else ""))
    return out


def _squashed(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, and where each kept character stood in the original."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in keep), keep


def _filler(specific: str) -> str:
    """What may stand in the specific's place in the text: another date, number or name of its shape."""
    if _DATE.fullmatch(specific):
        return r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|\d{1,2}月\d{1,2}日"
    if specific.isdecimal():
        return r"\d+"
    return _CJK + "{2,8}?"


def _frames(q: str, i: int, n: int, loose: bool) -> list[tuple[str, str]]:
    """Left and right context of the specific at q[i:i+n], longest first; one-sided only when `loose`."""
    out = []
    for a, b in ((2, 2), (2, 1), (1, 2), (1, 1)) + (((2, 0), (0, 2)) if loose else ()):
        left, right = q[max(0, i - a) : i] if a else "", q[i + n : i + n + b] if b else ""
        if len(left) == a and len(right) == b and all(ch.isalnum() or ch == "_" for ch in left + right):
            out.append((left, right))
    return out


def replaced(question: str, specific: str, paragraphs: Sequence[Paragraph]) -> Span | None:
    """The first place (in the order given) where the text has the question's frame around `specific` with
    something else in its place ("在甲地举行" → "在乙地举行"). A name needs context on both sides; a date or
    number, whose shape is narrow, may have it on one."""
    q, _ = _squashed(unicodedata.normalize("NFKC", question))
    s = squeeze(specific)
    i = q.find(s)
    if i < 0:
        return None
    filler = _filler(s)
    texts = [(p.id, *_squashed(unicodedata.normalize("NFKC", p.text))) for p in paragraphs]
    for left, right in _frames(q, i, len(s), loose=filler != _filler("名")):
        pattern = re.escape(left) + f"({filler})" + re.escape(right)
        for pid, flat, where in texts:
            for m in re.finditer(pattern, flat):
                if m.group(1) != s:
                    return Span(pid, where[m.start(1)], where[m.end(1) - 1] + 1)
    return None


def act_site(obj: str, paragraphs: Sequence[Paragraph]) -> Span | None:
    """Where the text speaks of the object the question says was acted on ("对…办公室的支持" → OP10): where
    a paragraph's own verb governs it first ("又敦促会员国"), else its first mention."""
    first = None
    for p in paragraphs:
        if p.kind == "header":
            continue
        for at in occurrences(obj, p.text):
            if p.verb and p.verb in p.text[max(0, at - len(p.verb) - GOVERNED) : at]:
                return Span(p.id, at, at + len(obj))
            first = first or Span(p.id, at, at + len(obj))
    return first


def actor_site(actor: str, verb: str, paragraphs: Sequence[Paragraph], actors: Sequence[str], gap: int) -> Span | None:
    """Where the text gives `verb` to another actor ("请大会主席编写" for "秘书长编写")."""
    for p in paragraphs:
        for at in occurrences(verb, p.text):
            before = p.text[max(0, at - gap) : at]
            if any(a in before for a in actors if a != actor and actor not in a):
                return Span(p.id, at, at + len(verb))
    return None
