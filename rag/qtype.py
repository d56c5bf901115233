"""What kind of fact a question asks for, and whether a piece of evidence holds that kind of fact.

A "when" question needs a date in its evidence, "how many" a number, "which city" a place, "how much
money" an amount: when the best evidence lacks the kind of fact asked for, the resolution does not
answer the question, however similar the words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from index import load_vocab
from rag import phrase, segment
from rag.counterpart import MONTHS
from rag.strings import has_word, in_words

_VOCAB = load_vocab()  # cities, countries and bodies of the world: data (index/vocab/general.json), not code


def _alternatives(zh: list[str], en: list[str]) -> str:
    """Chinese names as they are; English ones as whole words."""
    parts = sorted(map(re.escape, zh), key=len, reverse=True)
    if en:
        parts.append(r"\b(?:" + "|".join(sorted(map(re.escape, en), key=len, reverse=True)) + r")\b")
    return "|".join(parts)


_CITY_NAMES = [zh for zh, _ in _VOCAB.cities]
_COUNTRY_NAMES = ([zh for zh, _ in _VOCAB.countries], [e for _, en in _VOCAB.countries for e in en])
_CITIES = _alternatives(_CITY_NAMES, [])
_COUNTRIES = _alternatives(*_COUNTRY_NAMES)


def _names_in(text: str, zh: Sequence[str], en: Sequence[str] = ()) -> bool:
    """A name of the vocabulary stands in `text`: a Chinese one anywhere, an English one as a whole word."""
    return any(name in text for name in zh) or any(has_word(text, name) for name in en)
_DATE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日|\d{4}-\d{4}|届会议|\b(19|20)\d{2}\b")
# A count, not a year or a date: a number with a measure word, or a bare number not followed by 年/月/日.
_NUMBER = re.compile(r"(?:\d+|[一二两三四五六七八九十百千万]+)\s*(?:个|次|位|名|项|卷|段|届|种|份|国|人|%|号)|"
                     r"\d+(?![\d\s]*[年月日/\d])")
# A place that is not a city: "在联合国总部", "在会议中心".
_PLACE = re.compile(r"(?:在|于)[^，。；]{0,15}(?:总部|市|城|中心|大楼|大厦|会场|办事处)|"
                    r"在[\u4e00-\u9fff]{2,8}(?:举行|举办|召开)")  # "在X举行": X is where it was held
_PERSON = re.compile(r"先生|女士|阁下|博士|Mr\.|Ms\.|Mrs\.|Dr\.")
_MONEY = re.compile(r"\d[\d,.]*\s*(?:美元|万|亿|元|欧元)|\$\s*\d")
_SYMBOL = re.compile(r"[A-Z]{1,6}/[A-Za-z0-9./]+")
# A title as a text gives one: "题为“…”", a 《title》, "关于…的第 N 号决议 / 报告" (a UN document's title is
# its subject, so written), or a masthead's "N/M. title" line.
_TITLED = re.compile(r"题为|《|关于.{2,80}?的(?:第\s*\S+?\s*号)?(?:决议|报告|公约|议定书|宣言|说明)|"
                     r"^\s*\d+/\d+\.", re.M)

_ASKS: list[tuple[str, re.Pattern[str] | tuple[str, ...]]] = [
    # (kind, question pattern or words) — first match wins, so the most specific come first. Words are found
    # anywhere, in any case; " where " with its spaces as a whole word (rag.strings.in_words).
    ("money", re.compile(r"多少钱|多少资金|多少美元|金额|预算|拨款|多少经费|罚款|罚金|赔偿金|how much money|"
                         r"\bbudget\b|amount of|how many dollars|funding amount|how much .{0,20}\bfines?\b", re.I)),
    ("article", ("第几条", "哪一条", "哪条", "哪个条款", "which article", "what article")),
    # A person's name is asked of an office ("主席是谁", "协调人分别是谁"); "who" of an act ("是谁主办的",
    # "出钱的应该是谁") asks which body or office does it, and the text names bodies, not people.
    ("person", re.compile(r"姓名|是哪位|哪一位|谁是|who was|who were|who chaired|who is the (?:current|present)|"
                          r"(?:主任|主席|协调人|报告员|代表|专员|负责人|官员|大使|部长|总统|总理|秘书长|发言人)的?"
                          r"(?:分别|又|到底|究竟|现在|当时)?(?:是谁(?![\u4e00-\u9fff]{1,4}的)|叫什么|名字)|"
                          r"who is the (?:director|chair|head|president|rapporteur)", re.I)),
    ("actor", ("是谁",)),
    ("city", ("哪个城市", "哪座城市", "什么城市", "which city")),
    ("place", ("在哪里", "在哪儿", "何地", "什么地方", "哪个地方", "哪里", " where ")),
    ("country", ("哪个国家", "哪一个国家", "哪国", "which country", "what country")),
    ("symbol", ("文件号", "文号", "文件编号", "文件符号", "document symbol", "symbol")),
    ("title", ("标题", "题目", "题为", " title ", " titled ")),  # a document's title, which the text must give
    ("duration", ("多长时间", "多久", "多长", "how long")),  # a length of time, not a date
    ("date", ("何时", "什么时候", "哪一年", "哪年", "几月", "哪天", "日期", "时间", "哪一天", "when", "what date",
              "which year", "what year", "deadline", "by what")),
    ("number", re.compile(r"多少|(?<!哪)几[个次位名项卷天年周届段种份国人]|第几|数目|数量|比例|"
                          r"how many|how much|what number|which volume|what volume|how often", re.I)),
]


# A reason or purpose is stated with one of these: "以便评估…", "为此…", "…是导致…的原因".
_REASON = re.compile(r"以便|以期|为了|目的|原因|导致|由于|因为|因而|因此|旨在|以防止|以打击|以消除|以杜绝|以确定|"
                     r"以处理|以提高|以促进|以评估|使[^，。；]{0,8}能够|考虑到|鉴于")
# The measure word of a count ("多少个" → 个); "第几个" asks which one, written with any number ("议程项目 103").
# "哪一天" wants a day: "最迟于 2013 年 7 月" (a month) does not answer it.
_ASKS_DAY = re.compile(r"哪一天|哪天|几月几[日号]|具体日期|确切日期|哪一日|\b(?:what|which|exact) (?:day|date)\b", re.I)
_MONTH_NAMES = "|".join(m.capitalize() for m in MONTHS)
_DAY_OF = re.compile(rf"\d{{1,2}}\s*日|\b\d{{1,2}}\s+(?:{_MONTH_NAMES})\b|\b(?:{_MONTH_NAMES})\s+\d{{1,2}}\b")
_UNIT = re.compile(r"(?:多少|(?<![哪第])几)\s*([个次位名项卷天年周届段种份国人])")
_COUNT_UNITS = "个次位名项卷天周届段种份国人"
# Measures of a quantity (people, a length of time), not classifiers of things a text names one by one: a
# list's items never answer "多少人/几年", and a calendar date ("2011 年") is no length of time.
_DURATION_UNITS = ("天", "年", "周", "月")
QUANTITY_UNITS = ("人", *_DURATION_UNITS)
# A city or country, in Chinese or English (an English one is checked against the text by its Chinese name).
PLACES = re.compile(_CITIES + "|" + _COUNTRIES + "|" + _alternatives([], [en for _, en in _VOCAB.cities]), re.I)
# Bodies a question may name that a resolution on one theme often does not: the principal organs, the large
# agencies and regional organizations, by their Chinese names and short names.
_BODIES = _alternatives([zh for zh, _ in _VOCAB.bodies_elsewhere],
                       [e for _, en in _VOCAB.bodies_elsewhere for e in en])
# Named things (countries, bodies) that a text which never names them cannot say anything about.
ENTITIES = re.compile(_COUNTRIES + "|" + _BODIES, re.I)
_BODY_NAMES = re.compile(_BODIES, re.I)
# "第七届会议" names a session the resolution must mention; "第一次" ("for the first time") is an idiom.
_ORDINAL = re.compile(r"第(?!一次)[一二三四五六七八九十百]+[届次]")
_ARTICLE = re.compile(r"第\s*[\d一二三四五六七八九十百]+\s*条")
# What an English "how many" counts, as the Chinese measure words a count of it would carry.
_EN_UNITS = ((("people", "persons", "participants", "victims", "delegates", "representatives"), "人名位"),
             (("countries", "states", "parties", "members"), "个国"), (("times", "meetings", "sessions"), "次届"))


@dataclass(frozen=True)
class Need:
    kind: str | None  # None: any statement can answer
    unit: str | None = None  # for "number": the measure word asked with (多少个 → 个), if any
    names: tuple[str, ...] = ()  # for "actor": the bodies and offices the document names
    noun: str | None = None  # for "number" with no measure word: the noun counted ("多少国家" → 国家)
    acted_on: str | None = None  # for a "who": the thing acted on, as the question names it (rag.phrase)

    def satisfied_by(self, text: str) -> bool:
        if self.kind is None:
            return True
        if self.kind == "money":
            return bool(_MONEY.search(text))
        if self.kind == "article":
            return bool(_ARTICLE.search(text))
        if self.kind == "person":
            return bool(_PERSON.search(text))
        if self.kind == "actor":  # a body or office the document names (its parse's actors), or a person
            return any(name in text for name in self.names) or bool(_PERSON.search(text))
        if self.kind == "city":
            return _names_in(text, _CITY_NAMES)
        if self.kind == "place":
            return _names_in(text, _CITY_NAMES) or bool(_PLACE.search(text))
        if self.kind == "country":
            return _names_in(text, *_COUNTRY_NAMES)
        if self.kind == "symbol":
            return bool(_SYMBOL.search(text))
        if self.kind == "title":
            return bool(_TITLED.search(text))
        if self.kind == "date":
            return bool(_DAY_OF.search(text) if self.unit == "day" else _DATE.search(text))
        if self.kind == "reason":
            return bool(_REASON.search(text))
        if self.unit or self.noun:
            if self.unit and any(u in _DURATION_UNITS for u in self.unit):
                text = _DATE.sub(" ", text)  # a year, month or day of the calendar
            # "一个" is mostly the article "a" ("一个机会"), not a count; a bare 千/百/万 is a word ("千年"). A
            # number is digits or numerals, then a magnitude (22 亿, 30 多万) and an approximation (60 多, 余)
            # before its measure word, or before the noun counted when none was asked with ("23 个国家").
            numeral = "(?!一个)[百千万]*[一二两三四五六七八九十][一二两三四五六七八九十百千万亿]*"
            magnitude = r"(?:[多余]?\s*[十百千万亿]+)?\s*[多余]?"
            measure = f"[{self.unit}]" if self.unit else rf"(?:[{_COUNT_UNITS}]\s*)?{re.escape(self.noun or '')}"
            return bool(re.search(rf"(?:\d+(?:\.\d+)?|{numeral})\s*{magnitude}\s*{measure}", text))
        return bool(_NUMBER.search(text))


def _word_at(question: str, at: int) -> str:
    """The word of jieba's cut that begins at `at` ("" when none does): after 多少, a word of two or more
    characters ("多少项目", "多少国家") is the counted noun itself, not a measure word."""
    pos = 0
    for word in segment.cut(question):
        if pos == at:
            return word
        pos += len(word)
    return ""


def need_of(question: str, reason: bool = False, actors: tuple[str, ...] = (),
            terms: Sequence[str] = ()) -> Need:
    """The kind of fact `question` asks for; `reason` when it asks why (its evidence must state a reason);
    `actors`, the bodies and offices the document names, answer a "who". With it, what a "who" asks about
    (the evidence must name it as the thing acted on, not as a modifier of another noun): of an English
    question, the first of `terms`, the Chinese terms of what its verb acts on (rag.phrase.english_object:
    "who writes the report of the forum": 报告, not 论坛)."""
    acted_on = phrase.acted_on(question, ("为什么", "为何") if reason else ("谁",))
    if acted_on is None and terms and has_word(question, "who", ignore_case=True):
        acted_on = terms[0]
    return replace(_need_kind(question, reason, actors), acted_on=acted_on)


def _need_kind(question: str, reason: bool, actors: tuple[str, ...]) -> Need:
    if reason:
        return Need("reason")
    for kind, cue in _ASKS:
        if cue.search(question) if isinstance(cue, re.Pattern) else in_words(question, cue):
            if kind == "actor":
                return Need(kind, names=actors)
            if kind == "duration":
                return Need("number", "".join(_DURATION_UNITS))
            if kind == "date" and _ASKS_DAY.search(question):
                return Need(kind, "day")
            if kind == "number":
                unit = _UNIT.search(question)
                if unit:
                    noun = _word_at(question, unit.start(1))
                    return Need(kind, noun=noun) if len(noun) > 1 else Need(kind, unit.group(1))
                low = question.lower()
                for nouns, units in _EN_UNITS:
                    if any(f"how many {noun}" in low for noun in nouns):
                        return Need(kind, units)
                if "how many" in low:
                    return Need(kind, _COUNT_UNITS)
            return Need(kind)
    return Need(None)


# A named observance ("世界某某日", "国际日"): a day of the calendar the text must name to answer.
_OBSERVANCE = re.compile(r"(?:世界|国际)(?:(?![月哪几何每今昨明当同次])[\u4e00-\u9fff]){0,12}?日(?![期本内前后])|"
                         r"\b(?:World|International) Day\b(?: (?:of|for|against) [A-Za-z ]{3,40}?\b(?=[?,.]|$))?")


def named_specifics(question: str, places: tuple[str, ...] = ()) -> list[str]:
    """Places, ordinals ("第七届"), observances and bodies a question names: premises the resolution must
    contain to answer. `places`: the document's own (its parse's), which the general vocabulary may lack."""
    found = [m.group() for pattern in (PLACES, _ORDINAL, _OBSERVANCE, _BODY_NAMES) for m in pattern.finditer(question)]
    return found + [p for p in places if p in question and not any(p in f for f in found)]
