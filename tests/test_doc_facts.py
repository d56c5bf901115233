"""Document facts read from the parse (index.facts): the expectations are read from each text by hand; the same
extractor, with no change, finds a second resolution's bodies, places and addressees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import Corpus, CorpusError, DocFacts, VocabError, load_corpus, load_vocab
from index.corpus import terms_path
from index.verbs import base_verb
from index.vocabulary import VOCAB_PATH

OTHER = Path(__file__).parent / "data" / "A_RES_72_315_zh.txt"


@pytest.fixture(scope="module")
def other() -> Corpus:
    return load_corpus(OTHER, None)


def test_facts_are_computed_once_and_frozen(corpus: Corpus) -> None:
    assert isinstance(corpus.facts, DocFacts)
    assert corpus.facts is corpus.facts
    with pytest.raises(AttributeError):
        corpus.facts.speaker = "x"  # type: ignore[misc]


def test_bodies_include_those_the_text_names(corpus: Corpus) -> None:
    bodies = corpus.facts.names("bodies")
    # PP12 lists the bodies the coordination group brings together; PP5–PP7 name the councils and commission.
    for name in ("联合国毒品和犯罪问题办公室", "国际劳工组织", "国际移民组织", "联合国儿童基金会", "人权理事会",
                 "经济及社会理事会", "预防犯罪和刑事司法委员会", "机构间打击贩运人口协调小组"):
        assert name in bodies, name
    # a title's words are never a body (《联合国打击跨国有组织犯罪公约》 holds 组织)
    assert not any("公约" in b for b in bodies)
    office = next(f for f in corpus.facts.bodies if f.text == "联合国毒品和犯罪问题办公室")
    assert {"PP12", "PP20", "OP8", "OP9", "OP10"} <= set(office.pids)
    m = office.mentions[0]
    assert corpus.get(m.pid).text[m.start : m.end] == "联合国毒品和犯罪问题办公室"  # offsets into the clean text


def test_actors_hold_office_holders_and_short_forms(corpus: Corpus) -> None:
    actors = corpus.facts.actor_names
    for name in ("秘书长", "大会主席", "会员国", "各国政府", "毒品和犯罪问题办公室", "儿童基金会", "妇女署"):
        assert name in actors, name
    assert list(actors) == sorted(actors, key=lambda a: (-len(a), a))  # longest first
    assert "受害者" not in actors  # named, but never asked to act


def test_addressees_of_directing_verbs(corpus: Corpus) -> None:
    facts = corpus.facts
    assert facts.addressees("OP13") == ("秘书长", "大会主席")  # 请秘书长…，并邀请大会主席任命…
    assert facts.addressees("OP14") == ("大会主席",)
    assert facts.addressees("OP2") == ("会员国", "缔约国")  # 敦促尚未批准…的会员国; 此外敦促这些文书的缔约国
    assert facts.addressees("OP6") == ("利益攸关方",)  # 鼓励包括私营部门在内的所有利益攸关方
    assert facts.addressees("OP11") == ("各国", "利益攸关方")
    assert facts.addressees("OP1") == ()  # 申明 directs no one
    verbs = {d.verb for d in facts.directives if d.pid == "OP9"}
    assert verbs == {"再次请", "并请", "同时邀请"}


def test_places_dates_numbers_symbols(corpus: Corpus) -> None:
    facts = corpus.facts
    places = facts.names("places")
    assert "维也纳" in places and "纽约" in places  # PP22: 在维也纳举行; PP24: 在纽约举办
    assert next(f for f in facts.places if f.text == "维也纳").pids == ("PP22",)
    assert "2012年10月15日至19日" in facts.names("dates")
    assert "172 个" in facts.names("numbers") and "153 个" in facts.names("numbers")
    assert not any(n.startswith("2012") for n in facts.names("numbers"))  # a year is a date, not a count
    symbols = facts.names("symbols")
    for s in ("A/67/458", "64/293", "2008/33", "E/2011/30", "CTOC/COP/2012/15"):
        assert s in symbols, s


def test_instruments_carry_their_footnote(corpus: Corpus) -> None:
    by = {f.text: f for f in corpus.facts.instruments}
    assert by["联合国打击跨国有组织犯罪公约"].source == "FN1"
    assert by["强迫劳动公约"].source == "FN15"  # 1930 年《强迫劳动公约》(第 29 号)¹⁵
    assert by["全球行动计划"].source is None


def test_abbreviations_from_the_texts_brackets(corpus: Corpus) -> None:
    assert corpus.facts.full_form("妇女署") == "联合国促进性别平等和增强妇女权能署"
    assert corpus.facts.full_form("秘书长") is None


def test_the_same_extractor_reads_another_resolution(other: Corpus) -> None:
    facts = other.facts
    assert other.symbol == "A/RES/72/315"
    assert {"联合国环境规划署", "国际海事组织", "联合国粮食及农业组织"} <= set(facts.names("bodies"))
    assert "里斯本" in facts.names("places")  # 在里斯本举行: a city no vocabulary lists
    assert facts.full_form("环境署") == "联合国环境规划署"
    assert facts.addressees("OP3") == ("联合国环境规划署",)
    assert facts.addressees("OP5") == ("秘书长",)
    assert facts.addressees("OP1") == ("会员国",)
    assert {f.text: f.source for f in facts.instruments}["联合国海洋法公约"] == "FN1"
    assert "A/72/301" in facts.names("symbols")
    assert not set(facts.names("bodies")) & {"国际劳工组织", "人权理事会"}  # nothing of 67/190 leaks in


def test_terms_beside_the_corpus_are_checked_against_it(tmp_path: Path, corpus: Corpus) -> None:
    assert dict(corpus.terms)["forced labour"] == "强迫劳动"
    text = OTHER.read_text(encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text(text, encoding="utf-8")
    terms_path(doc).write_text(json.dumps({"terms": {"marine litter": "海洋垃圾"}}), encoding="utf-8")
    assert load_corpus(doc, None).terms == (("marine litter", "海洋垃圾"),)
    terms_path(doc).write_text(json.dumps({"terms": {"forced labour": "强迫劳动"}}), encoding="utf-8")
    with pytest.raises(CorpusError, match="'forced labour'"):
        load_corpus(doc, None)
    terms_path(doc).write_text(json.dumps({"terms": {"Marine": "海洋"}}), encoding="utf-8")
    with pytest.raises(CorpusError, match="lower-case"):
        load_corpus(doc, None)


def test_general_vocabulary_is_validated(tmp_path: Path) -> None:
    vocab = load_vocab()
    assert "秘书长" in vocab.office_holders and ("莫斯科", "Moscow") in vocab.cities
    data = json.loads(VOCAB_PATH.read_text(encoding="utf-8"))
    data["cities"]["巴黎"] = 3
    bad = tmp_path / "general.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(VocabError, match="'巴黎'"):
        load_vocab(bad)


def test_a_prefix_is_removed_as_a_word() -> None:
    assert base_verb("再次请") == "请" and base_verb("又敦促") == "敦促"
    assert base_verb("进一步请") == "请"
    assert base_verb("表示关切") == "表示关切"


@pytest.mark.parametrize(("which", "expected"), [
    ("corpus", {"title": "67/190. 改进工作协调，打击贩运人口", "session": "第六十七届会议", "agenda": "议程项目 103",
                "report": "[根据第三委员会的报告(A/67/458)通过]", "date": "2012 年 12 月 20 日大会决议",
                "meeting": "2012 年 12 月 20 日 第 60 次全体会议"}),
    ("other", {"title": "72/315. 加强国际合作，防治海洋塑料污染", "session": "第七十二届会议", "agenda": "议程项目 74",
               "report": "[根据第二委员会的报告(A/72/619)通过]", "date": "2018 年 9 月 17 日大会决议",
               "meeting": "2018 年 9 月 17 日 第 102 次全体会议"})])
def test_the_masthead_fields_are_read_by_the_layout(request, which, expected) -> None:  # type: ignore[no-untyped-def]
    doc: Corpus = request.getfixturevalue(which)
    got = {f.name: doc.get(f.pid).text[f.start : f.end] for f in doc.facts.masthead}  # type: ignore[union-attr]
    assert {k: got.get(k) for k in expected} == expected
