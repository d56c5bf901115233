"""Wording of answers and refusals around verified quotes: Chinese with 【执行部分第12段】 marks, English with [OP12].

The frame words carry no facts (every fact is inside a quotation), so an answer is exactly as grounded
as its quotes.
"""

from __future__ import annotations

import re

from index import Corpus, Paragraph
from index.verbs import base_verb, leading_verb
from rag.types import Citation

_VERB_EN = {
    "决定": "decides", "请": "requests", "再次请": "again requests", "敦促": "urges", "又敦促": "also urges",
    "鼓励": "encourages", "欢迎": "welcomes", "又欢迎": "also welcomes", "回顾": "recalls", "又回顾": "also recalls",
    "确认": "recognizes", "又确认": "also recognizes", "还确认": "further recognizes", "重申": "reaffirms",
    "注意到": "takes note of", "申明": "affirms", "强调": "stresses", "意识到": "is aware", "肯定": "acknowledges",
    "又肯定": "also acknowledges", "吁请": "calls upon", "赞赏地注意到": "notes with appreciation",
    "再次表示关切": "reiterates its concern",
}


def mark(c: Citation | Paragraph, lang: str) -> str:
    return f"【{c.label_zh}】" if lang == "zh" else f"[{c.id}]"


def quoted(c: Citation, lang: str) -> str:
    return f"“{c.quote}”{mark(c, lang)}"


_CONNECTIVES = re.compile(r"^(?:因此|并且|并|同时|此外还|此外|又|还|以及)")


def en_lead(p: Paragraph, quote: str) -> str:
    """"Operative paragraph 12 (decides)": the verb the quoted words themselves open with, if any."""
    label = Corpus.label(p.id, "en", capital=True)
    verb = leading_verb(_CONNECTIVES.sub("", quote.lstrip()))
    english = _VERB_EN.get(verb or "") or _VERB_EN.get(base_verb(verb or ""))
    return f"{label} ({english})" if english else label


def answer_text(citations: list[Citation], corpus: Corpus, lang: str, whole: bool) -> str:
    """One sentence per citation: a lead-in and the quoted words with their mark."""
    sentences = []
    for i, c in enumerate(citations):
        p = corpus.get(c.id)
        assert p is not None
        if lang == "zh":
            if whole:
                lead = f"{p.label_zh}全文："
            elif p.kind == "footnote":
                lead = f"其出处见{p.label_zh}："
            else:
                lead = "根据决议，" if i == 0 else "另外，"
            sentences.append(f"{lead}{quoted(c, lang)}。")
        else:
            lead = (f"The full text of {p.label_en}: " if whole
                    else f"The source is given in {p.label_en}: " if p.kind == "footnote"
                    else f"{en_lead(p, c.quote)}: ")
            sentences.append(f"{lead}{quoted(c, lang)}.")
    return "\n".join(sentences) if lang == "zh" else " ".join(sentences)


def correction_lead(reason: str, yesno: bool, lang: str) -> str:
    """The opening of a "no": which part of the question's premise the resolution does not bear out."""
    kind, _, word = reason.partition(":")
    if lang == "zh":
        # The question's words are named without quotation marks: a quotation in an answer is the text's.
        asked, _, stated = word.partition(">")
        what = {"act-absent": f"决议没有说{word}。", "act-object": f"决议没有这样{word}。",
                "numeral": f"决议在这里说的是{stated}，不是{asked}。",
                "actor-swapped": f"决议中这样做的不是{word}。",
                "specific-elsewhere": f"决议在这里说的不是{word}。",
                "miscount": f"决议在这里列出的数目不是{word}。"}.get(kind, "决议并没有这样说。")
        return ("不。" if yesno else "问题的前提与决议不符：") + what
    asked, _, stated = word.partition(">")
    what = {"specific-elsewhere": f"The resolution does not say {word} here.",
            "numeral": f"The resolution says {stated} here, not {asked}."}.get(
        kind, "The resolution does not say that.")
    return ("No. " if yesno else "The question's premise does not hold: ") + what


def no_text(citations: list[Citation], corpus: Corpus, lang: str, lead: str = "") -> str:
    """A premise the evidence contradicts: `lead` ("no" and why), then what the resolution does say, quoted."""
    said = answer_text(citations, corpus, lang, whole=False)
    if lang == "zh":
        return (lead or "不。决议并没有这样说。") + said.replace("根据决议，", "决议说的是：", 1)
    return (lead or "No. The resolution does not say that.") + " What it says: " + said


def refusal_text(question: str, lang: str, see_also: list[Paragraph], reason: str = "") -> str:
    """Not answered: what was asked, quoted back; first the things asked of that the text never names, when
    that is the reason ("not-mentioned:中国")."""
    absent = reason.split(":", 1)[1].split(",") if reason.startswith("not-mentioned:") else []
    topic = question.strip().rstrip("？?。.!！")
    if len(topic) > 60:
        topic = topic[:60] + "…"
    if lang == "zh":
        text = "".join(f"决议没有提到“{a}”。" for a in absent) + f"决议中没有关于“{topic}”的规定。"
        if see_also:
            text += "\n可参阅（仅供参考，不是引用）：" + "、".join(p.label_zh for p in see_also)
        return text
    text = "".join(f"The resolution never mentions “{a}”. " for a in absent) + \
        f"The resolution does not say this (“{topic}”)."
    if see_also:
        text += " See also (not citations): " + ", ".join(p.label_en for p in see_also)
    return text


def missing_text(missing: list[str], corpus: Corpus, lang: str) -> str:
    """A reference to paragraphs that do not exist: say so, and how many there are."""
    parts = []
    for pid in missing:
        name, total = corpus.label(pid, lang), corpus.total_phrase(corpus.split_id(pid, strict=False)[0], lang)
        if lang == "zh":
            parts.append(f"决议没有{name}：{total}。")
        else:
            parts.append(f"The resolution has no {name}: it has {total}.")
    return ("" if lang == "zh" else " ").join(parts)


def injection_text(lang: str) -> str:
    if lang == "zh":
        return ("这个问题要求改变回答规则或引用不存在的内容；resqa 只按决议原文作答，不执行此类指令。"
                "请直接提问决议的内容。")
    return ("This question asks resqa to change how it answers; resqa answers only from the resolution's text "
            "and does not follow such instructions. Please ask about what the resolution says.")


def missing_subparagraph_text(pids: list[str], letters: tuple[str, ...], corpus: Corpus, lang: str) -> str:
    """A lettered subparagraph the cited paragraph does not have: say so, and that it is not subdivided."""
    parts = []
    for pid in pids:
        p = corpus.get(pid)
        if p is None:
            continue
        for x in letters:
            if lang == "zh":
                parts.append(f"决议{p.label_zh}没有({x})分段：该段不分项。")
            else:
                label = corpus.label(p.id, lang, capital=True)
                parts.append(f"{label} has no subparagraph ({x}): it is not divided into subparagraphs.")
    return ("" if lang == "zh" else " ").join(parts)
