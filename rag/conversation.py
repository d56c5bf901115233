"""Follow-up questions: "那第13段呢？" or "它最迟什么时候召开？" read against the previous turn.

History comes as OpenAI-style messages ({"role", "content"}) or Gradio-style [user, assistant] pairs.
A follow-up that names a paragraph but asks nothing new inherits the previous question's ask; one that
refers back with a pronoun inherits the previous question's subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rag import segment
from rag.intent import classify, units_named
from rag.premise import GENERIC_NOUNS
from rag.refs import resolve
from rag.strings import han_runs, latin_letters, replace_words, split_on
from rag.structure import name_start
from rag.text import content_bigrams, content_of_question, has_cjk, is_question_word

_FOLLOW = re.compile(r"^(那|那么|还有|然后|and|what about|how about)|呢[？?]?$", re.I)
_PRONOUN = re.compile(r"它|其|该|(?:这|那)一?[份个次项些位段条部届场种本篇]|此|上述|同一|同样的|相同的|"
                      r"\b(it|its|they|them|this|that|these)\b",
                      re.I)
_BARE_IT = ("它们", "它")  # "it" and "they" standing alone, 它们 read whole
MAX_FOLLOW_LEN = 40
MAX_NAMED = 3  # things the previous answer named that a follow-up is searched with
_NAMED = re.compile(r"《[^》]{2,80}》|(?<![\w/])(?:[A-Z]{1,6}/)*\d{1,3}/\d{1,4}(?:/[A-Za-z0-9.]+)*")
_NUMERALS = "一二三四五六七八九十"
_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_NTH = re.compile(r"(?:其中)?第([一二三四五六七八九十])(?:个|项|份|部)"
                  r"(?:[\u4e00-\u9fff]{0,2}?(?:公约|议定书|文书|文件|报告|决议))?"
                  r"|\bthe (" + "|".join(_ORDINAL_WORDS) + r") "
                  r"(?:one|convention|protocol|instrument|report|resolution)\b", re.I)


# "And the Protocol?" / "What about X?" / "How about X?": an English follow-up that asks the last ask of X.
# The thing is read without its article and must hold a word (three letters or more); a wh-question is no thing.
_WHAT_ABOUT_EN = re.compile(r"^(?:and|what about|how about)\s+(?!(?:when|what|where|who|whom|why|how|which|did|does|do|"
                            r"is|are|was|were|can|could|will|would|has|have|had)\b)(?=.*[A-Za-z]{3})(?:the\s+)?"
                            r"(.{2,60}?)\s*\??$", re.I)
# A capitalised name, with the small words inside it ("UN Convention against Transnational Organized Crime").
_EN_NAME = re.compile(r"[A-Z][\w'-]*(?:\s+(?:(?:against|of|on|for|and|the|to|in)\s+)*[A-Z][\w'-]*)*")
_WHAT_ABOUT = re.compile(r"^(?:那|那么|还有)\s*([^，,？?。]{2,20}?)\s*(?:呢|又如何|又怎样)[？?]?$")
_DEMONSTRATIVE = re.compile(r"(?:这|那|该)[一]?[份个次项些位段条部届场种本篇]?(?=[\u4e00-\u9fff])")
_LAST_ITEM = re.compile(r"最后(?:一|那)?(?:个|项|份|部)(?:[\u4e00-\u9fff]{0,2}?(?:公约|议定书|文书|文件|报告|决议))?|"
                        r"\bthe last (?:one|convention|protocol|instrument|report|resolution)\b", re.I)


def user_turns(history: Sequence[Any] | None) -> list[str]:
    """The user's earlier questions, oldest first, from either history format."""
    out: list[str] = []
    for item in history or ():
        if isinstance(item, dict):
            if item.get("role") == "user" and isinstance(item.get("content"), str):
                out.append(item["content"])
        elif isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
            out.append(item[0])
    return out


def assistant_turns(history: Sequence[Any] | None) -> list[str]:
    """The answers given so far, oldest first, from either history format."""
    out: list[str] = []
    for item in history or ():
        if isinstance(item, dict):
            if item.get("role") == "assistant" and isinstance(item.get("content"), str):
                out.append(item["content"])
        elif isinstance(item, (list, tuple)) and len(item) > 1 and isinstance(item[1], str):
            out.append(item[1])
    return out


def named_in(answer: str) -> list[str]:
    """What an answer names, in order: 《》 titles and document symbols (64/293, A/67/261)."""
    return [m.group() for m in _NAMED.finditer(answer)]


