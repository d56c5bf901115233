"""Follow-up questions: "那第13段呢？" or "它最迟什么时候召开？" read against the previous turn.

History comes as OpenAI-style messages ({"role", "content"}) or Gradio-style [user, assistant] pairs.
A follow-up that names a paragraph but asks nothing new inherits the previous question's ask; one that
refers back with a pronoun inherits the previous question's subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rag.refs import resolve
from rag.text import content_bigrams

_FOLLOW = re.compile(r"^(那|那么|还有|然后|and|what about|how about)|呢[？?]?$", re.I)
_PRONOUN = re.compile(r"它|其|该会议|这次|那次|这个|那个|这些|它们|此|上述|\b(it|its|they|them|this|that|these)\b",
                      re.I)
MAX_FOLLOW_LEN = 40


def user_turns(history: Sequence[Any] | None) -> list[str]:
    """The user's earlier questions, oldest first, from either history format."""
    out: list[str] = []
    for item in history or ():
        if isinstance(item, dict):
            if item.get("role") == "user" and isinstance(item.get("content"), str):
                out.append(item["content"])
        elif isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
            out.append(item[0])
    return out


def contextualize(question: str, history: Sequence[Any] | None) -> str:
    """The question as it would read on its own, given the conversation so far."""
    return read_in_context(question, history)[0]


def read_in_context(question: str, history: Sequence[Any] | None) -> tuple[str, str]:
    """(what to search with, what is asked): a follow-up that refers back with a pronoun is searched
    with the previous question's subject but asks only its own question ("它最迟什么时候召开？" wants a
    date, not the previous answer again)."""
    turns = user_turns(history)
    if not turns or len(question) > MAX_FOLLOW_LEN:
        return question, question
    previous = turns[-1]
    now = resolve(question)
    before = resolve(previous)
    if now.refs and _FOLLOW.search(question.strip()) and not content_bigrams(now.remainder):
        # "那第13段呢？" after "第12段决定了什么？": the old ask, the new paragraph.
        merged = f"{now.reference_text(question)}{before.remainder.strip()}"
        return merged, merged
    if not now.refs and _PRONOUN.search(question):
        return f"{previous.strip().rstrip('？?')} {question}", question
    return question, question

