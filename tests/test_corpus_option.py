"""Another resolution in the same UN layout, named by RESQA_CORPUS or `--corpus`: indexed in a home of its own,
answered with its own ids and stamp by the real CLI (real e5, real Chroma); a text that does not parse is
refused with exit 2, one line naming the line, and nothing created."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from fault_support import messages, resqa

from index import CORPUS_PATH, ParseError, Settings, index_home, load_corpus, load_corpus_for

OTHER = Path(__file__).parent / "data" / "A_RES_72_315_zh.txt"
OTHER_SHA = hashlib.sha256(OTHER.read_bytes()).hexdigest()
OTHER_IDS = set(load_corpus(OTHER, None).ids)


def _bad(tmp_path: Path) -> Path:
    """The synthetic resolution with its fourth operative paragraph numbered 6."""
    text = OTHER.read_text(encoding="utf-8").replace("4. **邀请**", "6. **邀请**")
    bad = tmp_path / "bad.txt"
    bad.write_text(text, encoding="utf-8")
    return bad


def test_the_setting_is_read_from_the_environment_and_flags(tmp_path: Path) -> None:
    assert Settings.from_env(environ={}).corpus is None
    assert Settings.from_env(environ={"RESQA_CORPUS": str(OTHER)}).corpus == OTHER
    assert Settings.from_env(environ={}, corpus=OTHER).corpus == OTHER
    assert load_corpus_for(None).symbol == "A/RES/67/190"
    other = load_corpus_for(OTHER)
    assert (other.symbol, other.sha256) == ("A/RES/72/315", OTHER_SHA)  # the symbol from its own masthead
    # one home per document, keyed by its hash; the bundled text, named or not, keeps RESQA_HOME itself
    assert index_home(tmp_path, None) == tmp_path == index_home(tmp_path, CORPUS_PATH)
    assert index_home(tmp_path, OTHER) == tmp_path / "docs" / OTHER_SHA[:16]


def test_a_text_that_does_not_parse_is_refused_naming_the_line(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match=r"line 44: operative paragraph 6 where 4 was expected"):
        load_corpus_for(_bad(tmp_path))
    with pytest.raises(ParseError, match=r"line 1: .*UTF-8"):
        (tmp_path / "latin.txt").write_bytes("大会".encode("gbk"))
        load_corpus_for(tmp_path / "latin.txt")


def test_the_cli_refuses_a_bad_corpus_and_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bad = _bad(tmp_path)
    cases = ((("index", "--corpus", str(bad)), None), (("--corpus", str(bad), "ask", "决议请谁做什么？"), None),
             (("ask", "决议请谁做什么？"), {"RESQA_CORPUS": str(bad)}))
    for args, env in cases:
        run = resqa(home, *args, env=env)
        assert run.code == 2, run.err
        said = messages(run.err)
        assert len(said) == 1 and "line 44" in said[0] and "where 4 was expected" in said[0], said
        assert "Traceback" not in run.err
        assert not home.exists()  # nothing indexed, no folder made


def test_the_cli_indexes_and_answers_another_resolution(tmp_path: Path) -> None:
    home = tmp_path / "home"
    run = resqa(home, "--corpus", str(OTHER), "index")
    assert run.code == 0, run.err
    assert "A/RES/72/315" in run.out
    assert (home / "docs" / OTHER_SHA[:16] / "chroma").exists() and not (home / "chroma").exists()
    asked = {
        "决议请联合国环境规划署做什么？": "OP3",
        "里斯本会议是什么时候举行的？": "PP5",
        "决议请秘书长在哪届会议上提交报告？": "OP5",
    }
    for question, pid in asked.items():
        run = resqa(home, "--corpus", str(OTHER), "ask", question, "--json")
        assert run.code == 0, run.err
        answer = json.loads(run.out)
        assert answer["doc"] == {"symbol": "A/RES/72/315", "sha256": OTHER_SHA}
        ids = [c["id"] for c in answer["citations"]]
        assert ids and set(ids) <= OTHER_IDS, (question, ids)
        assert pid in ids, (question, ids, answer["text"])
    # the same through RESQA_CORPUS, on a command without a store
    run = resqa(home, "show", "OP3", env={"RESQA_CORPUS": str(OTHER)})
    assert run.code == 0 and "联合国环境规划署与国际海事组织合作" in run.out


def test_eval_does_not_score_another_document_with_the_bundled_set(tmp_path: Path) -> None:
    run = resqa(tmp_path / "home", "eval", "--corpus", str(OTHER))
    assert run.code == 2 and "bundled" in run.err and "--dataset" in run.err


def test_eval_scores_another_document_with_its_own_set(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    second = root / "evals" / "corpora" / "A_RES_71_222_zh.txt"
    out = tmp_path / "second.json"
    run = resqa(tmp_path / "home", "eval", "--corpus", str(second), "--dataset",
                str(root / "evals" / "datasets" / "second-v1.jsonl"), "--output-json", str(out))
    assert run.code == 0, run.err
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"]["n"] == 96 and report["summary"]["citation_validity"] == 1.0
    cited = {c if isinstance(c, str) else c["id"] for it in report["items"] for c in it["citations"]}
    assert cited and cited <= set(load_corpus(second, None).ids)


def test_an_english_name_is_looked_up_by_its_chinese_name(corpus) -> None:  # type: ignore[no-untyped-def]
    from rag.qtype import named_specifics
    from rag.specifics import written
    from rag.text import normalize

    flat = normalize(" ".join(p.text for p in corpus.paragraphs))
    assert written("Vienna", flat, corpus) and not written("Paris", flat, corpus)
    assert named_specifics("What does it ask the World Health Organization to do?") == ["World Health Organization"]
    assert written("World Health Organization", normalize("请世界卫生组织编写一份报告"))  # a text that names it
    assert not written("World Health Organization", flat, corpus)  # 67/190 does not
    assert named_specifics("Who is asked to prepare a summary?") == []  # "Who" is not an organization


def test_the_actor_check_knows_another_documents_actors() -> None:
    from rag import premise

    other = load_corpus(OTHER, None)
    doc = " ".join(p.text for p in other.paragraphs)
    op3 = [other.get("OP3").text]  # 请联合国环境规划署与国际海事组织合作，编写一份…全球评估
    assert premise.check("决议是否请联合国环境规划署编写全球评估？", "zh", op3, doc, other) is None
    assert premise.check("决议是否请秘书长编写全球评估？", "zh", op3, doc, other) == "actor-swapped:秘书长"
