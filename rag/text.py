"""Text normalisation shared by retrieval, answer selection and verification.

Whitespace and punctuation are removed before comparing (the PDF extraction puts spaces around numbers:
"2013 年 7 月" and "2013年7月" are the same fact); character bigrams are the unit of overlap because
Chinese has no spaces and jieba's segmentation varies with context.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

from rag import segment

_PUNCT = re.compile(r"[\s\u3000，。；：、！？“”‘’《》（）()\[\]【】「」『』,.;:!?\"'·…—–\-~～/]+")
# Words that ask rather than say: they never count as content a paragraph must contain.
QUESTION_WORDS = (
    "什么时候", "什么", "哪些", "哪个", "哪一", "哪里", "哪儿", "多少", "几个", "几次", "第几", "怎样", "怎么",
    "如何", "为什么", "为何", "是否", "有没有", "是不是", "谁", "何时", "何地", "何种", "哪", "吗", "呢", "么",
    "请问", "根据", "按照", "决议", "本决议", "大会", "该决议", "这份", "一下", "内容", "说了", "讲了", "提到",
    "说的", "写了", "讲的", "这项", "这份", "这个", "该项", "这一", "那项", "那份", "那个", "一共", "总共",
    "分别", "全文", "原文", "这一段", "这段", "该段", "段落", "那一段", "具体", "主要",
    "规定", "要求了", "的", "了", "是", "在", "有", "对", "和", "与", "及", "把", "被", "将", "其", "中", "里",
    "关于", "方面", "问题", "可以", "应该", "能", "会", "要", "都", "也", "就", "还", "又", "所", "之",
    "时候", "提出", "做", "做了", "说", "讲", "上", "个", "项", "啥", "嘛", "吧", "啊", "呀",
    "叫", "叫做", "名字", "名称", "全称", "逐项", "列出", "列举", "他们", "她们", "各自", "语境", "开头", "事情",
    "都算", "分别是", "什么样", "序言", "序言部分", "执行部分", "概括", "总结", "概述", "归纳", "简述", "请",
)
_QW = frozenset(QUESTION_WORDS)
# The Chinese wh-words: a phrase holding one asks rather than states.
WH_WORDS = ("谁", "什么", "哪", "几", "多少", "何")
_NUMBER = re.compile(r"\d+(?:[./-]\d+)*")
_SYMBOL = re.compile(r"\b[A-Z]{1,6}(?:/[A-Za-z0-9.]+){1,6}")
# A title in 《》 as a text or a question writes it (its words are the group).
TITLE = re.compile(r"《([^》]{2,80})》")
_PLACEHOLDER = re.compile(r"/(?:[xX]{2,}|[.]{2,}|[?？*]+)(?:/|$)")


@lru_cache(maxsize=16384)  # the same paragraphs and clauses are compared for every question
def normalize(text: str) -> str:
    """NFKC (full-width digits → ASCII), lower case, no whitespace or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text)).lower()


def squash(text: str) -> str:
    """Only whitespace removed: how `must_include` facts are compared."""
    return squeeze(unicodedata.normalize("NFKC", text))


# String primitives every stage uses, written once (plain string operations, not patterns).
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


def stands_alone(fact: str, text: str, joiners: str = "") -> bool:
    """`fact` occurs in `text` not inside a longer number: no digit (or character of `joiners`) touches it
    ("20/1" is not in "20/15", "2013" not in "12013")."""
    def touches(ch: str) -> bool:
        return ch.isdecimal() or ch in joiners
    at = text.find(fact) if fact else -1
    while at >= 0:  # every start, overlapping ones too, as a pattern search tries them
        end = at + len(fact)
        if not (at and touches(text[at - 1])) and not (end < len(text) and touches(text[end])):
            return True
        at = text.find(fact, at + 1)
    return False


def asks_wh(text: str) -> bool:
    """`text` holds a Chinese wh-word (谁/什么/哪/几/多少/何)."""
    return any(w in text for w in WH_WORDS)


