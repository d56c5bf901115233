"""How questions are read: general causes found in held-out v7's first run (kept as measured before any of
these existed), each with reference answers checked by hand against the resolution. The wordings below are
new, not the held-out ones."""

from __future__ import annotations

from answers import ids, verified

from rag.intent import classify


def test_which_documents_a_paragraph_means_are_in_its_footnote(answerer, corpus):
    ans = verified(answerer.ask("第15段提到的以前那些报告，具体是哪几份？"), corpus)
    assert "FN19" in ids(ans) and "A/64/130" in ans.text


def test_a_quoted_back_reference_in_an_english_question_is_resolved(answerer, corpus):
    assert classify('In OP13, what is "这次高级别会议"?', True).kind == "relation"
    ans = verified(answerer.ask('Which meeting is "这次高级别会议" in operative paragraph 13?'), corpus)
    assert ids(ans) == ["OP13", "OP12"] and "2013 年 7 月" in ans.text


def test_a_follow_ups_words_are_known_through_the_question_before(answerer, corpus):
    history = [{"role": "user", "content": "缔约方会议第六届会议是在哪里举行的？"},
               {"role": "assistant", "content": "在维也纳。"}]
    ans = answerer.ask("同一地点还办过别的会吗？", history=history)
    assert ans.extra["decision"]["reason"] != "unknown-words"


def test_a_principal_organ_the_text_never_names_is_not_asked_of(answerer):
    for question in ("What does the resolution request of the Security Council?",
                     "What role does the International Court of Justice play under this resolution?"):
        ans = answerer.ask(question)
        assert ans.refused and ans.extra["decision"]["reason"].startswith("premise:actor-absent:")
    assert not answerer.ask("What does the resolution request of the Secretary-General?").refused


def test_a_quoted_phrase_beginning_with_qita_is_no_back_reference():
    assert classify("第12段点名了几个组织（不算“其他政府间组织”）？", True).kind == "count"
