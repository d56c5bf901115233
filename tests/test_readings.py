"""How questions are read: general causes found after held-out v4's first run, each with reference answers
checked by hand against the resolution (the questions below are new wordings, not the held-out ones)."""

from __future__ import annotations

import pytest
from answers import ids, verified

from rag.conversation import items_in, read_in_context
from rag.intent import classify, theme_of_summary
from rag.qtype import need_of


def test_which_one_is_an_ordinal_not_a_count(answerer, corpus):
    assert classify("这是第几个议程项目？").kind != "count"
    assert need_of("第几个议程项目").unit is None  # any number answers it ("议程项目 103")
    assert "103" in verified(answerer.ask("本决议列在第几个议程项目下？"), corpus).text
    assert "第六十七届会议" in verified(answerer.ask("高级别会议在第几届会议期间召开？"), corpus).text


def test_a_day_is_asked_for_and_a_month_does_not_give_it(answerer, corpus):
    assert need_of("会议具体在哪一天召开？").unit == "day"
    assert answerer.ask("高级别会议具体定在哪一天？").refused  # OP12 gives "最迟于 2013 年 7 月" only
    assert "20 日" in verified(answerer.ask("大会在哪一天通过了本决议？"), corpus).text


def test_the_gist_of_a_paragraph_is_a_summary(answerer, corpus):
    assert classify("第7段的核心是什么？", True).kind == "summary"
    ans = verified(answerer.ask("执行部分第11段的主旨是什么？"), corpus)
    assert ids(ans) == ["OP11"]


@pytest.mark.parametrize("question", ["Give me a quick rundown of the preamble.", "请简单介绍一下这项决议。",
                                      "Recap the operative part in a nutshell."])
def test_the_words_people_ask_a_summary_with(question):
    assert classify(question).kind == "summary"


def test_the_word_summary_is_not_the_theme_of_a_summary(answerer, corpus):
    assert "summary" not in theme_of_summary("A summary of the preamble, please").lower()
    ans = verified(answerer.ask("Please give a brief summary of the operative paragraphs."), corpus)
    assert ids(ans) == [f"OP{n}" for n in range(1, 16)]


def test_everything_said_on_a_theme_is_gathered(answerer, corpus):
    ans = verified(answerer.ask("关于数据，决议都讲了些什么？"), corpus)
    assert {"OP7", "OP8"} <= set(ids(ans))


@pytest.mark.parametrize("question,anchor,target", [
    ("执行部分第13段里的“这次高级别会议”说的是哪一次会议？", "OP13", "2013 年 7 月"),
    ("执行部分第9段中“该方案”是哪个方案？", "OP9", "联合国预防犯罪和刑事司法方案"),
    ("执行部分第13段的“它们”指的是谁？", "OP13", "民间社会"),
])
def test_what_a_word_of_the_text_points_back_to(answerer, corpus, question, anchor, target):
    assert classify(question, True).kind == "relation"
    ans = verified(answerer.ask(question), corpus)
    assert anchor in ids(ans) and target in ans.text
    assert ans.text.count("指") == 1  # a phrase the question repeats is answered once


def test_a_follow_up_without_a_subject_takes_the_one_before():
    history = [{"role": "user", "content": "全球报告由谁编写？"},
               {"role": "assistant", "content": "毒品和犯罪问题办公室。"}]
    query, asked = read_in_context("什么时候推出？", history)
    assert "全球报告" in query and asked == "什么时候推出？"
    assert read_in_context("什么时候推出？", None) == ("什么时候推出？", "什么时候推出？")


def test_an_ordinal_points_into_a_series_the_previous_answer_wrote_out():
    assert items_in("国际移民组织、国际劳工组织和联合国儿童基金会。") == [
        "国际移民组织", "国际劳工组织", "联合国儿童基金会"]
    history = [{"role": "user", "content": "第8段肯定了谁？"},
               {"role": "assistant", "content": "联合国毒品和犯罪问题办公室、国际移民组织和国际劳工组织。"}]
    assert read_in_context("那第二个用的是什么数据库？", history)[0] == "那国际移民组织用的是什么数据库？"


