"""Table test of the explicit-reference resolver: how diplomats, students and English speakers point at
paragraphs. An unqualified paragraph number is operative, as in UN usage."""

from __future__ import annotations

import pytest

from rag.numerals import parse_number
from rag.refs import resolve

CASES = [
    ("执行部分第5段说了什么？", ["OP5"]),
    ("执行部分第 5 段", ["OP5"]),
    ("执行段落第5段", ["OP5"]),
    ("序言部分第3段", ["PP3"]),
    ("序言段落第3段", ["PP3"]),
    ("序言第3段提到什么", ["PP3"]),
    ("脚注9", ["FN9"]),
    ("注9是什么？", ["FN9"]),
    ("注释18", ["FN18"]),
    ("脚注第18", ["FN18"]),
    ("第5段", ["OP5"]),
    ("决议第5段", ["OP5"]),
    ("决议的第5段", ["OP5"]),
    ("第3至5段", ["OP3", "OP4", "OP5"]),
    ("第3到5段", ["OP3", "OP4", "OP5"]),
    ("第3-5段", ["OP3", "OP4", "OP5"]),
    ("第3、4段", ["OP3", "OP4"]),
    ("第3和第4段", ["OP3", "OP4"]),
    ("序言部分第3、4段", ["PP3", "PP4"]),
    ("执行部分第十二段", ["OP12"]),
    ("第十二段", ["OP12"]),
    ("第１２段", ["OP12"]),
    ("序言部分第二十段讲什么", ["PP20"]),
    ("序言部分第二十五段", ["PP25"]),
    ("第一段", ["OP1"]),
    ("第十段", ["OP10"]),
    ("执行部分第16段", ["OP16"]),
    ("那第13段呢？", ["OP13"]),
    ("operative paragraph 5", ["OP5"]),
    ("Operative Paragraph 12 decides what?", ["OP12"]),
    ("operative paragraphs 3 to 5", ["OP3", "OP4", "OP5"]),
    ("operative paragraphs 3 and 7", ["OP3", "OP7"]),
    ("preambular paragraph 3", ["PP3"]),
    ("preamble paragraph 2", ["PP2"]),
    ("OP5", ["OP5"]),
    ("op 5", ["OP5"]),
    ("What does OP7 say?", ["OP7"]),
    ("PP3", ["PP3"]),
    ("FN9", ["FN9"]),
    ("para. 5", ["OP5"]),
    ("paragraph 12", ["OP12"]),
    ("What does paragraph 12 decide?", ["OP12"]),
    ("footnote 9", ["FN9"]),
    ("note 6", ["FN6"]),
    ("footnotes 14-17", ["FN14", "FN15", "FN16", "FN17"]),
    ("执行部分第5段和序言部分第2段", ["OP5", "PP2"]),
    # Not references: resolution symbols, sessions, meetings, volumes and dates.
    ("第 64/293 号决议", []),
    ("第六十七届会议", []),
    ("第 60 次全体会议", []),
    ("第 2225 卷", []),
    ("2013 年 7 月", []),
    ("大会注意到什么", []),
]


@pytest.mark.parametrize("question,ids", CASES)
def test_reference_forms(question, ids):
    assert [r.id for r in resolve(question).refs] == ids


def test_remainder_keeps_the_ask():
    assert resolve("执行部分第12段决定何时召开会议？").remainder.strip() == "决定何时召开会议？"


@pytest.mark.parametrize("text,value", [("12", 12), ("１２", 12), ("十二", 12), ("二十", 20), ("二十五", 25),
                                        ("一百零五", 105), ("两", 2), ("十", 10), ("abc", None)])
def test_numerals(text, value):
    assert parse_number(text) == value


def test_huge_ranges_are_bounded():
    assert len(resolve("第1至99999段").refs) <= 2


@pytest.mark.parametrize("question,letters", [
    ("What does subparagraph (c) of operative paragraph 15 require?", ("c",)),
    ("执行部分第15段(c)分段说了什么？", ("c",)),
    ("OP3(a)", ("a",)),
    ("执行部分第15段说了什么？", ()),
    ("国际劳工组织 1930 年《强迫劳动公约》(第 29 号)", ()),
])
def test_lettered_subparagraphs(question, letters):
    assert resolve(question).subparagraphs == letters


def test_missing_subparagraph_is_said_plainly(answerer):
    ans = answerer.ask("What does subparagraph (c) of operative paragraph 15 require the Secretary-General to do?")
    assert ans.refused and not ans.citations and "no subparagraph (c)" in ans.text


def test_reference_text_is_the_references_as_written():
    q = "那执行部分第13段呢？"
    assert resolve(q).reference_text(q) == "执行部分第13段"
