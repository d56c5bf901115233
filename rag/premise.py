"""Premises a question asserts, checked against the evidence it would be answered from.

A question can presuppose something the text does not say: an act (撤回 support, 谴责 member States, 停止
contributions), an actor doing what another does ("秘书长编写纪要" where the President of the Assembly
does), or a place or date ("在甲地举行" where the meeting was held elsewhere). The premise must hold in the
evidence itself — a place or date that stands elsewhere in the document does not count. When it does not
hold, the answer is "no" (for a yes/no question) or a refusal, never the evidence presented as support.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from index import Corpus, Paragraph, load_vocab
from index.names import actor_names
from rag import segment, specifics, tally
from rag.anaphora import antecedents, resolved
from rag.asked import GENERIC_NOUNS as GENERIC_NOUNS  # noqa: F401 (rag.conversation reads it here)
from rag.asked import absent_asked, asked_noun
from rag.counterpart import Span, act_site, actor_site, replaced
from rag.glossary import chinese_terms
from rag.intent import YESNO_EN
from rag.strings import all_han, occurrences, split_on
from rag.text import asks_wh, bigrams, coverage, has_cjk, normalize

# Acts a resolution on this subject could be asked about but that reverse, stop or censure: when the
# question asserts one, the evidence must say it of the same object.
ACTS = ("撤回", "谴责", "停止", "削减", "反对", "遗憾", "拒绝", "取消", "解散", "推迟", "禁止", "废除", "批评",
        "否决", "减少", "终止", "暂停", "撤销", "制裁", "退出", "放弃", "关闭", "削弱", "惩罚", "中止", "非刑事化",
        "除罪化")
_ACTS_EN = (("withdr[ae]w", "撤回"), ("condemn", "谴责"), (r"\bstop", "停止"), (r"\bceas", "停止"),
            (r"\bcut", "削减"), ("oppos", "反对"), ("regret", "遗憾"), ("reject", "拒绝"), ("cancel", "取消"),
            ("dissolv", "解散"), ("postpon", "推迟"), (r"\bban", "禁止"), ("prohibit", "禁止"),
            ("abolish", "废除"), ("critici", "批评"), ("veto", "否决"), ("reduc", "减少"), ("terminat", "终止"),
            ("suspend", "暂停"), ("revok", "撤销"), ("sanction", "制裁"), ("weaken", "削弱"), ("punish", "惩罚"),
            ("decriminali[sz]", "非刑事化"))
# Who acts in a resolution — the bodies and office-holders it addresses or names — is read from the document
# (index.facts): `Corpus.facts.actor_names`, or `index.names.actor_names` of its text.
SPEAKER = load_vocab().speaker  # the body whose resolution it is: it asks, decides and welcomes in every sentence
ACTOR_GAP = 8  # an actor this close before a verb is the one doing it ("请大会主席编写")


@lru_cache(maxsize=8)
def _addressee(actors: tuple[str, ...]) -> re.Pattern[str]:
    """Whom a sentence asks ("请秘书长…", "又鼓励会员国…"): the one doing its acts when no actor is near them."""
    return re.compile(r"\s*(?:又|还|并|再次|此外还)?(?:请|邀请|吁请|敦促|鼓励|要求)("
                      + "|".join(sorted(map(re.escape, actors), key=len, reverse=True)) + ")")


def actors_of(corpus: Corpus | None, document: str = "") -> tuple[str, ...]:
    """The actors of the document: its facts when the corpus is at hand, else those read from its text."""
    return corpus.facts.actor_names if corpus is not None else actor_names(document)


_QUOTED = re.compile(r"[“「『\"]([^”」』\"]{2,30})[”」』\"]")
# "是X编写的" / "由X主办" says who did it; the 是 of 是否/是不是 only asks.
_CLEFT = re.compile(r"(?:是(?!否|不是)|由)(?![在于从])([\u4e00-\u9fff]{2,10}?)"
                    r"(编写|主办|举办|提出|召开|任命|发起|设立|推出|主持)")
ASKED_MIN = 0.5  # share of the asked noun's bigrams the evidence must hold
_BODY = re.compile(r"(?:理事会|委员会|法院|秘书处)$")
# What follows a patient in Chinese passives and asked agents: the act is done to it, by someone else.
_PASSIVE = ("由", "被", "是由", "是被", "是谁", "将由", "会由", "要由", "应由", "归谁")  # 归谁: "falls to whom"


def asserted_acts(question: str, lang: str) -> list[str]:
    if lang == "zh":
        return [a for a in ACTS if a in question]
    return [zh for pattern, zh in _ACTS_EN if re.search(pattern, question, re.I)]


def _after(question: str, word: str) -> str | None:
    """The first content word the question puts after `word` (its object or its verb)."""
    i = question.find(word)
    if i < 0:
        return None
    for tok in segment.cut(question[i + len(word) :]):
        if len(tok) >= 2 and all_han(tok) and tok not in ("什么", "哪些", "为何", "是否"):
            return tok
    return None


def _actors(question: str, lang: str, actors: Sequence[str], corpus: Corpus | None = None) -> list[str]:
    terms = chinese_terms(question, corpus) if lang == "en" else []
    text = question if lang == "zh" else " ".join(terms)
    found = [a for a in actors if a in text]
    return [a for a in found if not any(a != b and a in b for b in found)]


def check(question: str, lang: str, evidence: Sequence[str], document: str = "",
          corpus: Corpus | None = None) -> str | None:
    """Why the question's premise fails in `evidence` (the texts it would be answered from), or None.
    `document` is the whole text: an act whose every mention there has another actor was asked wrongly;
    `corpus`, when given, supplies the document's actors and English terms."""
    actors = actors_of(corpus, document)
    joined = " ".join(evidence)
    flat = normalize(joined)
    doc_flat = normalize(document)
    for phrase in _QUOTED.findall(question):
        # Words the question puts in quotation marks are words it says the text uses.
        if has_cjk(phrase) and document and not specifics.loosely_in(phrase, doc_flat):
            return f"quoted-absent:{phrase}"
    for act in asserted_acts(question, lang):
        if _quotes_the_text(question, act, doc_flat):
            continue  # "预防、禁止和惩治…议定书": the act is the text's own words, not an assertion
        if act not in joined:
            return f"act-absent:{act}"
        obj = _after(question, act) if lang == "zh" else None
        if obj and not any(obj in joined[at + len(act) : at + len(act) + 30] for at in occurrences(act, joined)):
            return f"act-object:{act}"
    specific = specifics.misplaced(question, lang, evidence, flat, doc_flat, actors, corpus)
    if specific:
        return f"specific-elsewhere:{specific}"
    miscount = tally.miscounted(question, evidence, actors)
    if miscount:
        return f"miscount:{miscount}"
    if lang == "en":  # a body the text never names ("Security Council"); asked yes/no, one the evidence lacks
        absent = [t for t in chinese_terms(question, corpus) if _BODY.search(t) and t not in document] + (
            [a for a in _actors(question, lang, actors, corpus) if a != SPEAKER and a not in joined and a in document]
            if YESNO_EN.search(question) else [])
        if absent:
            return f"actor-absent:{absent[0]}"
    if lang == "zh":
        for actor in _actors(question, lang, actors):
            if _receives(question, actor):
                continue  # "给某办公室捐款": the office receives the act, it does not do it
            verb = _after(question, actor)
            where = joined if verb and verb in joined else document
            if verb and verb in where and _other_actor(where, actor, verb, actors):
                return f"actor-swapped:{actor}"
        swapped = _direction_swapped(question, evidence, actors) or _cleft_actor(
            question, " ".join(resolved(t) for t in evidence))  # "是由X编写的": X, or the text's "该办公室" for X
        if swapped:
            return f"actor-swapped:{swapped}"
        asked = asked_noun(question)
        if asked and coverage(bigrams(asked), bigrams(joined)) < ASKED_MIN:
            return f"asked-absent:{asked}"
        missing = absent_asked(question, doc_flat)
        if missing:
            return f"asked-absent:{missing}"
    return None


