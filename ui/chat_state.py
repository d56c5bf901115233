"""One conversation (`Session`) and the saved conversations kept in the browser (`Store`).

The browser keeps every conversation in localStorage (Gradio's `gr.BrowserState`), as plain JSON: the questions,
the Answers (`Answer.to_dict()`) and any error text. What comes back from the browser is untrusted input, so it
is read through pydantic models with bounds, and a stored Answer is kept only if each of its quotes is still
exactly `paragraph.text[start:end]` in this document; the chat's HTML is always re-rendered (escaped) from that,
never stored.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from index import Corpus
from rag import Answer
from rag.types import Citation, Hit
from ui import render

log = logging.getLogger(__name__)
MAX_CONVERSATIONS = 30
MAX_TURNS = 100
MAX_STORE_CHARS = 1_500_000  # localStorage holds ~5 MB per origin; the saved JSON is encrypted and base64'd
TITLE_CHARS = 40


@dataclass(frozen=True)
class Turn:
    """One question and what came back: an Answer, or the (already localised) text of an error."""

    question: str
    answer: Answer | None = None
    error: str | None = None


@dataclass
class Session:
    """One browser tab's conversation: what the chat shows, what the answerer sees, and which Answer
    each assistant message holds (for feedback and for the source panel)."""

    display: list[dict[str, str]] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)
    answers: dict[int, Answer] = field(default_factory=dict)
    latest: Answer | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    turns: list[Turn] = field(default_factory=list)
    k: int | None = None  # the top-k for the score table (answers use the configured depth)

    def reply(self, content: str) -> list[dict[str, str]]:
        """Replace the last (assistant) message; a fresh list, so each streamed update is its own value."""
        self.display[-1] = {"role": "assistant", "content": content}
        return list(self.display)

    def latest_citing(self, pid: str) -> Answer | None:
        """The newest answer that quotes `pid`, so a chip in an older message still shows its quote."""
        return next((a for _, a in sorted(self.answers.items(), reverse=True) if render.quote_spans(a, pid)), None)

    def answered(self, answer: Answer, content: str) -> list[dict[str, str]]:
        """The final answer replaces the streamed text and joins the conversation."""
        chat = self.reply(content)
        self.answers[len(self.display) - 1] = answer
        self.history += [{"role": "user", "content": answer.question}, {"role": "assistant", "content": answer.text}]
        self.latest = answer
        self.turns.append(Turn(answer.question, answer=answer))
        return chat

    @classmethod
    def rebuilt(cls, sid: str, turns: list[Turn], corpus: Corpus, lang: str) -> Session:
        """A saved conversation made live again: the chat re-rendered from its questions and Answers."""
        s = cls(id=sid)
        for turn in turns:
            s.display.append({"role": "user", "content": render.user_message(turn.question)})
            if turn.answer is None:
                s.display.append({"role": "assistant", "content": render.error_message(turn.error or "", lang)})
                s.turns.append(turn)
                continue
            s.display.append({"role": "assistant", "content": ""})
            s.answered(turn.answer, render.answer_message(turn.answer, corpus, lang))
        return s

    def title(self) -> str:
        first = self.turns[0].question if self.turns else ""
        return first if len(first) <= TITLE_CHARS else first[:TITLE_CHARS] + "…"


# ---- what the browser sends back (untrusted) -------------------------------------------------------------
class StoredTurn(BaseModel):
    q: str = Field(max_length=10_000)
    answer: dict[str, Any] | None = None
    error: str | None = Field(default=None, max_length=2000)


class StoredConversation(BaseModel):
    id: str = Field(pattern=r"^[0-9a-f]{8,32}$")
    title: str = Field(max_length=200)
    updated: float
    turns: list[StoredTurn] = Field(max_length=MAX_TURNS)


class Store(BaseModel):
    """Everything the browser keeps: the conversations (newest first) and which one is open."""

    current: str | None = None
    conversations: list[StoredConversation] = Field(default_factory=list, max_length=MAX_CONVERSATIONS)

    @classmethod
    def read(cls, raw: object) -> Store:
        """The store as the browser sent it; an unreadable one (tampered, an older format) starts afresh."""
        if not raw:
            return cls()
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            log.warning("ignoring the conversations stored in the browser: %s", exc.errors()[:1])
            return cls()

    def get(self, sid: str | None) -> StoredConversation | None:
        return next((c for c in self.conversations if c.id == sid), None)

    def saved(self, session: Session) -> Store:
        """This store with `session` saved as the newest conversation and opened; oldest dropped past the caps."""
        others = [c for c in self.conversations if c.id != session.id]
        if not session.turns:
            return Store(current=None, conversations=others)
        turns = [StoredTurn(q=t.question, answer=t.answer.to_dict() if t.answer else None, error=t.error)
                 for t in session.turns[-MAX_TURNS:]]
        mine = StoredConversation(id=session.id, title=session.title(), updated=time.time(), turns=turns)
        kept = [mine, *others][:MAX_CONVERSATIONS]
        while len(kept) > 1 and len(json.dumps([c.model_dump() for c in kept], ensure_ascii=False)) > MAX_STORE_CHARS:
            kept.pop()
        return Store(current=session.id, conversations=kept)

    def without(self, sid: str) -> Store:
        rest = [c for c in self.conversations if c.id != sid]
        return Store(current=rest[0].id if rest else None, conversations=rest)

    def opened(self, sid: str | None) -> Store:
        return Store(current=sid if self.get(sid) else None, conversations=self.conversations)

    def session(self, sid: str | None, corpus: Corpus, lang: str) -> Session:
        """The conversation `sid` as a live Session (a new, empty one if there is none)."""
        conv = self.get(sid)
        if conv is None:
            return Session()
        turns = [t for t in (turn_from(s, corpus) for s in conv.turns) if t is not None]
        return Session.rebuilt(conv.id, turns, corpus, lang)

    def choices(self) -> list[tuple[str, str]]:
        return [(c.title, c.id) for c in self.conversations]

    def dump(self) -> dict[str, Any]:
        return self.model_dump()


def turn_from(stored: StoredTurn, corpus: Corpus) -> Turn | None:
    """A saved turn, if its Answer still holds against the document (else it is left out)."""
    if stored.answer is None:
        return Turn(stored.q, error=stored.error or "")
    try:
        answer = answer_from(stored.answer)
        if all(_quoted(corpus, c) for c in answer.citations):
            return Turn(stored.q, answer=answer)
    except (KeyError, TypeError, ValueError, AttributeError):
        pass
    return None


def _quoted(corpus: Corpus, c: Citation) -> bool:
    p = corpus.get(c.id)
    return p is not None and 0 <= c.start < c.end <= len(p.text) and p.text[c.start:c.end] == c.quote


def answer_from(d: dict[str, Any]) -> Answer:
    """The inverse of `Answer.to_dict()`; TypeError/KeyError/ValueError on a malformed dict."""
    citations = tuple(Citation(**c) for c in d["citations"])
    hits = tuple(Hit(**h) for h in d.get("retrieved", ()))
    values = {**d, "citations": citations, "retrieved": hits, "see_also": tuple(d.get("see_also", ())),
              "notes": tuple(d.get("notes", ()))}
    answer = Answer(**values)
    if not isinstance(answer.text, str) or not isinstance(answer.question, str):
        raise TypeError("an Answer's question and text are strings")
    return answer
