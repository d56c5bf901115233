"""`resqa serve` with RESQA_API_KEY set, over real HTTP (uvicorn): every Gradio route that answers or writes needs
the key (checked for every route the app has), private events are not callable by name, bad Gradio arguments
are 4xx, the browser gets in by the login page, and 👍/👎 feedback is bounded (closed rating set, reason length,
per-client rate, file cap); the file itself is tested in test_feedback_limits.py."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

KEY = "test-key-7f3a"
AUTH = {"Authorization": f"Bearer {KEY}"}
WHEN = "大会决定何时召开高级别会议？"
CAP, PER_MINUTE = 40_000, 6  # the served app's feedback file cap (bytes) and records per client a minute


# ---- the served app -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(answerer, settings, serving, tmp_path_factory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from http_server import running

    from ui.http import create_app

    home = tmp_path_factory.mktemp("guard-home")
    app = create_app(answerer, settings.with_overrides(home=home),
                     serving.with_overrides(api_key=KEY, feedback_max_bytes=CAP, feedback_per_minute=PER_MINUTE))
    with running(app) as url:
        yield {"url": url, "app": app, "home": home}


@pytest.fixture()
def web(served) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=served["url"], timeout=120) as c:
        yield c


def routes(app: Any) -> list[tuple[str, str]]:
    """(method, path template) of every route of the app, the mounted Gradio app's (and its routers') included."""
    found: list[tuple[str, str]] = []

    def walk(items: list[Any]) -> None:
        for r in items:
            if type(r).__name__ == "Mount":
                walk(list(r.routes))
            elif hasattr(r, "original_router"):  # FastAPI's included router
                walk(list(r.original_router.routes))
            elif hasattr(r, "routes") and not hasattr(r, "path"):
                walk(list(r.routes))
            else:
                found.extend((m, r.path) for m in sorted(r.methods or ()) if m != "HEAD")

    walk(list(app.routes))
    return sorted(set(found))


SAMPLE = {"api_name": "ask", "event_id": "e1", "session_hash": "s1", "path": "x.js", "path_or_url": "x.txt",
          "url_path": "x", "pid": "OP12", "model": "resqa", "size": "192", "key": "k", "id": "1",
          "environment": "x", "type": "x", "file_name": "x", "run": "1", "component_id": "1", "segment_id": "1",
          "ext": "ts", "endpoint": "x", "record_id": "1", "asset_id": "1"}
# Open without the key: liveness/readiness, the API description, and the files the login page needs.
# /metrics reports request counts and latencies only (no text, no answer), for a scraper that holds no key.
OPEN = {"/healthz", "/readyz", "/metrics", "/docs", "/docs/oauth2-redirect", "/redoc", "/redoc/redoc.standalone.js",
        "/openapi.json", "/favicon.ico", "/theme.css", "/gradio_api/theme.css", "/robots.txt", "/manifest.json"}
OPEN_PREFIXES = ("/assets/", "/static/", "/svelte/", "/pwa_icon")


def concrete(template: str) -> str:
    path = template
    for name, value in SAMPLE.items():
        path = path.replace("{" + name + ":path}", value).replace("{" + name + "}", value)
    assert "{" not in path, f"add a sample value for {template}"
    return path


def call(c: httpx.Client, method: str, path: str, headers: dict[str, str] | None = None) -> int:
    """The status only: some routes are endless event streams (dev reload, queue data), so the body is not read."""
    body = {"data": [WHEN]} if method == "POST" else None
    with c.stream(method, path, json=body, headers=headers, timeout=120) as r:
        if r.status_code == 401 and r.headers.get("www-authenticate") != "Bearer":
            return -401  # Gradio's own refusal (run history wants a Hugging Face sign-in), not the guard's
        return r.status_code


# ---- the key on every route -----------------------------------------------------------------------------
def test_every_route_that_answers_or_writes_needs_the_key(served, web) -> None:  # type: ignore[no-untyped-def]
    table = routes(served["app"])
    assert len(table) > 60 and ("POST", "/gradio_api/queue/join") in table and ("POST", "/v1/ask") in table
    for method, template in table:
        path = concrete(template)
        status = call(web, method, path)
        if template in OPEN or template.startswith(OPEN_PREFIXES):
            assert status != 500, (method, path)
        else:
            assert status == 401, f"{method} {path} answered {status} without the key"
            assert call(web, method, path, AUTH) != 401, f"{method} {path} refuses the key"
    assert web.get("/").status_code == 401 and 'name="key"' in web.get("/").text  # the page shows the login form


def test_every_api_endpoint_answers_with_the_key_only(web) -> None:  # type: ignore[no-untyped-def]
    info = web.get("/gradio_api/info", headers=AUTH).json()["named_endpoints"]
    assert set(info) == {"/ask", "/ask_stream", "/get_paragraph"}
    args = {"/ask": [WHEN], "/ask_stream": [WHEN], "/get_paragraph": ["OP12"]}
    for name in info:
        for route in (f"/gradio_api/run{name}", f"/gradio_api/call{name}"):
            assert web.post(route, json={"data": args[name]}).status_code == 401
            r = web.post(route, json={"data": args[name]}, headers=AUTH)
            assert r.status_code == 200, (route, r.text[:200])
    answer = json.loads(web.post("/gradio_api/run/ask", json={"data": [WHEN]}, headers=AUTH).json()["data"][0])
    assert answer["citations"][0]["id"] == "OP12"
    assert web.post("/v1/ask", json={"question": WHEN}).status_code == 401
    assert web.post("/v1/ask", json={"question": WHEN}, headers=AUTH).status_code == 200
    assert web.get("/", headers=AUTH).status_code == 200 and "gradio" in web.get("/", headers=AUTH).text.lower()


def test_browser_login_sets_a_cookie_that_opens_the_chat(web) -> None:  # type: ignore[no-untyped-def]
    assert web.post("/resqa/login", data={"key": "wrong"}).status_code == 401
    r = web.post("/resqa/login", data={"key": KEY})
    assert r.status_code == 303 and r.headers["location"] == "../"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and KEY not in cookie
    assert web.get("/").status_code == 200  # the client keeps the cookie
    assert web.get("/gradio_api/info").status_code == 200
    forged = cookie.split(";")[0].split("=", 1)[1].split(".")[0] + "." + "0" * 64
    web.cookies.clear()
    assert web.get("/", cookies={"resqa_chat": forged}).status_code == 401
    assert web.get("/", cookies={"resqa_chat": "1." + "0" * 64}).status_code == 401  # expired long ago
    web.get("/resqa/logout")
    assert web.get("/gradio_api/info").status_code == 401


# ---- private events and bad arguments ------------------------------------------------------------------
def dependencies(web: httpx.Client) -> list[dict[str, Any]]:
    return list(web.get("/config", headers=AUTH).json()["dependencies"])


def test_private_events_are_not_callable_by_name(web) -> None:  # type: ignore[no-untyped-def]
    private = [d for d in dependencies(web) if d["api_visibility"] != "public" and d["backend_fn"]]
    assert {"respond", "like"} <= {d["api_name"] for d in private}
    for d in private:
        for route in ("run", "api", "call"):
            r = web.post(f"/gradio_api/{route}/{d['api_name']}", json={"data": [None] * len(d["inputs"])},
                         headers=AUTH)
            assert r.status_code == 404, (route, d["api_name"], r.status_code)
        assert web.post(f"/gradio_api/call/v2/{d['api_name']}", json={}, headers=AUTH).status_code == 404
        # ...nor under a public name with the private event's index (Gradio would run the index)
        r = web.post("/gradio_api/run/ask", json={"data": [WHEN], "fn_index": d["id"]}, headers=AUTH)
        assert r.status_code == 422


BAD_CALLS: list[tuple[str, str, Any]] = [
    ("POST", "/gradio_api/run/ask", {"data": [WHEN, "abc"]}),  # k of the wrong type
    ("POST", "/gradio_api/run/ask", {"data": [WHEN, 99]}),  # k out of range (the endpoint's own gr.Error)
    ("POST", "/gradio_api/run/ask", {"data": [WHEN, True]}),
    ("POST", "/gradio_api/run/ask", {"data": []}),  # missing argument
    ("POST", "/gradio_api/run/ask", {"data": [None]}),
    ("POST", "/gradio_api/run/ask", {"data": [WHEN, 1, 2]}),  # one too many
    ("POST", "/gradio_api/run/ask", {"data": "not a list"}),
    ("POST", "/gradio_api/run/ask", {"data": ["\ud800"]}),  # a lone surrogate
    ("POST", "/gradio_api/run/get_paragraph", {"data": ["OP99"]}),
    ("POST", "/gradio_api/run/nope", {"data": [WHEN]}),  # unknown api_name
    ("POST", "/gradio_api/call/nope", {"data": [WHEN]}),
    ("POST", "/gradio_api/call/v2/nope", {"question": WHEN}),
    ("POST", "/gradio_api/call/v2/ask", {"k": 3}),
    ("POST", "/gradio_api/call/v2/ask", {"question": WHEN, "bogus": 1}),
    ("POST", "/gradio_api/call/ask", {"data": [WHEN, "abc"]}),
    ("POST", "/gradio_api/queue/join", {"data": [WHEN], "fn_index": 999, "session_hash": "s"}),  # unknown fn_index
    ("POST", "/gradio_api/queue/join", {"data": [WHEN], "fn_index": -1, "session_hash": "s"}),
    ("POST", "/gradio_api/queue/join", {"data": [WHEN], "fn_index": 0, "session_hash": "s"}),  # too few values
    ("POST", "/gradio_api/queue/join", {"data": [WHEN, 1], "fn_index": 10}),  # no session
    ("POST", "/gradio_api/queue/join", {"data": [WHEN, "x"], "fn_index": 11, "session_hash": "s"}),  # delete: 3 inputs
    ("GET", "/gradio_api/queue/data?session_hash=never-joined", None),
    ("GET", "/gradio_api/call/ask/no-such-event", None),
]


@pytest.mark.parametrize(("method", "path", "body"), BAD_CALLS)
def test_bad_gradio_arguments_are_4xx(web, method: str, path: str, body: Any) -> None:  # type: ignore[no-untyped-def]
    content = json.dumps(body).encode() if body is not None else None  # json.dumps keeps a lone surrogate escaped
    r = web.request(method, path, content=content, headers={**AUTH, "content-type": "application/json"})
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"]
    assert web.post("/gradio_api/run/ask", content=b"\xff not json", headers=AUTH).status_code == 422


# ---- feedback through the like event -------------------------------------------------------------------
def event_id(web: httpx.Client, name: str) -> int:
    return next(int(d["id"]) for d in dependencies(web) if d["api_name"] == name)


def run_event(web: httpx.Client, fn_index: int, data: list[Any], session: str,
              event_data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Join the queue as the page does, then read the session's stream until the event completes."""
    r = web.post("/gradio_api/queue/join", headers=AUTH, json={"data": data, "fn_index": fn_index,
                 "session_hash": session, "event_data": event_data, "trigger_id": None})
    assert r.status_code == 200, r.text[:300]
    eid = r.json()["event_id"]
    with web.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}, headers=AUTH) as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                msg = json.loads(line[6:])
                if msg.get("msg") == "process_completed" and msg.get("event_id") == eid:
                    return dict(msg)
    raise AssertionError("the stream ended before the event completed")


