"""Every kind of question a chat user asks, answered from the document's structure and verified: lists (by
addressee, by drafting verb, by a class of named things), counts, summaries, back-references and relations,
names, reasons, yes/no questions with a false premise, and messy wording. Reference answers checked by hand
against the resolution."""

from __future__ import annotations

import pytest
from answers import ids, verified


def test_a_list_by_addressee_has_one_line_per_paragraph_in_document_order(answerer, corpus):
    ans = verified(answerer.ask("大会对秘书长提出了哪些请求？"), corpus)
    assert ids(ans) == ["OP9", "OP13", "OP15"]
    assert ans.text.splitlines()[0] == "决议中有 3 段与此有关（按文件顺序）："
    assert "提供足够的资源" in ans.text and "安排这次高级别会议" in ans.text and "专列一节" in ans.text
    en = verified(answerer.ask("What does the General Assembly ask the Secretary-General to do?"), corpus)
    assert ids(en) == ["OP9", "OP13", "OP15"] and "[OP13]" in en.text


def test_a_list_by_drafting_verb(answerer, corpus):
    assert ids(verified(answerer.ask("大会敦促了什么？"), corpus)) == ["OP2", "OP3"]
    welcomed = verified(answerer.ask("决议中大会欢迎了哪些事情？"), corpus)
    assert ids(welcomed) == ["PP21", "PP24", "PP25", "OP7", "OP10"]


def test_a_list_of_named_instruments_gives_titles_and_their_notes(answerer, corpus):
    ans = verified(answerer.ask("决议提到了哪些公约？"), corpus)
    assert "《强迫劳动公约》(第 29 号)" in ans.text and "FN15" in ids(ans)
    assert "《公约》”" not in ans.text  # a short back-reference is not a convention of its own
    ilo = verified(answerer.ask("决议提到了国际劳工组织的哪几项公约？"), corpus)
    assert "共有 3 项" in ilo.text and "第 182 号" in ilo.text


def test_a_list_of_document_symbols(answerer, corpus):
    ans = verified(answerer.ask("脚注里引用了哪些联合国文件？"), corpus)
    for symbol in ("E/2011/30", "A/67/156", "A/67/261", "CTOC/COP/2012/15", "A/63/90"):
        assert symbol in ans.text
    assert "A/67/458" not in ans.text  # the header's symbol is not in a footnote


@pytest.mark.parametrize("question,count,last", [("这项决议有多少个执行段落？", "15", "OP15"),
                                                 ("序言部分一共有多少段？", "25", "PP25"),
                                                 ("How many footnotes does the resolution have?", "19", "FN19")])
def test_counts_of_the_documents_parts_come_from_the_parse(answerer, corpus, question, count, last):
    ans = verified(answerer.ask(question), corpus)
    assert f" {count} " in ans.text and ids(ans) == [last]


def test_a_count_of_what_a_paragraph_lists(answerer, corpus):
    ans = verified(answerer.ask("秘书长以前关于此问题的报告（脚注19）有几份？"), corpus)
    assert "3 项" in ans.text and ids(ans) == ["FN19"]
    funds = verified(answerer.ask("How many voluntary trust funds does the resolution mention?"), corpus)
    assert "names 2" in funds.text


def test_a_summary_outlines_every_operative_paragraph(answerer, corpus):
    ans = verified(answerer.ask("请总结这项决议的主要内容"), corpus)
    assert ids(ans) == ["HEADER"] + [f"OP{n}" for n in range(1, 16)]
    one = verified(answerer.ask("概括一下执行部分第9段"), corpus)
    assert ids(one) == ["OP9"] and len(one.citations) == 3  # 再次请 / 并请 / 同时邀请
    theme = verified(answerer.ask("决议在数据收集方面说了什么？"), corpus)
    assert ids(theme) == ["OP7", "OP8"]


def test_a_back_reference_is_resolved_to_what_it_points_to(answerer, corpus):
    ans = verified(answerer.ask("执行部分第13段中的“这次高级别会议”指的是哪次会议？"), corpus)
    assert ids(ans) == ["OP13", "OP12"] and "2013 年 7 月" in ans.text
    these = verified(answerer.ask("执行部分第2段说的“这些文书”是指什么？"), corpus)
    assert "《联合国打击跨国有组织犯罪公约》" in these.text
    pronoun = verified(answerer.ask("执行部分第10段中的“其”指谁？"), corpus)
    assert "联合国毒品和犯罪问题办公室" in pronoun.text


def test_how_two_paragraphs_relate(answerer, corpus):
    ans = verified(answerer.ask("执行部分第12段和第13段有什么关系？"), corpus)
    assert set(ids(ans)) == {"OP12", "OP13"} and "这次高级别会议" in ans.text
    note = verified(answerer.ask("脚注18标注在哪些段落？"), corpus)
    assert "OP12" in ids(note) and {"PP4", "OP10"} <= set(ids(note))  # where else 64/293 is named


