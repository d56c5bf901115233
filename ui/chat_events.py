"""The chat's conversation events: restore on page load, new / switch / delete, what follows each answer
(save to the browser, suggested next questions, export files) and the optional reason after a 👎.

A mixin of `ui.app.ChatHandlers` (it uses the handlers' answerer, corpus, feedback and panels). Every
conversation event returns the same `VIEW` outputs, in this order: chat, session, sources, full text, score
table, copy text, suggestions, Markdown export, JSON export, conversation list, browser store, reason row.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import gradio as gr

from index import Corpus
from rag import Answer, Answerer
from ui import export, render, suggest
from ui.chat_state import Session, Store
from ui.strings import t

SECRET_FILE = "browser-state.secret"
AFTER_ANSWER = ("store", "conversations", "suggestions", "export_md", "export_json")
VIEW_SIZE = 12  # the outputs of a conversation event (see the module docstring)


def notify(text: str, lang: str, warn: bool = False) -> None:
    """A toast with its title in the interface's language (Gradio 6.31's page ignores `title` and shows the
    English type name; static/app.js puts the header's localised title there)."""
    if warn:
        gr.Warning(text, title=t("toast_warning", lang))
    else:
        gr.Info(text, title=t("toast_info", lang))


def browser_secret(home: Path) -> str:
    """The key the browser store is encrypted with, kept in RESQA_HOME so saved conversations survive a
    server restart (a fresh random key each launch would make them unreadable)."""
    path = home / SECRET_FILE
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        home.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_hex(16)
        path.write_text(secret, encoding="utf-8")
        path.chmod(0o600)
        return secret


