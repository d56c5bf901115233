"""The checks on a drafted answer that the one decision (rag.decide.final) weighs, besides the draft's own:
the answerability model's probability, a count or ordinal the quote contradicts (rag.contradict), and the
numbers or symbols the question states standing in none of the cited paragraphs."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from index import Corpus
from rag import answerability
from rag.contradict import Clash, clash
from rag.decide import Decision, final
from rag.extractive import Draft
from rag.question import Question
from rag.text import normalize
from rag.verify import citation_is_valid


class Checks:
    def __init__(self, corpus: Corpus, stated_facts: Callable[[str], set[str]],
                 answer_model: answerability.AnswerModel | None) -> None:
        self.corpus = corpus
        self.stated_facts = stated_facts  # numbers, dates and symbols a question states (not the document's own)
        self.answer_model = answer_model
        self._flat = normalize(" ".join(p.text for p in corpus.paragraphs))

    def decide(self, q: Question, draft: Draft) -> tuple[Decision, float | None, Clash | None]:
        cited = any(citation_is_valid(self.corpus, c) for c in draft.citations)
        drafted = Decision.of_record(draft.signals, draft.verdict)
        answer_p, found, elsewhere = None, None, None
        if q.act == "ask" and drafted.verdict == "answer" and cited:
            found = clash(q.asked, draft.citations, self._flat) if q.lang == "zh" else None
            elsewhere = self.stated_elsewhere(q, draft)
            if self.answer_model is not None:
                answer_p = self.answer_model.probability(self.features(q, draft))
        decision = final(q.act, draft.refused, cited, drafted, answer_p,
                         clash=f"{found.asked}>{found.stated}" if found else None, elsewhere=elsewhere)
        return decision, answer_p, found

    def stated_elsewhere(self, q: Question, draft: Draft) -> str | None:
        """The numbers and symbols the question states when none of them stands in a cited paragraph or its
        notes (a question that names paragraphs is about those paragraphs, whatever numbers it has)."""
        stated = self.stated_facts(q.asked)
        if not stated or q.refs or not draft.citations:
            return None
        cited = {c.id for c in draft.citations}
        texts = [p.text for pid in cited if (p := self.corpus.get(pid))]
        texts += [fn.text for pid in cited for fn in self.corpus.footnotes_of(pid)]
        flat = normalize(" ".join(texts))
        return None if any(normalize(f) in flat for f in stated) else ",".join(sorted(stated))

    def features(self, q: Question, draft: Draft) -> np.ndarray:
        """The answerability model's feature row for a drafted answer (evals/train_answer.py fits on these)."""
        return answerability.features(q, draft.signals, draft.citations, q.topic_words)
