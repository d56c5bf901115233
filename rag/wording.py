"""Messy wording made comparable with the text, before anything else reads a question.

Cantonese question words are read first (嗰 → 那, 咗 → 了, 乜 → 什么); traditional characters become
simplified (zhconv, a kept conversion table); a body's short name the text never uses is expanded to the full
name holding its characters in order ("某基会" → "某某基金会"); full-width Latin letters and
digits half-width; spaces typed between Chinese characters go; a misspelt English term takes the
glossary's spelling when one is close (difflib); and a content word typed with a homophone of the right
character ("办工室" for "办公室") is corrected against the resolution's own wording: a
window of the question that does not occur in the text but does once one character is swapped, where the
swapped window reads exactly as the typed one in context (pypinyin). Numerals, negations and particles are
never swapped: "召开两次" must stay a false premise, not become "召开一次".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

import jieba
import zhconv
from pypinyin import Style, lazy_pinyin, pinyin

from index import Corpus
from rag import segment
from rag.glossary import glossary_of, mixed_to_chinese
from rag.strings import (
    all_han,
    close_gaps,
    han_runs,
    is_han,
    is_latin,
    map_runs,
    replace_words,
    runs_of,
    spans_of,
    split_on,
)
from rag.text import QUESTION_WORDS, has_cjk, normalize

# Full-width letters, digits, space and what symbols are made of, as their ASCII forms.
_HALF_WIDTH = {**{chr(c): chr(c - 0xFEE0) for lo, hi in (("Ａ", "Ｚ"), ("ａ", "ｚ"), ("０", "９"))
                  for c in range(ord(lo), ord(hi) + 1)}, **{c: chr(ord(c) - 0xFEE0) for c in "／．－"}, "　": " "}
_TO_HALF_WIDTH = str.maketrans(_HALF_WIDTH)
ENGLISH_MIN = 5  # letters of an English word worth checking for a misspelling
ENGLISH_CUTOFF = 0.85  # difflib ratio for a misspelt English word to take a vocabulary word's place
# Numerals, negations and function characters are never swapped: "召开两次" stays a false premise, "多少个"
# does not become "多少各".
_FROZEN = set("一二两三四五六七八九十百千万亿第不未非无没否个各的地得了着过是在有又也和与及就都这那哪吗呢吧啊")
_PARTICLES = set("的地得")
MIN_WINDOW, MAX_WINDOW = 2, 6
SPACED_RUN = 2.5  # Chinese characters per space-parted run at most, for the spaces to be typing, not parting
# "The last paragraph" of a part, read as that paragraph's label (the corpus writes it): (pattern, id prefix,
# language of the label).
_LAST = ((r"序言(?:部分)?(?:的)?最后(?:一)?段", "PP", "zh"), (r"执行部分(?:的)?最后(?:一)?段", "OP", "zh"),
         (r"最后(?:一)?[个条]脚注", "FN", "zh"), (r"\bthe (?:last|final) preambular paragraph\b", "PP", "en"),
         (r"\bthe (?:last|final) operative paragraph\b", "OP", "en"), (r"\bthe (?:last|final) footnote\b", "FN", "en"))
# Colloquial question words and their standard forms ("让各国干嘛" asks what they are asked to do): the
# vocabulary of informal questions, longest first so 干啥 is not read as 干 + 什么.
_COLLOQUIAL = {"干什么": "做什么", "干嘛": "做什么", "干吗": "做什么", "干啥": "做什么", "做啥": "做什么",
               "啥时候": "什么时候", "多会儿": "什么时候", "为啥": "为什么", "咋样": "怎么样",
               "咋": "怎么", "啥": "什么", "哪儿": "哪里", "哪旮旯": "哪里"}
# Cantonese question words typed in a Chinese question ("嗰份報告講咗乜"), read before the script is converted
# (the converter turns 嗰 into 𠮶): characters Mandarin does not write, and the dialect's question phrases.
_DIALECT = {"乜嘢": "什么", "咩嘢": "什么", "乜": "什么", "咩": "什么", "嗰": "那", "咗": "了", "冇": "没有",
            "點解": "为什么", "点解": "为什么", "邊個": "谁", "边个": "谁", "邊度": "哪里", "边度": "哪里"}
_DIALECT_LONGEST_FIRST = dict(sorted(_DIALECT.items(), key=lambda kv: -len(kv[0])))
# Discourse markers and emphasis that carry no content ("说白了，…到底…"): read as if not typed.
_DISCOURSE = re.compile(r"(?:说白了|说到底|简单来说|简单地说|简单说|简而言之|老实说|坦白说|顺便问一下|顺便问下|"
                        r"我想问一下|我想问问|我想问|我想知道|想问一下|想问下|请问一下|请问|麻烦问一下|问一下)[，,：:]?\s*|"
                        r"(?<=[\u4e00-\u9fff])(?:到底|究竟)(?=[\u4e00-\u9fff])")


@dataclass(frozen=True)
class Worded:
    """The question as resqa reads it, and what was changed to get there (shown in signals)."""

    text: str
    changes: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=8192)
def _typed(ch: str) -> str:
    """The reading a typist most likely typed to get `ch` from an input method: its common one."""
    return pinyin(ch, style=Style.NORMAL)[0][0]


def _sounds(phrase: str) -> tuple[str, ...]:
    """How a phrase is read, in context (pypinyin picks 长 as zhang in 秘书长), without tones."""
    return tuple(lazy_pinyin(phrase))


_BODY_NOUNS = ("理事会", "委员会", "组织", "办公室", "署", "基金会", "基金", "会", "办")
# A short name's last character stands for the whole noun: 办 for 办事处/办公室, 会 for 基金会.
_NOUN_TAIL = {"办": "(?:事处|公室)", "会": ""}


def _is_lower_latin(ch: str) -> bool:
    return "a" <= ch <= "z"


def _spaced_out(text: str) -> str:
    """Spaces typed between characters ("共 同 协 调 人", "哪 天 通过 的") carry nothing and go; a space between
    phrases ("最晚几月开 谁来写纪要") parts them, like a comma, and stays."""
    runs = [r for r in split_on(text, " \t") if has_cjk(r)]
    if len(runs) < 2 or sum(sum(map(is_han, r)) for r in runs) / len(runs) <= SPACED_RUN:
        return close_gaps(text, lambda a, b: is_han(a) and is_han(b))
    return text


def _number_in_chinese(a: str, b: str) -> bool:
    """A number set off by spaces inside Chinese ("第 70/1 号", "2016 年 6 月"), as the PDF text prints them and
    users paste them: the spaces carry nothing, and every pattern reads the number written solid."""
    return (is_han(a) and b.isdecimal()) or (a.isdecimal() and is_han(b))


class Wording:
    """Normalises questions against one corpus's vocabulary."""

    def __init__(self, corpus: Corpus) -> None:
        last = {k: [i for i in corpus.ids if i.startswith(k) and i[2:].isdigit()][-1:] for k in ("PP", "OP", "FN")}
        self._last = [(re.compile(p, re.I), corpus.label(last[k][0], lang)) for p, k, lang in _LAST if last[k]]
        flat = self._flat = normalize(" ".join(p.text for p in corpus.paragraphs))
        # The text's wording, and the words questions ask with (a typo of "时候" is fixed to it too).
        runs = han_runs(flat) + [w for w in QUESTION_WORDS if all_han(w)]
        self._windows = {run[i : i + n] for run in runs for n in range(MIN_WINDOW, MAX_WINDOW + 1)
                         for i in range(len(run) - n + 1)}
        self._words = {w for run in runs for w in segment.cut(run) if len(w) >= MIN_WINDOW}
        self._text_words = {w for run in han_runs(flat) for w in segment.cut(run) if len(w) >= MIN_WINDOW}
        self._corpus = corpus
        english = glossary_of(corpus).terms
        self._english_words = sorted({w for term in english for w in runs_of(term, _is_lower_latin, ENGLISH_MIN)})
        # The closest glossary word of an English word, remembered (difflib compares it with every word).
        self._closest = lru_cache(maxsize=4096)(self._closest_word)
        # A window's one swap depends on the window alone; the same windows recur across questions.
        self._window_fix = lru_cache(maxsize=65536)(self._fix_window)
        self._by_sound: dict[str, set[str]] = {}
        for ch in set("".join(runs)):
            self._by_sound.setdefault(_typed(ch), set()).add(ch)

    def read(self, question: str) -> Worded:
        text = replace_words(question, _DIALECT_LONGEST_FIRST)
        text = zhconv.convert(text, "zh-cn").translate(_TO_HALF_WIDTH)
        # "X那三个convention" in Chinese
        text = mixed_to_chinese(map_runs(text, is_latin, self._english, ENGLISH_MIN), self._corpus)
        text = close_gaps(_spaced_out(text), _number_in_chinese)
        text = replace_words(_DISCOURSE.sub("", text), _COLLOQUIAL)
        for pattern, numbered in self._last:  # "序言最后一段" is the preamble's last paragraph, by number
            text = pattern.sub(numbered, text)
        changes: list[tuple[str, str]] = []
        if text != question:
            changes.append((question, text))
        # A short name first ("儿基会"): read as a typo, its 基 would become the 机 of the text's "机会".
        expanded = self._expand_abbreviations(text)
        if expanded != text:
            changes.append((text, expanded))
        fixed = self._fix_typos(expanded)
        if fixed != expanded:
            changes.append((expanded, fixed))
        return Worded(fixed, tuple(changes))

    def _expand_abbreviations(self, text: str) -> str:
        """A body's short name the text never uses ("经社理事会") → the one full name of the text that holds its
        characters in order with the same body noun ("经济及社会理事会"): Chinese short names keep characters of
        the full name, in order."""
        tokens = segment.cut(text)
        for i, token in enumerate(tokens):
            noun = max((n for n in _BODY_NOUNS if token.endswith(n)), key=len, default=None)
            if not noun:
                continue
            short = token if len(token) > len(noun) else (tokens[i - 1] + token if i else token)
            head = short[: -len(noun)]
            if len(head) < 2 or not all_han(short) or short in self._flat:
                continue
            gap = "[\u4e00-\u9fff]{0,8}?"
            pattern = re.escape(head[0]) + "".join(gap + re.escape(c) for c in head[1:]) + gap + \
                re.escape(noun) + _NOUN_TAIL.get(noun, "")
            found = {m.group() for m in re.finditer(pattern, self._flat)}
            if len(found) == 1:
                text = text.replace(short, found.pop(), 1)
        return text

    def _english(self, word: str) -> str:
        """A misspelt English term ("conventon", "secetary") → the glossary's spelling, when one is close."""
        low = word.lower()
        if low in self._english_words:
            return word
        close = self._closest(low)
        # An inflection ("decided", "rapporteurs", "especially") is not a misspelling of its stem.
        if not close or close[0] in low or low in close[0] or low[:-1] in close[0]:
            return word
        return close[0]

    def _closest_word(self, low: str) -> list[str]:
        return difflib.get_close_matches(low, self._english_words, n=1, cutoff=ENGLISH_CUTOFF)

    def _homophones(self, ch: str, particle: bool = False) -> set[str]:
        """Characters of the text that an input method offers for the reading that gave `ch`; none for a
        frozen character, unless it is a particle read inside a word (`particle`)."""
        if ch in _FROZEN and not particle:
            return set()
        return self._by_sound.get(_typed(ch), set()) - _FROZEN - {ch}

    def _fix_typos(self, text: str) -> str:
        chars = list(text)
        # A character inside one of the text's own words as the question is cut ("大会|编写") is no typo,
        # though another word could be made from it and its neighbour ("会编" → "汇编"); it may still be the
        # context that shows a neighbour is one ("高级别|会意" → 会议).
        kept: set[int] = set()
        at = 0
        for token in segment.cut(text):
            if len(token) >= MIN_WINDOW and token in self._text_words:
                kept.update(range(at, at + len(token)))
            at += len(token)
        done: set[int] = set()
        for base, run in spans_of(text, is_han):
            for n in range(min(MAX_WINDOW, len(run)), MIN_WINDOW - 1, -1):
                for i in range(len(run) - n + 1):
                    window = run[i : i + n]
                    if window in self._windows or any(base + i + j in done for j in range(n)):
                        continue
                    fix = self._window_fix(window)
                    if fix is not None and base + i + fix[0] not in kept:
                        j, ch = fix
                        chars[base + i + j] = ch
                        done.update(range(base + i, base + i + n))
        return "".join(chars)

    def _fix_window(self, window: str) -> tuple[int, str] | None:
        """The one swap that turns `window` into the text's wording, if exactly one does, and puts the new
        character inside one of the text's words. A two-character window must become one of the text's
        words and not already be a word of its own ("会意")."""
        if len(window) == MIN_WINDOW and window in jieba.dt.FREQ:
            return None
        found: list[tuple[int, str]] = []
        for j, ch in enumerate(window):
            # A particle (的/地/得) is swapped only into a whole word of the text of three or more characters
            # ("几个地约方" → 缔约方): as a particle it is grammar, never a typo.
            particle = ch in _PARTICLES and len(window) >= 3
            for alt in self._homophones(ch, particle):
                cand = window[:j] + alt + window[j + 1 :]
                ok = cand in self._text_words if particle else \
                    cand in self._words if len(window) == MIN_WINDOW else cand in self._windows
                if ok and self._in_a_word(cand, j) and _sounds(cand) == _sounds(window):
                    found.append((j, alt))
        return found[0] if len(found) == 1 else None

    def _in_a_word(self, cand: str, j: int) -> bool:
        """The swapped character is part of one of the text's words (not a particle such as 有/又)."""
        return any(cand[a:b] in self._words for a in range(j + 1) for b in range(j + 1, len(cand) + 1)
                   if b - a >= MIN_WINDOW)
