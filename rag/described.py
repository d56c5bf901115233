"""A thing one paragraph names that another paragraph describes: "第N段的那个基金是根据什么设立的" is
answered by the operative paragraph that names the fund and the preambular one that says how it was set up.

The other paragraph must name the same full name (six characters or more, read from the paragraph the
question points at) and hold a word the question asks with that the first paragraph lacks — or stand in the
part of the document the question names ("在序言里是怎么介绍的").
"""

from __future__ import annotations

import re

from index import Corpus, Paragraph
from rag import segment
from rag.compose import mark
from rag.structure import Structure, to_citation
from rag.text import asked_words
from rag.types import Citation

# Words that name a part of the document, not something a paragraph says.
_PART_WORDS = {"序言", "执行", "部分", "段落", "脚注", "决议", "大会"}
MIN_NAME = 6
_SYMBOL = re.compile(r"\d{1,3}/\d{1,4}")  # a resolution's number as the text writes it ("N/M")


class Describer:
    def __init__(self, corpus: Corpus, structure: Structure) -> None:
        self.corpus = corpus
        self.st = structure

    def elsewhere(self, question: str, pid: str, lang: str, unit: str | None = None, relation: bool = False
                  ) -> tuple[str, list[Citation]] | None:
        """One cited line from the paragraph that describes what `pid` names, or None. Asked how `pid`
        relates to a document it names by symbol ("第10段和第N/M号决议是什么关系"), the paragraph that
        names that document for itself is the other side of the relation."""
        p = self.corpus.get(pid)
        if p is None or p.kind not in ("preamble", "operative"):
            return None
        words = asked_words(question)
        # What it asks of the thing: its nouns and verbs, not adverbs such as 其中/特别.
        asked = {w.word for w in segment.cut_tagged(question) if w.flag[:1] in ("n", "v")}
        missing = [w for w in words if w not in p.text and w not in _PART_WORDS and w in asked]
        symbols = [m for m in _SYMBOL.findall(question) if m in p.text] if relation else []
        if not missing and not unit and not symbols:
            return None
        for name in symbols + self._names_in(p, [w for w in words if w in p.text]):
            for other in self.st.paragraphs():
                i = other.text.find(name)
                if other.id == pid or i < 0 or (unit and other.kind != unit):
                    continue
                sentence = self.st.sentence_around(other.id, i)
                if unit or name in symbols or any(w in sentence.text for w in missing):
                    c = to_citation(self.corpus, sentence)
                    lead = (f"{other.label_zh}也提到它：" if lang == "zh"
                            else f"{self.corpus.label(other.id, lang, capital=True)} names it too: ")
                    return f"{lead}“{c.quote}”{mark(c, lang)}" + ("。" if lang == "zh" else "."), [c]
        return None

    def _names_in(self, p: Paragraph, heads: list[str]) -> list[str]:
        """Full names in `p` ending in one of the question's words, longest first."""
        found = {s.text.strip("《》“”") for h in heads for s in self.st.names(h) if s.pid == p.id}
        return sorted((n for n in found if len(n) >= MIN_NAME), key=len, reverse=True)
