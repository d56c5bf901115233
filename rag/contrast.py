"""Contrasts between a claim and the text it cites that bigram coverage cannot see.

A claim can share nearly every bigram with its text and still say the opposite: "表示完全反对" against
"表示完全支持", "召开两次" against "召开一次", "秘书长请大会主席" against "请大会主席". `contrast()` aligns the
claim to the text (difflib, as the negation check does) and names the first contrast it finds:

- antonym: the claim uses a word the text lacks whose antonym the text has (支持/反对, 继续/停止, 最迟/最早);
- quantity / ordinal: a counted or ordinal expression (两次, 三位, 第六十八届, 第四委员会) that the text has with
  the same measure word but another number;
- scope: a scope quantifier (所有/一切 vs 部分/若干) the claim adds where the text has none of its class, or
  an actor/group (各国, 会员国, 秘书长…) in an unaligned claim span where the text names a different one;
- role: an actor who asks (X请/邀请…) although the text never has it ask, or who does what the text has
  another actor do (the claim's "秘书长编写" where the text says "大会主席编写").

The tables are general vocabulary of the resolutions' language, not wording of any question; the actors are
the groups of GA drafting (index/vocab/general.json) and the bodies claim and text name (index.names), one
party per class: a body with and without 联合国, its short form, and "该"+its body noun. A claim found
verbatim in the text never has a contrast, so a quotation always stays supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from index import load_vocab
from index.names import actor_names, short_forms
from rag.numerals import CHINESE_NUMERAL_CHARS, parse_number
from rag.text import normalize, squash

ANTONYMS = (
    ("支持", "反对"), ("同意", "反对"), ("欢迎", "遗憾"), ("赞赏", "遗憾"), ("赞扬", "谴责"), ("赞赏", "谴责"),
    ("加强", "削弱"), ("强化", "削弱"), ("加强", "减弱"), ("强化", "弱化"), ("鼓励", "劝阻"), ("鼓励", "阻止"),
    ("继续", "停止"), ("继续", "中止"), ("继续", "终止"), ("增加", "减少"), ("提高", "降低"), ("扩大", "缩小"),
    ("促进", "阻碍"), ("加剧", "减轻"), ("加剧", "缓解"), ("严重", "轻微"), ("最迟", "最早"), ("关切", "满意"),
    ("肯定", "否定"), ("确认", "否认"), ("承认", "否认"), ("接受", "拒绝"), ("批准", "拒绝"), ("保护", "侵犯"),
    ("尊重", "侵犯"), ("消除", "助长"), ("防止", "助长"), ("多边", "双边"), ("以前", "以后"), ("之前", "之后"),
    ("上升", "下降"), ("开始", "结束"), ("设立", "撤销"), ("设立", "废除"), ("加入", "退出"), ("重要", "次要"),
    ("充分", "不足"), ("足够", "不足"), ("国际", "国内"), ("公开", "秘密"),
)
ASKER_FREE = {"ga"}  # the General Assembly asks in every operative paragraph, named or not
_ASK = r"(?:也|还|又|再次|并|亦|同时|此外)?(?:邀请|吁请|促请|敦促|鼓励|呼吁|要求|请)"
_LIST_GAP = re.compile(r"[^，。；：]{0,8}")  # text between two actors of one list ("各国和所有其他相关…")
_LISTED = "和及或、"
UNIVERSAL = ("所有", "一切", "全部", "全体", "每个", "每一", "任何", "各个")
PARTIAL = ("部分", "若干", "一些", "某些", "少数", "个别", "有些")
_SCOPE = re.compile("|".join(UNIVERSAL) + "|(?<!组成)(?:" + "|".join(PARTIAL) + ")")
_MEASURE = "次个份位项届名种节段章卷类条轮场批家"
_NUM = rf"\d+|[{CHINESE_NUMERAL_CHARS}]+"
_COUNT = re.compile(rf"(第)({_NUM})(.)|({_NUM}|若干|几|数|多)([{_MEASURE}])")  # ordinal: any unit; count: a measure
_PAD = 4  # text characters either side of an unaligned claim span that still count as its place


@dataclass(frozen=True)
class Actors:
    """The actors of one claim and text, each with its class (two names of one class are one party)."""

    classes: dict[str, str]
    pattern: re.Pattern[str]

    def __getitem__(self, name: str) -> str:
        return self.classes[name]


@lru_cache(maxsize=256)
def actors_in(text: str) -> Actors:
    vocab = load_vocab()
    classes = dict(vocab.groups) | {vocab.speaker: "ga"}
    bodies = [b for b in actor_names(text) if b not in classes]
    for b in sorted(bodies, key=len, reverse=True):
        # one party however long its name: a short form already seen (…某小组) gives the class
        kind = next((classes[f] for f in short_forms(b) if f in classes), b.removeprefix("联合国"))
        for name in (b, *short_forms(b)):
            classes.setdefault(name, kind)
    for head in vocab.body_heads:  # "该办公室", "办公室": the one body with that noun, when there is one
        owners = {classes[b] for b in bodies if b.endswith(head) and b != head}
        if len(owners) == 1:
            classes.setdefault(head, owners.pop())
            classes.setdefault("该" + head, classes[head])
    return Actors(classes, re.compile("|".join(sorted(map(re.escape, classes), key=len, reverse=True))))


@dataclass(frozen=True)
class Alignment:
    """A normalised claim against a normalised text: which claim characters a shared run covers."""

    claim: str
    text: str
    blocks: tuple[tuple[int, int, int], ...]  # (claim start, text start, size), runs of 2+ characters

    def covered(self, i: int, j: int) -> bool:
        return all(any(a <= k < a + n for a, _, n in self.blocks) for k in range(i, j))

    def region(self, i: int, j: int) -> str:
        """The text between the shared runs either side of claim span [i, j), a few characters wider."""
        left = max((b + n for a, b, n in self.blocks if a + n <= i), default=0)
        right = min((b for a, b, _ in self.blocks if a >= j), default=len(self.text))
        return self.text[max(0, left - _PAD): right + _PAD]


def align(claim: str, text: str) -> Alignment:
    matcher = SequenceMatcher(None, claim, text, autojunk=False)
    return Alignment(claim, text, tuple((m.a, m.b, m.size) for m in matcher.get_matching_blocks() if m.size >= 2))


def contrast(claim: str, text: str) -> str | None:
    """A short reason when the claim contradicts or overstates the text, None when nothing contrasts."""
    c, t = normalize(claim), normalize(text)
    if not c or c in t:
        return None
    a = align(c, t)
    actors = actors_in(claim + "\n" + text)
    return (antonym(c, t) or count_change(c, t) or scope_change(a) or actor_change(a, actors)
            or role_change(squash(claim).lower(), squash(text).lower(), actors))


def antonym(claim: str, text: str) -> str | None:
    for x, y in ANTONYMS:
        for word, other in ((x, y), (y, x)):
            if word in claim and word not in text and other in text:
                return f"antonym: {word} / {other}"
    return None


def _counts(s: str) -> set[tuple[bool, str, str]]:
    """(ordinal?, value, unit) of each count: 第六十七届 → (True, "67", "届"), 两次 → (False, "2", "次")."""
    out = set()
    for m in _COUNT.finditer(s):
        ordinal = bool(m.group(1))
        number, unit = (m.group(2), m.group(3)) if ordinal else (m.group(4), m.group(5))
        value = parse_number(number)
        out.add((ordinal, str(value) if value is not None else "some", unit))
    return out


def count_change(claim: str, text: str) -> str | None:
    have = _counts(text)
    for ordinal, value, unit in sorted(_counts(claim) - have):
        if any(o == ordinal and u == unit for o, _, u in have):
            return f"{'ordinal' if ordinal else 'quantity'}: {value}{unit} not in the text"
    return None


def scope_change(a: Alignment) -> str | None:
    """A scope quantifier the claim adds where the text's place for it has none of the same class."""
    for m in _SCOPE.finditer(a.claim):
        if a.covered(m.start(), m.end()):
            continue
        place = a.region(m.start(), m.end())
        same = UNIVERSAL + ("各",) if m.group() in UNIVERSAL else PARTIAL
        if not any(w in place for w in same):
            return f"scope: {m.group()} where the text has no such quantifier"
    return None


