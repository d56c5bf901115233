"""What shape of answer a question asks for: a fact, a list, a count, a summary, a relation, a name, a
reason, or a yes/no verdict — and what the list or count is of (a drafting verb, an addressee, a class of
named things, a part of the document).

The words here are the vocabulary of questions about any UN resolution (总结/哪些/多少段/指的是/叫什么/
为什么/是否 …) and of General Assembly drafting (请/敦促/鼓励 …), never the wording of a particular question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.glossary import chinese_terms
from rag.strings import has_word, in_words

# A theme summary is asked for in so many words, or as "everything it says" on a theme ("在X方面…说了些什么",
# "总体来看，…有什么…"): 些 and 总体 ask for more than one clause.
_SUMMARY = re.compile(r"总结|概括|概述|归纳|摘要|要点|主要内容|大意|梗概|综述|简述|核心|主旨|要旨|中心思想|"
                      r"总体来看|总的来看|总的来说|整体来看|(?:说|讲|谈)了些什么|(?:说|讲|谈|写|提)了(?:哪些|些)?(?:什么)?(?:内容|东西)|"
                      r"(?:大致|大概|大体)(?:上)?(?:说|讲|谈|写)|(?:有|包括|包含|涵盖)(?:哪些|什么)内容|方面(?=[^？?]{0,12}说了)|"
                      r"简要介绍|简单介绍|概览|简介|summar|overview|outline|gist|"
                      # "in a sentence or two" / "用一两句话说清楚": the same ask in plain words
                      r"[一两几]{1,2}句话|\bin (?:a|one|two|a few) (?:sentences?|words)\b|"
                      r"\bin plain (?:words|language|english)\b|\bbriefly\b|"
                      r"rundown|recap|synopsis|sum up|sum it up|in a nutshell|tl;?dr|highlights|"
                      r"main points|key points|in brief|what is (?:the resolution|it) about", re.I)
# What a demonstrative the text uses points back to ("该办公室是哪个机构", "“这次会议”说的是哪一次"): the
# phrase, then "which one / who" ending the question (not "该报告是什么时候提交的", which asks a fact of it).
_POINTS_BACK = re.compile(r"(?:这次|这些|该|上述|那次|这一|这个|这项|那些|此)[\u4e00-\u9fff]{1,10}[”’」\"]?[，,]?\s*"
                          r"(?:(?:说|指)的是(?:哪|谁)|是哪(?:个|一个|一次|次|项|家|位|些)[\u4e00-\u9fff]{0,4}[？?]?\s*$|"
                          r"是谁[？?]?\s*$)|[“‘「\"](?:其中|其|它们|它)[”’」\"]\s*(?:是指|指的是|指)")
_QUOTED_BACKREF = re.compile(r"[“\"](?:这次|这些|该|上述|那次|这一|这个|这项|那些|其中|其(?![他余它实次])|它们|它)"
                             r"[\u4e00-\u9fff]{0,10}[”\"]")
_RELATION = re.compile(r"指的是|指什么|是指|指哪|所指|指代|指向|refers? to|referring to|关系|联系|有何关联|有什么关联|"
                       r"标注在|标在|attached to|cited (?:in|at|by)|哪些段落(?:引用|标注)|"
                       r"\brelat|\bconnect|\blink(?:ed)? to|"
                       # comparing two parts: how one differs from, follows from or builds on another
                       r"区别|异同|不同之处|相比|对比|比较|呼应|衔接|承接|\bdiffer|\bcompare|\bcomparison|"
                       r"build(?:s)? (?:up)?on|follow(?:s)? (?:up )?on|follow(?:s)? from|"
                       r"[“‘「\"']同上[”’」\"']|\bibid\b", re.I)  # what a note's "同上" (ibid.) repeats
_NAME = re.compile(r"叫什么|叫啥|名称|全称|名字|标题|题目|主题|称为|叫做|题为|\btitled?\b|\bcalled\b|\bname\b|"
                   r"full name|\btheme\b", re.I)
_PERSON_NAME = re.compile(r"是谁|哪位|姓名|\bwho\b|(?:主任|主席|协调人|报告员|代表|专员|负责人|官员|大使|部长|"
                          r"总统|总理|秘书长)[^，。？?]{0,4}?(?:叫什么|名字)", re.I)
# 目的 as a word, not the tail of 项目/题目/数目 followed by 的 ("项目的报告").
_WHY = re.compile(r"为什么|为何|为了什么|(?<![项题科数节书条栏剧面名])目的|原因|理由|"
                  r"\bwhy\b|purpose|\breasons?\b|in order to|what for", re.I)
# An English yes/no question: a tag at the end, or an auxiliary verb first (rag.premise checks these too).
YESNO_EN = re.compile(r"\b(?:right|correct|isn't it|didn't it|wasn't it)\?\s*$|"
                      r"^(?:did|does|do|is|was|were|has|have|had|will|can)\b", re.I)
_YESNO = re.compile(r"是否|有没有|是不是|对吗|对不对|对吧|是吧|没错吧|吗[？?]?\s*$|吧[？?]?\s*$|" + YESNO_EN.pattern,
                    re.I)
# "第几个/第几届" asks which one (an ordinal), "哪几段" which ones: neither asks how many.
# "文号是多少" asks a value (a symbol, a volume), not how many.
_COUNT = re.compile(r"(?<!号)(?<!号是)(?<!号码是)(?<!卷是)多少|(?<![第哪])几[个项段条份次位种部]|数目|数量|"
                    r"how many|number of", re.I)
_LIST = re.compile(r"哪些|哪几|有什么|有何|都有|列出|列举|一一|所有|全部|各项|分别|逐一|\blist\b|"
                   r"which (?:\w+ ){0,3}(?!(?:was|is|has|does|this|its|contains|says|states|asks|requests|urges|"
                   r"calls|mentions|refers|includes|deals|lists|names|gives|takes|decides|welcomes)\b)\w+s\b|"
                   r"what (?:are|were) the|\ball (?:the )?\w+s\b|"
                   r"(?:what|whom|who) (?:does|did|do) (?:the )?(?:general )?(?:resolution|assembly|it|un|ga)\b|"
                   r"\bto do\b|"
                   r"where (?:\w+ ){0,8}mention|在哪些|哪些段落|哪些地方|"
                   r"做(?:些|点)?什么|做哪些|要做|提出了什么|说了什么|什么要求|什么请求", re.I)
_MENTIONED = re.compile(r"提到|提及|列出|列举|点名|援引|引用|\bnamed?\b|mention|listed|cited|referred", re.I)
# "决议提到的议定书有多少缔约方": a number asked of a thing the text mentions, not a count of mentions.
_OF_MENTIONED = re.compile(r"(?:提到|提及|列出|援引|引用)的[^，。？?]{2,30}?(?:多少|几)\s*[个项位名家]?\s*"
                           r"[\u4e00-\u9fff]{2}")
_UNITS = (("operative", ("执行部分", "执行段落", "执行段", " operative")),
          ("preamble", ("序言", " preamb")), ("footnote", ("脚注", "注释", " footnote")))
# A count of the document's own parts: "多少个执行段落", "脚注有几个", "how many operative paragraphs".
_PARTS = re.compile(r"(?:多少|(?<![第哪])几)\s*(?:个|项)?\s*(?:执行|序言)?\s*(?:部分)?\s*(?:段|脚注|注释)|"
                    r"(?:段落?|脚注|注释)\s*(?:一共|总共)?\s*(?:有|共有)?\s*(?:多少|几)|"
                    r"(?:how many|number of) (?:\w+ )?(?:paragraphs|footnotes)", re.I)

# Drafting verbs as the text writes them, with the words questions use for them.
VERB_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("敦促", ("敦促", "促请", "urge")), ("吁请", ("吁请", "呼吁", "call upon", "calls upon", "call on")),
    ("鼓励", ("鼓励", "encourage")), ("邀请", ("邀请", "invite")), ("欢迎", ("欢迎", "welcome")),
    ("确认", ("确认", "承认", "recogni")), ("注意到", ("注意到", "takes note", "take note", "notes", "noted")),
    ("重申", ("重申", "reaffirm")), ("回顾", ("回顾", "recall")), ("决定", ("决定", "decide", "decision")),
    ("肯定", ("肯定", "acknowledg")), ("申明", ("申明", "affirm")), ("强调", ("强调", "stress", "emphasi")),
    ("意识到", ("意识到", "aware")), ("关切", ("关切", "concern")), ("赞赏", ("赞赏", "appreciation")),
    ("期待", ("期待", "look forward", "looks forward")), ("支持", ("支持", "support")),
    ("请", ("请求", "request")),
)
# "要求" and "ask" are how users say any of the directing verbs (敦促, 吁请, 鼓励, 邀请, 请 …), not 请 alone.
# "大会请或邀请…": 请 as the drafting verb, not the polite "请总结/请列出/请问".
_BARE_REQUEST = re.compile(r"(?<![申邀吁促])请(?!问|求|总结|概括|列出|列举|逐项|给出|说明|解释|告诉|回答|简述|描述|"
                           r"介绍|用|看|帮)(?=[或和与及、\u4e00-\u9fff])")
# Verbs that direct someone to act: "what is asked of X" means any of them.
DIRECTIVE = ("请", "吁请", "敦促", "鼓励", "邀请", "促请")
_ASK_OF = re.compile(r"要求|请求|\bask(?:s|ed)?\b|request(?:s|ed)?|做(?:些|点)?什么|做哪些|"
                     r"要做|what (?:is|are) .{0,30} (?:asked|requested|called upon|urged) to", re.I)
# Classes of named things a list can be of, and how an instance is recognised. A class counts only as what a
# list asks for: after a wh-word ("哪些公约", "which conventions") or before "有哪些" ("决议有哪些").
CLASSES: tuple[tuple[str, str], ...] = (
    ("议定书", r"议定书|protocols\b"),
    ("公约", r"公约|conventions\b"),
    ("文书", r"文书|instruments\b|treaties\b|条约"),
    ("决议", r"决议|resolutions\b"),
    ("文件", r"文件|文号|documents\b|symbols\b|reports\b|报告(?!员)"),
    ("报告员", r"报告员|特别代表|rapporteurs\b|special representatives\b"),
    ("国家", r"国家|countries\b"),
)
_WH = r"(?:哪些|哪几|什么|多少|几|列出|列举|所有|全部|which|what|how many|list|all|name the|name all)"
_GAP = r"(?:[^，。？?\s]{0,8}?|(?:\w+\s+){0,2})"  # a few qualifying words between the wh-word and the class
_CLASS_PATTERNS = tuple(
    (name, re.compile(rf"{_WH}\s*[个项份部种类条次]?\s*{_GAP}(?:{words})(?![中里的提说要对在])|"
                      rf"(?:{words})\s*(?:具体)?\s*(?:有|包括|都有|是|分别是|共有)\s*(?:哪些|哪几|什么)"
                      rf"(?=\s*[？?。，,]|\s*$)" + (
                          # "提到的公约一共有几个": the class, then its count (documents are counted by symbol)
                          rf"|(?:{words})\s*(?:一共|总共|共)?\s*有?\s*(?:多少|几)\s*[个项份部种条位]?(?=\s*[？?。，,]|\s*$)"
                          if name != "文件" else ""), re.I))
    for name, words in CLASSES)


@dataclass(frozen=True)
class Intent:
    kind: str  # fact | list | count | summary | relation | name | why | yesno
    verbs: tuple[str, ...] = ()  # drafting verbs named, as the text writes them
    directive: bool = False  # "what is asked of …": any directing verb
    klass: str | None = None  # a class of named things the list/count is of
    unit: str | None = None  # a count or summary of a part: operative | preamble | footnote | all
    mentioned: bool = False  # "how many X are named": a count of a list


def units_named(question: str) -> list[str]:
    """The parts of the document a question names (operative, preamble, footnote), in that order."""
    return [unit for unit, words in _UNITS if in_words(question, words)]


def _unit(question: str) -> str | None:
    """The one part of the document a question is about; None when it names none, or several."""
    found = units_named(question)
    return found[0] if len(found) == 1 else None


# A summary asked of the document itself ("这个…", "呢份…", "this resolution", "it") rather than of a theme
# ("关于X", "X方面", "about X"): what tells "这份决议的核心意思" (the whole) from "决议关于X的内容" (a theme).
_DOCUMENT_ITSELF = re.compile(r"这[份个项篇部]|[本这](?:决议|文件)|呢[份個个]|它|"
                              r"\b(?:this|the) (?:resolution|document|text)\b|\bit\b", re.I)
_THEME_MARKER = re.compile(r"关于|有关|方面|问题上|对于|对(?![吗吧])|\b(?:about|regarding|concerning) \w", re.I)


def of_the_whole(question: str) -> bool:
    """A summary asked of the document itself, naming no theme of its own."""
    return bool(_DOCUMENT_ITSELF.search(question)) and not _THEME_MARKER.search(question)


def theme_of_summary(question: str) -> str:
    """The question less the words that ask for a summary: "summary" is not the theme (the glossary reads it
    as 纪要), nor is 概括."""
    return _SUMMARY.sub(" ", question)


def _says(question: str, word: str) -> bool:
    if word.isascii():
        return has_word(question, word, ignore_case=True, whole=False)
    return word in question


def verbs_named(question: str) -> tuple[str, ...]:
    out = [verb for verb, words in VERB_WORDS if any(_says(question, w) for w in words)]
    if _BARE_REQUEST.search(question):
        out.append("请")
    for term in chinese_terms(question):
        out += [verb for verb, words in VERB_WORDS if term in words or term == verb]
    return tuple(dict.fromkeys(out))


def class_named(question: str) -> str | None:
    """The classes of named things a list asks for ("哪些决议、报告和特别报告员": three), "+"-joined."""
    found = [name for name, pattern in _CLASS_PATTERNS if pattern.search(question)]
    return "+".join(found) or None


def pattern_kind(question: str) -> str:
    """The kind the hand-written patterns suggest. The reader keeps it as one feature of its learned kind
    model (rag.read); it decides nothing by itself."""
    if _POINTS_BACK.search(question) or _QUOTED_BACKREF.search(question):
        return "relation"
    if _PERSON_NAME.search(question):
        return "fact"
    for kind, pattern in (("summary", _SUMMARY), ("relation", _RELATION), ("count", _COUNT), ("name", _NAME),
                          ("why", _WHY)):
        if pattern.search(question):
            return kind
    if _YESNO.search(question) and not _LIST.search(question):
        return "yesno"
    return "list" if _LIST.search(question) else "fact"


def shape(question: str, kind: str, has_reference: bool = False) -> Intent:
    """The structural reading of a question already known to ask for `kind`: the drafting verbs it names,
    whether it asks what is asked of someone, the class of things and the part of the document it is about."""
    verbs = verbs_named(question)
    directive = bool(_ASK_OF.search(question))
    unit = _unit(question)
    if kind == "summary":
        return Intent("summary", verbs, directive, class_named(question),
                      unit or ("paragraph" if has_reference else "all"))
    if kind == "count":
        if _PARTS.search(question):
            return Intent("count", unit=unit or "all")
        if (_MENTIONED.search(question) and not _OF_MENTIONED.search(question)) or class_named(question):
            return Intent("count", verbs, directive, class_named(question), unit, mentioned=True)
        return Intent("count")  # a number the text may state, or a count of what it lists
    if kind == "list":
        return Intent("list", verbs, directive, class_named(question), unit)
    if kind == "relation":
        return Intent(kind, verbs, directive)
    if kind in ("fact", "yesno"):
        return Intent(kind, verbs)
    return Intent(kind)


def classify(question: str, has_reference: bool = False) -> Intent:
    """The patterns' reading of a question (the kind and its structure), for the follow-up reader."""
    return shape(question, pattern_kind(question), has_reference)
