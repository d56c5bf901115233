"""The string primitives of rag.text (squeeze, occurrences, split_on, stands_alone, runs, han checks) do what the
patterns they stand for did, on every paragraph of the resolution and on edge cases."""

from __future__ import annotations

import re

import pytest

from rag.compose import title, title_line
from rag.strings import all_han, han_runs, is_han, latin_letters, occurrences, runs_of, split_on, squeeze, stands_alone

EDGES = ["", "，", "，，a", "a，b；c。d", "1999年和2013年，12013", "第 20/1 号 和 20/15", "x和以及y及z",
         "A/RES/67/190 ab"]


@pytest.fixture(scope="module")
def texts(corpus):  # type: ignore[no-untyped-def]
    return EDGES + [p.text for p in corpus.paragraphs]


def test_split_on_cuts_where_a_character_class_or_an_alternation_would(texts):
    for t in texts:
        assert split_on(t, "，；。") == re.split(r"[，；。]", t)
        assert split_on(t, ("和", "以及", "及")) == re.split(r"和|以及|及", t)
        assert split_on(t, "，；。", maxsplit=1) == re.split(r"[，；。]", t, maxsplit=1)


def test_runs_and_han_checks(texts):
    for t in texts:
        assert han_runs(t, 4) == re.findall(r"[\u4e00-\u9fff]{4,}", t)
        assert [n for n in runs_of(t, str.isdecimal) if len(n) == 4] == re.findall(r"(?<!\d)(\d{4})(?!\d)", t)
        assert squeeze(t) == re.sub(r"\s+", "", t)
        assert latin_letters(t) == len(re.findall(r"[A-Za-z]", t))
        assert all_han(t) == bool(re.fullmatch(r"[\u4e00-\u9fff]+", t))
        assert [ch for ch in t if is_han(ch)] == re.findall(r"[\u4e00-\u9fff]", t)


def test_occurrences_and_numbers_standing_alone(texts):
    for t in texts:
        for needle in ("会议", "20/1", "2013", "1", "11"):
            assert occurrences(needle, t) == [m.start() for m in re.finditer(re.escape(needle), t)]
            assert stands_alone(needle, t) == bool(re.search(rf"(?<!\d){re.escape(needle)}(?!\d)", t))
            assert stands_alone(needle, t, "/") == bool(re.search(rf"(?<![\d/]){re.escape(needle)}(?![\d/])", t))


def test_the_title_line_is_the_numbered_header_line(corpus):
    header = corpus.get("HEADER")
    start, end = title_line(corpus)
    assert header.text[start:end] == re.search(r"\d+/\d+\.\s*(.+)", header.text).group()
    assert header.text[start:end].endswith(title(corpus)) and title(corpus)


@pytest.mark.parametrize("question", ["这份报告由谁来写？", "会议到底谁来主持？", "那它的预算由谁来批？"])
def test_a_token_holding_who_is_never_content(question):
    from rag.text import content_of_question, content_words

    assert not any("谁" in w for w in content_words(question)) and "谁" not in content_of_question(question)


def test_in_words_finds_words_anywhere_and_spaced_ones_whole():
    from rag.strings import in_words

    assert in_words("Where was it held?", (" where ",)) and not in_words("Whereas the text…", (" where ",))
    assert in_words("What are the footnotes?", (" footnote",)) and not in_words("afootnote", (" footnote",))
    assert in_words("会议在哪里举行", ("哪里",)) and in_words("HOW LONG is it", ("how long",))
    assert not in_words("在where", (" where ",))  # a Chinese character is a word character, as in a pattern's \b
