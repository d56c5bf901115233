"""/docs (Swagger UI) and /redoc (ReDoc) render in a real headless Chromium with every request outside
127.0.0.1 blocked by Playwright routing: their files ship with the package (ui.api_docs), not a CDN."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists() and not shutil.which("chromium"),
                       reason="Debian chromium is not installed (make browser)"),
]


@pytest.fixture(scope="module")
def served(answerer, settings, serving, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The whole service, chat mounted at "/" too: the docs routes must not be shadowed by it."""
    from http_server import running

    from ui.http import create_app

    home = tmp_path_factory.mktemp("docs-home")
    with running(create_app(answerer, settings.with_overrides(home=home), serving)) as url:
        yield url


@pytest.fixture
def offline_page(served) -> Iterator[tuple[Any, list[str]]]:  # type: ignore[no-untyped-def]
    """A page whose requests to anything but 127.0.0.1 are aborted (and listed)."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def route(r: Any) -> None:
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route("**/*", route)
        yield context.new_page(), blocked
        browser.close()


def test_swagger_ui_renders_offline(served, offline_page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    page, blocked = offline_page
    page.goto(served + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    text = page.locator(".swagger-ui").inner_text()
    assert "/v1/ask" in text and "/v1/chat/completions" in text
    page.screenshot(path=str(artifacts / "docs-swagger.png"))
    assert blocked == []  # it did not even try the network


def test_redoc_renders_offline(served, offline_page, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    page, blocked = offline_page
    page.goto(served + "/redoc")
    page.wait_for_selector("h2:has-text('Answer a question with verified citations')", timeout=30_000)
    assert page.locator("h1").first.inner_text().startswith("resqa")
    assert "/v1/chat/completions" in page.locator("body").inner_text()  # the OpenAI-compatible routes too
    page.screenshot(path=str(artifacts / "docs-redoc.png"))
    assert blocked == []


def test_docs_pages_name_only_local_files(served) -> None:  # type: ignore[no-untyped-def]
    for path, asset in (("/docs", "/docs-assets/swagger-ui-bundle.js"), ("/redoc", "/redoc/redoc.standalone.js")):
        html = httpx.get(served + path).text
        assert asset in html and "cdn." not in html and "fonts.googleapis" not in html
        r = httpx.get(served + asset)
        assert r.status_code == 200 and len(r.content) > 500_000 and b"cdn.redoc.ly" not in r.content
