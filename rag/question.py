"""The typed question every later stage reads: what `rag.read` made of the user's words and the history.

Retrieval, composing and the decision read these fields; none of them goes back to the raw string.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.intent import Intent

# The kinds a reply can take (evals/labels/KINDS.md): the shapes of an answer about the text, and the chat acts
# that are not questions about it.
ANSWER_KINDS = ("fact", "list", "count", "summary", "relation", "name", "why", "yesno")
CHAT_ACTS = ("greeting", "thanks", "help", "opinion")
KINDS = ANSWER_KINDS + CHAT_ACTS


@dataclass(frozen=True)
class Question:
    raw: str  # the question as given, control characters removed
    text: str  # as read: typos, widths and abbreviations mended (`changes` says what changed)
    lang: str  # "zh" | "en"
    query: str  # what retrieval searches with: the text, or for a follow-up the text in its context
    asked: str  # what this turn asks, on its own words (a follow-up's pronoun resolved where it can be)
    kind: str  # one of KINDS, from the learned reader
    kind_p: float  # the reader's probability of that kind
    intent: Intent  # the structural reading: drafting verbs, addressee, class and part named
    refs: tuple[str, ...] = ()  # paragraphs the question names that the document has
    missing_refs: tuple[str, ...] = ()  # paragraphs it names that the document does not have
    subparagraphs: tuple[str, ...] = ()  # lettered subparagraphs asked for
    remainder: str = ""  # the question less its paragraph references
    followup: bool = False  # read against the previous turn
    injection: bool = False  # tries to change how resqa answers
    changes: tuple[tuple[str, str], ...] = ()
    kinds: tuple[tuple[str, float], ...] = field(default=())  # every kind with its probability, best first
    topic_words: int = 0  # content words of the question that the document's text uses
    parts: tuple[Question, ...] = ()  # a message that asks several things: each part, read on its own

    @property
    def act(self) -> str:
        """"injection" for an instruction to answer otherwise (whatever else it asks), "ask" for a question about
        the text, else the chat act (greeting, thanks, help, opinion)."""
        if self.injection:
            return "injection"
        return self.kind if self.kind in CHAT_ACTS else "ask"
