"""jieba's cuts of a string, made once and shared by every stage that reads it.

A question is cut by the reader, the focus, the named-things finder, the premise checks, the follow-up
resolver and the composers, often the same few strings (the question, its ask, a phrase inside it) some
hundred times per answer. jieba's dictionary is never changed at run time, so a cut depends on its string
alone: each is memoised here (bounded LRU, thread-safe) and returned as a tuple the callers cannot change.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import jieba
import jieba.posseg as pseg

jieba.setLogLevel(logging.WARNING)

_SIZE = 8192  # distinct strings kept per kind of cut: a few hundred questions' worth of pieces


@lru_cache(maxsize=_SIZE)
def cut(text: str) -> tuple[str, ...]:
    """jieba's precise cut (`jieba.lcut`)."""
    return tuple(jieba.lcut(text))


@lru_cache(maxsize=_SIZE)
def cut_all(text: str) -> tuple[str, ...]:
    """Every dictionary word inside `text`, by position (`cut_all=True`)."""
    return tuple(jieba.lcut(text, cut_all=True))


@lru_cache(maxsize=_SIZE)
def cut_for_search(text: str) -> tuple[str, ...]:
    """The cut for search: words and the shorter words inside the long ones (`lcut_for_search`)."""
    return tuple(jieba.lcut_for_search(text))


@lru_cache(maxsize=_SIZE)
def cut_tagged(text: str) -> tuple[pseg.pair, ...]:
    """The precise cut with part-of-speech tags (`.word`, `.flag`)."""
    return tuple(pseg.cut(text))

__all__ = ["cut", "cut_all", "cut_for_search", "cut_tagged"]