def answered(web: httpx.Client, session: str) -> None:
    done = run_event(web, event_id(web, "respond"), [WHEN, None, 5, "zh"], session)
    assert done["success"] and "OP12" in json.dumps(done["output"], ensure_ascii=False)


def like(web: httpx.Client, session: str, liked: Any) -> httpx.Response:
    return web.post("/gradio_api/queue/join", headers=AUTH, json={
        "data": [None, "zh"], "fn_index": event_id(web, "like"), "session_hash": session, "trigger_id": None,
        "event_data": {"index": 1, "value": "x", "liked": liked}})


def records_of(home: Path, session: str) -> list[dict[str, Any]]:
    from ui.feedback import FeedbackLog

    return [r for r in FeedbackLog(home).records() if r.get("session") == session]


def wait_for(predicate: Any, tries: int = 300) -> None:
    for _ in range(tries):  # the like event runs in the queue after join returns
        if predicate():
            return
        __import__("time").sleep(0.05)


def test_like_writes_a_rating_from_the_closed_set(served, web) -> None:  # type: ignore[no-untyped-def]
    answered(web, "s-closed")
    for liked in (True, "", False):
        run_event(web, event_id(web, "like"), [None, "zh"], "s-closed", {"index": 1, "value": "x", "liked": liked})
    ratings = [r["rating"] for r in records_of(served["home"], "s-closed")]
    assert ratings == ["up", "none", "down"]  # un-liking is "none", never ""
    assert records_of(served["home"], "s-closed")[0]["citations"][0]["id"] == "OP12"


