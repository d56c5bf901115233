"""The MCP server the web app serves when `serving.mcp` is on: list its tools and call them with the `mcp`
Python client over streamable HTTP (real app, real answerer)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mcp_url(answerer, settings, serving, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from ui.app import start

    home = tmp_path_factory.mktemp("mcp-home")
    demo = start(answerer, settings.with_overrides(home=home), serving.with_overrides(mcp=True), port=free_port(),
                 block=False)
    try:
        yield demo.local_url.rstrip("/") + "/gradio_api/mcp/"
    finally:
        demo.close()


def mcp_session(url: str, work: Any) -> Any:
    """Open a client session, run `await work(session)`, return its result."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async def run() -> Any:
        async with streamablehttp_client(url) as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await work(session)

    return asyncio.run(run())


def test_tools_are_listed_with_descriptions(mcp_url: str) -> None:
    async def work(s: Any) -> Any:
        return (await s.list_tools()).tools

    tools = {t.name: t for t in mcp_session(mcp_url, work)}
    assert {"ask", "get_paragraph"} <= set(tools)
    ask, get = tools["ask"], tools["get_paragraph"]
    assert "A/RES/67/190" in ask.description and ask.inputSchema["required"] == ["question"]
    assert "Chinese or English" in ask.inputSchema["properties"]["question"]["description"]
    assert "OP1-OP15" in get.inputSchema["properties"]["paragraph_id"]["description"]


def test_ask_tool_answers_with_exact_citations(mcp_url: str, answerer) -> None:  # type: ignore[no-untyped-def]
    async def work(s: Any) -> Any:
        return await s.call_tool("ask", {"question": "大会决定何时召开高级别会议？"})

    result = mcp_session(mcp_url, work)
    assert not result.isError
    d = json.loads(result.content[0].text)
    assert not d["refused"] and [c["id"] for c in d["citations"]] == ["OP12"]
    for c in d["citations"]:
        assert answerer.paragraph(c["id"]).text[c["start"]:c["end"]] == c["quote"]


def test_ask_tool_refuses_off_topic_questions(mcp_url: str) -> None:
    async def work(s: Any) -> Any:
        return await s.call_tool("ask", {"question": "今天北京的天气怎么样？"})

    d = json.loads(mcp_session(mcp_url, work).content[0].text)
    assert d["refused"] and d["citations"] == []


def test_get_paragraph_tool(mcp_url: str) -> None:
    async def work(s: Any) -> Any:
        return (await s.call_tool("get_paragraph", {"paragraph_id": "FN18"}),
                await s.call_tool("get_paragraph", {"paragraph_id": "OP99"}))

    found, missing = mcp_session(mcp_url, work)
    p = json.loads(found.content[0].text)
    assert p["id"] == "FN18" and p["cited_by"] == ["OP12"]
    assert missing.isError and "valid ids" in missing.content[0].text


def test_resqa_serve_serves_the_same_tools_when_mcp_is_on(answerer, settings, serving, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`resqa serve` mounts the same chat with the same page options (ui.chat_page), MCP included."""
    from http_server import running

    from ui.http import create_app

    app = create_app(answerer, settings.with_overrides(home=tmp_path), serving.with_overrides(mcp=True))

    async def work(s: Any) -> Any:
        names = {t.name for t in (await s.list_tools()).tools}
        return names, await s.call_tool("get_paragraph", {"paragraph_id": "OP12"})

    with running(app) as url:
        names, result = mcp_session(url + "/gradio_api/mcp/", work)
    assert {"ask", "get_paragraph"} <= names
    assert json.loads(result.content[0].text)["id"] == "OP12"
