"""The HTTP service end to end: a real uvicorn server on an ephemeral port, the real answerer and index, and
real clients (httpx, the `openai` package). Behaviour only — nothing here measures speed."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
import uvicorn

from ui.http import create_app

pytestmark = pytest.mark.slow
WHEN = "大会决定何时召开高级别会议？"
WEATHER = "今天北京的天气怎么样？"
DATASET = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "public-v1.jsonl"


@contextmanager
def running(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn in a background thread on a free loopback port; yield its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # bound here and handed over: no race for the port
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@pytest.fixture(scope="module")
def base(answerer, settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with running(create_app(answerer, settings, mount_ui=False)) as url:
        yield url


@pytest.fixture()
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=60) as c:
        yield c


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


# ---- bad inputs: always 4xx with a JSON error, never a 500 -------------------------------------------------------
def _chunked(size: int) -> Iterator[bytes]:
    yield b'{"question": "'
    yield b"a" * size
    yield b'"}'


BAD = [
    ("POST", "/v1/ask", {"json": {"question": ""}}, 422),
    ("POST", "/v1/ask", {"json": {"question": "   \n\t "}}, 422),
    ("POST", "/v1/ask", {"json": {"question": "问" * 3000}}, 422),
    ("POST", "/v1/ask", {"json": {"question": "a" * 100_000}}, 413),
    ("POST", "/v1/ask", {"chunked": 100_000, "headers": {"content-type": "application/json"}}, 413),
    ("POST", "/v1/ask", {"content": b"not json at all", "headers": {"content-type": "application/json"}}, 422),
    ("POST", "/v1/ask", {"content": b"{\"question\": \"x\"", "headers": {"content-type": "application/json"}}, 422),
    ("POST", "/v1/ask", {"content": bytes(range(256)) * 4, "headers": {"content-type": "application/json"}}, None),
    ("POST", "/v1/ask", {"content": bytes(range(256)) * 4, "headers": {"content-type": "application/octet-stream"}},
     422),
    ("POST", "/v1/ask", {"content": b'{"question": "x"}'}, 422),  # no content type
    ("POST", "/v1/ask", {"json": None}, 422),
    ("POST", "/v1/ask", {"json": ["a question"]}, 422),
    ("POST", "/v1/ask", {"json": {"question": 123}}, 422),
    ("POST", "/v1/ask", {"json": {"question": WHEN, "k": "many"}}, 422),
    ("POST", "/v1/ask", {"json": {"question": WHEN, "k": 0}}, 422),
    ("POST", "/v1/ask", {"json": {"question": WHEN, "k": 21}}, 422),
    ("POST", "/v1/ask", {"json": {"question": WHEN, "history": "earlier"}}, 422),
    ("POST", "/v1/ask", {"json": {"question": WHEN, "history": [{"role": "robot", "content": "x"}]}}, 422),
    ("POST", "/v1/ask", {"json": {"questoin": WHEN}}, 422),
    ("POST", "/v1/ask", {"json": {"question": WHEN, "llm": 5}}, 422),
    ("GET", "/v1/ask", {}, 405),
    ("GET", "/v1/paragraphs/" + "X" * 40, {}, 422),
    ("GET", "/v1/paragraphs/OP16", {}, 404),
    ("GET", "/v1/search", {}, 422),
    ("GET", "/v1/search", {"params": {"q": ""}}, 422),
    ("GET", "/v1/search", {"params": {"q": WHEN, "k": 100}}, 422),
    ("GET", "/v1/search", {"params": {"q": "x" * 2500}}, 422),
    ("GET", "/v1/nothing-here", {}, 404),
    ("POST", "/v1/chat/completions", {"json": {"model": "resqa", "messages": []}}, 422),
    ("POST", "/v1/chat/completions", {"json": {"model": "resqa", "messages": [{"role": "system", "content": "hi"}]}},
     422),
    ("POST", "/v1/chat/completions", {"json": {"model": "resqa", "messages": [
        {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "http://x/y.png"}}]}]}}, 422),
    ("POST", "/v1/chat/completions", {"json": {"model": "resqa", "messages": [{"role": "user", "content": ""}]}},
     422),
    ("POST", "/v1/chat/completions", {"json": {"model": "resqa", "stream": True,
                                               "messages": [{"role": "user", "content": ""}]}}, 422),
    ("POST", "/v1/chat/completions", {"json": {"model": "other", "messages": [{"role": "user", "content": WHEN}]}},
     404),
    ("POST", "/v1/chat/completions", {"json": {"messages": "hello"}}, 422),
    ("GET", "/v1/models/gpt-4", {}, 404),
]


@pytest.mark.parametrize("method, path, kwargs, status", BAD,
                         ids=[f"{m} {p[:30]} #{i}" for i, (m, p, _, _) in enumerate(BAD)])
def test_bad_input_is_a_json_4xx(client: httpx.Client, method: str, path: str, kwargs: dict[str, Any],
                                 status: int | None) -> None:
    kwargs = dict(kwargs)
    if "chunked" in kwargs:  # no Content-Length: the server only learns the size while reading
        kwargs["content"] = _chunked(kwargs.pop("chunked"))
    r = client.request(method, path, **kwargs)
    assert 400 <= r.status_code < 500 and is_json_error(r)
    if status is not None:
        assert r.status_code == status


# ---- hardening: API key, CORS, access log --------------------------------------------------------------------
def test_api_key_guards_v1_only(answerer, settings) -> None:  # type: ignore[no-untyped-def]
    app = create_app(answerer, replace(settings, api_key="s3cret"), mount_ui=False)
    with running(app) as url, httpx.Client(base_url=url, timeout=60) as c:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
            r = c.post("/v1/ask", json={"question": WHEN}, headers=headers)
            assert r.status_code == 401 and is_json_error(r) and r.headers["www-authenticate"] == "Bearer"
        assert c.get("/v1/paragraphs/OP1").status_code == 401
        assert c.get("/healthz").status_code == 200 and c.get("/docs").status_code == 200
        ok = c.post("/v1/ask", json={"question": WHEN}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and "OP12" in ids(ok.json())
        good = openai.OpenAI(base_url=f"{url}/v1", api_key="s3cret", max_retries=0)
        assert [m.id for m in good.models.list()] == ["resqa"]
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=f"{url}/v1", api_key="nope", max_retries=0).models.list()


def test_no_api_key_means_open(client: httpx.Client, settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.api_key is None
    assert client.get("/v1/paragraphs/OP1").status_code == 200


def test_cors_off_unless_configured(client: httpx.Client, answerer, settings) -> None:  # type: ignore[no-untyped-def]
    origin = {"Origin": "http://example.org"}
    assert "access-control-allow-origin" not in client.get("/v1/models", headers=origin).headers
    app = create_app(answerer, replace(settings, cors_origins=("http://example.org",)), mount_ui=False)
    with running(app) as url, httpx.Client(base_url=url) as c:
        pre = c.options("/v1/ask", headers={**origin, "Access-Control-Request-Method": "POST",
                                            "Access-Control-Request-Headers": "content-type"})
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "http://example.org"
        assert c.get("/v1/models", headers=origin).headers["access-control-allow-origin"] == "http://example.org"
        other = c.get("/v1/models", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_access_log_is_one_json_line_per_request(client: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="resqa.access")
    client.get("/v1/paragraphs/OP3")
    client.get("/v1/paragraphs/OP99")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "resqa.access"]
    mine = [x for x in lines if x["path"].startswith("/v1/paragraphs/OP")]
    assert [(x["method"], x["path"], x["status"]) for x in mine] == [
        ("GET", "/v1/paragraphs/OP3", 200), ("GET", "/v1/paragraphs/OP99", 404)]
    assert all(isinstance(x["ms"], float) and x["ms"] >= 0 for x in mine)


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
def test_root_serves_the_chat(answerer, settings) -> None:  # type: ignore[no-untyped-def]
    try:
        import ui.app  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"ui/app.py (the Gradio chat) is not importable yet: {exc}")
    with running(create_app(answerer, settings)) as url, httpx.Client(base_url=url, timeout=60) as c:
        page = c.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "gradio" in page.text.lower()
        assert c.get("/config").json()["mode"] == "blocks"
        assert c.get("/v1/models").json()["data"][0]["id"] == "resqa"  # the API still wins over the mount
