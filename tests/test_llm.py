"""How LLM output is verified. Two kinds of model stand in for an LLM here, and the tests say which:
a scripted chat model (LangChain's GenericFakeChatModel, replaying fixed adversarial outputs), and a real
HTTP round trip to a small OpenAI-protocol server started by the test (good answers, timeouts, garbage)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from rag import Answerer, Delta, Final, citation_is_valid, make_chat_model

Q = "大会决定何时召开高级别会议？"
GOOD = "大会决定在大会第六十七届会议期间，以现有资源为限，最迟于 2013 年 7 月召开一次高级别会议[OP12]。"


def scripted(answerer, text: str) -> Answerer:
    """An Answerer over the real index whose "LLM" replays `text` (a scripted model, not a real LLM)."""
    model = GenericFakeChatModel(messages=iter([AIMessage(content=text)]))
    settings = replace(answerer.settings, llm="scripted:test")
    return Answerer(answerer.corpus, answerer.retriever.store, answerer.retriever.embedder, settings, model)


def test_a_grounded_llm_answer_is_kept_with_house_marks(answerer, corpus):
    ans = scripted(answerer, GOOD).ask(Q)
    assert ans.backend == "llm:scripted:test" and not ans.refused
    assert "【执行部分第12段】" in ans.text and "[OP12]" not in ans.text
    assert [c.id for c in ans.citations] == ["OP12"] and all(citation_is_valid(corpus, c) for c in ans.citations)


def test_an_invented_paragraph_is_dropped(answerer):
    ans = scripted(answerer, "决议要求对贩运者判处死刑[OP99]。" + GOOD).ask(Q)
    assert "OP99" not in ans.text and "死刑" not in ans.text
    assert [c.id for c in ans.citations] == ["OP12"]
    assert any("removed" in n for n in ans.notes)


def test_a_changed_date_is_caught_and_the_extractive_answer_stands(answerer):
    ans = scripted(answerer, GOOD.replace("7 月", "9 月")).ask(Q)
    assert ans.backend == "extractive" and "9 月" not in ans.text
    assert ans.citations[0].id == "OP12" and any("extractive" in n for n in ans.notes)


def test_uncited_sentences_are_removed(answerer):
    ans = scripted(answerer, "高级别会议是联合国最重要的会议。" + GOOD).ask(Q)
    assert "最重要" not in ans.text and ans.citations[0].id == "OP12"


def test_a_flipped_negation_is_caught(answerer):
    ans = scripted(answerer, "大会决定不召开高级别会议[OP12]。").ask(Q)
    assert ans.backend == "extractive" and "不召开" not in ans.text


def test_citing_a_paragraph_that_was_not_retrieved_is_dropped(answerer, corpus):
    pp1 = corpus.get("PP1").text
    ans = scripted(answerer, f"{pp1[:40]}[PP1]。").ask(Q)
    assert ans.backend == "extractive" and "PP1" not in [c.id for c in ans.citations]


def test_the_llm_refusing_leaves_the_extractive_answer(answerer):
    ans = scripted(answerer, "NOT_IN_RESOLUTION").ask(Q)
    assert ans.backend == "extractive" and ans.citations[0].id == "OP12"


def test_llm_streams_only_verified_sentences(answerer):
    events = list(scripted(answerer, "决议要求死刑[OP99]。" + GOOD).stream(Q))
    streamed = "".join(e.text for e in events if isinstance(e, Delta)).replace(" ", "")
    assert "死刑" not in streamed
    assert "2013年7月" in streamed  # the scripted model streams word by word and drops the spaces


class _OpenAIProtocol(BaseHTTPRequestHandler):
    """Just enough of /v1/chat/completions: the model name picks the behaviour."""

    def log_message(self, *args):  # keep test output clean
        pass

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        model = body["model"]
        if model == "slow":
            time.sleep(4)
        if model == "broken":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{not json")
            return
        if model == "error":
            self.send_response(500)
            self.end_headers()
            return
        content = GOOD
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for piece in (content[:20], content[20:]):
                chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": model,
                         "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece},
                                      "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            return
        reply = {"id": "c1", "object": "chat.completion", "created": 0, "model": model,
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                              "finish_reason": "stop"}]}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def openai_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OpenAIProtocol)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def over_http(answerer, url: str, model: str) -> Answerer:
    settings = replace(answerer.settings, llm=f"openai:{model}", llm_base_url=url, llm_timeout=1.5)
    return Answerer(answerer.corpus, answerer.retriever.store, answerer.retriever.embedder, settings,
                    make_chat_model(settings))


def test_http_round_trip(answerer, openai_server):
    ans = over_http(answerer, openai_server, "good").ask(Q)
    assert ans.backend == "llm:openai:good" and ans.citations[0].id == "OP12"


@pytest.mark.parametrize("model,word", [("slow", "within"), ("broken", "failed"), ("error", "failed")])
def test_http_failures_fall_back_to_extractive(answerer, openai_server, model, word):
    qa = over_http(answerer, openai_server, model)
    t0 = time.monotonic()  # the ask alone: building an Answerer (models, wording tables) is not the LLM's wait
    ans = qa.ask(Q)
    assert ans.backend == "extractive" and ans.citations[0].id == "OP12"
    assert any(word in n for n in ans.notes), ans.notes
    assert time.monotonic() - t0 < 4  # the 1.5 s timeout, not the server's 4 s sleep, ended the wait


def test_bad_llm_spec_is_a_clear_error(answerer):
    from rag import LLMConfigError

    with pytest.raises(LLMConfigError, match="provider:model"):
        make_chat_model(replace(answerer.settings, llm="gpt4"))


@pytest.mark.parametrize("text", [GOOD, "决议要求死刑[OP99]。" + GOOD, GOOD.replace("7 月", "9 月"),
                                  GOOD + "决议要求死刑[OP99]。决议要求绞刑[OP98]。决议要求流放[OP97]。"])
def test_streamed_text_is_exactly_the_final_text(answerer, text):
    *deltas, final = list(scripted(answerer, text).stream(Q))
    assert all(isinstance(d, Delta) for d in deltas) and isinstance(final, Final)
    assert "".join(d.text for d in deltas if isinstance(d, Delta)) == final.answer.text