def correction_site(question: str, reason: str, lang: str, paragraphs: Sequence[Paragraph],
                    actors: Sequence[str] = ()) -> Span | None:
    """Where the text states what is true in place of the premise `reason` names (`check`'s reason), among
    `paragraphs` (the evidence first): the span a "no" quotes. None when the failure is an absence (nothing
    to quote against it) or the text has no counterpart there."""
    kind, _, word = reason.partition(":")
    actors = actors or actor_names(" ".join(p.text for p in paragraphs))
    if kind == "specific-elsewhere":
        site = replaced(question, word, paragraphs)
        if site is None and lang == "zh" and word in actors:  # a body in another's place: who the text gives
            verb = _after(question, word)                       # the act to ("由乙托管" for "请甲托管")
            site = actor_site(word, verb, paragraphs, actors, ACTOR_GAP) if verb else None
        return site
    if lang != "zh":
        return None
    if kind in ("act-absent", "act-object"):
        obj = _after(question, word)
        return act_site(obj, paragraphs) if obj else None
    if kind == "actor-swapped":
        verb = _after(question, word)
        return actor_site(word, verb, paragraphs, actors, ACTOR_GAP) if verb else None
    return None


def correction(question: str, reasons: Sequence[str], lang: str, paragraphs: Sequence[Paragraph],
               actors: Sequence[str] = ()) -> tuple[str, Span] | None:
    """The first of `reasons` whose counterpart the text states, with where it does (`actors`: the
    document's, else those of `paragraphs`)."""
    for reason in reasons:
        site = correction_site(question, reason, lang, paragraphs, actors)
        if site is not None:
            return reason, site
    return None


