"""One chat everywhere: the same checks, in a real headless Chromium (Debian's /usr/bin/chromium driven by
Playwright; nothing is downloaded), against the chat `resqa ui` launches and the chat `resqa serve` mounts
at "/": resqa's theme, stylesheet and scripts, a chip that opens the highlighted quote in the source panel,
a Copy button that copies, no stray Clear button. Screenshots go to test-artifacts/."""

from __future__ import annotations

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
ANSWER = "#resqa-chat .resqa-answer:not(.resqa-streaming)"


@pytest.fixture(scope="module", params=["ui", "serve"])
def server(request, answerer, settings, serving, tmp_path_factory) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """`resqa ui` (Gradio's own server) or `resqa serve` (FastAPI with the chat mounted at "/")."""
    home = tmp_path_factory.mktemp(f"chat-{request.param}")
    mine = settings.with_overrides(home=home)
    if request.param == "ui":
        from ui.app import start

        demo = start(answerer, mine, serving, port=free_port(), block=False)
        try:
            yield {"name": "ui", "url": demo.local_url.rstrip("/"), "home": home}
        finally:
            demo.close()
    else:
        from http_server import running

        from ui.http import create_app

        with running(create_app(answerer, mine, serving)) as url:
            yield {"name": "serve", "url": url, "home": home}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server["url"])
    pg = context.new_page()
    pg.goto(server["url"] + "/")
    pg.wait_for_selector("#resqa-question textarea", timeout=60_000)
    yield pg
    context.close()


def ask(page: Any, question: str) -> None:
    page.fill("#resqa-question textarea", question)
    page.keyboard.press("Enter")
    page.wait_for_selector(ANSWER, timeout=60_000)


def test_the_page_has_resqas_theme_stylesheet_and_scripts(page, server) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("typeof window.resqaCopy") == "function"  # static/app.js ran
    assert page.evaluate("getComputedStyle(document.querySelector('#resqa-header h1')).fontSize") == "22.4px"  # app.css
    font = page.evaluate("getComputedStyle(document.querySelector('.gradio-container')).fontFamily")
    assert "Noto Sans CJK SC" in font  # resqa's theme (system CJK fonts), not Gradio's default
    assert page.locator("#resqa-send").inner_text() == "发送"  # a Chinese browser gets the Chinese interface


