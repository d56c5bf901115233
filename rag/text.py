"""Text normalisation shared by retrieval, answer selection and verification.

Whitespace and punctuation are removed before comparing (the PDF extraction puts spaces around numbers:
"2013 年 7 月" and "2013年7月" are the same fact); character bigrams are the unit of overlap because
Chinese has no spaces and jieba's segmentation varies with context.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rag import segment
from rag.strings import all_han, is_han, latin_letters, squeeze

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


def asks_wh(text: str) -> bool:
    """`text` holds a Chinese wh-word (谁/什么/哪/几/多少/何)."""
    return any(w in text for w in WH_WORDS)


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
