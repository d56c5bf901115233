"""The Gradio web chat over the Answerer: streamed answers with citation chips, a source panel, the full
text, settings, feedback, and the same answers as an API (`/ask`, `/ask_stream`, `/get_paragraph`) and,
when `settings.mcp` is on, as MCP tools at /gradio_api/mcp/.

Nothing here is global: `build_app` receives the answerer and settings and closes over them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from index import Settings
from rag import Answer, Answerer, QuestionError, UnknownParagraph, clean_question
from rag.answerer import MAX_K
from ui import render
from ui.feedback import FeedbackLog
from ui.strings import EXAMPLES, LANG_CHOICES, t

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
CONCURRENCY = 4  # answers run in worker threads; the embedder and retriever lock their shared parts
QUEUE_SIZE = 64  # beyond this, new requests are turned away instead of waiting for minutes


@dataclass
class Session:
    """One browser tab's conversation: what the chat shows, what the answerer sees, and which Answer
    each assistant message holds (for feedback and for the source panel)."""

    display: list[dict[str, str]] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)
    answers: dict[int, Answer] = field(default_factory=dict)
    latest: Answer | None = None

    def reply(self, content: str) -> list[dict[str, str]]:
        """Replace the last (assistant) message; a fresh list, so each streamed update is its own value."""
        self.display[-1] = {"role": "assistant", "content": content}
        return list(self.display)

    def latest_citing(self, pid: str) -> Answer | None:
        """The newest answer that quotes `pid`, so a chip in an older message still shows its quote."""
        return next((a for _, a in sorted(self.answers.items(), reverse=True) if render.quote_spans(a, pid)), None)


class ChatHandlers:
    """The UI's event handlers; each returns values in the order of its outputs."""

    def __init__(self, answerer: Answerer, settings: Settings) -> None:
        self.qa = answerer
        self.corpus = answerer.corpus
        self.settings = settings
        self.feedback = FeedbackLog(settings.home)

    def respond(self, question: str, session: Session, k: float, lang: str) -> Iterator[tuple[Any, ...]]:
        """Stream the answer into the chat, then fill the source panel, full text, debug table and copy text.
        Outputs: question box, chat, session, sources, full text, retrieval table, copy text, tabs."""
        keep = (gr.skip(),) * 5
        if not str(question or "").strip():  # an empty submit is a slip, not a conversation turn
            gr.Warning(t("empty", lang))
            yield (gr.skip(), gr.skip(), gr.skip(), *keep)
            return
        try:
            q = clean_question(question, self.settings.max_question_chars)
        except QuestionError as exc:
            session.display += [{"role": "user", "content": render.user_message(str(question or ""))},
                                {"role": "assistant", "content": render.error_message(str(exc), lang)}]
            yield (gr.skip(), list(session.display), session, *keep)
            return
        session.display += [{"role": "user", "content": render.user_message(q)},
                            {"role": "assistant", "content": render.streaming_message("", self.corpus)}]
        yield ("", list(session.display), session, *keep)
        try:
            answer = yield from self._stream(q, session, int(k))
        except QuestionError as exc:
            yield (gr.skip(), session.reply(render.error_message(str(exc), lang)), session, *keep)
            return
        except Exception:  # shown as a short message; the traceback goes to the server log only
            log.exception("answering %r failed", q)
            yield (gr.skip(), session.reply(render.error_message(t("internal_error", lang), lang)), session, *keep)
            return
        chat = session.reply(render.answer_message(answer, self.corpus, lang))
        session.answers[len(session.display) - 1] = answer
        session.history += [{"role": "user", "content": q}, {"role": "assistant", "content": answer.text}]
        session.latest = answer
        yield (gr.skip(), chat, session, *self._panels(answer, lang), gr.Tabs(selected="sources"))

    def _stream(self, q: str, session: Session, k: int) -> Generator[tuple[Any, ...], None, Answer]:
        """Yield chat updates as pieces arrive; return the final Answer (its text replaces the pieces)."""
        text, answer = "", None
        for piece in self.qa.stream(q, history=session.history, k=k):
            if isinstance(piece, Answer):
                answer = piece
            else:
                text += piece
                yield (gr.skip(), session.reply(render.streaming_message(text, self.corpus)), session,
                       *(gr.skip(),) * 5)
        assert answer is not None, "the answerer always ends with an Answer"
        return answer

    def _panels(self, answer: Answer | None, lang: str) -> tuple[str, str, Any, str]:
        return (render.sources_panel(answer, self.corpus, lang), render.full_text(self.corpus, lang, answer),
                gr.Dataframe(value=self._table(answer, lang)), render.copy_text(answer))

    def _table(self, answer: Answer | None, lang: str) -> pd.DataFrame:
        # A DataFrame carries its column names: a list of rows would get the headers the table was built with.
        return pd.DataFrame(render.retrieval_rows(answer, self.corpus), columns=render.table_headers(lang))

    def focus(self, pid: str, session: Session, lang: str) -> str:
        """A chip was clicked: that paragraph first in the source panel, its quote highlighted if any
        answer in this conversation quoted it."""
        pid = (pid or "").strip().upper()
        cited = session.latest_citing(pid)
        return render.sources_panel(session.latest, self.corpus, lang, focus=pid,
                                    focus_spans=render.quote_spans(cited, pid))

    def clear(self, lang: str) -> tuple[Any, ...]:
        session = Session()
        return (session.display, session, *self._panels(None, lang))

    def like(self, session: Session, lang: str, data: gr.LikeData, request: gr.Request) -> None:
        index = data.index if isinstance(data.index, int) else data.index[0]
        answer = session.answers.get(index)
        rating = {True: "up", False: "down", None: "cleared"}.get(data.liked, str(data.liked))  # type: ignore[arg-type]
        self.feedback.add(rating, answer.to_dict() if answer else None,
                          {"message_index": index, "session": getattr(request, "session_hash", None)})
        gr.Info(t("thanks", lang) if answer else t("feedback_none", lang))

    def relabel(self, lang: str, session: Session) -> tuple[Any, ...]:
        """The interface's own strings in the chosen language (answers keep their own language)."""
        sources, full, _, _ = self._panels(session.latest, lang)
        return (
            render.header(lang),
            gr.Chatbot(label=t("chat", lang), placeholder=t("chat_placeholder", lang)),
            gr.Textbox(placeholder=t("placeholder", lang)),
            gr.Button(value=t("send", lang)), gr.Button(value=t("copy", lang)), gr.Button(value=t("clear", lang)),
            gr.Dataset(label=t("examples", lang)), gr.Accordion(label=t("settings", lang)),
            gr.Slider(label=t("top_k", lang)), gr.Checkbox(label=t("show_scores", lang)),
            render.backend_line(self.qa.backend_name, lang),
            gr.Dataframe(value=self._table(session.latest, lang), label=t("retrieval", lang)),
            gr.Tab(label=t("sources", lang)), gr.Tab(label=t("full_text", lang)), sources, full,
        )


