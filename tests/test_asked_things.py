"""What a question asks for must be what the answer gives: a theme named by a compound the text writes only
in parts is gathered from those parts; a number of people or a length of time is never answered with a
count of a list's items or a calendar date; "who" of an act is a body the text names (said at the head of
its sentence), "who" of an office a person it never names; a title only one the text gives; a footnote's own
text when a footnote is asked about; a body the text points back to ("该办公室") as the one that acts; a
summary of the document itself as the overview, of an absent theme a refusal. Every capability with three
wordings in no labeled set (checked).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from answers import ids, verified

from rag.qtype import need_of

DATASETS = Path(__file__).resolve().parent.parent / "evals" / "datasets"
# A compound noun the text never writes (保护措施, 援助措施, 保护工作) whose parts it does.
THEMES = ["决议里对受害者的保护措施都有哪些？", "请列出决议对受害者的保护工作", "决议为受害者安排了哪些援助措施？"]
# Numbers of people the text never states (PP19 lists meetings, PP23 programmes: no count of people).
PEOPLE = ["每年大约有多少人沦为贩运受害者？", "全球一共有多少人被拐卖？", "被贩运的妇女有多少人？"]
# Lengths of time the text never states; its dates (2011 年, 2013 年) and 千年 are no length of time.
DURATIONS = ["贩运者最多会被判几年？", "受害者最多可以获得几年的保护？", "这份决议的有效期是几年？"]
# "How long": a length of time the text never states (OP12 gives a date, PP24 a day).
HOW_LONG = ["高级别会议大概要开多久？", "互动对话持续了多长时间？", "How long will the high-level meeting last?"]
# "Who" of an act: the body or office asked to do it, named at the head of the sentence.
WHO_ACTS = {"在纽约举办那次互动对话的是谁？": ("PP24", "大会"),
            "为联合国预防犯罪和刑事司法方案提供资源的是谁？": ("OP9", "秘书长"),
            "负责为高级别会议作出安排的是谁？": ("OP13", "秘书长")}
# "Who" of an office: a person's name, which the text never gives (nor is the office its own answer).
WHO_HOLDS = ["共同协调人分别是谁？", "秘书长到底是谁？", "大会主席当时是谁？"]
# Compounds with a part the text never uses (惩罚, 刑罚, 量刑): nothing to gather.
ABSENT = ["决议规定了哪些惩罚措施？", "决议对贩运者有哪些刑罚措施？", "决议里有哪些量刑标准？"]
# The title of a resolution the text cites by number only (FN5 lists them): it must give the title to answer.
# "多少人口…": the noun counted is people, and the text states no number of them (a date is none).
NOUN_COUNTS = ["目前全球有多少人口贩运受害者？", "决议通过那年有多少人口被贩运？", "每年有多少人口被拐卖到国外？"]
# What a footnote says, asked of the footnote: its own text (the source it gives), with where it is marked.
NOTE_SAYS = {"脚注5说的是什么？": ("FN5", "55/67"), "脚注13是什么意思？": ("FN13", "CTOC/COP/WG. 4/2011/8"),
             "脚注7出现在哪一段，引用的是什么文件？": ("FN7", "A/67/53")}
# An act the text gives to a body it names before and then points back to ("由该办公室编写"): another body
# asked as its doer is answered "no", the body itself "yes".
WRITER_WRONG = ["决议请国际移民组织编写关于人口贩运的全球报告吗？", "关于人口贩运的全球报告是国际劳工组织编写的吗？",
                "决议请联合国儿童基金会编写全球报告，是吗？"]
WRITER_RIGHT = "全球报告是由毒品和犯罪问题办公室编写的吗？"
# A summary asked of the document itself in words the text never uses ("大概意思", "精神实质", "来龙去脉"):
# the whole, answered by the overview; a theme marked as one (关于/方面/对 X) that the text lacks stays refused.
OF_THE_WHOLE = ["这份文件的大概意思是啥", "这份决议的精神实质是什么？", "帮我捋一捋这个决议的来龙去脉"]
ABSENT_THEME = ["概括一下这份决议对气候变化的看法", "这份决议在核武器方面说了什么？",
                "总结一下这个决议关于网络安全的部分"]
# Who did an act to an office ("X由谁任命", "X是谁任命的"): the office is what the act is done to.
APPOINTED = ["共同协调人由谁任命？", "两位共同协调人是谁任命的？", "共同协调人是由谁来任命的？"]
UNTITLED = ["第55/67号决议的题目是什么？", "第59/166号决议的标题是什么?", "第63/156号决议的标题叫什么？"]


def test_the_wordings_here_are_in_no_labeled_set():
    asked = {json.loads(line)["question"] for path in DATASETS.glob("*.jsonl")
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and "question" in line}
    for q in (THEMES + PEOPLE + DURATIONS + ABSENT + HOW_LONG + list(WHO_ACTS) + WHO_HOLDS + UNTITLED + APPOINTED
              + NOUN_COUNTS + list(NOTE_SAYS) + WRITER_WRONG + [WRITER_RIGHT] + OF_THE_WHOLE + ABSENT_THEME):
        assert q not in asked, q


@pytest.mark.parametrize("question", THEMES)
def test_a_theme_written_only_in_parts_is_gathered_from_them(answerer, corpus, question):
    ans = verified(answerer.ask(question), corpus)
    cited = ids(ans)
    assert ans.verdict == "answer" and len(cited) >= 3, (question, ans.text)
    # Every line is about victims; most also say what is done for them (保护 or 援助, the compound's part).
    assert all("受害" in corpus.get(pid).text for pid in cited), cited
    assert sum(any(w in corpus.get(pid).text for w in ("保护", "援助")) for pid in cited) >= 2, cited


@pytest.mark.parametrize("question", ABSENT)
def test_a_theme_with_a_part_the_text_never_uses_is_refused(answerer, question):
    assert answerer.ask(question).verdict == "refuse", question


@pytest.mark.parametrize("question", PEOPLE)
def test_a_number_of_people_is_not_a_count_of_list_items(answerer, question):
    ans = answerer.ask(question)
    assert ans.verdict == "refuse", (question, ans.text)


@pytest.mark.parametrize("question", DURATIONS)
def test_a_length_of_time_is_not_a_date(answerer, question):
    assert need_of(question).unit == "年"
    ans = answerer.ask(question)
    assert ans.verdict == "refuse", (question, ans.text)


def test_dates_and_words_do_not_meet_a_duration_but_a_stated_one_does():
    need = need_of("要持续几年？")
    assert not need.satisfied_by("2011 年 4 月 15 日的第 20/3 号决议")
    assert not need.satisfied_by("千年首脑会议")
    assert need.satisfied_by("为期三年的方案") and need.satisfied_by("每 4 年审查一次")


@pytest.mark.parametrize("question", HOW_LONG)
def test_how_long_is_a_length_of_time_not_a_date(answerer, question):
    assert need_of(question).kind == "number"
    assert not need_of(question).satisfied_by("最迟于 2013 年 7 月召开一次高级别会议")
    assert answerer.ask(question).verdict == "refuse", question


@pytest.mark.parametrize("question", list(WHO_ACTS))
def test_who_does_an_act_is_the_body_at_the_head_of_its_sentence(answerer, corpus, question):
    pid, actor = WHO_ACTS[question]
    ans = verified(answerer.ask(question), corpus)
    assert ans.verdict == "answer" and ids(ans)[:1] == [pid], (question, ids(ans), ans.text)
    assert actor in ans.citations[0].quote


@pytest.mark.parametrize("question", WHO_HOLDS)
def test_who_holds_an_office_is_a_name_the_text_never_gives(answerer, question):
    ans = answerer.ask(question)
    assert ans.verdict == "refuse", (question, ans.text)


@pytest.mark.parametrize("question", UNTITLED)
def test_a_title_the_text_never_gives_is_refused(answerer, question):
    ans = answerer.ask(question)
    assert ans.verdict == "refuse" and not ans.citations, (question, ans.text)


def test_a_symbol_typed_with_the_texts_spaces_reads_as_written_solid(answerer):
    """The PDF prints "第 64/293 号"; pasted so, it is the same symbol, and PP4 gives its title."""
    ans = answerer.ask("第 64/293 号决议的题目是什么？")
    assert ans.verdict == "answer" and "PP4" in ids(ans) and "联合国打击贩运人口的全球行动计划" in ans.text


@pytest.mark.parametrize("question", APPOINTED)
def test_who_did_an_act_to_an_office_is_the_one_who_did_it(answerer, question):
    ans = answerer.ask(question)
    assert ans.verdict == "answer" and "OP13" in ids(ans) and "大会主席" in ans.text, (question, ans.text)


@pytest.mark.parametrize("question", NOUN_COUNTS)
def test_a_counted_noun_needs_a_number_of_it(answerer, question):
    ans = answerer.ask(question)
    assert ans.verdict == "refuse", (question, ans.text)
    assert need_of(question).noun == "人口" and not need_of(question).satisfied_by("2012 年 4 月 3 日在纽约")


@pytest.mark.parametrize("question", list(NOTE_SAYS))
def test_what_a_footnote_says_quotes_the_footnote_once(answerer, corpus, question):
    fid, source = NOTE_SAYS[question]
    ans = verified(answerer.ask(question), corpus)
    assert ans.verdict == "answer" and fid in ids(ans) and source in ans.text
    assert len(ids(ans)) == len(set(ids(ans))) and ans.text.count(source) == 1  # a part asked twice, said once


@pytest.mark.parametrize("question", WRITER_WRONG)
def test_a_body_the_text_points_back_to_is_the_one_that_acts(answerer, corpus, question):
    ans = verified(answerer.ask(question), corpus)
    assert ans.verdict == "no" and "OP10" in ids(ans) and "毒品和犯罪问题办公室" in ans.text, (question, ans.text)


def test_the_body_the_text_points_back_to_is_confirmed(answerer):
    ans = answerer.ask(WRITER_RIGHT)
    assert ans.verdict == "answer" and ans.text.startswith("是") and "OP10" in ids(ans)


@pytest.mark.parametrize("question", OF_THE_WHOLE)
def test_a_summary_of_the_document_itself_is_the_overview(answerer, corpus, question):
    ans = verified(answerer.ask(question), corpus)
    assert ans.verdict == "answer" and "HEADER" in ids(ans), (question, ans.text)
    assert "改进工作协调，打击贩运人口" in ans.text


@pytest.mark.parametrize("question", ABSENT_THEME)
def test_a_summary_of_a_theme_the_text_lacks_is_refused(answerer, question):
    ans = answerer.ask(question)
    assert ans.verdict == "refuse" and "HEADER" not in ids(ans), (question, ans.text)
