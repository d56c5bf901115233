"""The web chat in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright; nothing is
downloaded): streamed answers with chips, the source panel, the full text, refusals, escaping, copy,
feedback and the language switch. Screenshots go to test-artifacts/."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists() and not shutil.which("chromium"),
                       reason="Debian chromium is not installed (make browser)"),
]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WHEN = "大会决定何时召开高级别会议？"
XSS = "<img src=x onerror=alert(1)>"
ANSWER = "#resqa-chat .resqa-answer:not(.resqa-streaming)"


@pytest.fixture(scope="module")
def app(answerer, settings, serving, tmp_path_factory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from ui.app import start

    home = tmp_path_factory.mktemp("ui-browser-home")
    demo = start(answerer, settings.with_overrides(home=home), serving, port=free_port(), block=False)
    try:
        yield {"url": demo.local_url, "home": home}
    finally:
        demo.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app["url"].rstrip("/"))
    pg = context.new_page()
    pg.dialogs = []  # any alert() that fires is recorded here (and dismissed)
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(app["url"])
    pg.wait_for_selector("#resqa-question textarea", timeout=30_000)
    yield pg
    context.close()


def ask(page: Any, question: str, done: str = ANSWER) -> None:
    page.fill("#resqa-question textarea", question)
    page.keyboard.press("Enter")
    page.wait_for_selector(done, timeout=30_000)


def test_answer_with_chips_and_chip_shows_highlighted_source(page, answerer, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    ask(page, WHEN)
    chip = page.locator(f"{ANSWER} a.resqa-chip").first
    assert chip.inner_text() == "【执行部分第12段】"
    assert page.locator("#resqa-question textarea").input_value() == ""  # the box is ready for the next one
    page.screenshot(path=str(artifacts / "ui-answer.png"), full_page=True)

    chip.click()
    page.wait_for_selector("#resqa-sources #src-OP12.focus", timeout=15_000)
    quote = answerer.ask(WHEN).citations[0].quote
    marks = page.locator("#resqa-sources #src-OP12 mark").all_inner_texts()
    assert "".join(marks) == quote
    card = page.locator("#resqa-sources #src-OP12").inner_text()
    assert "执行部分第12段" in card and "operative paragraph 12" in card and "回顾" in card
    assert "第 64/293 号决议" in card  # the footnote OP12 cites, in full
    assert page.evaluate("location.hash") == "#para-OP12"
    page.screenshot(path=str(artifacts / "ui-chip-source.png"), full_page=True)
    page.click("#resqa-tab-full-button")
    page.wait_for_selector("#resqa-fulltext #para-OP12.focus", timeout=10_000)  # marked in the full text too


def test_question_markup_is_shown_literally(page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    ask(page, XSS, "#resqa-chat .resqa-refusal")
    page.wait_for_timeout(500)  # give a (wrongly) injected onerror time to fire
    assert page.dialogs == []
    chat = page.locator("#resqa-chat")
    assert XSS in chat.inner_text()
    assert chat.locator("img[src='x']").count() == 0
    page.screenshot(path=str(artifacts / "ui-xss.png"), full_page=True)

    markdown = "**粗体** [链接](http://example.com) <b>b</b> &amp; _x_"
    # Whatever the reply (a refusal, or a chat reply to a message that asks nothing), the question stays text.
    ask(page, markdown, "#resqa-chat :is(.resqa-refusal, .resqa-answer) >> nth=1")
    assert page.locator("#resqa-chat .resqa-q").last.inner_text() == markdown  # neither markdown nor HTML
    assert chat.locator("a[href='http://example.com'], b, strong").count() == 0


def test_refusal_looks_different_and_offers_see_also(page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    ask(page, "高级别会议在哪个城市举行？", "#resqa-chat .resqa-refusal")
    refusal = page.locator("#resqa-chat .resqa-refusal").last
    assert "决议未涉及" in refusal.inner_text()
    assert refusal.locator("a.resqa-chip.see-also").count() >= 1
    assert page.locator("#resqa-sources .resqa-refused-note").count() == 1
    assert page.locator("#resqa-sources mark").count() == 0  # nothing is quoted for a refusal
    page.screenshot(path=str(artifacts / "ui-refusal.png"), full_page=True)


def test_full_text_tab_jump_and_copy(page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    ask(page, WHEN)
    page.click("#resqa-sources #src-OP12 a.resqa-goto")
    para = page.locator("#resqa-fulltext #para-OP12")
    para.wait_for(state="visible", timeout=10_000)
    page.wait_for_timeout(800)  # smooth scrolling
    assert "focus" in (para.get_attribute("class") or "")
    assert para.is_visible() and para.locator("mark").count() >= 1
    assert page.locator("#resqa-fulltext section.resqa-para").count() == 61
    page.screenshot(path=str(artifacts / "ui-full-text.png"))

    page.click("#resqa-copy")
    page.wait_for_timeout(300)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("根据决议") and "\n执行部分第12段: “因此决定在大会第六十七届会议期间" in copied


def test_feedback_is_stored(page, app) -> None:  # type: ignore[no-untyped-def]
    ask(page, WHEN)
    # Gradio translates the thumb's label with the browser's locale (zh-CN here: 赞).
    page.locator("#resqa-chat button[aria-label='赞'], #resqa-chat button[aria-label='Like']").last.click()
    path = app["home"] / "feedback.jsonl"
    for _ in range(50):
        if path.exists() and path.read_text(encoding="utf-8").strip():
            break
        page.wait_for_timeout(100)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert records[-1]["rating"] == "up" and records[-1]["question"] == WHEN
    assert records[-1]["citations"][0]["id"] == "OP12"


def test_settings_language_switch_and_over_long_question(page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    ask(page, WHEN)
    page.get_by_label("English").check()
    page.wait_for_selector("#resqa-send:has-text('Send')", timeout=10_000)
    page.wait_for_selector("#resqa-tab-full-button:has-text('Full text')", timeout=10_000)
    assert page.locator(ANSWER).count() == 1  # the conversation survives the switch
    assert "Show in full text" in page.locator("#resqa-sources").inner_text()

    page.locator("#resqa-settings").get_by_text("Settings").click()
    page.get_by_label("Show retrieval scores").check()
    page.wait_for_selector("#resqa-retrieval", state="visible", timeout=10_000)
    table = page.locator("#resqa-retrieval").inner_text()
    assert "OP12" in table and "dense" in table and "lexical" in table  # English headers after the switch
    assert "extractive" in page.locator("#resqa-backend").inner_text()
    assert "f6c958c6b511" in page.locator("#resqa-footer").inner_text()
    page.screenshot(path=str(artifacts / "ui-english-settings.png"), full_page=True)

    page.fill("#resqa-question textarea", "问" * 2001)
    page.keyboard.press("Enter")
    page.wait_for_selector("#resqa-chat .resqa-error", timeout=15_000)
    assert "2000" in page.locator("#resqa-chat .resqa-error").inner_text()


def test_example_question_and_shared_link(page, app) -> None:  # type: ignore[no-untyped-def]
    page.locator("#resqa-examples button", has_text="When will the high-level meeting be held?").click()
    page.wait_for_selector(ANSWER, timeout=30_000)
    assert page.locator(f"{ANSWER} a.resqa-chip").first.inner_text() == "[OP12]"

    page.goto(app["url"] + "#para-FN18")  # a link someone shared opens the full text at that paragraph
    page.reload()
    page.wait_for_selector("#resqa-fulltext #para-FN18.focus", timeout=15_000)
    assert page.locator("#resqa-tab-full-button").get_attribute("aria-selected") == "true"
