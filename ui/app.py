"""The Gradio web chat over the Answerer: streamed answers with citation chips, a source panel, the full
text, settings, feedback, conversations kept in the browser (ui.chat_events), and the same answers as an
API (`/ask`, `/ask_stream`, `/get_paragraph`) and, when `serving.mcp` is on, as MCP tools at /gradio_api/mcp/.

Nothing here is global: `build_app` receives the answerer, the index/rag `Settings` and the servers'
`ServeSettings` and closes over them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Generator, Iterator
from typing import Any

import gradio as gr
import pandas as pd

from index import Settings
from rag import Answer, Answerer, Delta, Final, QuestionError, UnknownParagraph, clean_question
from rag.answerer import MAX_K
from ui import render
from ui.chat_events import ConversationEvents, browser_secret, notify
from ui.chat_lang import STORAGE_KEY as LANG_KEY
from ui.chat_lang import first_lang
from ui.chat_page import ChatApp, page_options
from ui.chat_state import Session, Turn
from ui.feedback_event import LikeFeedback
from ui.settings import ServeSettings
from ui.strings import EXAMPLES, LANG_CHOICES, t

log = logging.getLogger(__name__)
CONCURRENCY = 4  # answers run in worker threads; the embedder and retriever lock their shared parts
QUEUE_SIZE = 64  # beyond this, new requests are turned away instead of waiting for minutes


class ChatHandlers(ConversationEvents):
    """The UI's event handlers; each returns values in the order of its outputs."""

    def __init__(self, answerer: Answerer, settings: Settings, serving: ServeSettings) -> None:
        self.qa = answerer
        self.corpus = answerer.corpus
        self.settings = settings
        self.feedback = LikeFeedback(settings, serving)

    def respond(self, question: str, session: Session, k: float, lang: str) -> Iterator[tuple[Any, ...]]:
        """Stream the answer into the chat, then fill the source panel, full text, debug table and copy text.
        Outputs: question box, chat, session, sources, full text, retrieval table, copy text, tabs."""
        keep = (gr.skip(),) * 5
        session.k = int(k)  # only for the score table: answers use the configured depth, so k cannot change them
        if not str(question or "").strip():  # an empty submit is a slip, not a conversation turn
            notify(t("empty", lang), lang, warn=True)
            yield (gr.skip(), gr.skip(), gr.skip(), *keep)
            return
        try:
            q = clean_question(question, self.settings.max_question_chars)
        except QuestionError:
            message = self._question_problem(str(question or ""), lang)
            session.display += [{"role": "user", "content": render.user_message(str(question or ""))},
                                {"role": "assistant", "content": render.error_message(message, lang)}]
            session.turns.append(Turn(str(question or "")[:render.MAX_SHOWN_QUESTION], error=message))
            yield (gr.skip(), list(session.display), session, *keep)
            return
        session.display += [{"role": "user", "content": render.user_message(q)},
                            {"role": "assistant", "content": render.streaming_message("", self.corpus)}]
        yield ("", list(session.display), session, *keep)
        try:
            answer = yield from self._stream(q, session, self.settings.k)
        except QuestionError:
            yield (gr.skip(), session.reply(render.error_message(t("bad_question", lang), lang)), session, *keep)
            return
        except Exception:  # shown as a short message; the traceback goes to the server log only
            log.exception("answering %r failed", q)
            yield (gr.skip(), session.reply(render.error_message(t("internal_error", lang), lang)), session, *keep)
            return
        chat = session.answered(answer, render.answer_message(answer, self.corpus, lang))
        yield (gr.skip(), chat, session, *self._panels(answer, lang, session.k), gr.Tabs(selected="sources"))

    def _question_problem(self, question: str, lang: str) -> str:
        """Why a question cannot be asked, in the interface's language (the answerer's own message is English)."""
        try:
            n = len(clean_question(question, max_chars=len(question)))
        except QuestionError:
            return t("empty", lang)
        return t("too_long", lang).format(n=n, limit=self.settings.max_question_chars)

    def _stream(self, q: str, session: Session, k: int) -> Generator[tuple[Any, ...], None, Answer]:
        """Yield chat updates as pieces arrive; return the final Answer (its text replaces the pieces)."""
        text = ""
        for event in self.qa.stream(q, history=session.history, k=k):
            match event:
                case Delta(text=piece):
                    text += piece
                    yield (gr.skip(), session.reply(render.streaming_message(text, self.corpus)), session,
                           *(gr.skip(),) * 5)
                case Final(answer=answer):
                    return answer
        raise RuntimeError("the answerer always ends with a Final event")

    def _panels(self, answer: Answer | None, lang: str, k: int | None = None) -> tuple[str, str, Any, str]:
        return (render.sources_panel(answer, self.corpus, lang), render.full_text(self.corpus, lang, answer),
                gr.Dataframe(value=self._table(answer, lang, k)), render.copy_text(answer))

    def _table(self, answer: Answer | None, lang: str, k: int | None = None) -> pd.DataFrame:
        """The score table: what retrieval finds at the chosen top-k (the answer's own depth when none)."""
        hits = self.qa.search(answer.question, k) if answer is not None and k else None
        # A DataFrame carries its column names: a list of rows would get the headers the table was built with.
        return pd.DataFrame(render.retrieval_rows(answer, self.corpus, hits), columns=render.table_headers(lang))

    def focus(self, pid: str, session: Session, lang: str) -> str:
        """A chip was clicked: that paragraph first in the source panel, its quote highlighted if any
        answer in this conversation quoted it."""
        pid = (pid or "").strip().upper()
        cited = session.latest_citing(pid)
        return render.sources_panel(session.latest, self.corpus, lang, focus=pid,
                                    focus_spans=render.quote_spans(cited, pid))

    def like(self, session: Session, lang: str, data: gr.LikeData, request: gr.Request) -> None:
        ok, text = self.feedback.on_like(data, session.answers, request, lang)
        (gr.Info if ok else gr.Warning)(text)

    def like_valid(self, session: Session, lang: str, data: gr.LikeData) -> list[Any]:
        return self.feedback.validator(data)  # bad `liked`/index: HTTP 422 at queue/join, before the queue


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
            raise gr.Error(str(exc), print_exception=False) from exc  # a 4xx: no traceback

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
            for event in answerer.stream(question, k=k or None):
                match event:
                    case Delta(text=piece):
                        text += piece
                        yield json.dumps({"event": "delta", "delta": piece, "text": text}, ensure_ascii=False)
                    case Final(answer=answer):
                        yield json.dumps({"event": "answer", "answer": answer.to_dict()}, ensure_ascii=False)
        except QuestionError as exc:
            raise gr.Error(str(exc), print_exception=False) from exc  # a 4xx: no traceback

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
            raise gr.Error(str(exc), print_exception=False) from exc  # a 4xx: no traceback

    for fn in (ask, ask_stream, get_paragraph):
        gr.api(fn, api_name=fn.__name__, api_visibility="public")


