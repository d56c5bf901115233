"""Reference tests of the parser against the source text, read by hand (ids, first/last characters, the two
page-split paragraphs, footnote links), and the same parser on a synthetic resolution with other counts."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from index import CORPUS_SHA256, CorpusError, ParseError, count_tokens, load_corpus, parse, read_source
from index.corpus import CORPUS_PATH
from index.parse import clean
from index.tokens import encoding

# (id, first six characters, last six characters) of each paragraph's clean text, checked against the PDF text.
GOLDEN = [
    ("HEADER", '大会\nDis', '打击贩运人口'),
    ("PP1", '再次表示关切', '面国际对策，'),
    ("PP2", '回顾《联合国', '补充公约》，'),
    ("PP3", '又回顾其关于', '他相关决议，'),
    ("PP4", '重申其 20', '3 号决议，'),
    ("PP5", '回顾经济及社', '的各项决议，'),
    ("PP6", '肯定预防犯罪', '3 号决议，'),
    ("PP7", '又肯定人权理', '他相关决议，'),
    ("PP8", '确认根据《联', '措施的资料，'),
    ("PP9", '又确认各国政', '十分重要的，'),
    ("PP10", '还确认会员国', '胁至关重要，'),
    ("PP11", '确认贩运活动', '行为的伤害，'),
    ("PP12", '又确认机构间', '协调与合作，'),
    ("PP13", '还确认有必要', '活动受害者，'),
    ("PP14", '强调需要参考', '者融入社区，'),
    ("PP15", '确认贫穷、失', '的部分原因，'),
    ("PP16", '又确认当前全', '侵害的状况，'),
    ("PP17", '申明能力建设', '案提供支持，'),
    ("PP18", '意识到需要提', '口贩运需求，'),
    ("PP19", '重申世界各国', '保护受害者，'),
    ("PP20", '注意到秘书长', '方面的问题，'),
    ("PP21", '欢迎人权理事', '告员的报告，'),
    ("PP22", '注意到201', '会议的成果，'),
    ("PP23", '重申向贩运人', '愿信托基金，'),
    ("PP24", '欢迎大会 2', '了一个机会，'),
    ("PP25", '又欢迎201', '153 个，'),
    ("OP1", '申明贩运人口', '绝此种活动；'),
    ("OP2", '敦促尚未批准', '施这些文书；'),
    ("OP3", '又敦促尚未签', '施这些文书；'),
    ("OP4", '赞赏地注意到', '和最佳做法；'),
    ("OP5", '吁请各国政府', '和国际组织；'),
    ("OP6", '鼓励包括私营', '和有效补救；'),
    ("OP7", '确认按贩运人', '和良好做法；'),
    ("OP8", '肯定联合国毒', '的重要工作；'),
    ("OP9", '再次请秘书长', '国提供援助；'),
    ("OP10", '欢迎联合国毒', '的全球报告；'),
    ("OP11", '请各国和所有', '提供的捐款；'),
    ("OP12", '回顾其关于在', '遇到的挑战；'),
    ("OP13", '请秘书长与会', '它们的作用；'),
    ("OP14", '请大会主席编', '别会议纪要；'),
    ("OP15", '请秘书长以现', '的涵盖范围。'),
    ("FN1", '联合国，《条', '574 号。'),
    ("FN2", '同上，第 2', '574 号。'),
    ("FN3", '同上，第 2', '531 号。'),
    ("FN4", '同上，第 2', '822 号。'),
    ("FN5", '第 55/6', '4 号决议。'),
    ("FN6", '见《经济及社', '章，D 节。'),
    ("FN7", '见《大会正式', '章，A 节。'),
    ("FN8", '人权理事会第', '1 号决议。'),
    ("FN9", 'E/2002', 'dd. 1。'),
    ("FN10", 'A/67/1', '7/156。'),
    ("FN11", 'A/67/2', '7/261。'),
    ("FN12", '见 CTOC', '12/15。'),
    ("FN13", '见 CTOC', '011/8。'),
    ("FN14", '联合国，《条', '378 号。'),
    ("FN15", '同上，第 3', '612 号。'),
    ("FN16", '同上，第 3', '648 号。'),
    ("FN17", '同上，第 2', '245 号。'),
    ("FN18", '第 64/2', '3 号决议。'),
    ("FN19", 'A/63/9', '5/113。'),
    ("MEETING", '2012 年', ' 次全体会议'),
]


def test_the_61_records_in_canonical_order(corpus):
    assert [p.id for p in corpus.paragraphs] == [g[0] for g in GOLDEN]
    assert len(corpus.paragraphs) == 61


@pytest.mark.parametrize("pid,first,last", GOLDEN)
def test_first_and_last_characters(corpus, pid, first, last):
    p = corpus.get(pid)
    assert p.text.startswith(first) and p.text.endswith(last)


def test_labels_and_kinds(corpus):
    assert (corpus.get("PP3").label_zh, corpus.get("PP3").label_en) == ("序言部分第3段", "preambular paragraph 3")
    assert (corpus.get("OP4").label_zh, corpus.get("OP4").label_en) == ("执行部分第4段", "operative paragraph 4")
    assert (corpus.get("FN14").label_zh, corpus.get("FN14").label_en) == ("脚注14", "footnote 14")
    assert {p.kind for p in corpus.paragraphs} == {"header", "preamble", "operative", "footnote", "meeting"}
    assert [p.number for p in corpus.paragraphs if p.kind == "operative"] == list(range(1, 16))


def test_page_split_paragraphs_are_joined(corpus):
    op4, op12 = corpus.get("OP4"), corpus.get("OP12")
    assert len(op4.spans) == 2 and len(op12.spans) == 2
    assert "有关政府间组织和政府组织在其各自职权范围内" in op4.text
    assert "以现有资源为限，最迟于 2013 年 7 月召开一次高级别会议" in op12.text
    assert op12.text.endswith("存在的差距和遇到的挑战；")


def test_spans_point_back_to_the_source(corpus):
    source, _ = read_source()
    for p in corpus.paragraphs:
        joiner = "\n" if p.kind == "header" else (" " if p.kind == "meeting" else "")
        assert joiner.join(clean(source[s:e]) for s, e in p.spans) == p.text, p.id


def test_marks_and_emphasis_are_removed(corpus):
    for p in corpus.paragraphs:
        assert "**" not in p.text
        assert not any(ch in "⁰¹²³⁴⁵⁶⁷⁸⁹" for ch in p.text), p.id


def test_footnote_links_both_ways(corpus):
    assert corpus.get("OP3").footnotes == (3, 14, 4, 15, 16, 17)
    assert corpus.get("PP2").footnotes == (1, 2, 3, 4)
    assert corpus.get("FN1").cited_by == ("PP2", "OP2")
    assert corpus.get("FN18").cited_by == ("OP12",)
    for p in corpus.paragraphs:
        for n in p.footnotes:
            assert p.id in corpus.get(f"FN{n}").cited_by
    for fn in (p for p in corpus.paragraphs if p.kind == "footnote"):
        assert fn.cited_by and all(fn.number in corpus.get(pid).footnotes for pid in fn.cited_by)


def test_superscript_run_is_a_mark_ordinary_digits_are_text(corpus):
    assert "、1957 年《废除强迫劳动公约》(第 105 号)和 1999 年" in corpus.get("OP3").text


def test_mark_positions_follow_the_words_they_annotate(corpus):
    op3 = corpus.get("OP3")
    pos = dict((n, i) for i, n in op3.marks)
    assert op3.text[: pos[15]].endswith("(第 29 号)、")


def test_verbs(corpus):
    verbs = {pid: corpus.get(pid).verb for pid in ("PP1", "PP2", "PP10", "OP1", "OP3", "OP4", "OP9", "OP13")}
    assert verbs == {"PP1": "再次表示关切", "PP2": "回顾", "PP10": "还确认", "OP1": "申明", "OP3": "又敦促",
                     "OP4": "赞赏地注意到", "OP9": "再次请", "OP13": "请"}


def test_header_and_meeting(corpus):
    header = corpus.get("HEADER").text
    parts = ("27 March 2013", "议程项目 103", "根据第三委员会的报告(A/67/458)通过",
             "67/190. 改进工作协调，打击贩运人口")
    for part in parts:
        assert part in header
    assert corpus.get("MEETING").text == "2012 年 12 月 20 日 第 60 次全体会议"


def test_token_counts_equal_a_direct_encode(corpus):
    for p in corpus.paragraphs:
        assert p.n_tokens == len(encoding().encode(p.text)) == count_tokens(p.text)


def test_document_stamp(corpus):
    assert corpus.symbol == "A/RES/67/190"
    assert corpus.sha256 == CORPUS_SHA256 == hashlib.sha256(CORPUS_PATH.read_bytes()).hexdigest()
    assert all(p.doc.symbol == "A/RES/67/190" and p.doc.sha256 == CORPUS_SHA256 for p in corpus.paragraphs)


def test_bundled_corpus_is_byte_identical_to_the_pin(tmp_path: Path):
    altered = tmp_path / "c.txt"
    altered.write_bytes(CORPUS_PATH.read_bytes().replace("2013".encode(), "2014".encode(), 1))
    with pytest.raises(CorpusError, match="sha256"):
        load_corpus(altered)
    with pytest.raises(CorpusError, match="cannot read"):
        load_corpus(tmp_path / "missing.txt")


SYNTHETIC = """大会

