"""The chat a returning user expects: conversations kept in the browser across reloads (a list to switch and
delete), export as Markdown and JSON, suggested next questions that get answers, a reason after 👎, Chinese
messages in the Chinese interface, a 390-px phone layout, and answers that do not change with top-k.
Browser tests drive the real headless Chromium (fixtures from test_ui_browser); the rest call the handlers."""
# ruff: noqa: F811  (the browser fixtures are imported, then named as test arguments)

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_ui_browser import ANSWER, WHEN, app, ask, browser, page  # noqa: F401

from ui.chat_state import Session, Store
from ui.suggest import candidates, suggestions

SAVED = "#resqa-export-md"  # shown once the turn is saved, suggested and exportable
COMMITTEE = "这项决议是根据哪个委员会的报告通过的？报告的文件编号是什么？"  # top citation moved with top-k


def ask_saved(page: Any, question: str, n: int = 1) -> None:
    ask(page, question, f"{ANSWER} >> nth={n - 1}")
    page.wait_for_selector(SAVED, state="visible", timeout=30_000)
    page.wait_for_timeout(300)  # the browser writes the store to localStorage after the event


# ---- in the browser ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_reload_keeps_the_conversation_and_the_list_switches(page) -> None:  # type: ignore[no-untyped-def]
    ask_saved(page, WHEN)
    page.reload()
    page.wait_for_selector(ANSWER, timeout=30_000)  # restored from localStorage, not asked again
    assert page.locator(f"{ANSWER} a.resqa-chip").first.inner_text() == "【执行部分第12段】"
    assert WHEN in page.locator("#resqa-chat .resqa-q").first.inner_text()
    page.wait_for_selector("#resqa-sources #src-OP12", timeout=10_000)  # the source panel too

    page.click("#resqa-new")
    page.wait_for_function("document.querySelectorAll('#resqa-chat .resqa-answer').length === 0", timeout=10_000)
    ask_saved(page, "大会请秘书长做什么？")
    page.locator("#resqa-conv-list input").click()
    options = page.locator("[role=option]")
    options.first.wait_for(timeout=10_000)
    assert options.count() == 2
    options.filter(has_text=WHEN[:10]).click()
    page.wait_for_function(f"document.querySelector('#resqa-chat').innerText.includes('{WHEN}')", timeout=15_000)
    assert "秘书长做什么" not in page.locator("#resqa-chat").inner_text()

    page.click("#resqa-delete")
    page.wait_for_function("!document.querySelector('#resqa-chat').innerText.includes('执行部分第12段')",
                           timeout=15_000)
    page.reload()
    page.wait_for_selector(ANSWER, timeout=30_000)
    assert "秘书长" in page.locator("#resqa-chat").inner_text() and WHEN not in page.locator("#resqa-chat").inner_text()


@pytest.mark.slow
def test_export_downloads_markdown_and_json_with_citations(page, answerer) -> None:  # type: ignore[no-untyped-def]
    ask_saved(page, WHEN)
    with page.expect_download() as info:
        page.click("#resqa-export-md")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    quote = answerer.ask(WHEN).citations[0].quote
    assert f"## 1. {WHEN}" in text and f"执行部分第12段: “{quote}”" in text
    assert answerer.corpus.sha256 in text and "A/RES/67/190" in text
    with page.expect_download() as info:
        page.click("#resqa-export-json")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["doc"]["sha256"] == answerer.corpus.sha256
    assert data["turns"][0]["answer"]["citations"][0]["id"] == "OP12"


@pytest.mark.slow
def test_clicking_a_suggested_question_gets_an_answer(page) -> None:  # type: ignore[no-untyped-def]
    ask_saved(page, WHEN)
    buttons = page.locator("#resqa-suggest button")
    assert 2 <= buttons.count() <= 3
    asked = buttons.first.inner_text().strip()
    buttons.first.click()
    page.wait_for_selector(f"{ANSWER} >> nth=1", timeout=30_000)
    assert page.locator("#resqa-chat .resqa-refusal").count() == 0
    assert page.locator("#resqa-chat .resqa-q").last.inner_text().strip() == asked


