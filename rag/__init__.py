"""resqa's answerer: read → retrieve → compose → decide → verify, over the index built by `index`.

Importing `rag` never imports gradio or torch; nothing here imports `ui` or `evals`.
"""

from typing import TYPE_CHECKING, Any

from index import Settings
from index.lazy import lazy_attribute
from rag.answerer import Answerer, UnknownParagraph
from rag.decide import Decision, Signals, Thresholds, decide, final
from rag.guard import QuestionError, clean_question
from rag.question import KINDS, Question
from rag.read import KindModel, Reader
from rag.refs import Reference, resolve
from rag.types import Answer, Citation, Delta, Final, Hit, StreamEvent
from rag.verify import citation_is_valid, locate, split_sentences, supports

if TYPE_CHECKING:  # the lazy names below, for type checkers
    from rag.lc import ResqaRetriever, answer_runnable
    from rag.llm import LLMConfigError, make_chat_model

__all__ = [
    "Answer",
    "Answerer",
    "Citation",
    "Decision",
    "Delta",
    "Final",
    "Hit",
    "KINDS",
    "KindModel",
    "Question",
    "Reader",
    "LLMConfigError",
    "QuestionError",
    "Reference",
    "ResqaRetriever",
    "Signals",
    "Settings",
    "StreamEvent",
    "Thresholds",
    "UnknownParagraph",
    "answer_runnable",
    "clean_question",
    "citation_is_valid",
    "decide",
    "final",
    "locate",
    "make_chat_model",
    "resolve",
    "split_sentences",
    "supports",
]


# The LangChain pieces (a retriever, a runnable, an optional chat model) load langchain_core's runnables and
# language models: imported when first named, so a CLI answer does not pay for them.
_LAZY = {"ResqaRetriever": "rag.lc", "answer_runnable": "rag.lc", "LLMConfigError": "rag.llm",
         "make_chat_model": "rag.llm"}


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _LAZY, globals(), name)
