"""A "who" question asks who acts on a thing: the evidence must name that thing as what is acted on, not as a
modifier of another noun (rag.phrase). "谁安排高级别会议" is answered by the paragraph that arranges the
meeting (OP13), not by the one that has a summary of it written (OP14, "高级别会议纪要")."""

from __future__ import annotations

import pytest
from answers import ids, verified

from rag.phrase import acted_on, english_object, heads, modifies
from rag.qtype import need_of


def test_a_phrase_that_modifies_what_follows():
    text = "请大会主席编写一份高级别会议纪要，安排这次高级别会议，以确定会议的举行方式"
    assert modifies(text, text.find("高级别会议纪要") + len("高级别会议"))  # ends inside 会议纪要
    assert not modifies(text, text.find("高级别会议，") + len("高级别会议"))  # the object of 安排
    assert modifies(text, text.find("会议的") + len("会议"))  # X的Y: X says which Y
    assert [h[0] for h in heads("谁负责高级别会议的筹备工作？")] == ["筹备工作"]


@pytest.mark.parametrize(("question", "thing"), [
    ("谁去筹办高级别会议？", "高级别会议"), ("高级别会议到底由谁来操办？", "高级别会议"),
    ("那份会议纪要是谁负责写的？", "会议纪要"), ("杜尚别那次高级别国际会议是由谁主办的？", "高级别国际会议")])
def test_the_thing_a_who_asks_about_is_the_phrase_nearest_the_wh_word(question, thing):
    assert acted_on(question, ("谁",)) == thing
    assert need_of(question).acted_on == thing


def test_an_english_object_is_the_phrase_its_first_article_opens():
    assert english_object("Who is asked to draw up a summary of the meeting?") == "summary"
    assert english_object("Who will make arrangements for the high-level meeting?") == "high-level meeting"
    assert english_object("Who decides?") == ""


def test_no_who_no_thing_acted_on():
    assert need_of("高级别会议什么时候召开？").acted_on is None


@pytest.mark.parametrize("question", ["谁来主持筹备高级别会议？", "高级别会议到底由谁来操办？", "谁去筹办高级别会议？",
                                      "谁为高级别会议做安排？"])
def test_who_arranges_the_meeting_is_not_who_writes_its_summary(answerer, corpus, question):
    ans = verified(answerer.ask(question), corpus)
    assert ids(ans)[0] == "OP13" and "秘书长" in ans.text, ans.text


@pytest.mark.parametrize("question", ["高级别会议纪要归谁来编？", "谁负责写高级别会议纪要？",
                                      "谁来起草高级别会议纪要？"])
def test_who_writes_the_summary_is_still_the_summary_paragraph(answerer, corpus, question):
    ans = verified(answerer.ask(question), corpus)
    assert ids(ans)[0] == "OP14" and "大会主席" in ans.text, ans.text


@pytest.mark.parametrize("question", ["Who arranges the high-level meeting?",
                                      "Who is responsible for organizing the high-level meeting?",
                                      "Who will make arrangements for the high-level meeting?"])
def test_an_english_who_reads_what_its_verb_acts_on(answerer, corpus, question):
    ans = verified(answerer.ask(question), corpus)
    assert ids(ans)[0] in ("OP12", "OP13") and "OP14" not in ids(ans), ans.text
    summary = verified(answerer.ask("Who prepares the summary of the high-level meeting?"), corpus)
    assert ids(summary) == ["OP14"]


@pytest.mark.parametrize("question", ["为何要举办高级别会议？", "为什么要举行高级别会议？", "高级别会议为什么要开？"])
def test_why_the_meeting_is_held_is_not_read_from_its_summary(answerer, corpus, question):
    # A reason is looked for where the meeting is the thing acted on (OP12/OP13), never in "会议纪要" (OP14).
    ans = verified(answerer.ask(question), corpus)
    assert ids(ans)[0] in ("OP12", "OP13"), ans.text
