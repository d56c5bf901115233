"""Answers about how parts of the text hang together, and about what things are called.

- what a back-reference points to ("这次会议" in one paragraph → the meeting another decides to convene;
  "这些文书" → the titles before it; "该报告" → the report named earlier; a bare "其" → the actor before it);
- how two paragraphs relate (the words they share, a back-reference from one to the other, a footnote and
  the words it is the source of);
- the name or title of a fund, plan, group, dialogue or of the resolution itself, as the text writes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index import Corpus
from rag.backref import DEMONSTRATIVE, BackRefs
from rag.compose import mark, title_line
from rag.strings import all_han, in_words, occurrences
from rag.structure import Span, Structure, name_start, to_citation
from rag.text import asked_words, content_of_question, normalize
from rag.types import Citation

_PRONOUN_Q = re.compile(r"[“‘「\"']\s*(其中|其|它们|它)\s*[”’」\"']|“?(其中|其|它们)”?(?:指|是指|指的是)")
_THEME = re.compile(r"主题|题为|题目|标题|\btheme\b|\btitled?\b", re.I)
_ALL_KINDS = ("preamble", "operative", "footnote")
_SYMBOLISH = re.compile(r"\d+/\d+|[A-Z]{1,6}/[A-Za-z0-9./]+")
_EXCEPT = re.compile(r"除了?(.+?)(?:之外|以外)|other than (.+?)(?:,|\?|$)", re.I)
# The resolution itself, however a question points at it ("这份决议", "本项决议", "this resolution").
_RESOLUTION_ITSELF = re.compile(
    r"(?:这份|这项|这个|这一|这|本项|本|该项|该|此项|此|整份|整个)?决议(?:本身)?|resolution", re.I)
_PURPOSE = re.compile(r"\s*[，,]\s*(?:以便|以期|旨在|从而|借以|为了|用以)")
MIN_SHARED = 3

Result = tuple[str, list[Citation]]


class Relater:
    def __init__(self, corpus: Corpus, structure: Structure) -> None:
        self.corpus = corpus
        self.st = structure
        self.refs = BackRefs(structure)

    # ---- back-references ---------------------------------------------------------------------------------
    def refers(self, question: str, referenced: list[str], lang: str) -> Result | None:
        """What the demonstratives or pronouns the question quotes point back to (each of them), or None."""
        results = [r for r in (self._demonstrative(m, question, referenced, lang)
                               for m in DEMONSTRATIVE.finditer(question)) if r]
        asked = _PRONOUN_Q.search(question)
        if asked and referenced:
            pronoun = self._pronoun(question, referenced[0], lang, asked.group(1) or asked.group(2))
            if pronoun:
                results.append(pronoun)
        if in_words(question, ("同上", " ibid")):  # "脚注2里的“同上”": the note it repeats the source of
            results += [self._points(*found, lang) for found in map(self.refs.ibid, referenced) if found]
        results = list({r[0]: r for r in results}.values())  # a phrase the question repeats is answered once
        if not results:
            return None
        return ("\n" if lang == "zh" else " ").join(r[0] for r in results), [c for r in results for c in r[1]]

    def _demonstrative(self, m: re.Match[str], question: str, referenced: list[str], lang: str) -> Result | None:
        head = self.refs.head_after(question, m.end())  # "这次会议": the noun after the demonstrative
        if not head:
            return None
        phrase = m.group() + head
        for at, h in self._demonstratives(referenced):
            if at.text == phrase:
                target = self.refs.antecedent(at, h)
                if target:
                    return self._points(at, target, lang)
        return None

    def _pronoun(self, question: str, pid: str, lang: str, pronoun: str = "其") -> Result | None:
        """A bare 其/它/它们: found inside the words the question quotes from the paragraph, else its first one."""
        p = self.corpus.get(pid)
        assert p is not None
        i = p.text.find(pronoun)
        for quoted in re.findall(r"[“‘「'\"]([^”’」'\"]{3,})[”’」'\"]", question):
            j = p.text.find(quoted)
            if j >= 0 and pronoun in quoted:
                i = j + quoted.index(pronoun)
        target = self.refs.entity_before(p.id, i) if i > 0 else None
        return self._points(self.st.span(p.id, i, i + len(pronoun)), target, lang) if target else None

    def footnote_sites(self, fids: list[str], lang: str) -> Result | None:
        """Where footnotes are cited: each citing paragraph's sentence around the mark, then the note."""
        lines, cites = [], []
        for fid in fids:
            fn = self.corpus.get(fid)
            if fn is None or fn.kind != "footnote":
                return None
            for citing in self.corpus.cited_by(fid):
                a = self.corpus.anchor(citing.id, fn.number)
                assert a is not None
                c = to_citation(self.corpus, self.st.sentence_around(citing.id, a.start))
                cites.append(c)
                lead = (f"{fn.label_zh}标注在{citing.label_zh}：" if lang == "zh"
                        else f"{fn.label_en} is cited in {citing.label_en}: ")
                lines.append(f"{lead}“{c.quote}”{mark(c, lang)}" + ("。" if lang == "zh" else "."))
            # What the note itself says: the source, document or treaty it gives is what it "refers to".
            note = to_citation(self.corpus, self.st.span(fid, 0, len(fn.text.rstrip())))
            cites.append(note)
            lead = f"{fn.label_zh}的内容：" if lang == "zh" else f"{fn.label_en} reads: "
            lines.append(f"{lead}“{note.quote}”{mark(note, lang)}" + ("。" if lang == "zh" else "."))
        for fid in fids:  # the document a note gives, where else the text names it
            for other in self._also_named(fid):
                c = to_citation(self.corpus, other)
                cites.append(c)
                p = self.corpus.get(other.pid)
                assert p is not None
                lead = f"{p.label_zh}也提到：" if lang == "zh" else f"{p.label_en} names it too: "
                lines.append(f"{lead}“{c.quote}”{mark(c, lang)}" + ("。" if lang == "zh" else "."))
        return ("\n" if lang == "zh" else " ").join(lines), cites

    def _also_named(self, fid: str) -> list[Span]:
        fn = self.corpus.get(fid)
        assert fn is not None
        out = []
        for key in _SYMBOLISH.findall(fn.text):
            for p in self.st.paragraphs():
                i = p.text.find(key)
                if i >= 0 and p.id not in fn.cited_by:
                    out.append(self.st.clause_around(p.id, i, i + len(key)))
        return out

    def _demonstratives(self, referenced: list[str]) -> list[tuple[Span, str]]:
        if referenced:
            return [x for pid in referenced for x in self.refs.demonstratives(pid)]
        return self.refs.demonstratives()

    def _points(self, at: Span, target: Span, lang: str) -> Result:
        where = self.st.clause_around(at.pid, at.start, at.end)
        target = self._with_purpose(target)
        a, b = to_citation(self.corpus, where), to_citation(self.corpus, target)
        pa, pb = self.corpus.get(a.id), self.corpus.get(b.id)
        assert pa is not None and pb is not None
        if lang == "zh":
            text = (f"{pa.label_zh}说：“{a.quote}”{mark(a, lang)}。\n"
                    f"其中“{at.text}”指{pb.label_zh}中的：“{b.quote}”{mark(b, lang)}。")
        else:
            text = (f"{self.corpus.label(pa.id, lang, capital=True)} says: “{a.quote}” {mark(a, lang)}. "
                    f"There, “{at.text}” refers to {pb.label_en}: “{b.quote}” {mark(b, lang)}.")
        return text, [a, b]

    def _with_purpose(self, span: Span) -> Span:
        """A thing pointed back to is described with the purpose the text states for it in the same sentence
        ("召开一次会议，以便评估…"): what it is for is part of which one it is."""
        p = self.corpus.get(span.pid)
        assert p is not None
        m = _PURPOSE.match(p.text, span.end)
        if not m:
            return span
        ends = [e for e in (p.text.find(x, m.end()) for x in "，；。") if e >= 0]
        return self.st.span(span.pid, span.start, min(ends) if ends else len(p.text.rstrip()))

    # ---- two paragraphs ----------------------------------------------------------------------------------
    def relate(self, pids: list[str], lang: str) -> Result | None:
        """How two referenced paragraphs relate: a back-reference or footnote link first, else shared words."""
        if len(pids) < 2:
            return None
        notes = [self.corpus.get(f) for f in pids[1:]]
        if len(notes) > 1 and all(n is not None and n.kind == "footnote" and pids[0] in n.cited_by for n in notes):
            # "第3段…脚注15、16、17分别指向哪一卷": each note with the words of the paragraph it is the source of.
            each = [self._footnote_of(pids[0], f, lang) for f in pids[1:]]
            return ("\n" if lang == "zh" else " ").join(t for t, _ in each), [c for _, cs in each for c in cs]
        a, b = (self.corpus.get(pids[0]), self.corpus.get(pids[1]))
        assert a is not None and b is not None
        for first, second in ((a, b), (b, a)):
            for at, head in self.refs.demonstratives(second.id) if second.kind != "footnote" else []:
                target = self.refs.antecedent(at, head)
                if target and target.pid == first.id:
                    return self._points(at, target, lang)
            if second.kind == "footnote" and first.id in second.cited_by:
                return self._footnote_of(first.id, second.id, lang)
        shared = _shared_words(a.text, b.text)
        if not shared:
            return None
        spans = [self.st.mentions(shared[0], kinds=(p.kind,), scope=None) for p in (a, b)]
        quotes = [next((s for s in group if s.pid == p.id), None) for group, p in zip(spans, (a, b), strict=True)]
        if not all(quotes):
            return None
        cites = [to_citation(self.corpus, q) for q in quotes if q]
        words = "”“".join(shared)
        if lang == "zh":
            lines = [f"{self.corpus.get(c.id).label_zh}：“{c.quote}”{mark(c, lang)}。" for c in cites]  # type: ignore[union-attr]
            lines.append(f"两段都提到“{words}”" + "".join(mark(c, lang) for c in cites) + "。")
        else:
            lines = [f"{self.corpus.get(c.id).label_en}: “{c.quote}” {mark(c, lang)}." for c in cites]  # type: ignore[union-attr]
            lines.append(f"Both use the words “{words}” " + " ".join(mark(c, lang) for c in cites) + ".")
        return ("\n" if lang == "zh" else " ").join(lines), cites

    def _footnote_of(self, pid: str, fid: str, lang: str) -> Result:
        p, fn = self.corpus.get(pid), self.corpus.get(fid)
        assert p is not None and fn is not None
        anchor = self.corpus.anchor(p.id, fn.number)
        assert anchor is not None
        a = to_citation(self.corpus, self.st.source_words(p.id, anchor.start, anchor.end))
        b = to_citation(self.corpus, Span(fn.id, 0, len(fn.text.rstrip()), fn.text.rstrip()))
        if lang == "zh":
            text = (f"{fn.label_zh}是{p.label_zh}的脚注，注明“{a.quote}”{mark(a, lang)}的出处："
                    f"“{b.quote}”{mark(b, lang)}。")
        else:
            text = (f"{self.corpus.label(fn.id, lang, capital=True)} is the source note of {p.label_en} "
                    f"for “{a.quote}” {mark(a, lang)}: “{b.quote}” {mark(b, lang)}.")
        return text, [a, b]

    # ---- names -----------------------------------------------------------------------------------------------
    def name(self, question: str, lang: str, focus: list[str], near: Sequence[str] = (),
             within: Sequence[str] = ()) -> Result | None:
        """The name of what the question points at, as written: the longest full forms that hold every
        word the question uses for it (a 《》 title, a quoted name, or a name read back from its head noun).
        `within`: the footnotes the question names ("脚注10提到的报告"): the name is a title one gives."""
        other = _EXCEPT.search(question)
        asked = _EXCEPT.sub(" ", question) if other else question
        wanted = self.wanted(asked, focus)
        if within:  # its titles holding the thing's head word, else its names ending in it; none: not named there
            titles = [s for s in self.st.titles(_ALL_KINDS) if s.pid in within and wanted and wanted[-1] in s.text]
            spans = titles or [s for s in self.full_names(wanted) if s.pid in within]
            return self._named(spans[:3], lang) if spans else None
        if not wanted or all(_RESOLUTION_ITSELF.fullmatch(w) or _THEME.fullmatch(w) for w in wanted):
            return self._resolution_title(lang)
        for w in content_of_question(asked).split() + wanted:
            w = w.strip("？?。，,“”‘’「」\"' ")  # "“某署”全称": the quoted short form, or the end of a phrase
            full = next((f for f in map(self.expanded, (w[i:] for i in range(max(1, len(w) - 1)))) if f), None)
            if full:
                return self._named([full], lang)
        if _THEME.search(question):
            # The paragraph holding most of the question's words; its quoted theme next to one of them.
            best = max(self.st.paragraphs(), key=lambda p: sum(w in p.text for w in wanted))
            themed = [self.st.themed_quote(best.id, w) for w in reversed(wanted) if w in best.text]
            spans = [s for s in themed if s]
            if spans:
                return self._named(spans[:1], lang)
        # A name is as the text writes it: a word the text never uses ("中文全称") cannot be part of it.
        names = self.full_names([w for w in wanted if self.st.known(w)] or wanted)
        if not names:
            # Described rather than named ("让大家捐钱的那个基金"): names with the head noun that stand in the
            # paragraphs retrieval found for the question, best first.
            by_head = self.full_names(wanted[-1:])
            names = [s for pid in near for s in by_head if s.pid == pid] or by_head
        if other:  # "除了…基金之外，还有哪个": not the one it names
            said = self.wanted(other.group(1) or other.group(2), [])
            names = [s for s in names if not all(w in s.text for w in said)]
        return self._named(names[:3], lang) if names else None

    def expanded(self, abbreviation: str) -> Span | None:
        """The full name an abbreviation stands for, where the text gives it in brackets: "…某某署(某署)"."""
        for p in self.st.paragraphs():
            for at in occurrences(abbreviation, p.text):
                end = at + len(abbreviation)
                if not (at and p.text[at - 1] in "(（" and p.text[end : end + 1] in (")", "）")):
                    continue
                start = name_start(p.text, at - 1)
                if start < at - 1:
                    return self.st.span(p.id, start, at - 1)
        return None

    def wanted(self, question: str, focus: list[str]) -> list[str]:
        """The words a question uses for the thing it asks about (its content tokens, in order)."""
        return asked_words(question) or focus

    def full_names(self, wanted: list[str]) -> list[Span]:
        """Distinct full names ending in the last wanted word and holding all of them, longest first (one
        span per name: where it first stands in its longest form)."""
        if not wanted:
            return []
        names = [s for s in self.st.names(wanted[-1]) if all(w in s.text for w in wanted)]
        longest: dict[str, Span] = {}
        for s in sorted(names, key=lambda s: -len(s.text.strip("《》“”"))):
            bare = s.text.strip("《》“”")
            if not any(bare in k for k in longest):
                longest[bare] = s
        return list(longest.values())

    def _named(self, spans: list[Span], lang: str) -> Result:
        cites = [to_citation(self.corpus, s) for s in spans]
        lines = [f"名称为：“{c.quote}”{mark(c, lang)}。" if lang == "zh" else
                 f"The name as written: “{c.quote}” {mark(c, lang)}." for c in cites]
        return ("\n" if lang == "zh" else " ").join(lines), cites

    def _resolution_title(self, lang: str) -> Result | None:
        line = title_line(self.corpus)
        return self._named([self.st.span("HEADER", *line)], lang) if line else None


def _shared_words(a: str, b: str) -> list[str]:
    """Runs of at least three CJK characters that both paragraphs use, longest first, none inside another."""
    na, nb = normalize(a), normalize(b)
    runs: set[str] = set()
    for i in range(len(na)):
        j = i + MIN_SHARED
        while j <= len(na) and all_han(na[i:j]) and na[i:j] in nb:
            j += 1
        if j - 1 - i >= MIN_SHARED:
            runs.add(na[i : j - 1])
    out: list[str] = []
    for r in sorted(runs, key=lambda r: (-len(r), na.index(r))):  # ties in text order: the same every run
        if not any(r in o for o in out):
            out.append(r)
    return out[:3]