def _receives(question: str, actor: str) -> bool:
    """The actor is the one an act is done to or for: after 给/向/对/为, or before a passive 由/被 or an asked
    agent ("X由谁托管", "X是被…设立的", "X是谁管理的"), where the question asserts no act of its own."""
    i = question.find(actor)
    if i < 0:
        return False
    after = question[i + len(actor) :]
    return (i > 0 and question[i - 1] in "给向对为") or after.startswith(_PASSIVE)


def _quotes_the_text(question: str, word: str, doc_flat: str) -> bool:
    i = question.find(word)
    ctx = normalize(question[max(0, i - 3) : i + len(word) + 3])
    return i >= 0 and len(ctx) > len(word) and ctx in doc_flat


def _cleft_actor(question: str, joined: str) -> str | None:
    """"是X编写的" / "由X主办": the question says who did it; the evidence must have X before that verb."""
    m = _CLEFT.search(question)
    if not m or asks_wh(m.group(1)):  # a focus that is asked states nothing
        return None
    who, verb = m.group(1), m.group(2)
    for at in occurrences(verb, joined):
        if who in joined[max(0, at - ACTOR_GAP - len(who)) : at]:
            return None
    return who if verb in joined else None


def _direction_swapped(question: str, evidence: Sequence[str], actors: Sequence[str]) -> str | None:
    """"X向Y提供…" where the text has "Y向X提供…" (who gives to whom): X, when no clause of the evidence keeps
    the question's direction and one reverses it."""
    at = question.find("向")
    if at < 0:
        return None
    before, after = question[:at], question[at + 1 : at + 13]
    giver = max(((before.rfind(a), a) for a in actors if a in before[-ACTOR_GAP - 10 :]), default=None)
    taker = next((a for a in sorted(actors, key=len, reverse=True) if after.removeprefix("联合国").startswith(a)), None)
    if giver is None or taker is None or giver[1] == taker:
        return None
    kept = reversed_ = False
    for text in evidence:
        for clause in split_on(text, "，；。"):
            i = clause.find("向")
            if i < 0:
                continue
            head, tail = clause[:i], clause[i + 1 : i + 1 + 16]
            kept |= giver[1] in head and taker in tail
            reversed_ |= taker in head and giver[1] in tail
    return giver[1] if reversed_ and not kept else None


def _same(a: str, b: str) -> bool:
    """One actor, perhaps written longer ("各国"/"各国政府"); the Assembly is not its President."""
    return a == b or (SPEAKER not in (a, b) and (a in b or b in a))


def _names(text: str, actor: str, actors: Sequence[str]) -> bool:
    """`text` names `actor` itself, not only another actor holding its name ("大会" in "大会主席")."""
    for longer in actors:
        if actor in longer and not _same(actor, longer):
            text = text.replace(longer, "□")
    return actor in text


def _other_actor(text: str, actor: str, verb: str, actors: Sequence[str]) -> bool:
    """The text gives `verb` to another actor: the actor nearest before it (within ACTOR_GAP) is another one
    wherever it stands with one ("并邀请大会主席任命" though 秘书长 opens the sentence); where no actor stands
    that close, a sentence that names `actor` at all supports it."""
    seen = False
    pointed = antecedents(text)  # "由该办公室编写": the office the text named before does it
    for at in occurrences(verb, text):
        clause = text[max(text.rfind(x, 0, at) for x in "，；。") + 1 : at]
        if _names(clause, actor, actors):  # one of the actors the clause gives the verb to ("请各国和…利益攸关方继续")
            return False
        before = text[max(0, at - ACTOR_GAP) : at]
        # An actor after 向/与/对… receives or joins the act ("向大会提交"); it does not do it.
        near = max(((i, a) for a in actors if (i := before.rfind(a)) >= 0
                    and not before[:i].endswith(tuple("向与同对给为"))), default=None)
        named = next((name for where, _, name in reversed(pointed) if at - ACTOR_GAP <= where < at
                      and any(a in name for a in actors)), None) if near is None else None
        if named is not None:  # "由该办公室编写": the body the demonstrative points to
            if actor in named:
                return False
            seen = True
            continue
        if near is not None:
            if _same(near[1], actor):
                return False
            seen = True
            continue
        start = max(text.rfind(x, 0, at) for x in "；。") + 1
        ends = [e for e in (text.find(x, at + len(verb)) for x in "；。") if e >= 0]
        sentence = text[start : min(ends) if ends else len(text)]
        if _names(sentence, actor, actors):
            return False
        # No actor close to the verb: the sentence's addressee does it ("请秘书长…，在…报告中专列一节").
        # the Assembly speaks every sentence: it is never the one asked
        asked = _addressee(tuple(actors)).match(sentence)
        seen = seen or bool(asked and actor != SPEAKER and not _same(asked.group(1), actor))
    return seen
