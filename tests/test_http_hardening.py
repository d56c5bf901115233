"""Hardening of the HTTP service on a real server: bad inputs always get a 4xx JSON error (never a 500), the
optional API key guards /v1/* only, CORS is off unless configured, and each request leaves one JSON access-log
line."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import openai
import pytest
from http_server import running
from test_http import WHEN, ids, is_json_error

from ui.http import create_app

pytestmark = pytest.mark.slow


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
def test_api_key_guards_v1_only(answerer, settings, serving) -> None:  # type: ignore[no-untyped-def]
    app = create_app(answerer, settings, replace(serving, api_key="s3cret"), mount_ui=False)
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


def test_no_api_key_means_open(client: httpx.Client, serving) -> None:  # type: ignore[no-untyped-def]
    assert serving.api_key is None
    assert client.get("/v1/paragraphs/OP1").status_code == 200


def test_cors_off_unless_configured(client: httpx.Client, answerer, settings, serving) -> None:  # type: ignore[no-untyped-def]
    origin = {"Origin": "http://example.org"}
    assert "access-control-allow-origin" not in client.get("/v1/models", headers=origin).headers
    app = create_app(answerer, settings, replace(serving, cors_origins=("http://example.org",)), mount_ui=False)
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