def test_a_name_of_the_conversations_subject(answerer, corpus):
    history = [{"role": "user", "content": "序言提到的互动对话在哪天举行？"},
               {"role": "assistant", "content": "2012年4月3日。"}]
    ans = verified(answerer.ask("它的主题是什么？", history=history), corpus)
    assert ids(ans) == ["PP24"]


def test_a_short_name_of_a_body_is_read_as_the_texts_full_name(answerer, corpus):
    worded = answerer.reader.wording.read("经社理事会的哪项决议被回顾了？")
    assert worded.text.startswith("经济及社会理事会")
    assert "2008/33" in verified(answerer.ask("经社理事会的哪项决议被回顾了？"), corpus).text
    assert answerer.reader.wording.read("安全理事会").text == "安全理事会"  # no full name of it in the text


def test_a_quoted_abbreviation_has_its_full_name(answerer, corpus):
    ans = verified(answerer.ask("“妇女署”的全称叫什么？"), corpus)
    assert "联合国促进性别平等和增强妇女权能署" in ans.text and ids(ans) == ["PP12"]


@pytest.mark.parametrize("question", ["安全理事会被要求采取什么行动？", "国际打击贩运人口日是哪一天？",
                                      "蓝色的协调小组吃了几个苹果？"])
def test_bodies_days_and_things_the_text_never_names_are_refused(answerer, question):
    assert answerer.ask(question).refused


def test_a_symbol_stands_in_the_footnote_of_the_paragraph_described(answerer, corpus):
    ans = verified(answerer.ask("秘书长关于预防犯罪和刑事司法方案任务执行情况的报告文号是什么？"), corpus)
    assert "A/67/156" in ans.text and "FN10" in ids(ans)


def test_a_list_asked_of_one_paragraph_quotes_its_sentence_whole(answerer, corpus):
    ans = verified(answerer.ask("Which organizations does operative paragraph 8 acknowledge?"), corpus)
    assert "国际移民组织" in ans.text and "国际劳工组织" in ans.text


def test_two_questions_joined_by_a_comma_are_both_answered(answerer, corpus):
    ans = verified(answerer.ask("执行部分第12段决定了什么，第14段请谁编写纪要？"), corpus)
    assert {"OP12", "OP14"} <= set(ids(ans))


def test_words_about_wording_and_time_qualifiers_do_not_narrow_a_list(answerer, corpus):
    assert ids(verified(answerer.ask("哪些执行段落用了“敦促”这个词？"), corpus)) == ["OP2", "OP3"]
    assert "7 项" in verified(answerer.ask("脚注5列了多少项以前的决议？"), corpus).text


def test_a_reason_is_quoted_from_a_paragraph_never_left_empty(answerer, corpus):
    ans = verified(answerer.ask("序言为什么强调要参考人权与贩运人口问题原则和准则？"), corpus)
    assert ans.text and "PP14" in ids(ans) and "促进和保护" in ans.text  # the purpose, not the footnote's source


def test_the_words_of_a_why_question_stand_as_words():
    assert classify("项目的报告里专列一节吗？").kind != "why"  # 项目 + 的, not 目的
    assert classify("召开高级别会议的目的是什么？").kind == "why"


def test_a_sentence_that_asks_someone_gives_its_acts_to_them(answerer, corpus):
    no = answerer.ask("执行部分第15段请大会主席在提交大会的报告中专列一节，对吗？")
    assert no.verdict == "no" and ids(no) == ["OP15"]
    yes = verified(answerer.ask("执行部分第15段请秘书长在提交大会的报告中专列一节，对吗？"), corpus)
    assert yes.verdict == "answer" and yes.text.startswith("是")


def test_a_word_of_the_text_is_not_a_typo_of_another(answerer):
    assert answerer.reader.wording.read("大会编写纪要吗？").text == "大会编写纪要吗？"  # not "大汇编写" (汇编)
    assert answerer.reader.wording.read("什么时侯召开").text == "什么时候召开"


def test_the_assembly_is_not_its_president(answerer, corpus):
    assert answerer.ask("大会编写高级别会议纪要吗？").verdict == "no"
    assert verified(answerer.ask("大会请各国向哪个基金捐款？"), corpus).verdict == "answer"
