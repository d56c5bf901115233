"""The chat's interface language on a page load: the one this browser chose before (kept in its localStorage
with the conversations), else the first of Chinese or English its `Accept-Language` header prefers, else
Chinese. An English browser opens the chat in English; a reload keeps whatever was chosen last."""

from __future__ import annotations

import gradio as gr

from ui.strings import LANGS

DEFAULT = "zh"
STORAGE_KEY = "resqa-lang"


def from_accept_language(header: str | None) -> str:
    """"zh" or "en": the supported language with the highest q in an Accept-Language header (ties: the first
    listed); DEFAULT when it names neither or cannot be read."""
    best, best_q = DEFAULT, 0.0
    for part in (header or "").split(",")[:32]:
        tag, _, params = part.strip().partition(";")
        base = tag.strip().lower().split("-")[0]
        if base not in LANGS:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:
            best, best_q = base, q
    return best


def first_lang(saved: str, request: gr.Request) -> str:
    """The page-load event: the saved choice, else the browser's (a gr.Request carries its headers)."""
    if saved in LANGS:
        return saved
    headers = getattr(request, "headers", None) or {}
    return from_accept_language(headers.get("accept-language"))
