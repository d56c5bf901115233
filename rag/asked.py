"""The noun a question asks about, and whether the text has it: "什么成果文件" presupposes the resolution has
an outcome document; "最高刑罚是什么" that it sets a penalty. A generic noun (时候, 内容, 方面) asks for a kind
of answer and presupposes nothing."""

from __future__ import annotations

import re

from rag import segment
from rag.text import normalize

_ASKED = re.compile(r"(?:什么|哪个|哪些|哪份|哪一份|哪一个|何种|哪种|哪类|多少|几)[个项份种类位名条]?"
                    r"([\u4e00-\u9fff]{2,8})")
_ASKED_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,8}?)\s*(?:是|为|有|叫|设在|在|定为)?\s*(?:什么|多少|几|哪)")
# Nouns a question uses for the kind of answer it wants, not for a thing the text must contain: attributes,
# categories and parts of any document. (The vocabulary of questions, not of one question.)
GENERIC_NOUNS = {"时候", "地方", "内容", "方面", "措施", "情况", "事项", "问题", "东西", "意思", "作用", "样子", "时间",
            "因素", "类别", "种类", "类型", "层面", "事情", "行动", "标题", "题目", "名称", "名字", "全称", "编号",
            "文号", "文件", "日期", "地点", "原因", "理由", "目的", "意义", "要求", "关系", "区别", "角色", "地位",
            "程度", "范围", "方式", "方法", "途径", "步骤", "结果", "序言", "段落", "部分", "脚注", "条款", "对象",
            "数量", "数目", "次数", "人数", "年份", "关键", "重点", "主题", "大意", "要点", "语境", "背景",
            "核心", "主旨", "要旨",
            # how the text characterises something ("被定位成什么", "持什么立场"): a kind of answer
            "定位", "定性", "评价", "看法", "态度", "立场", "性质",
            "正文", "原文", "全文", "上下文", "条文",  # the document's own text, not a thing in it
            # classes of answer (a place, a body, a person) and attributes of a document (its number, volume)
            "城市", "国家", "地区", "机构", "组织", "人物", "人员", "号码", "登记号", "卷号", "页码", "条目",
            # the criteria or dimensions something is sorted by ("按哪些标准分列"): a kind of answer
            "标准", "条件", "指标", "维度", "角度"}
# Words that qualify what is asked (主要/具体 …), never a thing the text must name.
_QUALIFIERS = {"主要", "具体", "重要", "基本", "根本", "首要", "总体", "大概", "大致", "确切"}


def absent_asked(question: str, doc_flat: str) -> str | None:
    """A noun the question asks about ("最高刑罚是什么", "任期是几年", "什么政治宣言") that the whole
    text never uses: the question presupposes something the resolution does not have."""
    for pattern, pick in ((_ASKED, 0), (_ASKED_BEFORE, -1)):
        for m in pattern.finditer(question):
            cut = list(segment.cut_tagged(m.group(1)))
            tail = [w.flag for w in cut[-2:]]
            if pick == -1 and cut and (tail[-1].startswith("v") or (len(tail) == 2 and tail[0].startswith("v")
                                                                   and tail[1][:1] in ("m", "q"))):
                continue  # "会议上要做什么", "专门写点什么": the verb's object is asked, not a word before it
            words = [w for w in cut if w.flag.startswith(("n", "b")) and len(w.word) >= 2]
            if not words:
                continue
            noun = words[pick].word
            if noun not in GENERIC_NOUNS and noun not in _QUALIFIERS and normalize(noun) not in doc_flat:
                return noun
    return None


def asked_noun(question: str) -> str | None:
    """The noun a wh-word asks about ("什么成果文件" → 成果文件), when it is specific (three characters or
    more, not a generic 时候/内容/方面): the question presupposes the text has one."""
    m = _ASKED.search(question)
    if not m:
        return None
    nouns = []
    for w in segment.cut_tagged(m.group(1)):
        if not w.flag.startswith("n"):
            break
        nouns.append(w.word)
    noun = "".join(nouns)
    # A generic word on its own ("什么内容") asks for a kind of answer; in a compound ("成果文件") it names one.
    return noun if len(noun) >= 3 and noun not in GENERIC_NOUNS else None
