"""What a newcomer asks first, read by the learned reader (rag.read) and answered by its composer.

Every capability is tested with three or more wordings that are in no eval or labeled set (checked here):
the reader has to generalise to them, since none of them is data it learned from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.compose import title
from rag.question import ANSWER_KINDS

DATASETS = Path(__file__).resolve().parent.parent / "evals" / "datasets"
GREETINGS = ["嗨，你好呀", "Good evening!", "您好，请问在线吗"]
HELP = ["这个助手都能帮我干什么？", "What can I ask you about?", "我不太会用，该怎么问问题"]
THANKS = ["非常感谢你的解答", "Thanks, that was useful.", "好的，了解了，多谢"]
OVERVIEW = ["请大致说明一下这项决议的内容", "Can you give me an overview of this resolution?", "用几句话介绍这份文件",
            "这份联合国文件总的来说讲了哪些事？"]
OPINION = ["你个人觉得这份决议能起作用吗？", "In your view, is this resolution too weak?", "依你看，各国做得够不够？"]


def test_the_wordings_here_are_in_no_labeled_set():
    asked = {json.loads(line)["question"] for path in DATASETS.glob("*.jsonl")
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and "question" in line}
    for q in GREETINGS + HELP + THANKS + OVERVIEW + OPINION:
        assert q not in asked, q


@pytest.mark.parametrize("question", GREETINGS + HELP + THANKS)
def test_greetings_thanks_and_help_get_a_chat_reply_that_names_the_document(answerer, corpus, question):
    ans = answerer.ask(question)
    assert ans.verdict == "chat" and not ans.refused and not ans.citations
    assert corpus.symbol in ans.text and "决议中没有关于" not in ans.text and "does not say" not in ans.text
    assert sum(line.startswith("- ") for line in ans.text.splitlines()) == 3  # three example questions


@pytest.mark.parametrize("question", OVERVIEW)
def test_what_is_this_about_gets_the_title_and_the_operative_part_cited(answerer, corpus, question):
    ans = answerer.ask(question)
    assert not ans.refused and ans.verdict == "answer"
    ids = [c.id for c in ans.citations]
    assert ids[0] == "HEADER" and title(corpus) in ans.citations[0].quote
    assert sum(i.startswith("OP") for i in ids) >= 5


@pytest.mark.parametrize("question", OPINION)
def test_a_request_for_an_opinion_is_refused_as_outside_the_text(answerer, question):
    ans = answerer.ask(question)
    assert ans.refused and ans.verdict == "refuse" and not ans.citations
    assert ans.extra["decision"]["reason"] == "opinion"
    assert "决议中没有关于" not in ans.text


@pytest.mark.parametrize("question", ["你好，执行部分第3段说了什么？", "Hi! What does operative paragraph 2 say?",
                                      "谢谢。那序言部分第1段呢？"])
def test_a_greeting_around_a_question_about_a_paragraph_is_answered_as_the_question(answerer, question):
    ans = answerer.ask(question)
    assert ans.verdict == "answer" and ans.citations
    assert ans.extra["decision"]["kind"]["kind"] in ANSWER_KINDS


def test_the_question_is_a_frozen_value_read_once(answerer):
    import dataclasses

    q = answerer.reader.read("執行部分第十二段講咗乜？")
    assert q.refs == ("OP12",) and q.lang == "zh" and q.kind in ANSWER_KINDS
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.kind = "help"  # type: ignore[misc]
    assert [k for k, _ in q.kinds][0] == q.kind and abs(sum(p for _, p in q.kinds) - 1) < 1e-3