def build_app(answerer: Answerer, settings: Settings, serving: ServeSettings) -> gr.Blocks:
    h = ChatHandlers(answerer, settings, serving)
    corpus, lang0 = answerer.corpus, "zh"
    private: dict[str, Any] = {"api_visibility": "private"}  # UI events are not API endpoints or MCP tools
    with gr.Blocks(title="resqa · A/RES/67/190") as demo:
        session, reason_for = gr.State(Session()), gr.State(None)
        # Conversations live in this browser's localStorage, one key per document text.
        lang_store = gr.BrowserState("", storage_key=LANG_KEY)  # the interface language, kept across reloads
        store = gr.BrowserState({}, storage_key=f"resqa-conversations-{corpus.sha256[:12]}",
                                secret=browser_secret(settings.home))
        with gr.Row(elem_id="resqa-top", equal_height=True):
            header = gr.HTML(render.header(lang0), elem_id="resqa-header")
            lang = gr.Radio(LANG_CHOICES, value=lang0, show_label=False, elem_id="resqa-lang", scale=0,
                            min_width=200, container=False)
        with gr.Row(elem_id="resqa-main"):
            with gr.Column(scale=3, min_width=300):
                with gr.Row(elem_id="resqa-convs", equal_height=True):
                    conv_list = gr.Dropdown([], value=None, label=t("conversations", lang0), scale=4, min_width=160,
                                            elem_id="resqa-conv-list")
                    new = gr.Button(t("new_chat", lang0), size="sm", scale=1, min_width=90, elem_id="resqa-new")
                    delete = gr.Button(t("delete_chat", lang0), size="sm", scale=1, min_width=90,
                                       elem_id="resqa-delete")
                chat = gr.Chatbot(label=t("chat", lang0), placeholder=t("chat_placeholder", lang0), height=520,
                                  elem_id="resqa-chat", buttons=[], latex_delimiters=[],
                                  feedback_options=("Like", "Dislike"), group_consecutive_messages=False)
                with gr.Row(visible=False, elem_id="resqa-reason-row") as reason_row:
                    reason_text = gr.Textbox(placeholder=t("reason", lang0), show_label=False, lines=2, max_lines=6,
                                             max_length=1000, scale=5, elem_id="resqa-reason")
                    reason_send = gr.Button(t("reason_send", lang0), size="sm", scale=1, elem_id="resqa-reason-send")
                with gr.Row(elem_id="resqa-ask"):
                    question = gr.Textbox(placeholder=t("placeholder", lang0), show_label=False, lines=1,
                                          max_lines=6, scale=6, elem_id="resqa-question")  # focused by app.js
                    send = gr.Button(t("send", lang0), variant="primary", scale=1, min_width=80, elem_id="resqa-send")
                suggest = gr.Dataset(components=[question], samples=[], label=t("suggested", lang0), type="values",
                                     visible=False, elem_id="resqa-suggest")
                with gr.Row(elem_id="resqa-tools"):
                    copy = gr.Button(t("copy", lang0), size="sm", elem_id="resqa-copy")
                    export_md = gr.DownloadButton(t("export_md", lang0), size="sm", visible=False,
                                                  elem_id="resqa-export-md")
                    export_json = gr.DownloadButton(t("export_json", lang0), size="sm", visible=False,
                                                    elem_id="resqa-export-json")
                examples = gr.Dataset(components=[question], samples=[[q] for q in EXAMPLES],
                                      label=t("examples", lang0), elem_id="resqa-examples", type="values")
                with gr.Accordion(t("settings", lang0), open=False, elem_id="resqa-settings") as settings_box:
                    top_k = gr.Slider(1, MAX_K, value=settings.k, step=1, label=t("top_k", lang0),
                                      elem_id="resqa-topk")
                    show_scores = gr.Checkbox(False, label=t("show_scores", lang0), elem_id="resqa-show-scores")
                    backend = gr.Markdown(render.backend_line(answerer.backend_name, lang0), elem_id="resqa-backend")
                retrieval = gr.Dataframe(headers=render.table_headers(lang0), label=t("retrieval", lang0),
                                         visible=False, interactive=False, elem_id="resqa-retrieval", wrap=True)
            with gr.Column(scale=2, min_width=300, elem_id="resqa-side"):  # a sheet on phones (app.css)
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
        view = [chat, session, *panels, suggest, export_md, export_json, conv_list, store, reason_row]
        after = ([session, store, lang], [store, conv_list, suggest, export_md, export_json])
        gr.on([question.submit, send.click], h.respond, ask_in, answer_out, **private).then(
            h.after_answer, *after, **private)
        for picker in (examples, suggest):  # an example or a suggested question is asked when clicked
            picker.click(lambda sample: sample[0], [picker], [question], **private).then(
                h.respond, ask_in, answer_out, **private).then(h.after_answer, *after, **private)
        # The language first (saved, else Accept-Language), then the conversation rendered in it.
        demo.load(first_lang, [lang_store], [lang], **private).then(h.restore, [store, lang, session], view, **private)
        new.click(h.new_chat, [store, lang], view, **private)  # no chat.clear listener: no trash button
        delete.click(h.delete, [session, store, lang], view, **private)
        conv_list.input(h.switch, [conv_list, store, lang], view, **private)
        chat.like(h.like, [session, lang], None, validator=h.like_valid, **private)
        chat.like(h.ask_reason, None, [reason_row, reason_for], **private)
        reason_send.click(h.feedback_reason, [reason_text, reason_for, session, lang], [reason_text, reason_row],
                          **private)
        show_scores.change(lambda on: gr.Dataframe(visible=on), [show_scores], [retrieval], **private)
        top_k.release(h.score_table, [session, top_k, lang], [retrieval], **private)
        focus_go.click(h.focus, [focus_id, session, lang], [sources], js="(pid, s, l) => [window.resqaFocusId(), s, l]",
                       **private).then(None, [focus_id], None, js="(pid) => window.resqaScrollToSource()")
        copy.click(None, [copy_src, lang], None, js="(text, l) => window.resqaCopy(text, l)")
        lang.change(lambda chosen: chosen, [lang], [lang_store], **private)
        lang.change(h.relabel, [lang, session],
                    [header, chat, question, send, copy, new, examples, settings_box, top_k, show_scores, backend,
                     retrieval, tab_sources, tab_full, sources, full, delete, export_md, export_json, reason_text,
                     reason_send, suggest, conv_list], **private)
        add_api(answerer)
    return demo


def chat_app(answerer: Answerer, settings: Settings, serving: ServeSettings) -> ChatApp:
    """The one chat, built and queued: `resqa ui` launches it, `resqa serve` mounts it (ui.chat_page)."""
    demo = build_app(answerer, settings, serving)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    return ChatApp(demo, page_options(serving))


def start(answerer: Answerer, settings: Settings, serving: ServeSettings, host: str = "127.0.0.1",
          port: int = 7860, block: bool = True) -> gr.Blocks:
    """Build, queue and launch; `block=False` returns the running app (tests close it with `demo.close()`)."""
    return chat_app(answerer, settings, serving).launch(host, port, block)


def launch(answerer: Answerer, settings: Settings, serving: ServeSettings, host: str = "127.0.0.1",
          port: int = 7860) -> None:
    """Serve the chat until interrupted (the CLI's `resqa ui`); MCP too when `serving.mcp` is set."""
    start(answerer, settings, serving, host, port, block=True)