def items_in(answer: str) -> list[str]:
    """The items an answer enumerates, in order: its 《》 titles and symbols; else its "- " lines' first quote;
    else the names of its first sentence's series ("A、B和C")."""
    named = named_in(answer)
    lines = [m.group(1) for m in re.finditer(r"^\s*[-•*]\s*“?([^”【\[\n]{2,80})", answer, re.M)]
    first = split_on(answer.strip(), "。.;；\n", maxsplit=1)[0]
    first = split_on(first, "：:")[-1]  # "序言部分提到两个：A，以及B": the series follows the colon
    # Items are parted by 、 and the last two by one conjunction; a 和 inside a name ("某某和某某问题办公室")
    # stands in an earlier item, so only the last piece is split, at its last conjunction.
    pieces = [s.strip(" “”\"") for s in split_on(first, "、，,；") if s.strip(" “”\"")]
    conjunctions = list(re.finditer(r"以及|及|和|与|\band\b", pieces[-1])) if pieces else []
    if conjunctions and conjunctions[0].start() == 0:  # "A，以及B": the last item follows its conjunction
        pieces[-1] = pieces[-1][conjunctions[0].end() :]
    elif conjunctions:
        at = conjunctions[-1]
        pieces[-1:] = [pieces[-1][: at.start()], pieces[-1][at.end() :]]
    series = [s.strip(" “”\"") for s in pieces if s.strip(" “”\"")]
    return next((items for items in (named, lines, series) if len(items) > 1), named)


def _pointed(question: str, answer: str) -> str | None:
    """"其中第一个公约…" / "the second one" / "最后一个": the question with the item of the previous answer it
    points at."""
    m = _NTH.search(question) or _LAST_ITEM.search(question)
    if not m:
        return None
    named = items_in(answer)
    if m.re is _LAST_ITEM:
        n = len(named)
    else:
        word = (m.group(1) or m.group(2) or "").lower()
        n = _ORDINAL_WORDS.index(word) + 1 if word in _ORDINAL_WORDS else _NUMERALS.find(word) + 1
    if not 0 < n <= len(named):
        return None
    rest = question[m.end() :]
    if rest.lstrip().startswith(("，", ",")) and "它" in rest:
        # "那第一个，大会对它有什么请求？": the item stands where the pronoun does, the ordinal was its topic.
        return replace_words(rest.lstrip("，, "), dict.fromkeys(_BARE_IT, named[n - 1]), count=1)
    return question[: m.start()] + named[n - 1] + question[m.end() :]


def _subjectless(question: str) -> bool:
    """A Chinese question that names nothing ("最晚什么时候发布？在哪儿发布？"), or only an attribute ("主题是
    什么？"): its subject is the one before, dropped as Chinese drops a known subject."""
    if not has_cjk(question):
        return False
    return not any(w.flag.startswith(("n", "eng")) and len(w.word) > 1 and not is_question_word(w.word)
                   and w.word not in GENERIC_NOUNS for w in segment.cut_tagged(question))


def _subject(previous: str, text: str) -> str | None:
    """What the previous question was about: its longest run of four or more characters the text writes
    (a body's or report's name as the text has it), not counting asking words."""
    best = ""
    for run in han_runs(content_of_question(previous), 4):
        for i in range(len(run)):
            for j in range(len(run), i + max(3, len(best)), -1):
                if run[i:j] in text:
                    best = run[i:j]
                    break
    return best or None


def _swapped_en(question: str, previous: str) -> str | None:
    """"And the Protocol?" / "What about X?": the previous English question asked of X, X standing where its
    last capitalised name stood ("…had the UN Convention against … reached?" → "…had the Protocol reached?")."""
    m = _WHAT_ABOUT_EN.match(question.strip())
    thing = m.group(1).strip() if m else ""
    if not thing or _PRONOUN.fullmatch(thing):
        return None
    names = [n for n in _EN_NAME.finditer(previous) if n.start() > 0]  # not the capital of its first word
    if not names:
        return None
    last = names[-1]
    return previous[: last.start()] + thing + previous[last.end() :]


