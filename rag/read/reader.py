"""Raw text + history → `Question`: the only stage that reads the user's string.

In order: clean the input (bounded, no control characters), mend its wording against the document (typos,
widths, traditional characters, abbreviations), place it in the conversation (a follow-up's subject, an
item of the previous answer's list), find the paragraphs it names, then ask the learned kind model what
shape of reply it wants — an answer about the text (fact, list, count, summary …) or a chat act (greeting,
thanks, help, opinion). The patterns' guess at the kind is one of the model's features, never the decision.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from index import Corpus
from rag.conversation import read_in_context
from rag.glossary import chinese_terms
from rag.guard import clean_question, is_injection
from rag.intent import pattern_kind, shape
from rag.question import ANSWER_KINDS, Question
from rag.read.features import DIGITS, Structure, features
from rag.read.kinds import KindModel
from rag.read.parts import split_parts
from rag.refs import Resolved, resolve
from rag.text import content_words, is_chinese, normalize
from rag.wording import Wording

_ASKING = ("?", "？", "吗", "呢")  # a message that asks: a question mark or a question particle


@dataclass(frozen=True)
class Prepared:
    """Everything the reader knows of a question before its kind: what the features are computed from."""

    raw: str
    text: str
    lang: str
    query: str
    asked: str
    followup: bool
    refs: tuple[str, ...]
    missing_refs: tuple[str, ...]
    subparagraphs: tuple[str, ...]
    remainder: str
    changes: tuple[tuple[str, str], ...]
    structure: Structure


def clean_input(raw: object, max_chars: int) -> str:
    """The raw input bounded and without control characters; QuestionError when it cannot be read."""
    return clean_question(raw, max_chars)


class Reader:
    """Reads questions about one document. `embed` gives a question's e5 vector (the retriever's, memoised,
    when retrieval uses e5 too); `model` is the learned kind model (the committed one by default)."""

    def __init__(self, corpus: Corpus, embed: Callable[[str], np.ndarray], model: KindModel | None = None,
                 max_chars: int = 2000) -> None:
        self.corpus = corpus
        self.embed = embed
        self.model = model or KindModel.load()
        self.max_chars = max_chars
        self.wording = Wording(corpus)
        self._text = " ".join(p.text for p in corpus.paragraphs)
        self._flat = normalize(self._text)

    def prepare(self, raw: object, history: Sequence[Any] | None = None) -> Prepared:
        q = clean_question(raw, self.max_chars)
        worded = self.wording.read(q)
        lang = "zh" if is_chinese(worded.text) else "en"
        query, asked = read_in_context(worded.text, history, self._text)
        resolved = resolve(query)
        refs, missing = self._split_refs(resolved)
        # A follow-up searches with the previous turn's subject but asks only its own words; one the history
        # rewrote into a question of its own ("那第13段呢" → "第13段决定了什么") reads as that question.
        followup = query != asked
        in_context = query != worded.text or asked != worded.text  # the feature: read against the history at all
        structure = Structure(pattern_kind(asked), bool(refs), bool(missing), lang == "en", in_context, len(asked),
                              any(x in asked for x in _ASKING), bool(DIGITS.search(asked)),
                              self._topic_words(asked, lang))
        return Prepared(q, worded.text, lang, query, asked, followup, refs, missing, resolved.subparagraphs,
                        resolved.remainder, worded.changes, structure)

    def _split_refs(self, resolved: Resolved) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The paragraphs a question names: (those the document has, those it does not)."""
        ids = [r.id for r in resolved.refs]
        return tuple(i for i in ids if self.corpus.get(i)), tuple(i for i in ids if not self.corpus.get(i))

    def _topic_words(self, text: str, lang: str) -> int:
        """How many of the question's content words the document uses (for English, its terms the glossary
        gives in the text's Chinese)."""
        words = content_words(text) if lang == "zh" else chinese_terms(text, self.corpus)
        return sum(normalize(w) in self._flat for w in dict.fromkeys(words))

    def clean(self, raw: object) -> str:
        """The input as every later stage gets it (bounded, no control characters): what a cache keys on."""
        return clean_input(raw, self.max_chars)

    def features(self, p: Prepared) -> np.ndarray:
        return features(p.asked, self.embed(p.asked), p.structure)

    def read(self, raw: object, history: Sequence[Any] | None = None) -> Question:
        p = self.prepare(raw, history)
        question = self._question(p)
        if p.followup:
            return question
        pieces = split_parts(p.text)
        if len(pieces) < 2:
            return question
        # Parts of one message share its subject: a later part is read with the one before it, but asks for
        # its own kind of fact.
        parts = tuple(self._question(self._part(p, f"{pieces[i - 1]} {piece}" if i else piece, piece))
                      for i, piece in enumerate(pieces))
        return replace(question, parts=parts)

    def _part(self, whole: Prepared, query: str, asked: str) -> Prepared:
        resolved = resolve(query)
        refs, missing = self._split_refs(resolved)
        structure = replace(whole.structure, pattern_kind=pattern_kind(asked), refs=bool(refs),
                            missing_refs=bool(missing), length=len(asked), asks=any(x in asked for x in _ASKING),
                            digits=bool(DIGITS.search(asked)), topic_words=self._topic_words(asked, whole.lang))
        return replace(whole, query=query, asked=asked, refs=refs, missing_refs=missing,
                       subparagraphs=resolved.subparagraphs, remainder=resolved.remainder, structure=structure)

    def _question(self, p: Prepared) -> Question:
        probs = self.model.probabilities(self.features(p))
        ranked = tuple(sorted(probs.items(), key=lambda kv: -kv[1]))
        kind, kind_p = ranked[0]
        # A paragraph named in the question makes it a question about the text, whatever its tone.
        if p.refs and kind not in ANSWER_KINDS:
            kind, kind_p = next((k, v) for k, v in ranked if k in ANSWER_KINDS)
        intent = shape(p.asked, kind, bool(p.refs))
        return Question(raw=p.raw, text=p.text, lang=p.lang, query=p.query, asked=p.asked, kind=kind,
                        kind_p=round(kind_p, 6), intent=intent, refs=p.refs, missing_refs=p.missing_refs,
                        subparagraphs=p.subparagraphs, remainder=p.remainder, followup=p.followup,
                        injection=is_injection(p.text), changes=p.changes, topic_words=p.structure.topic_words,
                        kinds=tuple((k, round(v, 6)) for k, v in ranked))
