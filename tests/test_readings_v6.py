"""How questions are read: general causes found in held-out v6's first run (kept as measured before any of
these existed), each with reference answers checked by hand against the resolution. The wordings below are
new, not the held-out ones."""

from __future__ import annotations

import pytest
from answers import ids, verified

from rag import premise, tally
from rag.text import facts, normalize


def _doc(corpus) -> str:  # type: ignore[no-untyped-def]
    return normalize(" ".join(p.text for p in corpus.paragraphs))


def test_a_count_is_a_whole_number_in_one_noun_phrase():
    assert tally.asserted("缔约方数达到153个是哪份议定书的？") == []  # not "53 议定书"
    assert tally.asserted("决议提到三项公约吗？") == [(3, "公约", None)]


def test_a_symbol_written_with_a_placeholder_states_no_fact(answerer, corpus):
    assert facts("A/67/xxx 那份报告") == set() and facts("A/67/... 或 A/67/XX") == set()
    ans = verified(answerer.ask("第三委员会那份报告 A/67/xxx 的完整文号是多少"), corpus)
    assert "A/67/458" in ans.text


def test_the_one_an_act_is_done_for_is_not_its_actor(answerer, corpus):
    doc = " ".join(p.text for p in corpus.paragraphs)
    assert premise.check("会员国为什么要给毒品和犯罪问题办公室捐款？", "zh", [corpus.get("OP9").text], doc) is None
    ans = verified(answerer.ask("会员国为什么要给毒品和犯罪问题办公室捐款？"), corpus)
    assert ids(ans)[0] == "OP9" and "提供援助" in ans.text


def test_what_a_verb_with_a_measure_word_asks_is_its_object(corpus):
    assert premise.absent_asked("秘书长要在报告中专门写些什么？", _doc(corpus)) is None
    assert premise.absent_asked("国际法庭设在哪里？", _doc(corpus)) is not None  # a subject is still checked


def test_a_footnote_is_checked_with_the_words_it_is_the_source_of(answerer, corpus):
    ans = verified(answerer.ask("贩运人口问题工作组第四次会议的成果，文件编号是什么？"), corpus)
    assert "FN13" in ids(ans) and "CTOC/COP/WG" in ans.text


@pytest.mark.parametrize("question,pid,says", [("第 64/293 号决议是哪天通过的？", "PP4", "2010 年 7 月 30 日"),
                                               ("Resolution 64/293 是哪一天通过的？", "PP4", "2010 年 7 月 30 日"),
                                               ("第20/1号决议是哪天通过的？", "PP7", "2012 年 7 月 5 日")])
def test_a_symbol_the_question_names_chooses_the_paragraph_that_holds_it(answerer, corpus, question, pid, says):
    ans = verified(answerer.ask(question), corpus)  # "20/1" as a whole symbol, not the "201" of "2012"
    assert ids(ans)[0] == pid and says in ans.text


def test_spaces_between_phrases_part_two_questions_and_spaces_between_characters_go(answerer, corpus):
    ans = verified(answerer.ask("高级别会议在哪届会议期间开 谁来任命共同协调人"), corpus)
    assert {"OP12", "OP13"} <= set(ids(ans)) and "第六十七届会议" in ans.text and "大会主席" in ans.text
    assert answerer.wording.read("共 同 协 调 人 由 谁 任 命").text == "共同协调人由谁任命"


def test_the_last_item_of_a_series_the_previous_answer_wrote_out(answerer, corpus):
    history = [{"role": "user", "content": "执行部分第3段提到哪几项劳工组织公约？"},
               {"role": "assistant",
                "content": "《强迫劳动公约》、《废除强迫劳动公约》和《最恶劣形式的童工劳动公约》。"}]
    ans = verified(answerer.ask("最后一项公约的条约汇编出处是？", history=history), corpus)
    assert "FN17" in ids(ans) and "第 2133 卷" in ans.text


def test_an_english_yes_no_asserting_the_wrong_body_is_answered_no(answerer, corpus):
    for question in ("Resolution 2008/33 was adopted by the Human Rights Council, correct?",
                     "Was resolution 64/293 adopted by the Economic and Social Council?"):
        ans = answerer.ask(question)
        assert ans.verdict in ("no", "refuse") and ans.extra["decision"]["reason"] == "premise:actor-absent:" + (
            "人权理事会" if "2008/33" in question else "经济及社会理事会")
    assert not answerer.ask("Did the Human Rights Council adopt resolution 20/1?").refused  # PP7 says it did


def test_a_follow_ups_premise_is_its_own_not_the_previous_questions(answerer, corpus):
    history = [{"role": "user", "content": "执行部分第13段的两位共同协调人由谁任命？"},
               {"role": "assistant", "content": "由大会主席任命。"}]
    ans = verified(answerer.ask("那他们要协助主持什么？", history=history), corpus)
    assert ids(ans)[0] == "OP13" and "不设限非正式协商" in ans.text


def test_a_convention_is_listed_with_the_year_the_text_gives_it(answerer, corpus):
    ans = verified(answerer.ask("国际劳工组织的几项公约分别是哪一年的？"), corpus)
    assert all(y in ans.text for y in ("1930 年《强迫劳动公约》", "1957 年《废除强迫劳动公约》", "1999 年《最恶劣形式"))


def test_ibid_in_a_footnote_points_to_the_source_it_repeats(answerer, corpus):
    ans = verified(answerer.ask("脚注16开头的“同上”指的是哪个出处？"), corpus)
    assert ids(ans)[:2] == ["FN16", "FN14"] and "联合国，《条约汇编》" in ans.citations[1].quote
