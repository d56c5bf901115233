"""How questions are read: general causes found in held-out v8 after its first run (kept as measured in
evals/results/holdout-v8-first-run.json before any of these existed). Reference answers are checked by hand
against the resolution's header and meeting lines; the wordings below are new, not the held-out ones."""

from __future__ import annotations

from answers import ids, verified

from rag.conversation import read_in_context
from rag.masthead import masthead_fields
from rag.wording import Wording


def test_this_resolutions_masthead_fields_are_answered_in_other_words(answerer, corpus):
    # 文号 / 题目 are words the index does not give the header line; the field is still this resolution's own
    for question in ("本决议的文号和题目分别是什么？", "What is this resolution's symbol?"):
        ans = verified(answerer.ask(question), corpus)
        assert ids(ans) == ["HEADER"] and "67/190. 改进工作协调，打击贩运人口" in ans.text, ans.text
        assert ans.extra["decision"]["reason"] == "gathered"


def test_a_masthead_answer_is_never_given_for_another_document_or_a_person():
    assert masthead_fields("第64/178号决议的编号是什么？") == []  # another resolution's
    # who held an office then, or chaired its meeting: not a field of the masthead
    assert masthead_fields("通过本决议时第三委员会的报告员是谁？") == []
    assert masthead_fields("Who chaired the meeting at which this resolution was adopted?") == []
    assert masthead_fields("决议提到的公约的名称是什么？") == []  # a thing the resolution mentions
    assert masthead_fields("这项决议的议程项目和届会是什么？") == [1, 2]


def test_a_false_premise_about_the_masthead_is_still_no(answerer):
    ans = answerer.ask("这项决议的编号是67/191吧？")
    assert ans.verdict in ("no", "refuse") and "67/191" not in "".join(c.quote for c in ans.citations)


def test_a_particle_typed_for_a_homophone_inside_a_word_of_the_text_is_fixed(corpus):
    wording = Wording(corpus)
    assert wording.read("议定书现在的地约方有几个？").text == "议定书现在的缔约方有几个？"  # 地 for 缔 (dì)
    for question in ("各国有效地执行了这些文书吗？", "大会认真地讨论了什么？", "会员国得到了什么援助？"):
        assert wording.read(question).text == question  # a particle as grammar stays


def test_which_ones_a_quoted_phrase_means_are_in_its_footnote(answerer, corpus):
    ans = verified(answerer.ask("序言第7段里“理事会关于贩运人口问题的其他相关决议”是指哪些？"), corpus)
    assert "FN8" in ids(ans) and "8/12、11/3、14/2 和 17/1" in ans.text


def test_a_theme_no_sentence_holds_whole_is_read_by_its_most_specific_word(answerer, corpus):
    # the text writes 贩运人口 where the question's "trafficking in persons" may be read as 人口贩运
    ans = verified(answerer.ask("Give me a summary of what the resolution says about data on human trafficking."),
                   corpus)
    assert ids(ans) == ["OP7", "OP8"]


def test_that_x_replaces_the_whole_title_the_previous_question_named(answerer, corpus):
    history = [{"role": "user", "content": "截至目前《联合国打击跨国有组织犯罪公约》有几个缔约方？"},
               {"role": "assistant", "content": "172个（序言部分第25段）。"}]
    # the title is cut at 有 by the asking words; the whole of it is what "那X呢" stands in for
    assert read_in_context("那补充议定书呢？", history, answerer._text)[0] == "截至目前补充议定书有几个缔约方？"
    ans = verified(answerer.ask("那补充议定书呢？", history=history), corpus)
    assert ids(ans) == ["PP25"] and "153 个" in ans.text
