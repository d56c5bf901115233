"""The Gradio app: its rendering and feedback units, its chat handler, and its API through gradio_client
against the app launched on a free port (real answerer, real index, no mocks)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import free_port

from rag import Answer

XSS = "<img src=x onerror=alert(1)>"
WHEN = "大会决定何时召开高级别会议？"
WHERE = "高级别会议在哪个城市举行？"


@pytest.fixture(scope="module")
def served(answerer, settings, serving, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from ui.app import start

    home = tmp_path_factory.mktemp("ui-app-home")
    demo = start(answerer, settings.with_overrides(home=home), serving, port=free_port(), block=False)
    try:
        yield demo.local_url
    finally:
        demo.close()


@pytest.fixture(scope="module")
def client(served: str):  # type: ignore[no-untyped-def]
    from gradio_client import Client

    return Client(served, analytics_enabled=False, verbose=False)


def check_citations(answerer: Any, d: dict[str, Any]) -> None:
    """Every citation is a real paragraph and its quote is exactly text[start:end]."""
    for c in d["citations"]:
        assert answerer.paragraph(c["id"]).text[c["start"]:c["end"]] == c["quote"]


# ---- rendering -----------------------------------------------------------------------------------------
def test_user_text_is_escaped() -> None:
    from ui import render

    html = render.user_message(XSS)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_answer_marks_become_chips_and_refusals_look_different(answerer) -> None:  # type: ignore[no-untyped-def]
    from ui import render

    answer = answerer.ask(WHEN)
    html = render.answer_message(answer, answerer.corpus, "zh")
    assert 'class="resqa-chip" href="#para-OP12"' in html and "【执行部分第12段】" in html
    assert "resqa-refusal" not in html
    en = render.answer_message(answerer.ask("When will the high-level meeting be held?"), answerer.corpus, "en")
    assert 'href="#para-OP12"' in en and "[OP12]" in en
    refusal = answerer.ask(WHERE)
    assert refusal.refused
    html = render.answer_message(refusal, answerer.corpus, "zh")
    assert "resqa-refusal" in html and "see-also" in html
    for pid in refusal.see_also:
        assert f'href="#para-{pid}"' in html


def test_refusal_echoing_markup_stays_text(answerer) -> None:  # type: ignore[no-untyped-def]
    from ui import render

    html = render.answer_message(answerer.ask(XSS), answerer.corpus, "en")
    assert "<img" not in html and "&lt;img" in html


def test_brackets_that_are_not_marks_stay_plain(corpus) -> None:  # type: ignore[no-untyped-def]
    from ui.render import _chipped

    html = _chipped("see [XYZ] and 【不存在的段】 but 【序言部分第3段】", corpus)
    assert html.count("resqa-chip") == 1 and 'href="#para-PP3"' in html


def test_source_panel_highlights_each_quote_exactly(answerer) -> None:  # type: ignore[no-untyped-def]
    import re

    from ui import render

    answer = answerer.ask(WHEN)
    html = render.sources_panel(answer, answerer.corpus, "zh")
    card = html[html.index('id="src-OP12"'):]
    marked = "".join(re.findall(r"<mark>(.*?)</mark>", card))
    assert marked == answer.citations[0].quote
    assert "执行部分第12段" in card and "operative paragraph 12" in card and "回顾" in card  # labels, verb
    assert "第 64/293 号决议" in card  # the text of footnote 18, which OP12 cites
    assert 'href="#para-FN18"' in card and 'href="#para-OP12"' in card  # …and who cites it


def test_marks_cover_exact_offsets_with_footnote_inside(corpus) -> None:  # type: ignore[no-untyped-def]
    import re

    from ui.render import marked_text

    pp2 = corpus.get("PP2")
    start, end = 10, 80  # spans the marks of footnotes 1 and 2
    html = marked_text(pp2, [(start, end)], corpus)
    assert "".join(re.findall(r"<mark>(.*?)</mark>", html)) == pp2.text[start:end]
    assert html.count('href="#para-FN') == len(pp2.footnotes)


def test_full_text_has_one_anchor_per_paragraph(answerer) -> None:  # type: ignore[no-untyped-def]
    import re

    from ui import render

    html = render.full_text(answerer.corpus, "zh", answerer.ask(WHEN))
    ids = re.findall(r'<section class="resqa-para[^"]*" id="para-([A-Z0-9]+)"', html)
    assert ids == list(answerer.corpus.ids) and len(ids) == 61
    assert '<section class="resqa-para cited" id="para-OP12"' in html


def test_corpus_text_is_escaped_everywhere(answerer) -> None:  # type: ignore[no-untyped-def]
    from ui import render

    html = render.full_text(answerer.corpus, "en")
    header = answerer.paragraph("HEADER").text
    assert "\n" in header and "<br>" in html  # line breaks kept as markup, text escaped
    assert "<script" not in html


def test_copy_text_lists_label_and_quote(answerer) -> None:  # type: ignore[no-untyped-def]
    from ui import render

    answer = answerer.ask(WHEN)
    text = render.copy_text(answer)
    c = answer.citations[0]
    assert text.startswith(answer.text) and f"{c.label_zh}: “{c.quote}”" in text and "A/RES/67/190" in text


def test_retrieval_rows(answerer) -> None:  # type: ignore[no-untyped-def]
    from ui import render

    answer = answerer.ask(WHEN)
    rows = render.retrieval_rows(answer, answerer.corpus)
    assert [r[1] for r in rows] == [h.id for h in answer.retrieved] + ["decision"]
    assert rows[-1][2].startswith("answer: ")  # why it answered: the decision's verdict and reason
    assert all(len(r) == len(render.table_headers("zh")) for r in rows)


# ---- feedback ------------------------------------------------------------------------------------------
def test_feedback_is_append_only_under_concurrent_clicks(tmp_path: Path, answerer) -> None:  # type: ignore[no-untyped-def]
    from ui.feedback import FeedbackLog

    log = FeedbackLog(tmp_path / "home")
    answer = answerer.ask(WHEN).to_dict()

    def click(i: int) -> None:
        for j in range(25):
            log.add("up" if (i + j) % 2 else "down", answer, {"n": i * 100 + j})

    threads = [threading.Thread(target=click, args=(i,)) for i in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    lines = log.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 400
    records = [json.loads(line) for line in lines]  # every line is whole JSON
    assert sorted(r["n"] for r in records) == sorted(i * 100 + j for i in range(16) for j in range(25))
    assert records[0]["citations"] == [{"id": "OP12", "start": 47, "end": 129}]
    log.add("down", None)
    assert len(log.records()) == 401  # appended, nothing rewritten


# ---- the chat handler ----------------------------------------------------------------------------------
def _run(handlers: Any, question: str, session: Any, k: int = 5, lang: str = "zh") -> list[tuple[Any, ...]]:
    return list(handlers.respond(question, session, k, lang))


def test_respond_streams_then_replaces_with_the_final_answer(answerer, settings, serving) -> None:  # type: ignore[no-untyped-def]
    from ui.app import ChatHandlers, Session

    h, session = ChatHandlers(answerer, settings, serving), Session()
    outputs = _run(h, WHEN, session)
    assert len(outputs) >= 3  # the turn, at least one streamed piece, the final answer
    assert all(len(o) == 8 for o in outputs)
    assert any("resqa-streaming" in str(o[1][-1]["content"]) for o in outputs[:-1])
    final = outputs[-1]
    assert "resqa-streaming" not in final[1][-1]["content"] and 'href="#para-OP12"' in final[1][-1]["content"]
    assert 'id="src-OP12"' in final[3] and "<mark>" in final[3]
    assert isinstance(session.latest, Answer) and session.answers[1] is session.latest
    assert session.history[0] == {"role": "user", "content": WHEN}


def test_follow_up_uses_the_conversation(answerer, settings, serving) -> None:  # type: ignore[no-untyped-def]
    from ui.app import ChatHandlers, Session

    h, session = ChatHandlers(answerer, settings, serving), Session()
    _run(h, "执行部分第12段决定了什么？", session)
    _run(h, "那第13段呢？", session)
    assert session.latest is not None and any(c.id == "OP13" for c in session.latest.citations)


def test_over_long_and_empty_questions_get_a_message_not_a_traceback(answerer, settings, serving) -> None:  # type: ignore[no-untyped-def]
    from ui.app import ChatHandlers, Session

    h, session = ChatHandlers(answerer, settings, serving), Session()
    outputs = _run(h, "问" * (settings.max_question_chars + 1), session)
    assert "resqa-error" in outputs[-1][1][-1]["content"] and "2000" in outputs[-1][1][-1]["content"]
    assert session.latest is None and session.history == []
    before = len(session.display)
    with pytest.warns(UserWarning):  # a toast in the browser
        _run(h, "   ", session)
    assert len(session.display) == before  # an empty submit adds no turn


def test_clicked_chip_comes_first_with_its_quote(answerer, settings, serving) -> None:  # type: ignore[no-untyped-def]
    from ui.app import ChatHandlers, Session

    h, session = ChatHandlers(answerer, settings, serving), Session()
    _run(h, WHEN, session)
    _run(h, "大会请秘书长做什么？", session)
    html = h.focus("op12", session, "en")  # a chip in the older answer
    assert html.index('id="src-OP12"') < html.index('class="resqa-card') + 40
    assert 'class="resqa-card focus' in html and "<mark>" in html[html.index('id="src-OP12"'):]


# ---- the API through gradio_client ---------------------------------------------------------------------
@pytest.mark.slow
def test_api_lists_only_the_machine_endpoints(client) -> None:  # type: ignore[no-untyped-def]
    named = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(named) == {"/ask", "/ask_stream", "/get_paragraph"}


@pytest.mark.slow
def test_ask_returns_the_answer_with_citations(client, answerer) -> None:  # type: ignore[no-untyped-def]
    d = json.loads(client.predict(WHEN, api_name="/ask"))
    assert not d["refused"] and d["doc"]["symbol"] == "A/RES/67/190"
    assert [c["id"] for c in d["citations"]] == ["OP12"] and "【执行部分第12段】" in d["text"]
    check_citations(answerer, d)
    assert d == {**answerer.ask(WHEN).to_dict(), "latency_ms": d["latency_ms"]}
    d3 = json.loads(client.predict(WHEN, 3, api_name="/ask"))
    assert len([h for h in d3["retrieved"] if h["via"] == "search"]) == 3


@pytest.mark.slow
def test_ask_stream_streams_then_ends_with_the_answer(client, answerer) -> None:  # type: ignore[no-untyped-def]
    job = client.submit("When will the high-level meeting be held?", api_name="/ask_stream")
    events = [json.loads(x) for x in job]
    assert events[-1]["event"] == "answer"
    assert [e["event"] for e in events[:-1]] and all(e["event"] == "delta" for e in events[:-1])
    final = events[-1]["answer"]
    assert events[-2]["text"] == final["text"] and "[OP12]" in final["text"]
    check_citations(answerer, final)


@pytest.mark.slow
@pytest.mark.parametrize("question", [WHERE, "今天北京的天气怎么样？"])
def test_ask_refuses_what_the_resolution_does_not_say(client, question: str) -> None:  # type: ignore[no-untyped-def]
    d = json.loads(client.predict(question, api_name="/ask"))
    assert d["refused"] and d["citations"] == [] and d["see_also"]


@pytest.mark.slow
def test_bad_input_is_an_error_message(client) -> None:  # type: ignore[no-untyped-def]
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="limit is 2000"):
        client.predict("问" * 2001, api_name="/ask")
    with pytest.raises(AppError, match="empty"):
        client.predict("  ", api_name="/ask")
    with pytest.raises(AppError, match="valid ids"):
        client.predict("OP99", api_name="/get_paragraph")


@pytest.mark.slow
def test_get_paragraph(client) -> None:  # type: ignore[no-untyped-def]
    p = json.loads(client.predict("op12", api_name="/get_paragraph"))
    assert p["id"] == "OP12" and p["footnotes"] == [18] and p["verb"] == "回顾"


@pytest.mark.slow
def test_concurrent_requests_all_get_their_own_answer(served: str, answerer) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    questions = [WHEN, WHERE, "When will the high-level meeting be held?", "大会请秘书长做什么？"] * 3

    def one(q: str) -> dict[str, Any]:
        return json.loads(Client(served, analytics_enabled=False, verbose=False).predict(q, api_name="/ask"))

    with ThreadPoolExecutor(max_workers=len(questions)) as pool:
        results = list(pool.map(one, questions))
    for q, d in zip(questions, results, strict=True):
        assert d["question"] == q
        check_citations(answerer, d)
    assert [d["refused"] for d in results[:4]] == [False, True, False, False]