def in_words(text: str, words: Sequence[str]) -> bool:
    """One of `words` stands in `text`, in any case; one written with a space at either end stands there as a
    whole word (" where " in "Where was it?" but not in "whereas"), the text's ends and punctuation counting
    as spaces."""
    low = text.lower()
    spaced = " " + "".join(ch if ch.isalnum() or ch == "_" else " " for ch in low) + " "
    return any((w in spaced) if w.startswith(" ") or w.endswith(" ") else (w in low) for w in words)


def has_word(text: str, word: str, ignore_case: bool = False, whole: bool = True) -> bool:
    """`word` stands in `text` as a word: no letter, digit or underscore touches its start (nor its end, when
    `whole`; "recogni" then stands in "recognizes" only without it)."""
    if ignore_case:
        text, word = text.lower(), word.lower()

    def word_char(ch: str) -> bool:
        return ch.isalnum() or ch == "_"
    at = text.find(word) if word else -1
    while at >= 0:
        end = at + len(word)
        if not (at and word_char(text[at - 1])) and not (whole and end < len(text) and word_char(text[end])):
            return True
        at = text.find(word, at + 1)
    return False


def latin_letters(text: str) -> int:
    """How many ASCII letters `text` has."""
    return sum(ch.isascii() and ch.isalpha() for ch in text)


def bigrams(text: str) -> set[str]:
    t = normalize(text)
    if len(t) == 1:
        return {t}
    return {t[i : i + 2] for i in range(len(t) - 1)}


def is_question_word(token: str) -> bool:
    return token in _QW


def content_of_question(question: str) -> str:
    """The question with asking words removed: what an answer's evidence has to be about. Whole jieba
    tokens are removed, never characters inside a word ("全体会议" keeps its "会", "中国" its "中")."""
    return "".join(" " if _asking(tok) else _unask(tok) for tok in segment.cut(question))


def asked_words(question: str) -> list[str]:
    """The Chinese words a question uses for what it asks about (its content tokens of two characters or
    more, in order)."""
    segments = [s for s in content_of_question(question).split() if has_cjk(s)]
    return [t for s in segments for t in segment.cut(s) if len(t) >= 2]


_ASK_PREFIX = re.compile(r"^(?:什么|哪些|哪一|哪个|哪|第几|多少|几)(?=.)")


def _asking(token: str) -> bool:
    """An asking word, or a token jieba makes of one with its function words ("由谁来"): 谁 is never content."""
    return token in _QW or "谁" in token


def _unask(token: str) -> str:
    """"第几卷" → " 卷", "哪一天" → " 天": jieba keeps an asking word and its measure word together."""
    return _ASK_PREFIX.sub(" ", token)


def coverage(needle: set[str], haystack: set[str]) -> float:
    """Share of `needle` bigrams present in `haystack`."""
    if not needle:
        return 0.0
    return len(needle & haystack) / len(needle)


def has_cjk(text: str) -> bool:
    """`text` holds at least one Chinese character."""
    return any(is_han(ch) for ch in text)


def is_chinese(text: str) -> bool:
    """A question is answered in Chinese when it has more CJK characters than Latin letters."""
    cjk = sum(is_han(ch) for ch in text)
    latin = latin_letters(text)
    return cjk >= max(1, latin // 4)


def facts(text: str) -> set[str]:
    """Numbers, dates' digits and document symbols: these must occur verbatim in cited text."""
    t = unicodedata.normalize("NFKC", text)
    # "A/N/xxx": a symbol the user does not know, written with a placeholder part, states no fact.
    out = {m.group() for m in _SYMBOL.finditer(t) if not _PLACEHOLDER.search(m.group())}
    stripped = _SYMBOL.sub(" ", t)
    out |= {m.group() for m in _NUMBER.finditer(stripped)}
    return out


def content_bigrams(question: str) -> set[str]:
    """Bigrams of the question's content words, never across a removed asking word."""
    out: set[str] = set()
    for seg in content_of_question(question).split():
        t = normalize(seg)
        if len(t) >= 2:
            out |= {t[i : i + 2] for i in range(len(t) - 1)}
    return out


def content_words(question: str) -> list[str]:
    """The question's content words (jieba tokens of two or more CJK characters that are not asking words)."""
    words = (_unask(t).strip() for t in segment.cut(question) if not _asking(t))
    return [t for t in words if len(t) >= 2 and all_han(t)]