def add_api(answerer: Answerer) -> None:
    """The machine endpoints (also the MCP tools: a tool is named after its function)."""

    def ask(question: str, k: int = 0) -> str:
        """Answer a question about UN General Assembly resolution A/RES/67/190 (Chinese text), quoting the
        paragraphs it relies on word for word. Questions the resolution does not answer are refused.

        Args:
            question: The question, in Chinese or English (at most 2000 characters).
            k: How many paragraphs to retrieve (1-20); 0 uses the server's default.

        Returns:
            The Answer as JSON: text, refused, citations [{id, label_zh, label_en, quote, start, end}], see_also.
        """
        try:
            return json.dumps(answerer.ask(question, k=k or None).to_dict(), ensure_ascii=False)
        except QuestionError as exc:
            raise gr.Error(str(exc)) from exc

    def ask_stream(question: str, k: int = 0) -> Iterator[str]:
        """Like `ask`, streamed (for HTTP clients; MCP clients should call `ask`): JSON strings
        {"event": "delta", "delta", "text"} as the answer grows, then {"event": "answer", "answer": <the Answer>},
        whose text replaces the streamed text.

        Args:
            question: The question, in Chinese or English (at most 2000 characters).
            k: How many paragraphs to retrieve (1-20); 0 uses the server's default.
        """
        text = ""
        try:
            for piece in answerer.stream(question, k=k or None):
                if isinstance(piece, Answer):
                    yield json.dumps({"event": "answer", "answer": piece.to_dict()}, ensure_ascii=False)
                else:
                    text += piece
                    yield json.dumps({"event": "delta", "delta": piece, "text": text}, ensure_ascii=False)
        except QuestionError as exc:
            raise gr.Error(str(exc)) from exc

    def get_paragraph(paragraph_id: str) -> str:
        """The full text of one paragraph of resolution A/RES/67/190, with its labels, operative verb,
        footnotes and the paragraphs that cite it.

        Args:
            paragraph_id: A paragraph id: PP1-PP25, OP1-OP15, FN1-FN19 (footnotes), HEADER or MEETING.

        Returns:
            The paragraph as JSON: id, kind, number, label_zh, label_en, text, footnotes, cited_by, verb.
        """
        try:
            return json.dumps(answerer.paragraph(paragraph_id).to_dict(), ensure_ascii=False)
        except UnknownParagraph as exc:
            raise gr.Error(str(exc)) from exc

    for fn in (ask, ask_stream, get_paragraph):
        gr.api(fn, api_name=fn.__name__, api_visibility="public")


