"""English names of the key terms after each Chinese quote of an English answer (ui.gloss), in the chat only:
the Answer, its quotes and citations stay exactly as the answerer made them."""

from __future__ import annotations

from html import escape

from ui import render
from ui.gloss import english_names, gloss_html, terms_in

WHEN_EN = "When will the high-level meeting be held?"


def test_terms_come_from_the_glossary_longest_first() -> None:
    names = english_names()
    assert names["贩运人口"] == "trafficking in persons" and names["毒品和犯罪问题办公室"] == "UNODC"
    assert names["大会"] == "general assembly"
    assert "请" not in names and "决定" not in names  # one-word common verbs of any text are not glossed
    assert terms_in("请大会主席编写一份高级别会议纪要") == [("大会主席", names["大会主席"]),
                                                       ("高级别会议", "high-level meeting")]
    assert terms_in("联合国毒品和犯罪问题办公室、毒品和犯罪问题办公室") == [("毒品和犯罪问题办公室", "UNODC")]
    assert gloss_html("以现有资源为限") == ' <span class="resqa-gloss" lang="en">(现有资源 — existing resources)</span>'
    assert gloss_html("第 64/293 号") == ""


def test_an_english_answer_shows_the_gloss_after_the_quote_and_changes_nothing_else(answerer) -> None:  # type: ignore[no-untyped-def]
    answer = answerer.ask(WHEN_EN)
    before = answer.to_dict()
    assert answer.lang == "en" and answer.citations
    html = render.answer_message(answer, answerer.corpus, "en")
    quote = answer.citations[0].quote
    gloss = "高级别会议 — high-level meeting"
    assert gloss in html
    assert html.index(escape(quote)) + len(escape(quote)) < html.index(gloss) < html.index('class="resqa-chip"')
    assert escape(quote) in html  # the quote itself is untouched
    assert answer.to_dict() == before  # the Answer is not changed by rendering
    assert "resqa-gloss" not in render.copy_text(answer) and gloss not in render.copy_text(answer)


def test_a_chinese_answer_has_no_gloss(answerer) -> None:  # type: ignore[no-untyped-def]
    answer = answerer.ask("大会决定何时召开高级别会议？")
    assert "resqa-gloss" not in render.answer_message(answer, answerer.corpus, "en")