class ConversationEvents:
    """Mixed into ChatHandlers, which provides these attributes and `_panels`."""

    qa: Answerer
    corpus: Corpus
    feedback: Any

    def _panels(self, answer: Answer | None, lang: str, k: int | None = None) -> tuple[Any, ...]:
        raise NotImplementedError

    def _table(self, answer: Answer | None, lang: str, k: int | None = None) -> Any:
        raise NotImplementedError

    def _view(self, session: Session, store: Store, lang: str) -> tuple[Any, ...]:
        return (list(session.display), session, *self._panels(session.latest, lang, session.k),
                *self._after(session, store, lang)[2:], self._list(store, lang), store.dump(),
                gr.Row(visible=False))

    def _after(self, session: Session, store: Store, lang: str) -> tuple[Any, ...]:
        """Outputs named by AFTER_ANSWER."""
        files = export.write(session, self.corpus, lang)
        md, js = files if files else (None, None)
        return (store.dump(), self._list(store, lang), self._suggestions(session, lang),
                gr.DownloadButton(value=md, visible=md is not None),
                gr.DownloadButton(value=js, visible=js is not None))

    def _list(self, store: Store, lang: str) -> Any:
        return gr.Dropdown(choices=store.choices(), value=store.current, label=t("conversations", lang))

    def _suggestions(self, session: Session, lang: str) -> Any:
        answer = session.latest
        if answer is None or not session.turns or session.turns[-1].answer is not answer:
            return gr.Dataset(samples=[], visible=False)
        history = list(session.history)

        def ask(q: str) -> Answer:
            return self.qa.ask(q, history=history, use_llm=False)

        found = suggest.suggestions(answer, self.corpus, ask, [turn.question for turn in session.turns])
        return gr.Dataset(samples=[[q] for q in found], visible=bool(found), label=t("suggested", lang))

    def restore(self, raw: object, lang: str, session: Session) -> tuple[Any, ...]:
        """Page load: the conversation that was open, from the browser's store; nothing if the tab has
        already asked (a slow load event must not wipe a question asked meanwhile)."""
        if session.display:
            return (gr.skip(),) * VIEW_SIZE
        store = Store.read(raw)
        if store.get(store.current) is None:  # nothing was open: only the list of past conversations to show
            skip = [gr.skip()] * VIEW_SIZE
            skip[9] = self._list(store, lang)
            return tuple(skip)
        view = self._view(store.session(store.current, self.corpus, lang), store, lang)
        return (gr.skip(),) * VIEW_SIZE if session.display else view  # checked again: building takes a moment

    def new_chat(self, raw: object, lang: str) -> tuple[Any, ...]:
        store = Store.read(raw).opened(None)
        return self._view(Session(), store, lang)

    def switch(self, sid: str | None, raw: object, lang: str) -> tuple[Any, ...]:
        store = Store.read(raw).opened(sid)
        return self._view(store.session(store.current, self.corpus, lang), store, lang)

    def delete(self, session: Session, raw: object, lang: str) -> tuple[Any, ...]:
        store = Store.read(raw).without(session.id)
        notify(t("deleted", lang), lang)
        return self._view(store.session(store.current, self.corpus, lang), store, lang)

    def after_answer(self, session: Session, raw: object, lang: str) -> tuple[Any, ...]:
        """After each turn: save it in the browser, suggest what to ask next, refresh the export files."""
        return self._after(session, Store.read(raw).saved(session), lang)

    def score_table(self, session: Session, k: float, lang: str) -> Any:
        session.k = int(k)
        return self._panels(session.latest, lang, session.k)[2]

    def relabel(self, lang: str, session: Session) -> tuple[Any, ...]:
        """The interface's own strings in the chosen language (answers keep their own language)."""
        sources, full, _, _ = self._panels(session.latest, lang)
        return (
            render.header(lang),
            gr.Chatbot(label=t("chat", lang), placeholder=t("chat_placeholder", lang)),
            gr.Textbox(placeholder=t("placeholder", lang)),
            gr.Button(value=t("send", lang)), gr.Button(value=t("copy", lang)), gr.Button(value=t("new_chat", lang)),
            gr.Dataset(label=t("examples", lang)), gr.Accordion(label=t("settings", lang)),
            gr.Slider(label=t("top_k", lang)), gr.Checkbox(label=t("show_scores", lang)),
            render.backend_line(self.qa.backend_name, lang),
            gr.Dataframe(value=self._table(session.latest, lang, session.k), label=t("retrieval", lang)),
            gr.Tab(label=t("sources", lang)), gr.Tab(label=t("full_text", lang)), sources, full,
            gr.Button(value=t("delete_chat", lang)), gr.DownloadButton(label=t("export_md", lang)),
            gr.DownloadButton(label=t("export_json", lang)), gr.Textbox(placeholder=t("reason", lang)),
            gr.Button(value=t("reason_send", lang)), gr.Dataset(label=t("suggested", lang)),
            gr.Dropdown(label=t("conversations", lang)),
        )

    # ---- the optional reason after 👎 --------------------------------------------------------------------
    def ask_reason(self, data: gr.LikeData) -> tuple[Any, Any]:
        """Our own listener on the like event (the rating itself is recorded by `like`): a 👎 opens the reason
        box for that message."""
        index = data.index[0] if isinstance(data.index, list | tuple) and data.index else data.index
        down = data.liked is False or data.liked == "Dislike"
        return gr.Row(visible=down), (index if down and isinstance(index, int) else None)

    def feedback_reason(self, reason: str, index: int | None, session: Session, lang: str,
                        request: gr.Request) -> tuple[Any, Any]:
        """The reason box's handler: the seam to the feedback log. It hands the reason to
        `LikeFeedback.record` as a custom 👎 option (a "down" record with that reason, same limits and rate)."""
        reason = (reason or "").strip()
        answer = session.answers.get(index) if isinstance(index, int) else None
        if not reason or len(reason) > 1000 or answer is None:
            notify(t("reason_empty" if not reason else "reason_long" if answer else "feedback_none", lang), lang,
                   warn=True)
            return gr.skip(), gr.skip()
        client = request.client.host if getattr(request, "client", None) else "unknown"
        outcome = self.feedback.record(reason, answer.to_dict(), index, client, getattr(request, "session_hash", None))
        notify(t("reason_thanks", lang) if outcome.ok else t("internal_error", lang), lang, warn=not outcome.ok)
        return ("", gr.Row(visible=False)) if outcome.ok else (gr.skip(), gr.skip())
