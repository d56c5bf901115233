"""Names in a resolution's text, read from its structure and jieba's part-of-speech tags: the bodies it names
(a run of name words ending in a body noun such as 办公室/理事会/组织), the office-holders and groups of GA
drafting it uses (秘书长, 会员国 …, from the general vocabulary), and the places where it says something was
held (在X举行). Nothing here knows one resolution: the same reading finds another text's bodies and places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.posseg as pseg

from index.verbs import leading_verb
from index.vocabulary import load_vocab

jieba.setLogLevel(60)

MAX_NAME = 24  # characters: a longer run is a sentence, not a name
# Tags of words a name is made of (nouns, organisation/place names, distinguishing words, verbal nouns,
# locatives such as 间, idioms) and of verbs inside a name (促进…署, 打击…小组).
_NAME_TAGS = ("n", "j", "b", "f", "l", "a")
_JOINERS = ("和", "及")  # inside a name (毒品和犯罪问题办公室), unless they join two bodies
_TITLE = re.compile(r"《[^》]*》")
# Where something was held or done: 在X举行 / 于X召开 (X a short noun phrase).
_PLACE_TAGS = ("ns", "nr", "nt", "nz", "n")  # words a place name is made of (a place, a name, a noun)
_HELD = re.compile(r"[在于]\s*([\u4e00-\u9fff]{2,10}?)\s*(?:举行|举办|召开|推出|开幕|主办)")


@dataclass(frozen=True)
class Found:
    """A name and where it stands in the text it was read from."""

    name: str
    start: int
    end: int


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out, at = [], 0
    for w in pseg.cut(text):
        out.append((w.word, w.flag, at))
        at += len(w.word)
    return out


def _head(word: str, flag: str) -> str | None:
    heads = load_vocab().body_heads
    noun = flag[:1] in ("n", "j")  # 国际劳工组织 (nt), 权能署; never a verb ending so (签署)
    return next((h for h in heads if word == h or (word.endswith(h) and noun)), None)


def _stops(word: str, flag: str) -> bool:
    if word in _JOINERS:
        return False
    if flag[:1] in _NAME_TAGS:
        return False
    if flag in ("v", "vn") and len(word) >= 2 and leading_verb(word) != word:
        return False
    return True


def _joins_two(toks: list[tuple[str, str, int]], j: int, i: int, right: str) -> bool:
    """和/及 at toks[j - 1] joins two things, not two words of one name: nothing before it that can be in a
    name, a body or a group before it (政府间组织和…, 会员国和…), nothing but the body noun after it (决议和理事会),
    or a group of GA drafting after it (…和相关政府间组织)."""
    if j < 2 or j == i:
        return True
    word, flag, _ = toks[j - 2]
    groups = load_vocab().group_class
    return (_stops(word, flag) or _head(word, flag) is not None or word in groups
            or any(right.endswith(g) for g in groups))


def bodies(text: str) -> list[Found]:
    """Bodies the text names: each run of name words that ends in a body noun, read leftwards from it to the
    nearest punctuation, particle, preposition, drafting verb or joined body; never inside a 《title》."""
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(text)]
    toks = _tokens(text)
    out: list[Found] = []
    for i, (word, flag, at) in enumerate(toks):
        head = _head(word, flag)
        if head is None or any(s <= at < e for s, e in titles):
            continue
        end = at + len(word)
        if i + 1 < len(toks) and _head(toks[i + 1][0], toks[i + 1][1]) and not toks[i + 1][0].startswith(head):
            continue  # 机构间…协调 + 小组: the name ends at the later head
        j = i
        while j > 0:
            w, f, _ = toks[j - 1]
            if _stops(w, f) or end - toks[j - 1][2] > MAX_NAME:
                break
            if w in _JOINERS and _joins_two(toks, j, i, text[toks[j][2] : end]):
                break
            j -= 1
        groups = load_vocab().group_class
        while j < i and (toks[j][0] in _JOINERS or (toks[j][1][:1] == "v" and text[toks[j + 1][2] : end] in groups)):
            j += 1  # a name opens with no conjunction, nor with a verb governing a group (包括非政府组织)
        un = next((k for k in range(j, i) if toks[k][0] == "联合国"), None)
        j = j if un is None else un  # a United Nations body's name opens with 联合国
        start = toks[j][2]
        name = text[start:end]
        if len(name) > len(head) or flag == "nt":
            out.append(Found(name, start, end))
    return out


def short_forms(name: str) -> list[str]:
    """Shorter ways a text writes a body: without the 联合国 prefix (联合国儿童基金会 → 儿童基金会), and its
    last two words (…协调小组 → 协调小组) when those are four characters or more."""
    out = []
    bare = name.removeprefix("联合国")
    if bare != name and len(bare) >= 3:
        out.append(bare)
    words = jieba.lcut(bare)
    if len(words) > 2:
        tail = "".join(words[-2:])
        if len(tail) >= 4:
            out.append(tail)
    return out


def office_holders(text: str) -> list[Found]:
    """Office-holders and groups of GA drafting the text names (秘书长, 大会主席, 会员国 …), longest first,
    never a shorter one inside a longer one found."""
    vocab = load_vocab()
    names = sorted({*vocab.office_holders, *vocab.group_class}, key=len, reverse=True)
    taken: list[tuple[int, int]] = []
    out = []
    for name in names:
        for m in re.finditer(re.escape(name), text):
            if not any(s <= m.start() < e for s, e in taken):
                taken.append((m.start(), m.end()))
                out.append(Found(name, m.start(), m.end()))
    return sorted(out, key=lambda f: f.start)


def places(text: str) -> list[Found]:
    """Places the text names: where it says something was held (在X举行), and the cities and countries of
    the general vocabulary that it writes."""
    vocab = load_vocab()
    out = []
    for m in _HELD.finditer(text):
        if leading_verb(m.group(1)) or "的" in m.group(1):
            continue
        # The place is the name's words; an adverb or verb before the act ("在内罗毕联合举办") is not part of it.
        size = 0
        for w in pseg.cut(m.group(1)):
            if not w.flag.startswith(_PLACE_TAGS):
                break
            size += len(w.word)
        if size >= 2:
            out.append(Found(m.group(1)[:size], m.start(1), m.start(1) + size))
    for name in [c for c, _ in vocab.cities] + [c for c, _ in vocab.countries]:
        out += [Found(name, m.start(), m.end()) for m in re.finditer(re.escape(name), text)
                if not any(f.start <= m.start() < f.end for f in out)]
    return sorted(out, key=lambda f: f.start)


@lru_cache(maxsize=16)
def actor_names(text: str) -> tuple[str, ...]:
    """Every name in `text` that can act or be addressed — bodies, their short forms, office-holders and
    groups — longest first. For callers that hold a text rather than a parsed corpus."""
    acting = set(load_vocab().acting)
    found = {f.name for f in bodies(text)} | {f.name for f in office_holders(text) if f.name in acting}
    # a body's short form counts where the text writes it on its own, not only inside the full name; its name
    # without 联合国 always (the usual way to name it)
    found |= {s for n in list(found) for s in short_forms(n)
              if s == n.removeprefix("联合国") or s in text.replace(n, "□")}
    return tuple(sorted(found, key=lambda n: (-len(n), n)))