def test_chip_opens_the_highlighted_quote_and_copy_copies(page, server, answerer, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    ask(page, WHEN)
    page.locator(f"{ANSWER} a.resqa-chip").first.click()
    page.wait_for_selector("#resqa-sources #src-OP12.focus", timeout=15_000)
    quote = answerer.ask(WHEN).citations[0].quote
    assert "".join(page.locator("#resqa-sources #src-OP12 mark").all_inner_texts()) == quote
    page.screenshot(path=str(artifacts / f"chat-{server['name']}-chip.png"))

    page.click("#resqa-copy")
    page.wait_for_function("() => document.getElementById('resqa-copy').classList.contains('copied')",
                           timeout=5_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("根据决议") and "执行部分第12段: “" in copied


def test_no_stray_clear_button(page, server) -> None:  # type: ignore[no-untyped-def]
    """One clear control: ＋ 新对话. Gradio's trash icon would empty the view but not the conversation list."""
    ask(page, WHEN)
    page.locator(f"{ANSWER}").hover()
    labels = page.evaluate("""() => [...document.querySelectorAll('#resqa-chat button')]
        .filter((b) => b.offsetParent !== null)
        .map((b) => `${b.getAttribute('aria-label') || ''} ${b.title || ''}`)""")
    assert labels, "the answer's own buttons (like, dislike) are visible"
    assert not [x for x in labels if "clear" in x.lower() or "清" in x], labels


def test_english_browser_gets_english_and_a_reload_keeps_language_and_conversation(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")  # Accept-Language: en-US
    try:
        page = context.new_page()
        page.goto(server["url"] + "/")
        page.wait_for_selector("#resqa-send:has-text('Send')", timeout=60_000)
        assert page.locator("#resqa-header h1").inner_text().startswith("Resolution Q&A")
        ask(page, "When will the high-level meeting be held?")
        assert "high-level meeting" in page.locator(f"{ANSWER} .resqa-gloss").inner_text()  # ui.gloss, after the quote
        saved = "() => (document.querySelector('#resqa-conv-list input') || {}).value"
        page.wait_for_function(saved, timeout=60_000)  # the turn is in the browser's store (after suggestions)

        page.reload()
        page.wait_for_selector(ANSWER, timeout=60_000)  # the conversation is back...
        page.wait_for_selector("#resqa-send:has-text('Send')", timeout=30_000)  # ...and so is English
        assert page.locator("#resqa-tab-full-button").inner_text() == "Full text"

        page.get_by_label("中文").check()  # a choice made here beats the browser's language on the next load
        page.wait_for_selector("#resqa-send:has-text('发送')", timeout=30_000)
        page.wait_for_timeout(500)  # the choice is written to localStorage by its own event
        page.reload()
        page.wait_for_selector(ANSWER, timeout=60_000)
        page.wait_for_selector("#resqa-send:has-text('发送')", timeout=30_000)
        assert page.locator("#resqa-header h1").inner_text().startswith("决议问答")
    finally:
        context.close()


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    return dict(box)


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_phone_title_on_load_source_sheet_and_the_way_back(browser, server, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    """390×844: the page opens at the top with the title in view (no autofocus jump), the chat's label does not
    cover the first message, and a chip opens the source as a sheet whose close button returns to the answer."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    try:
        page = context.new_page()
        page.goto(server["url"] + "/")
        page.wait_for_selector("#resqa-question textarea", timeout=60_000)
        page.wait_for_timeout(1_000)  # give a (wrong) autofocus time to scroll
        name = server["name"]
        page.screenshot(path=str(artifacts / f"phone-{name}-load.png"))
        assert page.evaluate("window.scrollY") == 0
        title = _box(page, "#resqa-header h1")
        assert title["y"] >= 0 and title["y"] + title["height"] <= 844, title

        ask(page, WHEN)
        page.locator(f"{ANSWER} a.resqa-chip").first.scroll_into_view_if_needed()
        label = _box(page, "#resqa-chat [data-testid='block-label']")  # the chat's "对话" label
        assert not _overlap(label, _box(page, "#resqa-chat .message-row")), "the label covers the first message"
        scroller = _box(page, "#resqa-chat .bubble-wrap")  # messages scroll inside this: never under the label
        assert label["y"] + label["height"] <= scroller["y"] + 1, (label, scroller)
        page.screenshot(path=str(artifacts / f"phone-{name}-answer.png"))
        before = page.evaluate("window.scrollY")
        assert before > 0  # the answer is below the title: the sheet must bring the reader back here

        page.locator(f"{ANSWER} a.resqa-chip").first.click()
        page.wait_for_selector("#resqa-sources #src-OP12.focus mark", timeout=15_000)
        close = page.locator("#resqa-sheet-close")
        close.wait_for(state="visible", timeout=5_000)
        assert close.inner_text() == "← 返回回答"
        sheet = _box(page, "#resqa-side")
        assert sheet["y"] < 844 * 0.2 and sheet["width"] >= 380  # over the chat, not a thousand pixels below
        mark = _box(page, "#resqa-sources #src-OP12 mark")
        assert 0 <= mark["y"] < 844, "the highlighted quote is in view in the sheet"
        page.screenshot(path=str(artifacts / f"phone-{name}-sheet.png"))

        close.click()
        page.wait_for_selector("#resqa-sheet-close", state="hidden", timeout=5_000)
        assert abs(page.evaluate("window.scrollY") - before) <= 2  # back where the reader was
        assert page.locator(f"{ANSWER} a.resqa-chip").first.is_visible()
        page.screenshot(path=str(artifacts / f"phone-{name}-closed.png"))
    finally:
        context.close()