def _swapped(question: str, previous: str, text: str) -> str | None:
    """"那X呢？" with X a thing: the previous question asked of X, X standing where the phrase with X's head
    word stood ("特别报告员报告" → "秘书长的报告"), or else where the previous question's subject did."""
    if not has_cjk(question):
        return _swapped_en(question, previous) if not has_cjk(previous) else None
    m = _WHAT_ABOUT.match(question.strip())
    if not m or not has_cjk(m.group(1)):
        return None
    if _NTH.search(m.group(1)) or _LAST_ITEM.search(m.group(1)) or _PRONOUN.fullmatch(m.group(1).strip()):
        return None  # "那第二个呢" / "那它呢": an item or a pronoun, read elsewhere
    thing = _DEMONSTRATIVE.sub("", m.group(1)).strip()
    words = [w for w in segment.cut(thing) if w.strip()]
    if not words or not any(len(w) > 1 and not is_question_word(w) and w not in GENERIC_NOUNS for w in words):
        return None
    at = _head_end(previous, words[-1])
    if at is not None:
        start = name_start(previous, at)
        return previous[:start] + thing + previous[at:] if start < at else None
    if "的" in thing:  # "那秘书长那份报告的文号呢？": a thing and what is asked of it, in the same part
        parts = [{"preamble": "序言中", "operative": "执行部分中"}.get(u, "") for u in units_named(previous)]
        return (parts[0] if len(parts) == 1 else "") + thing + "是什么？"
    subject = (_subject(previous, text) if text else None) or _first_noun(previous, text)
    if not subject or thing in previous:
        return None
    a, b = _whole(previous, subject)
    return previous[:a] + thing + previous[b:]


def _whole(question: str, part: str) -> tuple[int, int]:
    """Where `part` stands in the question, grown to the whole 《title》 it is in ("《联合国打击跨国有组织犯罪公约》"
    holds "联合国打击跨国", cut at the asking word 有): the thing it names, not a piece of it."""
    a = question.find(part)
    b = a + len(part)
    at = question.find("《")
    while at >= 0 and (close := question.find("》", at)) >= 0:
        if at <= a and b <= close + 1:
            return at, close + 1
        at = question.find("《", close + 1)
    return a, b


def _head_end(previous: str, head: str) -> int | None:
    """Where the last whole-token `head` of the previous question ends ("报告", not the 报告 of "报告员")."""
    at, pos = None, 0
    for w in segment.cut(previous):
        if w == head:
            at = pos + len(w)
        pos += len(w)
    return at


def _first_noun(question: str, text: str) -> str | None:
    """The question's first content noun that the text uses: what it was about when nothing longer is."""
    return next((w.word for w in segment.cut_tagged(question) if w.flag.startswith("n") and len(w.word) > 1
                 and not is_question_word(w.word) and w.word not in GENERIC_NOUNS and (not text or w.word in text)),
                None)


def contextualize(question: str, history: Sequence[Any] | None, text: str = "") -> str:
    """The question as it would read on its own, given the conversation so far."""
    return read_in_context(question, history, text)[0]


def read_in_context(question: str, history: Sequence[Any] | None, text: str = "") -> tuple[str, str]:
    """(what to search with, what is asked): a follow-up that refers back with a pronoun is searched
    with the previous question's subject but asks only its own question ("它最迟什么时候召开？" wants a
    date, not the previous answer again)."""
    turns = user_turns(history)
    latin = latin_letters(question) > len(question) / 2
    if not turns or len(question) > MAX_FOLLOW_LEN * (3 if latin else 1):  # English takes ~3x the characters
        return question, question
    answers = assistant_turns(history)
    pointed = _pointed(question, answers[-1]) if answers else None
    if pointed:  # the item of the previous answer it points at, named: a question of its own
        return pointed, pointed
    previous = turns[-1]
    now = resolve(question)
    before = resolve(previous)
    if now.refs and _FOLLOW.search(question.strip()) and not content_bigrams(now.remainder):
        # "那第13段呢？" after "第12段决定了什么？": the old ask, the new paragraph.
        merged = f"{now.reference_text(question)}{before.remainder.strip()}"
        return merged, merged
    swapped = _swapped(question, previous, text) if not now.refs else None
    if swapped:  # "那秘书长的那份报告呢？" after "序言里提到的特别报告员报告是哪份文件？": the old ask of a new thing
        return swapped, swapped
    if not now.refs and (_PRONOUN.search(question) or _subjectless(question)):
        # Searched with the previous question and what its answer named ("that resolution" → 64/293); a list
        # of where a bare 它/它们 stands ("还有哪几段提到它") gathers by the previous question's subject.
        named = " ".join(named_in(answers[-1])[:MAX_NAMED]) if answers else ""
        gathers = classify(question).kind == "list"
        subject = _subject(previous, text) if text and gathers and "它" in question else None
        asked = replace_words(question, dict.fromkeys(_BARE_IT, subject), count=1) if subject else question
        return f"{previous.strip().rstrip('？?')} {named} {asked}", asked
    if not now.refs and before.refs and len(question) <= MAX_FOLLOW_LEN and classify(question).klass:
        # "Which previous reports?" after a question on paragraph 15: the things of that class it names.
        ref = before.reference_text(previous)
        scoped = f"{question.strip().rstrip('?？')} in {ref}?" if latin else f"{ref}{question.strip()}"
        return scoped, scoped
    return question, question

