"""Composing answers: the wording around verified quotes (frame) and the replies to chat acts (chat)."""

from rag.compose.chat import examples, reply, title, title_line
from rag.compose.frame import (
    answer_text,
    correction_lead,
    en_lead,
    injection_text,
    mark,
    missing_subparagraph_text,
    missing_text,
    no_text,
    quoted,
    refusal_text,
)

__all__ = [
    "answer_text",
    "correction_lead",
    "en_lead",
    "examples",
    "injection_text",
    "mark",
    "missing_subparagraph_text",
    "missing_text",
    "no_text",
    "quoted",
    "refusal_text",
    "reply",
    "title",
    "title_line",
]
