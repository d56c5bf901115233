"""The words a list question is about: its content tokens less asking words, drafting verbs and class
names, neighbours the text writes as one name joined, and a long run copied from the text kept whole."""

from __future__ import annotations

import re

from index import Corpus
from index.verbs import leading_verb
from rag import segment
from rag.glossary import chinese_terms
from rag.intent import CLASSES, VERB_WORDS, class_named
from rag.strings import all_han
from rag.text import has_cjk, is_question_word

# Words that shape a list question without naming what it is about.
_FILLER = {"段落", "提到", "提及", "内容", "事项", "方面", "措施", "列出", "列举", "所有", "全部", "各项", "逐一",
           "点名", "事情", "东西", "工作", "任务", "要求", "请求", "做", "要做", "部分", "执行", "序言", "总结", "概括",
           "概述", "归纳", "要点", "摘要", "大意", "主要", "有何", "哪几", "被", "被要", "一些", "几", "那些", "这些",
           "文件", "文书", "报告", "名称", "名字", "援引", "引用", "多少", "数量", "数目", "共有", "几项", "几个",
           "大会", "决议", "本决议", "地方", "哪里", "位置", "情况", "语境", "背景", "作用", "角色", "对象", "具体",
           "行动", "事",
           # words about the text's own wording ("用了“敦促”这个动词"): what it says is the topic, not them
           "动词", "词", "词语", "字眼", "措辞", "用语", "说法", "表述", "字样",
           # when, relative to now ("以往的决议"): a qualifier, not a topic the text must hold
           "以往", "以前", "此前", "过去", "先前", "之前", "早先", "往年"}
# Parts of speech that do not name what a list is about: verbs, adverbs, prepositions, conjunctions,
# particles, pronouns, numerals, measure words, locatives, adjectives.
_NOT_TOPICS = set("vdpcurmqfa")
_JOINABLE = re.compile(r"[\u4e00-\u9fff]{3,12}")


LONG_RUN = 8  # a run of the question this long that the text writes is a name copied from it


def focus_terms(question: str, lang: str, text: str, corpus: Corpus | None = None) -> list[str]:
    """The words a list is about: content tokens that are not asking words, drafting verbs, class names
    or other verbs — adjacent tokens the text writes as one ("大会"+"主席") kept as one."""
    verb_words = {w for _, words in VERB_WORDS for w in words} | {v for v, _ in VERB_WORDS}
    if lang == "en":
        tokens = [(t, "n") for t in chinese_terms(question, corpus)]
    else:
        tokens = _merged(question, text)
    # The words of the classes a list asks for ("哪些特别报告员和特别代表": 特别报告员, 代表 …)
    asked = (class_named(question) or "").split("+")
    classes = {w for name, p in CLASSES if name in asked
               for m in re.finditer(rf"(?:特别|special\s+)?(?:{p})", question, re.I)
               for w in [m.group()] + chinese_terms(m.group(), corpus) + [x for x, _ in _merged(m.group(), text)]}
    out = []
    for t, flag in tokens:
        if len(t) < 2 or t in _FILLER or t in verb_words or t in classes or \
                any(re.fullmatch(p, t, re.I) for _, p in CLASSES):
            continue
        if not has_cjk(t) or flag[:1] in _NOT_TOPICS or leading_verb(t) == t:
            continue
        out.append(t)
    for run in _written(question, text) if lang == "zh" else ():
        # "对某某问题特别是某某方面的自愿基金有什么请求" (a long name copied from the text) is one
        # thing to look for, not seven words that each match elsewhere.
        at = next((i for i, t in enumerate(out) if t in run), len(out))
        out = out[:at] + [run] + [t for t in out[at:] if t not in run]
    return list(dict.fromkeys(out))


def _written(question: str, text: str) -> list[str]:
    """Runs of the question at least LONG_RUN characters long that the text writes word for word."""
    runs, i = [], 0
    while i < len(question):
        j = i + LONG_RUN
        while j <= len(question) and question[i:j] in text:
            j += 1
        if j - 1 - i >= LONG_RUN and all_han(question[i : j - 1]):
            runs.append(question[i : j - 1])
            i = j - 1
        else:
            i += 1
    return runs


def _merged(question: str, text: str) -> list[tuple[str, str]]:
    """jieba tokens (with part of speech) of the question's content, neighbours joined when the text has
    them joined and the join is a name ("大会主席", "联合国某某基金会")."""
    words = [(w.word, w.flag) for w in segment.cut_tagged(question) if w.word.strip()]
    out: list[tuple[str, str]] = []
    for word, flag in words:
        joined = out[-1][0] + word if out else ""
        # Only a token the question's asking words would drop ("大会") is joined to its neighbour.
        if out and len(out[-1][0]) > 1 and is_question_word(out[-1][0]) and len(word) > 1 and \
                flag.startswith("n") and _JOINABLE.fullmatch(joined) and joined in text:
            out[-1] = (out[-1][0] + word, "n")
        else:
            out.append((word, flag))
    out = [part for w, f in out for part in _parts_written(w, f, text)]
    return [(" ", "x") if is_question_word(w) else (w, f) for w, f in out]


def _parts_written(word: str, flag: str, text: str) -> list[tuple[str, str]]:
    """A compound noun the text never writes, made of words it does ("保护措施" where the text has 保护 and
    措施 apart), stands for those words: a list about it is a list of where they are said together. A word
    the text writes, or one with a part it never uses, stays whole (then nothing is gathered for it)."""
    if not flag.startswith("n") or len(word) < 3 or word in text or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
        return [(word, flag)]
    parts, at = [], 0
    for part in segment.cut_all(word):  # every dictionary word inside, in order of position
        if len(part) >= 2 and part != word and word.startswith(part, at):
            parts.append(part)
            at += len(part)
    if at != len(word) or len(parts) < 2 or not all(part in text for part in parts):
        return [(word, flag)]
    return [(part, "n") for part in parts]


def term_at(text: str, term: str) -> int:
    """Where `term` stands in `text` as written, or a long name (LONG_RUN or more) in the short form the
    text uses again later: its first and last two characters with a few of its own between ("机构间打击某某
    问题协调小组" → "机构间协调小组"); -1 when it does not."""
    at = text.find(term)
    if at >= 0 or len(term) < LONG_RUN:
        return at
    inner = re.escape("".join(dict.fromkeys(term[2:-2])))
    m = re.search(f"{re.escape(term[:2])}[{inner}]{{1,4}}{re.escape(term[-2:])}", text)
    return m.start() if m else -1