@pytest.mark.parametrize("question,name", [
    ("决议提到的自愿信托基金叫什么名字？", "联合国贩运人口特别是妇女和儿童行为受害者自愿信托基金"),
    ("机构间协调小组的全称是什么？", "机构间打击贩运人口协调小组"),
    ("妇女署的全称是什么？", "联合国促进性别平等和增强妇女权能署"),
    ("互动对话的主题是什么？", "打击贩运人口：制止暴力侵害妇女和女童行为的伙伴关系与创新"),
])
def test_a_name_is_given_as_written(answerer, corpus, question, name):
    ans = verified(answerer.ask(question), corpus)
    assert f"“{name}”" in ans.text


def test_a_reason_is_the_clause_that_states_it(answerer, corpus):
    ans = verified(answerer.ask("为什么要召开高级别会议？"), corpus)
    assert ids(ans) == ["OP12"] and "以便评估" in ans.text


@pytest.mark.parametrize("question,pid,says", [
    ("大会是否撤回了对毒品和犯罪问题办公室的支持？", "OP10", "表示完全支持"),
    ("缔约方会议第六届会议是在纽约举行的吗？", "PP22", "维也纳"),
    ("高级别会议是不是定在2014年召开？", "OP12", "2013 年 7 月"),
])
def test_a_false_premise_in_a_yes_no_question_is_answered_no(answerer, corpus, question, pid, says):
    ans = verified(answerer.ask(question), corpus)
    assert ans.verdict == "no" and ans.text.startswith("不。") and pid in ids(ans) and says in ans.text
    assert ans.extra["decision"]["reason"].startswith(("premise:", "foreign-fact"))


@pytest.mark.parametrize("question,reason", [("2013年会议通过了什么成果文件？", "premise:asked-absent"),
                                             ("决议设立的国际贩运人口法庭设在哪里？", "premise:asked-absent")])
def test_a_wh_question_presupposing_what_the_text_lacks_is_refused(answerer, question, reason):
    ans = answerer.ask(question)
    assert ans.refused and not ans.citations and ans.extra["decision"]["reason"].startswith(reason)


@pytest.mark.parametrize("question,pid,says,reason", [
    ("秘书长要编写什么？", "OP14", "请大会主席编写", "premise:actor-swapped"),
    ("为什么大会决定最迟于2013年1月召开高级别会议？", "OP12", "2013 年 7 月", "premise:specific-elsewhere"),
    ("缔约方会议第六届会议为什么在纽约举行？", "PP22", "在维也纳举行", "premise:specific-elsewhere"),
])
def test_a_wh_question_with_a_contradicted_premise_is_corrected_with_the_counterpart(answerer, corpus, question,
                                                                                      pid, says, reason):
    """The correction quotes the words that state the truth (the right actor, date or place), found by the
    question's own frame around the wrong one, never the clause that merely matched the rest."""
    ans = verified(answerer.ask(question), corpus)
    assert ans.verdict == "no" and ans.text.startswith("问题的前提与决议不符") and ids(ans)[0] == pid
    assert says in ans.citations[0].quote and ans.extra["decision"]["reason"].startswith(reason)


def test_a_date_with_a_month_must_stand_in_the_evidence(answerer, corpus):
    """"2013年1月" occurs in the text (OP10), but not for the high-level meeting: no "yes" with OP12."""
    ans = verified(answerer.ask("大会决定最迟于2013年1月召开高级别会议吗？"), corpus)
    assert ans.verdict == "no" and "2013 年 7 月" in ans.citations[0].quote


@pytest.mark.parametrize("question,pid", [("大會決定何時召開高級別會議？", "OP12"),
                                          ("高级别会意什么时候开", "OP12"),
                                          ("ＯＰ１２说高级别会议最迟啥时候开", "OP12"),
                                          ("共 同 协 调 人   几 位   谁 任 命", "OP13"),
                                          ("wat does the GA ask the secetary general to do", "OP9")])
def test_messy_wording_is_answered_like_clean_wording(answerer, corpus, question, pid):
    ans = verified(answerer.ask(question), corpus)
    assert pid in ids(ans)


def test_the_decision_is_shown_with_its_reason_and_signals(answerer):
    d = answerer.ask("大会决定何时召开高级别会议？").extra["decision"]
    assert d["verdict"] == "answer" and d["reason"] == "evidence" and "lex" in d["signals"]
    assert "lex_floor" in d["margins"]
    refused = answerer.ask("今天北京的天气怎么样？").extra["decision"]
    assert refused["verdict"] == "refuse" and refused["reason"]
