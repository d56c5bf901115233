"""English → Chinese terms, so English questions (and English words in Chinese ones) reach the Chinese text.

Dense retrieval (multilingual e5) already crosses languages; these terms give BM25 and clause selection the
Chinese words an English question means. Nothing is written here: the general GA vocabulary is data
(index/vocab/general.json) and a document's own terms lie beside its text (…_zh.terms.json, checked against
it when the corpus loads). Each function takes the corpus it answers; without one, only the general
vocabulary is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index import Corpus, load_vocab
from rag.text import has_cjk

_ENDINGS = r"(?:s|es|d|ed|ing)?(?![a-z])"  # a term matches with the common English endings (urge → urges, urged)


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, str]  # English (lower case) → Chinese
    pattern: re.Pattern[str]
    of_phrase: re.Pattern[str]

    @classmethod
    def of(cls, pairs: tuple[tuple[str, str], ...]) -> Glossary:
        terms = dict(pairs)
        alternatives = "|".join(sorted(map(re.escape, terms), key=len, reverse=True))
        # "fund for X": English puts the head first, Chinese last.
        of_phrase = re.compile(rf"(?<![a-z])(?P<head>{alternatives})s?\s+(?:for|of|on|against)\s+(?:the\s+)?"
                               rf"(?P<mod>{alternatives})(?:s|es)?(?![a-z])", re.I)
        return cls(terms, re.compile(rf"(?<![a-z])({alternatives}){_ENDINGS}", re.I), of_phrase)


@lru_cache(maxsize=8)
def _glossary(own: tuple[tuple[str, str], ...]) -> Glossary:
    vocab = load_vocab()
    # the English names of the vocabulary's cities, countries and bodies, then its terms, then the document's
    named = tuple((en.lower(), zh) for zh, en in vocab.cities) + tuple(
        (e.lower(), zh) for zh, names in vocab.countries + vocab.bodies_elsewhere for e in names)
    return Glossary.of(named + vocab.terms + own)


def glossary_of(corpus: Corpus | None = None) -> Glossary:
    """The general vocabulary, with the terms of `corpus` when one is given (a document's own term wins)."""
    return _glossary(corpus.terms if corpus is not None else ())


def chinese_terms(question: str, corpus: Corpus | None = None) -> list[str]:
    """The Chinese terms an English question names, longest match first, in order."""
    g = glossary_of(corpus)
    out: list[str] = []
    for m in g.pattern.finditer(question):
        zh = g.terms[m.group(1).lower()]
        if zh not in out:
            out.append(zh)
    return out


def mixed_to_chinese(question: str, corpus: Corpus | None = None) -> str:
    """A Chinese question with English terms in it ("X 的 global report 什么时候 launch") with those terms in the
    text's Chinese: people switch languages mid-sentence; the Chinese text does not."""
    if not has_cjk(question):
        return question
    g = glossary_of(corpus)
    question = g.of_phrase.sub(lambda m: g.terms[m.group("mod").lower()] + g.terms[m.group("head").lower()], question)
    return g.pattern.sub(lambda m: g.terms[m.group(1).lower()], question)
