"""A premise contradicted by a count or ordinal in Chinese words is answered "no" with the quote that says
otherwise — never "是" on that very quote (rag.contradict, decided in rag.decide.final)."""

from __future__ import annotations

import pytest

from rag.contradict import clash
from rag.text import normalize
from rag.types import Citation

WRONG_COUNT = ["大会主席要任命四位共同协调人吗", "决议让大会主席指定五位共同协调人，是这样吗？",
               "这项决议是根据第五委员会的报告通过的吗？", "决议是依据第一委员会的报告通过的，对吧？"]


@pytest.mark.parametrize("question", WRONG_COUNT)
def test_a_wrong_count_or_ordinal_is_answered_no_with_the_quote_that_says_otherwise(answerer, question):
    ans = answerer.ask(question)
    assert ans.verdict == "no" and not ans.refused and ans.citations
    assert ans.extra["decision"]["reason"].startswith("premise:numeral:")
    assert not ans.text.startswith("是")


@pytest.mark.parametrize("question", ["两位共同协调人由谁任命？", "这项决议是根据第三委员会的报告通过的吗？"])
def test_the_right_count_is_no_clash(answerer, question):
    ans = answerer.ask(question)
    assert not ans.extra["decision"]["reason"].startswith("premise:numeral:")


def test_clash_reads_any_text_not_one_document():
    quote = Citation("OP3", "执行部分第3段", "operative paragraph 3", "邀请理事会主席任命三名特别顾问", 0, 15)
    doc = normalize(quote.quote)
    found = clash("理事会主席任命五名特别顾问吗", [quote], doc)
    assert found is not None and (found.asked, found.stated) == ("五名", "三名")
    assert clash("理事会主席任命三名特别顾问吗", [quote], doc) is None  # as the text says it
    assert clash("第二次会议在哪里开", [quote], doc) is None  # no head the quote shares


ANOTHER_NUMBER = ["人权理事会第20/3号决议的名称叫什么？", "请问理事会第20/3号决议题目是啥",
                  "人权理事会那份第20/3号决议叫什么标题", "Title of HRC resolution 20/3?"]


@pytest.mark.parametrize("question", ANOTHER_NUMBER)
def test_an_answer_is_never_about_another_document_than_the_one_named(answerer, corpus, question):
    """The question names resolution 20/3: it is answered from a paragraph that holds that number (or a note
    of it), or refused — never with the title of the next resolution (rag.checks, decided in rag.decide.final)."""
    ans = answerer.ask(question)
    if ans.citations:  # the answer proper; a companion citation may still quote a neighbour (see docs/notes.md)
        first = ans.citations[0].id
        held = corpus.get(first).text + "".join(fn.text for fn in corpus.footnotes_of(first))
        assert "20/3" in held.replace(" ", ""), ans.citations[0]
    else:
        assert ans.refused
