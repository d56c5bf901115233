"""Noun phrases, and whether a phrase stands in a text as the thing itself or only as a modifier of another.

"谁来筹办年度论坛" asks who acts on the forum. A clause that says "编写一份年度论坛报告" names the forum only to
say which report it means: the forum is a modifier there ("论坛报告", "论坛的筹备"), the report is what is
acted on. A clause that says "筹办这次年度论坛，" has the forum itself as its object. Read from
jieba's part-of-speech cut: a phrase is a modifier where it ends inside a longer word or is followed by a noun
or by 的.
"""

from __future__ import annotations

from functools import lru_cache

from rag import segment

_NOUN_FLAGS = ("n", "b")  # nouns of every kind (n, nr, ns, nt, nz, ng) and noun-modifying words (b: 高级别)


def _is_noun(flag: str) -> bool:
    return flag.startswith(_NOUN_FLAGS)


_DETERMINERS = ("the", "a", "an")


def english_object(question: str) -> str:
    """What an English "who" question's verb acts on: the noun phrase its first article opens, up to "of" (the
    head of "a summary of the meeting" is the summary) — "" when it has no article."""
    words = question.lower().replace("?", " ").replace(",", " ").split()
    start = next((i for i, w in enumerate(words) if w in _DETERMINERS), None)
    if start is None:
        return ""
    rest = words[start + 1 :]
    return " ".join(rest[: rest.index("of")] if "of" in rest else rest)


def heads(text: str) -> tuple[tuple[str, int, int], ...]:
    """The runs of nouns in `text` of three characters or more ("年度论坛") that modify nothing after them
    (not "年度论坛的筹备"), with where each starts and ends, in order."""
    runs, first = [], 0  # first: where the current run of nouns starts
    for start, stop, flag in (*_words(text), (len(text), len(text), "")):
        if not _is_noun(flag):
            runs.append((text[first:start], first, start))
            first = stop
    return tuple(r for r in runs if len(r[0]) >= 3 and not modifies(text, r[2]))


def acted_on(text: str, wh: tuple[str, ...]) -> str | None:
    """The thing a question asks who acts on, or why it is acted on: of its noun phrases that modify nothing,
    the nearest to the first of the wh-words `wh` it holds ("年度论坛由谁筹办", "为什么要举办年度论坛");
    None when it has no such phrase or none of `wh`."""
    at = next((i for i in (text.find(w) for w in wh) if i >= 0), -1)
    found = heads(text)
    if at < 0 or not found:
        return None
    return min(found, key=lambda h: min(abs(h[1] - at), abs(at - h[2])))[0]


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, flag) of each word of jieba's tagged cut of `text`."""
    out, at = [], 0
    for pair in segment.cut_tagged(text):
        out.append((at, at + len(pair.word), pair.flag))
        at += len(pair.word)
    return tuple(out)


def modifies(text: str, end: int) -> bool:
    """Whether a phrase of `text` ending at `end` modifies what follows: it ends inside a word, or the next
    word is a noun or 的."""
    for start, stop, flag in _words(text):
        if start < end < stop:
            return True
        if start == end:
            return _is_noun(flag) or text[start] == "的"
    return False


def only_as_modifier(phrase: str, text: str, start: int, end: int,
                     anaphors: tuple[tuple[int, int, str], ...] = ()) -> bool:
    """`phrase` stands in text[start:end] and modifies another noun wherever it does. A demonstrative that
    points back to it ("该基金" for the fund named before, rag.anaphora) stands for it too."""
    ends = [stop for at, stop, name in anaphors if name == phrase and start <= at and stop <= end]
    at = text.find(phrase, start)
    while 0 <= at and at + len(phrase) <= end:
        ends.append(at + len(phrase))
        at = text.find(phrase, at + 1)
    return bool(ends) and all(modifies(text, e) for e in ends)


__all__ = ["acted_on", "english_object", "heads", "modifies", "only_as_modifier"]
