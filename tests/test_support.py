"""Support that means support: supports() agrees with the hand labels of support_pairs-v2 in every kind,
rejects the contradictions issue 10 names (antonyms, changed counts and ordinals, swapped roles, widened
scope) through the rule meant for each, never rejects a span of the text or a quote the answerer produces,
and the fair baseline (LangChain + Chroma + e5 over paragraphs) yields a scored row."""

from __future__ import annotations

import re

import pytest

from evals import PUBLIC, SUPPORT_PAIRS, EvalRow, SupportPair, check_support, load_jsonl
from evals.dataset import DATASETS
from rag import split_sentences, supports
from rag.contrast import contrast
from rag.verify import cited_ids, strip_references

NEW_KINDS = ("antonym", "quantity", "ordinal", "role_swap", "scope", "control")


def test_every_kind_agrees_with_the_hand_labels(corpus):
    report = check_support(corpus)
    assert SUPPORT_PAIRS.name == "support_pairs-v2.jsonl"
    assert all(agree >= 0.95 for agree in report["per_kind"].values()), report["disagreements"]
    for kind in NEW_KINDS:
        assert report["per_kind_n"][kind] >= 8, kind


def test_v2_keeps_v1_and_adds_sixty_balanced_pairs(corpus):
    v1 = (DATASETS / "support_pairs-v1.jsonl").read_text(encoding="utf-8").splitlines()
    v2 = SUPPORT_PAIRS.read_text(encoding="utf-8").splitlines()
    assert v2[: len(v1)] == v1
    new = load_jsonl(SUPPORT_PAIRS, SupportPair, set(corpus.ids))[len(v1):]
    assert len(new) >= 60 and {p.kind for p in new} == set(NEW_KINDS)
    assert 0.4 <= sum(p.supported for p in new) / len(new) <= 0.6
    contrasts = [p for p in new if p.kind != "control"]
    for kind in NEW_KINDS[:-1]:  # each contrast kind has its supported minimal partners too
        assert {p.supported for p in contrasts if p.kind == kind} == {True, False}, kind


# (claim, paragraph, the rule that must reject it, the supported wording it was made from)
CONTRADICTIONS = [
    ("并表示完全反对其打击人口贩运活动方面所从事的活动", "OP10", "antonym",
     "并表示完全支持其打击人口贩运活动方面所从事的活动"),
    ("最迟于 2013 年 7 月召开两次高级别会议", "OP12", "quantity", "最迟于 2013 年 7 月召开一次高级别会议"),
    ("大会决定召开两次高级别会议", "OP12", "quantity", "大会决定召开一次高级别会议"),
    ("最早于 2013 年 7 月召开一次高级别会议", "OP12", "antonym", "最迟于2013年7月召开一次高级别会议"),
    ("大会第六十八届会议 议程项目 103", "HEADER", "ordinal", "大会第六十七届会议 议程项目 103"),
    ("根据第四委员会的报告通过", "HEADER", "ordinal", "根据第三委员会的报告通过"),
    ("秘书长请大会主席编写一份高级别会议纪要", "OP14", "role", "大会请大会主席编写一份高级别会议纪要"),
    ("邀请秘书长任命两位共同协调人", "OP13", "role", "邀请大会主席任命两位共同协调人"),
    ("请秘书长编写一份高级别会议纪要", "OP14", "actor", "请大会主席编写一份高级别会议纪要"),
    ("鼓励包括私营部门在内的部分利益攸关方加强工作协调", "OP6", "scope",
     "鼓励包括私营部门在内的所有利益攸关方加强工作协调"),
    ("敦促所有会员国考虑优先批准或加入这些文书", "OP2", "scope", "敦促会员国考虑优先批准或加入这些文书"),
    ("邀请各国继续支持积极参与保护受害者的联合国机构和国际组织", "OP5", "actor",
     "邀请会员国继续支持积极参与保护受害者的联合国机构和国际组织"),
]


@pytest.mark.parametrize("claim,pid,rule,original", CONTRADICTIONS,
                         ids=[f"{c[2]}-{c[1]}-{n}" for n, c in enumerate(CONTRADICTIONS)])
def test_a_contradiction_fails_by_its_rule_and_its_source_passes(corpus, claim, pid, rule, original):
    text = corpus.get(pid).text
    reason = contrast(strip_references(claim), text)
    assert reason is not None and reason.startswith(rule), reason
    assert not supports(claim, text)
    assert supports(original, text) and contrast(original, text) is None


def test_the_same_contradiction_fails_with_a_citation_mark_and_across_joined_paragraphs(corpus):
    joined = " ".join(corpus.get(i).text for i in ("OP10", "OP11"))
    assert not supports("大会表示完全反对该办公室打击人口贩运活动方面所从事的活动[OP10]。", joined)
    assert supports("大会表示完全支持该办公室打击人口贩运活动方面所从事的活动[OP10]。", joined)


def test_every_span_of_the_text_stays_supported(corpus):
    """Verbatim clauses, and clauses with the ones between them left out, never meet a contrast rule."""
    checked = 0
    for p in corpus.paragraphs:
        clauses = [c for c in re.split(r"[，；。]", p.text) if len(c.strip()) >= 4]
        spans = clauses + [a + "，" + b for a, b in zip(clauses, clauses[2:], strict=False)]
        for span in spans:
            assert contrast(span, p.text) is None, (p.id, span)
            assert supports(span, p.text), (p.id, span)
            checked += 1
    assert checked > 200


@pytest.fixture(scope="module")
def public_answers(answerer):
    return [answerer.ask(row.question) for row in load_jsonl(PUBLIC, EvalRow)]


def test_every_quote_and_cited_sentence_the_answerer_produces_passes(public_answers, corpus):
    quotes = sentences = 0
    for ans in public_answers:
        for c in ans.citations:
            assert supports(c.quote, corpus.get(c.id).text), (c.id, c.quote)
            quotes += 1
        for sentence in split_sentences(ans.text) if not ans.refused else []:
            ids = [i for i in cited_ids(sentence, corpus) if corpus.get(i)]
            if ids:
                assert supports(sentence, " ".join(corpus.get(i).text for i in ids)), sentence
                sentences += 1
    assert quotes > 200 and sentences > 200


def test_the_fair_baseline_gives_a_scored_row_from_e5_and_chroma(corpus, tmp_path):
    from evals.baseline_e5 import LABEL, ParagraphBaseline, ephemeral_client
    from evals.command import _summarize_run
    from evals.report import write_markdown

    rows = [r for r in load_jsonl(PUBLIC, EvalRow) if r.answerable and r.lang == "zh"][:10]
    base = ParagraphBaseline(corpus, ephemeral_client())
    produced = base.run(rows)
    for _row, p in produced:
        assert len(p.retrieved) == 10 and p.citations[0][0] == p.retrieved[0]
        assert p.citations[0][1] == corpus.get(p.retrieved[0]).text  # the top paragraph, quoted whole
    summary = _summarize_run(produced, corpus)
    assert summary["n"] == 10 and summary["recall@5"] >= 0.5 and summary["citation_validity"] == 1.0
    write_markdown(tmp_path / "report.md", {"n": 1}, {}, [], {LABEL: summary}, check_support(corpus))
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert f"| {LABEL} | 10 |" in report and "| role_swap | 16 | 1.000 |" in report