@pytest.mark.parametrize("liked", ["x" * 1001, "长" * 5000, {"rating": "up"}, 7, ["up"], "x" * (1024 * 1024)])
def test_bad_or_long_reasons_are_refused_at_the_door(served, web, liked: Any) -> None:  # type: ignore[no-untyped-def]
    r = like(web, "s-closed", liked)  # 1 MB: over the body limit (413); the rest: the like event's validator (422)
    assert r.status_code == (413 if len(str(liked)) > 500_000 else 422), r.text[:200]
    assert len(records_of(served["home"], "s-closed")) == 3


@pytest.mark.slow
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is not installed (make browser)")
def test_a_real_browser_signs_in_asks_and_rates(served) -> None:  # type: ignore[no-untyped-def]
    """The login page, then the chat page's own traffic (queue, event stream) on the cookie, then 👍 stored."""
    from playwright.sync_api import sync_playwright

    from ui.feedback import FeedbackLog

    def from_browser() -> list[dict[str, Any]]:  # the API tests' sessions have fixed names; the page's are random
        return [r for r in FeedbackLog(served["home"]).records() if not str(r.get("session")).startswith("s-")]

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(locale="zh-CN")
            page.goto(served["url"] + "/")
            page.fill("#key", KEY)
            page.click("#resqa-login button[type=submit]")
            page.wait_for_selector("#resqa-question textarea", timeout=60_000)
            page.fill("#resqa-question textarea", WHEN)
            page.click("#resqa-send")
            page.wait_for_selector("#resqa-chat .resqa-answer:not(.resqa-streaming)", timeout=120_000)
            page.locator("#resqa-chat button[aria-label='赞'], #resqa-chat button[aria-label='Like']").last.click()
            wait_for(lambda: bool(from_browser()))
        finally:
            browser.close()
    records = from_browser()
    assert records and records[-1]["rating"] == "up" and records[-1]["citations"][0]["id"] == "OP12"


def test_twenty_clients_clicking_are_rate_limited(served, web) -> None:  # type: ignore[no-untyped-def]
    answered(web, "s-flood")
    statuses: list[int] = []

    def click(i: int) -> None:
        with httpx.Client(base_url=served["url"], timeout=120) as c:
            statuses.extend(like(c, "s-flood", i % 2 == 0).status_code for _ in range(3))

    threads = [threading.Thread(target=click, args=(i,)) for i in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert statuses.count(200) == 60  # accepted by the queue...
    wait_for(lambda: False, tries=40)  # ...and given two seconds to run
    written = len(records_of(served["home"], "s-flood"))
    assert 1 <= written <= PER_MINUTE + 1  # ...but one client address gets its burst, not 60 records
    path = served["home"] / "feedback.jsonl"
    assert path.stat().st_size <= CAP
