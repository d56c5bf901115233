"""Suggested next questions under an answer, drawn from the document's structure around what it cited.

From each cited paragraph (or, for a refusal, each "see also" paragraph), in order: the footnotes it cites (what
the paragraph refers to), the paragraphs that cite it (for a footnote), and its neighbours in the same part.
Nothing is written per question: every suggestion is built from a paragraph's label. `answerable` keeps only
suggestions the extractive answerer actually answers, so a click never lands on a refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from index import Corpus, Paragraph
from rag import Answer

MAX_SUGGESTIONS = 3
_ASK = {"zh": "{label}说了什么？", "en": "What does {label} say?"}
_ASKABLE = ("preamble", "operative", "footnote")  # the frame lines have no label a question can name
_FOOTNOTE = {"zh": "{label}的内容是什么？", "en": "What does {label} say?"}


def candidates(answer: Answer, corpus: Corpus, asked: Iterable[str] = ()) -> list[str]:
    """Follow-up questions in the answer's language, best first, none already asked and none about a
    paragraph the answer itself quotes. Kinds take turns (a footnote, a neighbour, …) so three are varied."""
    lang = "en" if answer.lang == "en" else "zh"
    seeds = [p for p in (corpus.get(pid) for pid in _seeds(answer)) if p is not None]
    quoted = {c.id for c in answer.citations}
    groups = [[fn for p in seeds for fn in corpus.footnotes_of(p.id)],  # the footnotes they refer to
              [q for p in seeds for q in corpus.cited_by(p.id)],  # for a cited footnote, the paragraphs citing it
              list(_neighbours(seeds, corpus))]
    if answer.refused:  # the "see also" paragraphs are the natural next questions
        groups.insert(0, seeds)
    seen = {q.strip() for q in asked}
    out: list[str] = []
    for target in _round_robin(groups):
        q = _question(target, lang, corpus)
        if target.kind in _ASKABLE and target.id not in quoted and q not in seen:
            seen.add(q)
            out.append(q)
    return out


def _seeds(answer: Answer) -> list[str]:
    ids = list(answer.see_also) if answer.refused else [c.id for c in answer.citations]
    return list(dict.fromkeys(ids))


def _neighbours(seeds: list[Paragraph], corpus: Corpus) -> Iterator[Paragraph]:
    """The next, then the previous paragraph in the same part (preamble or operative)."""
    for p in seeds:
        if p.kind in ("preamble", "operative") and p.number is not None:
            yield from (q for q in (corpus.get(corpus.id_for(p.kind, n)) for n in (p.number + 1, p.number - 1)) if q)


def _round_robin(groups: list[list[Paragraph]]) -> Iterator[Paragraph]:
    for i in range(max((len(g) for g in groups), default=0)):
        yield from (g[i] for g in groups if i < len(g))


def _question(p: Paragraph, lang: str, corpus: Corpus) -> str:
    return (_FOOTNOTE if p.kind == "footnote" else _ASK)[lang].format(label=corpus.label(p.id, lang))


def answerable(questions: Iterable[str], ask: Callable[[str], Answer], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The first `limit` questions that `ask` answers (not refused). `ask` should be the extractive answerer:
    cheap, and what it answers any configured LLM backend answers from too."""
    out: list[str] = []
    for q in questions:
        if len(out) >= limit:
            break
        if not ask(q).refused:
            out.append(q)
    return out


def suggestions(answer: Answer, corpus: Corpus, ask: Callable[[str], Answer], asked: Iterable[str] = ()) -> list[str]:
    """2–3 suggested next questions for `answer`, each checked to be answered by `ask`."""
    return answerable(candidates(answer, corpus, asked), ask)
