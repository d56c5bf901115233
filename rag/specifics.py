"""The specifics a question names — dates, numbers, places, ordinals, counts of events, bodies, titles — and
where they must stand for its premise to hold: in the evidence itself, and together.

A specific that stands elsewhere in the document does not support this question ("2013年1月" is in OP10, not
in the decision to convene the meeting); two specifics the question puts together must stand in one clause
("N/M号决议是Y年M月D日通过的"); a year the question gives a title must be the year the text writes
before it ("1957年《废除某公约》", not 《某公约》).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jieba.posseg import pair as Pair

from index import Corpus
from rag import segment
from rag.counterpart import date_units
from rag.glossary import chinese_terms
from rag.qtype import PLACES, named_specifics
from rag.strings import occurrences, runs_of, split_on, squeeze
from rag.text import TITLE, bigrams, facts, normalize

# "决议提到的X议定书": an instrument the question says the text names.
_SAID_TITLE = re.compile(r"(?:提到|提及|所提|列出|援引|点名|说)的(?:[那这该此]一?[项个份部本])?[《“]?"
                         r"([\u4e00-\u9fff]{2,20}?(?:议定书|公约|宣言|条约|协定))")
_TIMES = re.compile(r"[两三四五六七八九十]次")
_NUMBER_UNIT = re.compile(r"(?<!\d)(\d+)\s*([个项次份名位届])")
_TITLE_YEAR = re.compile(r"(\d{4})\s*年\s*《([^》]{2,60})》")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_EN_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\s+(session|meeting|committee)\b", re.I)


def misplaced(question: str, lang: str, evidence: Sequence[str], flat: str, doc_flat: str,
              actors: Sequence[str], corpus: Corpus | None = None) -> str | None:
    """The first specific of the question that the evidence does not hold where the question puts it."""
    joined = squeeze(" ".join(evidence))
    places = corpus.facts.names("places") if corpus is not None else ()
    named = named_specifics(question, places) + sorted(facts(question)) + date_units(question) + _counts(question)
    named += _unknown_bodies(question, doc_flat, actors)
    if lang == "en":  # what the question names, in the words the Chinese text would use
        named += [t for t in chinese_terms(question, corpus) if PLACES.fullmatch(t)]
        # An ordinal the text has is often in the paragraph a footnote hangs on, not in the footnote itself.
        named += [o for o in _en_ordinals(question) if normalize(o) not in doc_flat]
    for specific in named:
        if not written(specific, flat, corpus):
            return specific
    titles = [t for t in TITLE.findall(question) if f"《{t}》" in joined]  # as written in the text
    return _wrong_year(question, titles, joined) or _apart(named, evidence)


def written(specific: str, flat: str, corpus: Corpus | None = None) -> bool:
    """`flat` (normalised text) holds `specific`, or, for an English name ("Geneva"), its Chinese term."""
    return normalize(specific) in flat or (specific.isascii() and any(
        normalize(zh) in flat for zh in chinese_terms(specific, corpus)))


_BODY_SUFFIX = re.compile(r"(?:理事会|委员会|办公室|组织|基金会|基金|署|法院|银行|议会)$")


def organisations(words: Sequence[Pair]) -> list[str]:
    """Bodies the question names (jieba's organisation tag, three characters or more: 安理会, 世界卫生组织)."""
    return [w.word for w in words if w.flag == "nt" and len(w.word) >= 3 and w.word != "联合国"]


def _qualified_bodies(words: Sequence[Pair]) -> list[tuple[str, str]]:
    """(name, qualifier) for a body written as a qualifier word and a body noun ("安全" + "理事会")."""
    return [(a.word + b.word, a.word) for a, b in zip(words, words[1:], strict=False)
            if _BODY_SUFFIX.fullmatch(b.word) and len(a.word) >= 2 and a.flag[:1] in ("a", "n", "j")]


def _unknown_bodies(question: str, doc_flat: str, actors: Sequence[str]) -> list[str]:
    """Bodies the question names that the text names nowhere, not even in longer form: most of the name's
    bigrams absent (an abbreviation such as 经社理事会 shares half of its full name's bigrams: kept out),
    or a qualifier the text never uses on a body noun it does use (安全理事会 where the text has only 某某理事会)."""
    words = [w for w in segment.cut_tagged(question) if w.word.strip()]  # cut once for both readings below
    out = []
    for name in organisations(words):
        grams = bigrams(name)
        if name not in actors and sum(g in doc_flat for g in grams) * 2 < len(grams):
            out.append(name)
    for name, qualifier in _qualified_bodies(words):
        if name not in actors and normalize(name) not in doc_flat and normalize(qualifier) not in doc_flat:
            out.append(name)
    return list(dict.fromkeys(out))


def _counts(question: str) -> list[str]:
    """How many times something happens ("召开两次", "两次会议"): a count of events the text must state.
    (Counts of things — "两项公约" — are not checked: the text lists them without saying how many.)"""
    return [m.group() for m in _TIMES.finditer(question)]


def _en_ordinals(question: str) -> list[str]:
    """"sixth session" / "Third Committee" as the text writes them (第六届, 第三委员会)."""
    out = []
    for m in _EN_ORDINAL.finditer(question):
        n = "一二三四五六七八九十"[_ORDINALS.index(m.group(1).lower())]
        out.append(f"第{n}" + {"session": "届", "meeting": "次", "committee": "委员会"}[m.group(2).lower()])
    return out


def _apart(specifics: Sequence[str], evidence: Sequence[str]) -> str | None:
    """Specifics the question puts together must stand in one clause of one paragraph: the first that stands
    only apart from the first one (it belongs to another event or instrument)."""
    wanted = list(dict.fromkeys(normalize(x) for x in specifics if normalize(x)))
    if len(wanted) < 2:
        return None
    clauses = [normalize(x) for text in evidence for x in split_on(text, "。；;，,")]
    for other in wanted[1:]:
        if not any(wanted[0] in c and other in c for c in clauses):
            return other
    return None


def _wrong_year(question: str, titles: Sequence[str], joined: str) -> str | None:
    """A year the question gives a title that the text writes before it with another year, or a count
    ("缔约方…153个") the question gives it where the text's words after the title, up to the next title,
    count something else with the same measure word ("…公约》，使缔约方数目达到了 172 个")."""
    years = [n for n in runs_of(question, str.isdecimal) if len(n) == 4]
    written = {(m.group(2), m.group(1)) for m in _TITLE_YEAR.finditer(joined)}
    counts = [(n, unit) for n, unit in _NUMBER_UNIT.findall(question) if n not in years]
    for title in titles:
        theirs = {y for t, y in written if t == title}
        wrong = [y for y in years if theirs and y not in theirs]
        if wrong:
            return wrong[0]
        after = [joined[at + len(title) + 2 :] for at in occurrences(f"《{title}》", joined)]
        stated = [c for rest in after for c in _NUMBER_UNIT.findall(split_on(rest, "《。；", maxsplit=1)[0])]
        for n, unit in counts:
            if any(u == unit for _, u in stated) and (n, unit) not in stated:
                return n
    return None


def loosely_in(phrase: str, doc_flat: str) -> bool:
    """A phrase a user quotes is the text's when its pieces stand there in order, close together: users
    quote loosely ("在2013年进行执行进展调查的决定" for "在 2013 年进行一次《…》执行进展调查的决定")."""
    pieces = [normalize(t) for t in segment.cut(phrase) if normalize(t)]
    pattern = ".{0,%d}?" % (2 * len(normalize(phrase)))  # each gap at most twice the phrase's length
    return bool(pieces) and re.search(pattern.join(map(re.escape, pieces)), doc_flat) is not None


def absent_titles(question: str, doc_flat: str) -> list[str]:
    """Instruments the question says the text names ("决议提到的偷运移徙者议定书") that it does not, even
    loosely ("某某议定书" is the text's 《…某某…补充议定书》): a false premise."""
    return [m.group(1) for m in _SAID_TITLE.finditer(question) if not loosely_in(m.group(1), doc_flat)]
