"""The wording of gathering answers: a list's header and one line per paragraph (or per named thing), a count
of the document's parts with the last one quoted, and structured summaries (each line: the paragraph's
mark, its verb and the object of the verb, quoted).

Headers state counts, facts of the structure, so they carry no quote; every other line quotes the text at
verified offsets and carries its paragraph's mark.
"""

from __future__ import annotations

from index import Corpus
from rag.compose import en_lead, mark, title_line
from rag.intent import DIRECTIVE, VERB_WORDS
from rag.listing import Gathered
from rag.structure import Span, Structure, to_citation
from rag.types import Citation

_CLASS_EN = {"议定书": ("protocol", "protocols"), "公约": ("convention", "conventions"), "文书": ("treaty", "treaties"),
             "决议": ("resolution", "resolutions"), "文件": ("document", "documents"),
             "报告员": ("special rapporteur or representative", "special rapporteurs and representatives"),
             "国家": ("country", "countries")}
SUMMARY_CHARS = 120  # a summary line quotes a paragraph's verb and its object up to this long
MIN_RUN = 6  # shorter leftovers of a paragraph's summary ("以及", a footnote's tail) are not a line


class Outliner:
    def __init__(self, corpus: Corpus, structure: Structure) -> None:
        self.corpus = corpus
        self.st = structure

    def list_draft(self, g: Gathered, lang: str, counting: bool = False) -> tuple[str, list[Citation]]:
        n = len(g.lines)
        if lang == "zh":
            if g.what == "paragraphs":
                head = f"决议中有 {n} 段与此有关（按文件顺序）："
            elif g.what == "项目":
                head = f"决议中找到 {n} 项（按文件顺序）："
            else:
                what = "特别报告员和特别代表" if g.what == "报告员" else g.what
                head = f"决议提到的{what}共有 {n} 项（按首次出现的顺序）："
        else:
            one = n == 1  # "1 document is named", not "1 documents are"
            if g.what == "paragraphs":
                what = "paragraph of the resolution bears" if one else "paragraphs of the resolution bear"
                what += " on this"
            else:
                noun = _CLASS_EN.get(g.what, ("item", "items"))[0 if one else 1]
                what = f"{noun} {'is' if one else 'are'} named in the resolution"
            head = f"{n} {what}, in document order:"
        return self._lines(head, g.lines, lang)

    def _lines(self, head: str, lines: tuple[tuple[Span, ...], ...], lang: str) -> tuple[str, list[Citation]]:
        out, cites = [head], []
        for spans in lines:
            cs = [to_citation(self.corpus, s) for s in spans]
            cites += cs
            out.append(_line(cs, self.corpus, lang))
        return "\n".join(out), cites

    def counted(self, spans: list[Span], lang: str) -> tuple[str, list[Citation]]:
        """A count of distinct names, each name a line."""
        head = f"决议中共有 {len(spans)} 个：" if lang == "zh" else f"The resolution names {len(spans)}:"
        return self._lines(head, tuple((s,) for s in spans), lang)

    def enumerated(self, span: Span, n: int, lang: str) -> tuple[str, list[Citation]]:
        """A count of the items one sentence lists, with that list quoted."""
        c = to_citation(self.corpus, span)
        if lang == "zh":
            return f"其中列出 {n} 项。\n原文：“{c.quote}”{mark(c, lang)}。", [c]
        return f"It lists {n}. The text: “{c.quote}” {mark(c, lang)}.", [c]

    def count_parts(self, unit: str, lang: str) -> tuple[str, list[Citation]]:
        """How many paragraphs/footnotes: the count from the parse, the last one quoted to show it."""
        counts = self.corpus.counts
        units = [unit] if unit in counts else ["preamble", "operative", "footnote"]
        texts, cites = [], []
        for u in units:
            last = [p for p in self.corpus.paragraphs if p.kind == u][-1]
            c = to_citation(self.corpus, self.st.opening(last, max_chars=40))
            cites.append(c)
            if lang == "zh":
                texts.append(f"决议{self.corpus.count_phrase(u, lang)}。")
                texts.append(f"最后一{self.corpus.measure_word(u)}是{last.label_zh}：“{c.quote}”{mark(c, lang)}。")
            else:
                texts.append(f"The resolution has {self.corpus.count_phrase(u, lang)}.")
                texts.append(f"The last is {last.label_en}: “{c.quote}” {mark(c, lang)}.")
        return ("\n" if lang == "zh" else " ").join(texts), cites

    def summary(self, unit: str, lang: str, referenced: list[str]) -> tuple[str, list[Citation]]:
        """A structured summary: one line per paragraph (its verb and the object of the verb), or for one
        paragraph one line per clause that opens with a drafting verb."""
        if referenced:
            lines = tuple(self._verb_lines(pid) for pid in referenced)
            head = "要点：" if lang == "zh" else "In outline:"
            return self._lines(head, tuple(x for group in lines for x in group), lang)
        parts = [unit] if unit in ("preamble", "operative") else ["operative"]
        paras = [p for p in self.corpus.paragraphs if p.kind in parts]
        title = self._title(lang) if unit == "all" else ("", [])
        if unit == "all":
            name = self.corpus.part_name("operative", lang)
            head = f"{name}要点：" if lang == "zh" else f"What its {name} do:"
        else:
            name = self.corpus.part_name(parts[0], lang)
            head = (f"{name}共 {len(paras)} {self.corpus.measure_word(parts[0])}，要点如下：" if lang == "zh"
                    else f"The {name} ({len(paras)}), in outline:")
        text, cites = self._lines(head, tuple((self.st.object_of(p.id, _lead(p.text), SUMMARY_CHARS),)
                                              for p in paras), lang)
        return "\n".join(x for x in (title[0], text) if x), title[1] + cites

    def _title(self, lang: str) -> tuple[str, list[Citation]]:
        header = self.corpus.get("HEADER")
        assert header is not None
        line = title_line(self.corpus)
        if not line:
            return "", []
        c = to_citation(self.corpus, Span("HEADER", *line, header.text[line[0] : line[1]]))
        if lang == "zh":
            return f"本决议题为“{c.quote}”{mark(c, lang)}。\n{self.corpus.parts_phrase(lang)}。", [c]
        return f"The resolution is titled “{c.quote}” {mark(c, lang)}. It has {self.corpus.parts_phrase(lang)}.", [c]

    def _verb_lines(self, pid: str) -> list[tuple[Span, ...]]:
        p = self.corpus.get(pid)
        assert p is not None
        found = [s for s, _ in self.st.verb_clauses(tuple(v for v, _ in VERB_WORDS) + DIRECTIVE, None)
                 if s.pid == pid] if p.kind in ("preamble", "operative") else []
        if not found:
            return [(self.st.opening(p, max_chars=200),)]
        return [(s,) for s in sorted(found + self._uncovered(pid, found), key=lambda s: s.start)]

    def _uncovered(self, pid: str, found: list[Span]) -> list[Span]:
        """Runs of clauses no verb line quotes ("谴责…，并调查、起诉…，同时保护和援助…" inside a long 吁请
        sentence cut at its object): quoted too, so that a paragraph's summary leaves none of it out."""
        runs: list[list[int]] = []  # [start, end] of each run of uncovered clauses
        last_free = False
        for c in self.st.clauses[pid]:
            free = not any(c.start < s.end and s.start < c.end for s in found)
            if free and last_free and c.end - runs[-1][0] <= SUMMARY_CHARS:
                runs[-1][1] = c.end
            elif free:
                runs.append([c.start, c.end])
            last_free = free
        return [self.st.span(pid, a, b) for a, b in runs if b - a >= MIN_RUN]



