"""String primitives every stage uses, written once as plain string operations (not patterns): whitespace
removed, runs of a kind of character, literal occurrences, splitting at separators, words found anywhere or whole,
a number standing alone. tests/test_text_primitives.py checks each against the pattern it stands for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache


def squeeze(text: str) -> str:
    """`text` with every whitespace character removed ("第 20/1 号" → "第20/1号")."""
    return "".join(text.split())


def is_han(ch: str) -> bool:
    """`ch` is a Chinese character (the CJK Unified Ideographs block, U+4E00–U+9FFF)."""
    return "\u4e00" <= ch <= "\u9fff"


def all_han(text: str, also: str = "") -> bool:
    """`text` is non-empty and every character is Chinese (or one of `also`)."""
    return bool(text) and all(is_han(ch) or ch in also for ch in text)


def han_runs(text: str, min_len: int = 1) -> list[str]:
    """The maximal runs of Chinese characters in `text` at least `min_len` long, in order."""
    return runs_of(text, is_han, min_len)


def runs_of(text: str, keep: Callable[[str], bool], min_len: int = 1) -> list[str]:
    """The maximal runs of characters `keep` accepts, at least `min_len` long, in order (`str.isdecimal`:
    the numbers written in digits)."""
    return [run for _, run in spans_of(text, keep, min_len)]


def spans_of(text: str, keep: Callable[[str], bool], min_len: int = 1) -> list[tuple[int, str]]:
    """(where it starts, the run) of each maximal run of characters `keep` accepts, at least `min_len` long."""
    out, start = [], -1
    for i, ch in enumerate([*text, ""]):
        if ch and keep(ch):
            start = i if start < 0 else start
            continue
        if start >= 0 and i - start >= min_len:
            out.append((start, text[start:i]))
        start = -1
    return out


def map_runs(text: str, keep: Callable[[str], bool], change: Callable[[str], str], min_len: int = 1) -> str:
    """`text` with each maximal run of characters `keep` accepts (at least `min_len` long) replaced by
    `change(run)`."""
    out, at = [], 0
    for start, run in spans_of(text, keep, min_len):
        out += [text[at:start], change(run)]
        at = start + len(run)
    return "".join([*out, text[at:]])


def replace_words(text: str, words: dict[str, str], count: int = -1) -> str:
    """`text` with each of `words` replaced by its value, left to right (the first `count` only, if given);
    where several stand at one place, the first listed (list the longer first)."""
    if not any(w and w in text for w in words):
        return text  # the common case, at the speed of `in`
    firsts = {w[0] for w in words if w}
    out: list[str] = []
    at = last = 0
    while at < len(text) and count != 0:
        word = next((w for w in words if w and text.startswith(w, at)), None) if text[at] in firsts else None
        if word is None:
            at += 1
            continue
        out += [text[last:at], words[word]]
        at = last = at + len(word)
        count -= 1
    return "".join([*out, text[last:]])


def close_gaps(text: str, joins: Callable[[str, str], bool]) -> str:
    """`text` without the runs of spaces and tabs between two characters that `joins(before, after)` accepts
    ("共 同" → "共同" for two Chinese characters)."""
    if " " not in text and "\t" not in text:
        return text
    out, at = [], 0
    for start, run in spans_of(text, lambda ch: ch in " \t"):
        end = start + len(run)
        if start and end < len(text) and joins(text[start - 1], text[end]):
            out.append(text[at:start])
            at = end
    return "".join([*out, text[at:]])


def occurrences(needle: str, text: str) -> list[int]:
    """Where `needle` starts in `text`, left to right, each occurrence after the end of the one before."""
    out, at = [], text.find(needle) if needle else -1
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + len(needle))
    return out


def split_on(text: str, separators: str | tuple[str, ...], maxsplit: int = -1) -> list[str]:
    """`text` cut at each separator: any character of a string, or any of a tuple of words (at one place, the
    first listed that stands there)."""
    seps = tuple(separators)
    out: list[str] = []
    start = at = 0
    while at < len(text) and (maxsplit < 0 or len(out) < maxsplit):
        sep = next((x for x in seps if x and text.startswith(x, at)), None)
        if sep is None:
            at += 1
            continue
        out.append(text[start:at])
        at = start = at + len(sep)
    return [*out, text[start:]]


def _stands(needle: str, text: str, touches: Callable[[str], bool], at_end: bool = True) -> bool:
    """`needle` occurs in `text` with no character `touches` accepts right before it (nor right after it, when
    `at_end`); every start is tried, overlapping ones too, as a pattern search tries them."""
    at = text.find(needle) if needle else -1
    while at >= 0:
        end = at + len(needle)
        if not (at and touches(text[at - 1])) and not (at_end and end < len(text) and touches(text[end])):
            return True
        at = text.find(needle, at + 1)
    return False


def stands_alone(fact: str, text: str, joiners: str = "") -> bool:
    """`fact` occurs in `text` not inside a longer number: no digit (or character of `joiners`) touches it
    ("20/1" is not in "20/15", "2013" not in "12013")."""
    return _stands(fact, text, lambda ch: ch.isdecimal() or ch in joiners)


def in_words(text: str, words: Sequence[str]) -> bool:
    """One of `words` stands in `text`, in any case; one written with a space at either end stands there as a
    whole word (" where " in "Where was it?" but not in "whereas"), the text's ends and punctuation counting
    as spaces."""
    low, spaced = _forms(text)
    return any((w in spaced) if w.startswith(" ") or w.endswith(" ") else (w in low) for w in words)


@lru_cache(maxsize=4096)
def _forms(text: str) -> tuple[str, str]:
    """`text` in lower case, and so with a space for every character that is not a word character and one at
    each end (a question is read against many word lists in turn)."""
    low = text.lower()
    return low, " " + "".join(ch if _word_char(ch) else " " for ch in low) + " "


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def has_word(text: str, word: str, ignore_case: bool = False, whole: bool = True) -> bool:
    """`word` stands in `text` as a word: no letter, digit or underscore touches its start (nor its end, when
    `whole`; "recogni" then stands in "recognizes" only without it)."""
    if ignore_case:
        text, word = text.lower(), word.lower()
    return _stands(word, text, _word_char, at_end=whole)


def is_latin(ch: str) -> bool:
    """`ch` is an ASCII letter."""
    return ch.isascii() and ch.isalpha()


def latin_letters(text: str) -> int:
    """How many ASCII letters `text` has."""
    return sum(map(is_latin, text))


__all__ = [
    "all_han",
    "close_gaps",
    "han_runs",
    "has_word",
    "in_words",
    "is_han",
    "is_latin",
    "latin_letters",
    "map_runs",
    "occurrences",
    "replace_words",
    "runs_of",
    "spans_of",
    "split_on",
    "squeeze",
    "stands_alone",
]
