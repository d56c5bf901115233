"""Labels, the label → id map and footnote links have one owner, `index.corpus.Corpus`: reference tests of
every id's labels in both languages (and back), of the count phrases and of the footnote links, and a guard
that no module of rag/, ui/ or evals/ writes a label format, a label → id map or a footnote's id itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index import Corpus

ROOT = Path(__file__).resolve().parent.parent

# Written out by hand, not with the code under test: the 61 ids and how a diplomat names each.
REFERENCE = (
    [("HEADER", "文件标题部分", "document header")]
    + [(f"PP{n}", f"序言部分第{n}段", f"preambular paragraph {n}") for n in range(1, 26)]
    + [(f"OP{n}", f"执行部分第{n}段", f"operative paragraph {n}") for n in range(1, 16)]
    + [(f"FN{n}", f"脚注{n}", f"footnote {n}") for n in range(1, 20)]
    + [("MEETING", "会议日期行", "meeting line")]
)


def test_the_reference_covers_every_paragraph(corpus: Corpus) -> None:
    assert len(REFERENCE) == 61 and [pid for pid, _, _ in REFERENCE] == list(corpus.ids)


@pytest.mark.parametrize(("pid", "zh", "en"), REFERENCE)
def test_label_and_back_in_both_languages(corpus: Corpus, pid: str, zh: str, en: str) -> None:
    p = corpus.get(pid)
    assert p is not None and (p.label_zh, p.label_en) == (zh, en)
    assert (corpus.label(pid, "zh"), corpus.label(pid, "en")) == (zh, en)
    assert corpus.label(pid, "en", capital=True) == en[0].upper() + en[1:]
    assert corpus.label(pid, "zh", capital=True) == zh
    assert (corpus.id_of_label(zh, "zh"), corpus.id_of_label(en, "en")) == (pid, pid)
    assert corpus.id_of_label(zh) == corpus.id_of_label(en) == pid
    assert corpus.id_of_label(en, "zh") is None and corpus.id_of_label(zh, "en") is None
    assert Corpus.label_re.fullmatch(zh) and Corpus.label_re.fullmatch(en)
    if pid[:2] in ("PP", "OP", "FN"):
        kind, number = Corpus.split_id(pid)
        assert Corpus.id_for(kind, number) == pid and Corpus.kind_of_prefix(pid[:2]) == kind


def test_labels_of_paragraphs_the_document_lacks(corpus: Corpus) -> None:
    # Named to say they do not exist ("决议没有执行部分第20段"), never mapped back to an id.
    assert corpus.label("OP20", "zh") == "执行部分第20段" and corpus.label("PP0", "en") == "preambular paragraph 0"
    assert corpus.label("FN25", "zh") == "脚注25"
    assert corpus.id_of_label("执行部分第20段") is None and corpus.id_of_label("footnote 25") is None
    assert corpus.id_of_label(" 执行部分第12段") is None  # exact labels only; callers strip what they read
    for spaced in ("执行部分第 12 段", "序言部分第3段", "脚注 9", "footnote 3", "Operative paragraph 12"):
        assert Corpus.label_re.fullmatch(spaced), spaced


def test_count_phrases(corpus: Corpus) -> None:
    assert corpus.counts == {"preamble": 25, "operative": 15, "footnote": 19}
    assert [corpus.count_phrase(k, "zh") for k in ("preamble", "operative", "footnote")] == [
        "序言部分共有 25 段", "执行部分共有 15 段", "脚注共有 19 个"]
    assert [corpus.count_phrase(k, "en") for k in ("preamble", "operative", "footnote")] == [
        "25 preambular paragraphs", "15 operative paragraphs", "19 footnotes"]
    assert corpus.total_phrase("footnote", "zh") == "决议共有 19 个脚注"
    assert corpus.total_phrase("operative", "zh") == "执行部分共有 15 段"
    assert corpus.total_phrase("footnote", "en") == "19 footnotes"
    assert corpus.parts_phrase("zh") == "序言部分 25 段，执行部分 15 段"
    assert corpus.parts_phrase("en") == "25 preambular and 15 operative paragraphs"
    assert corpus.part_name("operative", "zh") == "执行部分"
    assert corpus.part_name("preamble", "en") == "preambular paragraphs"
    assert (corpus.measure_word("footnote"), corpus.measure_word("preamble")) == ("个", "段")


def test_footnote_links(corpus: Corpus) -> None:
    assert [fn.id for fn in corpus.footnotes_of("OP3")] == ["FN3", "FN14", "FN4", "FN15", "FN16", "FN17"]
    assert [p.id for p in corpus.cited_by("FN1")] == ["PP2", "OP2"]
    assert corpus.linked("FN18") == ("OP12",) and corpus.linked("OP12") == ("FN18",)
    assert corpus.linked("HEADER") == () and corpus.linked("OP99") == () and corpus.cited_by("OP3") == ()
    assert corpus.footnote(18) is corpus.get("FN18") and corpus.footnote(20) is None
    assert [(a.pid, a.text) for a in corpus.footnote_anchors("FN18")] == [
        ("OP12", "回顾其关于在 2013 年进行一次《联合国打击贩运人口活动全球行动计划》执行进展调查的决定")]
    for fn in (p for p in corpus.paragraphs if p.kind == "footnote"):
        citing = corpus.cited_by(fn.id)
        assert citing and all(fn in corpus.footnotes_of(p.id) for p in citing)
        for p in citing:  # every place a footnote is cited has the words it is the source of
            a = corpus.anchor(p.id, fn.number)
            assert a is not None and p.text[a.start : a.end] == a.text and a in corpus.footnote_anchors(fn.id)


def test_citation_marks_read_back_to_their_ids(corpus: Corpus) -> None:
    from rag.compose import mark
    from rag.verify import cited_ids
    from ui.render import _chipped

    for p in corpus.paragraphs:
        for lang in ("zh", "en"):
            sentence = f"决议这样说{mark(p, lang)}。"
            assert cited_ids(sentence, corpus) == [p.id]
            assert f'href="#para-{p.id}"' in _chipped(sentence, corpus)


# What writing a label, a count phrase, a label → id map or a footnote's id by hand looks like.
_HAND_WRITTEN = re.compile(
    r"(?:部分第|脚注)\{"  # a Chinese label format: 执行部分第{n}段, 脚注{n}
    r"|(?:preambular|operative) paragraphs? \{|\} (?:preambular|operative) paragraphs?|\} footnotes"  # English
    r"|[\"'](?:preambular|operative) paragraphs[\"']"  # an English part name: "operative paragraphs"
    r"|(?:序言部分|执行部分|脚注)共"  # a count phrase: 执行部分共有 15 段
    r"|[\"'](?:FN|PP|OP)\{|\{prefix\}\{"  # an id built from a number: f"FN{n}"
    r"|label_(?:zh|en)\[0\]"  # a label capitalised by hand
    r"|\.label_(?:zh|en)\s*:\s"  # a label → id (or paragraph) map (not a format spec: {p.label_zh:<10})
)


@pytest.mark.parametrize("package", ["rag", "ui", "evals"])
def test_no_module_outside_the_owner_writes_labels_or_footnote_ids(package: str) -> None:
    for path in sorted((ROOT / package).rglob("*.py")):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not _HAND_WRITTEN.search(line), f"{path.relative_to(ROOT)}:{no}: ask Corpus instead: {line.strip()}"
