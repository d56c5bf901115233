"""False premises: reference cases for where a question's specifics must stand (checked by hand against the
text), and the adversarial premise set (evals/datasets/premise-v1.jsonl, written from the text alone by a
writer who never saw the code) run through the real answerer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evals.premise import PREMISE_SET, SOURCE, block, load, run, summarise
from evals.readme import read_block
from rag.counterpart import date_units, replaced
from rag.premise import _direction_swapped, check
from rag.specifics import _apart, _wrong_year

RESULTS = Path(__file__).resolve().parent.parent / "evals" / "results"


@pytest.fixture(scope="module")
def text(corpus) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", "", " ".join(p.text for p in corpus.paragraphs))


def test_dates_with_a_month_are_units_in_the_texts_own_writing():
    assert date_units("最迟于2013年1月召开吗") == ["2013年1月"]
    assert date_units("by January 2013?") == ["2013年1月"]
    assert date_units("是 2012 年 4 月 3 日吗") == ["2012年4月3日"]
    assert date_units("2013年召开") == []  # a year alone is a number, checked as one


def test_a_wrong_place_or_date_is_replaced_by_what_the_texts_frame_holds(corpus):
    pp22, op12 = corpus.get("PP22"), corpus.get("OP12")
    span = replaced("缔约方会议第六届会议在纽约举行吗？", "纽约", [pp22])
    assert span and pp22.text[span.start : span.end] == "维也纳"
    span = replaced("大会决定最迟于2013年1月召开高级别会议吗？", "2013年1月", [op12])
    assert span and re.sub(r"\s", "", op12.text[span.start : span.end]) == "2013年7月"
    assert replaced("会议在纽约开吗", "纽约", [pp22]) is None  # a name needs the frame on both sides


def test_a_year_or_count_given_to_a_title_must_be_the_texts(text):
    assert _wrong_year("《强迫劳动公约》是1957年的吗", ["强迫劳动公约"], text) == "1957"
    assert _wrong_year("《强迫劳动公约》是1930年的吗", ["强迫劳动公约"], text) is None
    convention = "联合国打击跨国有组织犯罪公约"
    assert _wrong_year(f"《{convention}》缔约方到153个了吗", [convention], text) == "153"
    assert _wrong_year(f"《{convention}》缔约方到172个了吗", [convention], text) is None


def test_specifics_put_together_must_stand_in_one_clause(corpus):
    texts = [p.text for p in corpus.paragraphs if "2008/33" in p.text or "64/178" in p.text]
    assert len(texts) == 2
    assert _apart(["2008/33", "2009"], texts) == "2009"
    assert _apart(["2008/33", "2008"], texts) is None


def test_who_gives_to_whom(corpus):
    op9 = [corpus.get("OP9").text]
    actors = corpus.facts.actor_names
    assert _direction_swapped("邀请毒品和犯罪问题办公室向会员国提供自愿捐助", op9, actors) == "毒品和犯罪问题办公室"
    assert _direction_swapped("邀请会员国向毒品和犯罪问题办公室提供什么", op9, actors) is None
    assert "大会主席" in actors


def test_a_taker_after_the_un_prefix_is_seen(corpus):
    # 国际劳工组织 opens with 国, a character of 联合国: stripping characters (not the prefix) lost the taker.
    actors = corpus.facts.actor_names
    evidence = ["请国际劳工组织向会员国提供数据"]
    assert _direction_swapped("请会员国向国际劳工组织提供数据", evidence, actors) == "会员国"
    assert _direction_swapped("请会员国向联合国国际劳工组织提供数据", evidence, actors) == "会员国"


def test_the_adversarial_premise_set_is_answered_no_or_refused(answerer):  # type: ignore[no-untyped-def]
    """Measured against the issue's bar: at least 90 % answered "no" (with the contradicting quote) or
    refused. Every "no" and refusal is listed in docs/evaluation.md's premise block with the first run beside it."""
    rows = load(PREMISE_SET)
    assert len(rows) >= 40 and {r.kind for r in rows} >= {"verb", "actor", "place", "date", "quantity", "absent"}
    items = run(answerer, rows)
    table = summarise(items)
    assert table["all"]["handled"] >= 0.90, [i["id"] for i in items if not i["handled"]]
    assert table["all"]["affirmed"] == 0, [i["id"] for i in items if i["affirmed"]]
    readme = (Path(__file__).resolve().parent.parent / "docs" / "evaluation.md").read_text(encoding="utf-8")
    assert read_block(readme, "premise", SOURCE) == block(PREMISE_SET.name, table), "run `make readme`"
    kept = json.loads((RESULTS / "premise-v1-first-run.json").read_text(encoding="utf-8"))["summary"]
    first = "First run, kept as measured (evals/results/premise-v1-first-run.json):\n\n"
    assert read_block(readme, "premise-first", SOURCE) == first + block(PREMISE_SET.name, kept)


@pytest.mark.parametrize("question,reason", [
    ("那份关于人口贩运的全球报告是人权高专办编写的吧？", "premise:actor-swapped:人权高级专员办事处"),
    ("第3段只敦促批准国际劳工组织的两项公约，是哪两项？", "premise:miscount:2公约"),
])
def test_who_did_it_and_how_many_are_checked(answerer, question, reason):  # type: ignore[no-untyped-def]
    """A cleft ("是X编写的") names who did it; a count ("两项公约") is counted in the evidence."""
    ans = answerer.ask(question)
    assert ans.verdict in ("no", "refuse") and ans.extra["decision"]["reason"] == reason


def test_a_yes_no_asking_word_is_not_a_cleft(corpus):
    # "是否请X编写…" asks whether X does it; its 是 is not "是X编写的" (which says X did it).
    doc = " ".join(p.text for p in corpus.paragraphs)
    op14 = [corpus.get("OP14").text]
    assert check("决议是否请大会主席编写一份高级别会议纪要？", "zh", op14, doc, corpus) is None
    assert check("是不是大会主席编写纪要？", "zh", op14, doc, corpus) is None
    assert check("决议是否请秘书长编写一份高级别会议纪要？", "zh", op14, doc, corpus) == "actor-swapped:秘书长"
    assert check("纪要是秘书长编写的吗？", "zh", op14, doc, corpus) == "actor-swapped:秘书长"