@pytest.mark.slow
def test_thumbs_down_takes_an_optional_reason(page, app) -> None:  # type: ignore[no-untyped-def]
    ask_saved(page, WHEN)
    assert not page.locator("#resqa-reason").is_visible()
    page.locator("#resqa-chat button[aria-label='踩'], #resqa-chat button[aria-label='Dislike']").last.click()
    page.wait_for_selector("#resqa-reason textarea", state="visible", timeout=10_000)
    page.fill("#resqa-reason textarea", "引文没有说明会议地点")
    page.click("#resqa-reason-send")
    page.wait_for_selector("#resqa-reason", state="hidden", timeout=10_000)
    records = [json.loads(x) for x in (app["home"] / "feedback.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(r.get("reason") == "引文没有说明会议地点" and r["rating"] == "down" for r in records)


@pytest.mark.slow
def test_chinese_interface_speaks_chinese(page) -> None:  # type: ignore[no-untyped-def]
    page.fill("#resqa-question textarea", "问" * 2200)
    page.keyboard.press("Enter")
    page.wait_for_selector("#resqa-chat .resqa-error", timeout=15_000)
    message = page.locator("#resqa-chat .resqa-error").inner_text()
    assert "2200" in message and "2000" in message
    assert re.findall(r"[A-Za-z]+", message) == []  # no English sentence inside the Chinese interface
    page.fill("#resqa-question textarea", "   ")
    page.keyboard.press("Enter")
    toast = page.locator(".toast-body").first
    toast.wait_for(timeout=10_000)
    page.wait_for_function("[...document.querySelectorAll('.toast-title')].some(e => e.innerText.includes('注意'))",
                           timeout=10_000)  # the title, localised
    assert "请先输入问题" in toast.inner_text()
    assert not re.search(r"Info|Warning|Error", toast.inner_text())
    assert page.get_by_text("Settings", exact=True).count() == 0  # one settings control, named in Chinese
    assert page.locator("#resqa-settings").count() == 1
    assert page.locator("#resqa-chat .icon-button-wrapper.top-panel button").first.is_hidden()  # one clear control


@pytest.mark.slow
def test_phone_layout_at_390_px(browser, app, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    pg = context.new_page()
    try:
        pg.goto(app["url"])
        pg.wait_for_selector("#resqa-question textarea", timeout=30_000)
        title = pg.locator("#resqa-header h1")
        line = float(pg.evaluate("parseFloat(getComputedStyle(document.querySelector('#resqa-header h1')).lineHeight)"))
        box = title.bounding_box()
        assert box is not None and box["height"] <= 2 * line + 2  # at most two lines, never a word per line
        for sel in ("#resqa-question textarea", "#resqa-send", "#resqa-chat", "#resqa-new", "#resqa-sources"):
            b = pg.locator(sel).bounding_box()
            assert b is not None and b["x"] >= 0 and b["x"] + b["width"] <= 390 + 1, sel
            wide = {"#resqa-chat": 300, "#resqa-sources": 300, "#resqa-question textarea": 200}  # stacked, not squeezed
            assert b["width"] >= wide.get(sel, 40), sel
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
        ask(pg, WHEN)
        pg.screenshot(path=str(artifacts / "ui-phone-390.png"), full_page=True)
    finally:
        context.close()


# ---- without a browser ---------------------------------------------------------------------------------
def test_top_k_changes_the_score_table_not_the_answer(answerer, settings, serving) -> None:  # type: ignore[no-untyped-def]
    from ui.app import ChatHandlers

    h = ChatHandlers(answerer, settings, serving)
    tops, rows = [], []
    for k in (1, 20):
        session = Session()
        list(h.respond(COMMITTEE, session, k, "zh"))
        assert session.latest is not None and not session.latest.refused
        tops.append(session.latest.citations[0].id)
        table = h._table(session.latest, "zh", session.k)  # what the score table shows
        rows.append(int((table.iloc[:, 1] != "decision").sum()))
    assert tops[0] == tops[1]
    assert rows[0] == 1 and rows[1] >= 20


def test_suggestions_come_from_the_cited_paragraphs_and_are_answered(answerer) -> None:  # type: ignore[no-untyped-def]
    from ui.strings import EXAMPLES

    answer = answerer.ask(WHEN)
    found = candidates(answer, answerer.corpus, [WHEN])
    assert found[:2] == ["脚注18的内容是什么？", "执行部分第13段说了什么？"]  # what OP12 refers to, its neighbour
    for question in EXAMPLES:
        first = answerer.ask(question)
        picked = suggestions(first, answerer.corpus, lambda q: answerer.ask(q, use_llm=False), [question])
        assert 2 <= len(picked) <= 3, question
        assert all(not answerer.ask(q).refused for q in picked)


def test_the_browser_store_round_trips_and_rejects_tampering(answerer) -> None:  # type: ignore[no-untyped-def]
    from ui.chat_state import Session as S
    from ui.chat_state import Turn

    answer = answerer.ask(WHEN)
    session = S.rebuilt("ab12cd34ef56ab78", [Turn(WHEN, answer=answer), Turn("问", error="太长")], answerer.corpus,
                        "zh")
    raw = json.loads(json.dumps(Store().saved(session).dump()))
    back = Store.read(raw).session(raw["current"], answerer.corpus, "zh")
    assert back.display == session.display and back.latest == answer and back.answers == session.answers
    raw["conversations"][0]["turns"][0]["answer"]["citations"][0]["quote"] = "大会决定废除本决议"
    assert [t.question for t in Store.read(raw).session(raw["current"], answerer.corpus, "zh").turns] == ["问"]
    assert Store.read({"conversations": "x"}).conversations == []
    assert Store.read({"conversations": [{"id": "../../etc", "title": "", "updated": 0, "turns": []}]}).current is None