def build_app(answerer: Answerer, settings: Settings) -> gr.Blocks:
    h = ChatHandlers(answerer, settings)
    corpus, lang0 = answerer.corpus, "zh"
    private: dict[str, Any] = {"api_visibility": "private"}  # UI events are not API endpoints or MCP tools
    with gr.Blocks(title="resqa · A/RES/67/190") as demo:
        session = gr.State(Session())
        with gr.Row(elem_id="resqa-top", equal_height=True):
            header = gr.HTML(render.header(lang0), elem_id="resqa-header")
            lang = gr.Radio(LANG_CHOICES, value=lang0, show_label=False, elem_id="resqa-lang", scale=0,
                            min_width=240, container=False)
        with gr.Row(elem_id="resqa-main"):
            with gr.Column(scale=3, min_width=360):
                chat = gr.Chatbot(label=t("chat", lang0), placeholder=t("chat_placeholder", lang0), height=520,
                                  elem_id="resqa-chat", buttons=[], latex_delimiters=[],
                                  feedback_options=("Like", "Dislike"), group_consecutive_messages=False)
                with gr.Row():
                    question = gr.Textbox(placeholder=t("placeholder", lang0), show_label=False, lines=1,
                                          max_lines=6, scale=6, elem_id="resqa-question", autofocus=True)
                    send = gr.Button(t("send", lang0), variant="primary", scale=1, min_width=80, elem_id="resqa-send")
                with gr.Row():
                    copy = gr.Button(t("copy", lang0), size="sm", elem_id="resqa-copy")
                    clear = gr.Button(t("clear", lang0), size="sm", elem_id="resqa-clear")
                examples = gr.Dataset(components=[question], samples=[[q] for q in EXAMPLES],
                                      label=t("examples", lang0), elem_id="resqa-examples", type="values")
                with gr.Accordion(t("settings", lang0), open=False, elem_id="resqa-settings") as settings_box:
                    top_k = gr.Slider(1, MAX_K, value=settings.k, step=1, label=t("top_k", lang0),
                                      elem_id="resqa-topk")
                    show_scores = gr.Checkbox(False, label=t("show_scores", lang0), elem_id="resqa-show-scores")
                    backend = gr.Markdown(render.backend_line(answerer.backend_name, lang0), elem_id="resqa-backend")
                retrieval = gr.Dataframe(headers=render.table_headers(lang0), label=t("retrieval", lang0),
                                         visible=False, interactive=False, elem_id="resqa-retrieval", wrap=True)
            with gr.Column(scale=2, min_width=320):
                with gr.Tabs(elem_id="resqa-tabs", selected="sources") as tabs:
                    with gr.Tab(t("sources", lang0), id="sources", elem_id="resqa-tab-sources") as tab_sources:
                        sources = gr.HTML(render.sources_panel(None, corpus, lang0), elem_id="resqa-sources")
                    with gr.Tab(t("full_text", lang0), id="full", elem_id="resqa-tab-full") as tab_full:
                        full = gr.HTML(render.full_text(corpus, lang0), elem_id="resqa-fulltext")
        gr.HTML(render.stamp(corpus, answerer.backend_name), elem_id="resqa-footer")
        # Invisible plumbing: the chip click handler (static/app.js) writes a paragraph id and clicks.
        focus_id = gr.Textbox(visible="hidden", elem_id="resqa-focus-id")
        focus_go = gr.Button(visible="hidden", elem_id="resqa-focus-go")
        copy_src = gr.Textbox(visible="hidden", elem_id="resqa-copy-src")

        panels = [sources, full, retrieval, copy_src]
        answer_out = [question, chat, session, *panels, tabs]
        ask_in = [question, session, top_k, lang]
        gr.on([question.submit, send.click], h.respond, ask_in, answer_out, **private)
        examples.click(lambda sample: sample[0], [examples], [question], **private).then(
            h.respond, ask_in, answer_out, **private)
        gr.on([clear.click, chat.clear], h.clear, [lang], [chat, session, *panels], **private)
        chat.like(h.like, [session, lang], None, **private)
        show_scores.change(lambda on: gr.Dataframe(visible=on), [show_scores], [retrieval], **private)
        focus_go.click(h.focus, [focus_id, session, lang], [sources], js="(pid, s, l) => [window.resqaFocusId(), s, l]",
                       **private).then(None, [focus_id], None, js="(pid) => window.resqaScrollToSource()")
        copy.click(None, [copy_src, lang], None, js="(text, l) => window.resqaCopy(text, l)")
        lang.change(h.relabel, [lang, session],
                    [header, chat, question, send, copy, clear, examples, settings_box, top_k, show_scores, backend,
                     retrieval, tab_sources, tab_full, sources, full], **private)
        add_api(answerer)
    return demo


def _theme() -> gr.themes.Base:
    # System fonts only: the default theme fetches Google Fonts, which an offline machine cannot reach.
    cjk = ["system-ui", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"]
    return gr.themes.Soft(primary_hue="blue", font=cjk, font_mono=["ui-monospace", "monospace"])


def start(answerer: Answerer, settings: Settings, host: str = "127.0.0.1", port: int = 7860,
          block: bool = True) -> gr.Blocks:
    """Build, queue and launch; `block=False` returns the running app (tests close it with `demo.close()`)."""
    demo = build_app(answerer, settings)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    demo.launch(server_name=host, server_port=port, mcp_server=settings.mcp, ssr_mode=False,
                prevent_thread_lock=not block, quiet=not block, show_error=False, theme=_theme(),
                css=(STATIC / "app.css").read_text(encoding="utf-8"),
                js=(STATIC / "app.js").read_text(encoding="utf-8"))
    return demo


def launch(answerer: Answerer, settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the chat until interrupted (the CLI's `resqa ui`); MCP too when `settings.mcp` is set."""
    start(answerer, settings, host, port, block=True)