Distr.: General
1 May 2031

第八十五届会议

议程项目 7

2030 年 12 月 1 日大会决议

[根据第六委员会的报告(A/85/100)通过]

85/12. 海洋垃圾

大会，

回顾其以往各项决议，¹

深感关切塑料污染，

又确认合作的重要性，²

¹ 第 80/1 号决议。

² 同上。

1. **决定**设立一个工作组；

2. **请**秘书长提交报告，说明各国在执行本决议方面的进展，并列入各国提供的资料¹⁰

¹⁰ A/85/5。

以及相关机构的意见；

3. **鼓励**各国合作，包括 ¹¹2001 年以来的做法；

4. 请大会主席召开会议。

2030 年 12 月 1 日
第 50 次全体会议

³ 见 A/85/6。
⁴ 见 A/85/7。
⁵ 见 A/85/8。
⁶ 见 A/85/9。
⁷ 见 A/85/10。
⁸ 见 A/85/11。
⁹ 见 A/85/12。
¹¹ 见 A/85/13。
"""


def test_synthetic_resolution_other_counts():
    # Footnotes 3–9 are cited here, one mark per word (adjacent superscripts would read as one mark).
    text = SYNTHETIC.replace("深感关切塑料污染，", "深感关切塑料³、微塑料⁴、渔具⁵、化学品⁶、废水⁷、航运⁸和旅游⁹污染，")
    paras = parse(text, sha256="x")
    ids = [p.id for p in paras]
    assert ids == ["HEADER", "PP1", "PP2", "PP3", "OP1", "OP2", "OP3", "OP4",
                   *[f"FN{n}" for n in range(1, 12)], "MEETING"]
    by = {p.id: p for p in paras}
    assert by["HEADER"].doc.symbol == "A/RES/85/12"
    assert by["OP2"].text == ("请秘书长提交报告，说明各国在执行本决议方面的进展，"
                              "并列入各国提供的资料以及相关机构的意见；")
    assert len(by["OP2"].spans) == 2 and by["OP2"].footnotes == (10,)
    assert by["OP3"].footnotes == (11,) and "2001 年以来" in by["OP3"].text
    assert by["FN10"].cited_by == ("OP2",) and by["FN1"].cited_by == ("PP1",)
    assert by["PP2"].footnotes == (3, 4, 5, 6, 7, 8, 9)
    assert by["OP4"].verb == "请" and by["OP1"].verb == "决定" and by["PP2"].verb == "深感关切"
    assert by["MEETING"].text == "2030 年 12 月 1 日 第 50 次全体会议"


def test_synthetic_errors_name_the_problem():
    with pytest.raises(ParseError, match="operative paragraph 3 where 2"):
        parse(SYNTHETIC.replace("2. **请**", "3. **请**"))
    with pytest.raises(ParseError, match="without a footnote text"):
        parse("67/1. 标题\n\n大会，\n\n回顾¹²，\n\n1. 决定；\n")
    with pytest.raises(ParseError, match="acting body"):
        parse("no resolution here")