def _line(cs: list[Citation], corpus: Corpus, lang: str) -> str:
    """"- “quote”【label】…": quotes of one paragraph share its mark; a footnote follows as the source."""
    parts = []
    i = 0
    while i < len(cs):
        j = i
        while j + 1 < len(cs) and cs[j + 1].id == cs[i].id:
            j += 1
        if j == i and i + 1 < len(cs) and cs[i + 1].quote == cs[i].quote:
            # The same words in several paragraphs (a title): quoted once, with every paragraph's mark.
            while j + 1 < len(cs) and cs[j + 1].quote == cs[i].quote:
                j += 1
            sep = "" if lang == "zh" else " "
            parts.append(f"“{cs[i].quote}”" + ("" if lang == "zh" else " ") +
                         sep.join(mark(c, lang) for c in cs[i : j + 1]))
            i = j + 1
            continue
        quotes = "；".join(f"“{c.quote}”" for c in cs[i : j + 1])
        p = corpus.get(cs[i].id)
        assert p is not None
        if lang == "zh":
            lead = "出处：" if p.kind == "footnote" and i else ""
            parts.append(f"{lead}{quotes}{mark(cs[i], lang)}")
        else:
            lead = "source: " if p.kind == "footnote" and i else f"{en_lead(p, cs[i].quote)}: "
            parts.append(f"{lead}{quotes} {mark(cs[i], lang)}")
        i = j + 1
    return "- " + ("，" if lang == "zh" else "; ").join(parts)


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


