"""The HTTP service end to end: a real uvicorn server on an ephemeral port, the real answerer and index, and
real clients (httpx, the `openai` package). Behaviour only — nothing here measures speed."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from http_server import running

from ui.http import create_app

pytestmark = pytest.mark.slow
WHEN = "大会决定何时召开高级别会议？"
WEATHER = "今天北京的天气怎么样？"
DATASET = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "public-v2.jsonl"


def ids(answer: dict[str, Any]) -> list[str]:
    return [c["id"] for c in answer["citations"]]


def is_json_error(r: httpx.Response) -> bool:
    body = r.json()
    return r.headers["content-type"].startswith("application/json") and bool(body["error"]["message"])


# ---- service ----------------------------------------------------------------------------------------------
def test_health_and_info(client: httpx.Client, corpus) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").json() == {"status": "ok"}
    info = client.get("/v1/info").json()
    assert info["symbol"] == "A/RES/67/190" and info["sha256"] == corpus.sha256
    assert info["paragraphs"] == 61 and info["ranges"] == "HEADER, PP1–PP25, OP1–OP15, FN1–FN19, MEETING"
    assert info["embedder"].startswith("e5") and info["version"] and info["backend"] == "extractive"


def test_openapi_and_docs(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/v1/ask", "/v1/search", "/v1/paragraphs", "/v1/paragraphs/{pid}", "/v1/chat/completions",
                 "/v1/models", "/v1/info", "/healthz"):
        assert path in paths
    assert client.get("/docs").status_code == 200


def test_serve_binds_loopback_by_default() -> None:
    import inspect

    from ui.http import serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


# ---- /v1/ask ----------------------------------------------------------------------------------------------
def test_ask_cites_op12_with_the_date(client: httpx.Client) -> None:
    r = client.post("/v1/ask", json={"question": WHEN})
    answer = r.json()
    assert r.status_code == 200 and not answer["refused"] and answer["question"] == WHEN
    op12 = [c for c in answer["citations"] if c["id"] == "OP12"]
    assert op12 and "2013 年 7 月" in op12[0]["quote"]
    assert answer["doc"]["symbol"] == "A/RES/67/190" and answer["retrieved"] and answer["backend"] == "extractive"


def test_ask_json_is_the_answer_dict(client: httpx.Client, answerer) -> None:  # type: ignore[no-untyped-def]
    over_http = client.post("/v1/ask", json={"question": WHEN, "k": 3}).json()
    direct = answerer.ask(WHEN, k=3).to_dict()
    assert set(over_http) == set(direct)
    for key in ("text", "citations", "retrieved", "refused", "doc", "lang"):
        assert over_http[key] == direct[key]


def test_ask_refuses_off_topic(client: httpx.Client) -> None:
    answer = client.post("/v1/ask", json={"question": WEATHER}).json()
    assert answer["refused"] is True and answer["citations"] == []


def test_ask_follow_up_uses_history(client: httpx.Client) -> None:
    history = [{"role": "user", "content": "第12段决定了什么？"}, {"role": "assistant", "content": "……"}]
    answer = client.post("/v1/ask", json={"question": "那第13段呢？", "history": history}).json()
    assert "OP13" in ids(answer)


def test_ask_llm_must_be_configured(client: httpx.Client) -> None:
    r = client.post("/v1/ask", json={"question": WHEN, "llm": "openai:gpt-4o"})
    assert r.status_code == 400 and is_json_error(r) and "not configured" in r.json()["error"]["message"]
    assert client.post("/v1/ask", json={"question": WHEN, "llm": "extractive"}).status_code == 200


# ---- paragraphs and search ----------------------------------------------------------------------------------
def test_paragraphs_all_with_labels(client: httpx.Client, corpus) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/v1/paragraphs").json()
    assert body["count"] == 61 and [p["id"] for p in body["paragraphs"]] == list(corpus.ids)
    assert all(p["label_zh"] and p["label_en"] and p["text"] for p in body["paragraphs"])


@pytest.mark.parametrize("raw, pid", [("OP12", "OP12"), ("op12", "OP12"), ("Fn18", "FN18"), ("header", "HEADER")])
def test_paragraph_ids_are_case_insensitive(client: httpx.Client, raw: str, pid: str) -> None:
    p = client.get(f"/v1/paragraphs/{raw}").json()
    assert p["id"] == pid and p["label_zh"]


@pytest.mark.parametrize("raw", ["OP99", "PP0", "xyz", "第12段"])
def test_unknown_paragraph_names_valid_ranges(client: httpx.Client, raw: str) -> None:
    r = client.get(f"/v1/paragraphs/{raw}")
    assert r.status_code == 404 and is_json_error(r)
    assert "PP1–PP25, OP1–OP15, FN1–FN19" in r.json()["error"]["message"]


def test_search_ranks_hits(client: httpx.Client) -> None:
    body = client.get("/v1/search", params={"q": "高级别会议 2013 年 7 月", "k": 4}).json()
    ranked = [h for h in body["hits"] if h["via"] != "link"]
    assert [h["rank"] for h in ranked] == [1, 2, 3, 4] and body["k"] == 4
    assert "OP12" in [h["id"] for h in ranked] and all(h["label_zh"] and h["text"] for h in body["hits"])


# ---- OpenAI compatibility -------------------------------------------------------------------------------------
@pytest.fixture()
def oai(base: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0, timeout=60)


def test_openai_models(oai: openai.OpenAI) -> None:
    assert [m.id for m in oai.models.list()] == ["resqa"]


def test_openai_chat_keeps_citations(oai: openai.OpenAI) -> None:
    done = oai.chat.completions.create(model="resqa", messages=[{"role": "user", "content": WHEN}])
    message = done.choices[0].message
    assert "【执行部分第12段】" in (message.content or "") and done.choices[0].finish_reason == "stop"
    top = (done.model_extra or {})["citations"]
    assert top == (message.model_extra or {})["citations"]
    assert any(c["id"] == "OP12" and "2013 年 7 月" in c["quote"] for c in top)


def test_openai_stream_ends_with_citations(oai: openai.OpenAI) -> None:
    chunks = list(oai.chat.completions.create(model="resqa", stream=True,
                                              messages=[{"role": "user", "content": WHEN}]))
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    answer = (last.model_extra or {})["resqa"]
    assert text == answer["text"] and "OP12" in [c["id"] for c in (last.model_extra or {})["citations"]]


def test_sse_wire_format(client: httpx.Client) -> None:
    body = {"model": "resqa", "stream": True, "messages": [{"role": "user", "content": WHEN}]}
    with client.stream("POST", "/v1/chat/completions", json=body) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        raw = "".join(r.iter_text())
    events = raw.split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""] and all(e.startswith("data: ") for e in events[:-1])
    last = json.loads(events[-3][len("data: "):])
    assert last["object"] == "chat.completion.chunk" and "OP12" in [c["id"] for c in last["citations"]]


def test_openai_history_and_refusal(oai: openai.OpenAI) -> None:
    follow = oai.chat.completions.create(model="resqa", messages=[
        {"role": "system", "content": "You are helpful."}, {"role": "user", "content": "第12段决定了什么？"},
        {"role": "assistant", "content": "……"}, {"role": "user", "content": "那第13段呢？"}])
    assert "OP13" in [c["id"] for c in (follow.model_extra or {})["citations"]]
    no = oai.chat.completions.create(model="resqa", messages=[{"role": "user", "content": WEATHER}])
    assert (no.model_extra or {})["citations"] == [] and (no.model_extra or {})["resqa"]["refused"] is True


def test_openai_unknown_model_is_an_error(oai: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError, match="does not exist"):
        oai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": WHEN}])


# ---- concurrency: no cross-talk between threads ---------------------------------------------------------------
def _distinct_questions(answerer, n: int) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """n questions from the public set whose (sequential, in-process) answers cite different paragraphs."""
    rows = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]
    picked: dict[tuple[str, ...], str] = {}
    for row in rows:
        cited = tuple(c.id for c in answerer.ask(row["question"]).citations)
        if row["answerable"] and cited and cited not in picked:
            picked[cited] = row["question"]
            if len(picked) == n:
                break
    assert len(picked) >= n
    return [(q, list(c)) for c, q in list(picked.items())[:n]]


def test_twenty_threads_get_their_own_answers(base: str, answerer) -> None:  # type: ignore[no-untyped-def]
    questions = _distinct_questions(answerer, 20)
    failures: list[str] = []

    def worker(question: str, expected: list[str]) -> None:
        with httpx.Client(base_url=base, timeout=120) as c:
            for i in range(10):
                r = c.post("/v1/ask", json={"question": question})
                got = r.json() if r.status_code == 200 else {}
                if r.status_code != 200 or got.get("question") != question or ids(got) != expected:
                    failures.append(f"{question} #{i}: {r.status_code} {ids(got) if got else r.text[:200]}")

    threads = [threading.Thread(target=worker, args=qe) for qe in questions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not failures, failures[:5]


# ---- the chat UI at "/" ------------------------------------------------------------------------------------------
def test_root_serves_the_chat(answerer, settings, serving) -> None:  # type: ignore[no-untyped-def]
    try:
        import ui.app  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"ui/app.py (the Gradio chat) is not importable yet: {exc}")
    with running(create_app(answerer, settings, serving)) as url, httpx.Client(base_url=url, timeout=60) as c:
        page = c.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "gradio" in page.text.lower()
        assert c.get("/config").json()["mode"] == "blocks"
        assert c.get("/v1/models").json()["data"][0]["id"] == "resqa"  # the API still wins over the mount