def actor_change(a: Alignment, actors: Actors) -> str | None:
    """An actor in an unaligned claim span where the text, at that place, names another one."""
    for m in actors.pattern.finditer(a.claim):
        kind = actors[m.group()]
        if kind in ASKER_FREE or a.covered(m.start(), m.end()):
            continue
        named = {actors[x.group()] for x in actors.pattern.finditer(a.region(m.start(), m.end()))} - ASKER_FREE
        if named and kind not in named:
            return f"actor: {m.group()} where the text names {'/'.join(sorted(named))}"
    return None


def _predicates(text: str, actors: Actors) -> dict[str, set[str]]:
    """What follows each actor in the text (two characters), with every actor of the list it closes."""
    found = list(actors.pattern.finditer(text))
    owners: dict[str, set[str]] = {}
    for n, m in enumerate(found):
        kinds = {actors[m.group()]}
        k = n
        while k > 0 and any(ch in _LISTED for ch in text[found[k - 1].end(): found[k].start()]) \
                and _LIST_GAP.fullmatch(text[found[k - 1].end(): found[k].start()]):
            k -= 1
            kinds.add(actors[found[k].group()])
        owners.setdefault(text[m.end(): m.end() + 2], set()).update(kinds)
    return owners


def role_change(claim: str, text: str, actors: Actors) -> str | None:
    """An actor who asks where the text never has it ask, or does what the text has another actor do."""
    asking = re.compile(f"({actors.pattern.pattern}){_ASK}")
    for m in asking.finditer(claim):
        kind = actors[m.group(1)]
        asks = {actors[x.group(1)] for x in asking.finditer(text)}
        if kind not in ASKER_FREE and kind not in asks:
            return f"role: {m.group(1)} asks, which the text never says"
    owners = _predicates(text, actors)
    for m in actors.pattern.finditer(claim):
        after = claim[m.end(): m.end() + 2]
        # A list ("X和Y…"), a possessive ("X的报告") or a clause end says nothing about what X does.
        if (actors[m.group()] in ASKER_FREE or len(after) < 2 or after[0] in _LISTED + "的，。；："
                or actors.pattern.match(claim, m.end())):
            continue
        doers = owners.get(after, set())
        if doers and actors[m.group()] not in doers:
            return f"role: {m.group()}{after}, where the text has {'/'.join(sorted(doers))} do it"
    return None
