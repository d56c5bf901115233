"""Question wording (rag.wording, rag.text) and the one decision policy (rag.decide), without an index."""

from __future__ import annotations

import pytest

from rag.decide import MARGIN, Signals, Thresholds, decide
from rag.text import content_of_question


@pytest.fixture(scope="module")
def wording(corpus):  # type: ignore[no-untyped-def]
    from rag.wording import Wording

    return Wording(corpus)


@pytest.mark.parametrize("typed,read", [
    ("大會決定何時召開高級別會議？", "大会决定何时召开高级别会议？"),  # traditional → simplified (zhconv)
    ("ＯＰ１２说了什么", "OP12说了什么"),  # full-width → half-width
    ("共 同 协 调 人", "共同协调人"),  # spaces typed between characters
    ("决议提到的贩云受害者", "决议提到的贩运受害者"),  # a homophone typed for the right character
    ("联合国毒品和犯罪问题办工室", "联合国毒品和犯罪问题办公室"),
    ("wich conventon reached 172 parites", "wich convention reached 172 parties"),  # English spelling
])
def test_messy_wording_is_read_as_the_text_writes_it(wording, typed, read):
    assert wording.read(typed).text == read


@pytest.mark.parametrize("question", ["大会决定召开两次高级别会议吗", "这项决议有多少个执行段落",
                                      "决议在哪些段落提到了私营部门？", "大会撤回了对毒品和犯罪问题办公室的支持吗",
                                      "What is the purpose of the high-level meeting decided in the resolution?",
                                      "and what are their symbols?"])
def test_what_is_not_a_typo_is_left_alone(wording, question):
    """Numerals, particles, real words and English inflections are never "corrected"."""
    assert wording.read(question).text == question


def test_asking_words_are_removed_as_whole_tokens():
    assert "高级别会议" in content_of_question("高级别会议在哪里举行？").replace(" ", "")
    assert "中国" in content_of_question("中国在会上说了什么").replace(" ", "")
    assert "卷" in content_of_question("条约汇编第几卷")


def test_the_policy_refuses_answers_and_says_no_for_stated_reasons():
    t = Thresholds()
    strong = Signals(lex=0.8, dense=0.9, content=6)
    assert decide(strong, t).verdict == "answer"
    assert decide(Signals(injection=True), t).reason == "injection"
    assert decide(Signals(lex=0.8, dense=0.9, content=6, meets_need=False, need="date"), t).reason == "need-unmet:date"
    contradicted = Signals(lex=0.8, dense=0.9, content=6, premise="act-absent:撤回", yesno=True)
    assert decide(contradicted, t).verdict == "no"
    assert decide(Signals(lex=0.8, dense=0.9, content=6, premise="act-absent:撤回"), t).verdict == "refuse"
    assert decide(Signals(lex=0.8, dense=0.9, content=6, foreign=("2015",)), t).verdict == "refuse"
    assert decide(Signals(found=0), t).verdict == "refuse" and decide(Signals(found=3), t).verdict == "answer"


def test_the_policy_records_how_close_each_comparison_came():
    t = Thresholds()
    d = decide(Signals(lex=0.4, dense=t.dense_min + 0.02, content=6), t)
    assert d.verdict == "answer" and d.margins["dense_min"] == pytest.approx(0.02, abs=1e-4)
    assert d.margins["lex_min"] == pytest.approx(-0.1, abs=1e-4)
    assert MARGIN == 0.01


def test_english_terms_in_a_chinese_question_are_read_in_the_texts_chinese(answerer, corpus):
    """People switch languages mid-sentence ("UNODC 的 global report 什么时候 launch"); the text does not."""
    from rag.glossary import mixed_to_chinese

    assert mixed_to_chinese("ILO那三个convention") == "国际劳工组织那三个公约"
    assert mixed_to_chinese("What is UNODC?") == "What is UNODC?"  # an English question stays English
    ans = answerer.ask("UNODC 的 global report 什么时候 launch")
    assert not ans.refused and [c.id for c in ans.citations][:1] == ["OP10"] and "2013 年 1 月" in ans.text
