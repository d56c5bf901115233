"""The chat's language on a first visit, from the browser's Accept-Language (ui.chat_lang)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ui.chat_lang import first_lang, from_accept_language


@pytest.mark.parametrize(("header", "lang"), [
    ("en-US,en;q=0.9", "en"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
    ("fr-FR,fr;q=0.9,en;q=0.8", "en"),  # neither first, English listed
    ("en;q=0.3, zh-TW;q=0.7", "zh"),  # by q, not by order
    ("de-DE", "zh"), ("", "zh"), (None, "zh"),
    ("en;q=abc, zh;q=0.1", "zh"),  # an unreadable q counts as 0
    ("EN-gb", "en"),
])
def test_accept_language_picks_the_preferred_supported_language(header: str | None, lang: str) -> None:
    assert from_accept_language(header) == lang


def test_a_saved_choice_beats_the_browser() -> None:
    english_browser = SimpleNamespace(headers={"accept-language": "en-US"})
    assert first_lang("zh", english_browser) == "zh"  # type: ignore[arg-type]
    assert first_lang("", english_browser) == "en"  # type: ignore[arg-type]
    assert first_lang("xx", SimpleNamespace(headers={})) == "zh"  # type: ignore[arg-type]  # tampered storage
