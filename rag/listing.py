"""Answers that gather from the whole document: lists (by drafting verb, by addressee, by a term, by a class
of named things), counts (of the document's parts or of a list's items) and structured summaries.

Each line quotes the document at verified offsets and carries its paragraph's mark; lines come in document
order, and a header says how many there are (a fact of the structure, so it carries no quote).
"""

from __future__ import annotations

from dataclasses import dataclass

from index import Corpus
from rag.focus import focus_terms, term_at
from rag.intent import DIRECTIVE, Intent
from rag.structure import Span, Structure
from rag.text import normalize

COMMON = 0.4  # a term in more than this share of the paragraphs does not narrow a list
NEAR = 80  # characters before an instance where a qualifying word may stand


@dataclass(frozen=True)
class Gathered:
    """What a gathering answer found: its lines (each a group of spans) and how to head them."""

    lines: tuple[tuple[Span, ...], ...]
    what: str  # "paragraphs" or a class name
    reason: str  # how the lines were found (shown in signals)


class Gatherer:
    def __init__(self, corpus: Corpus, structure: Structure) -> None:
        self.corpus = corpus
        self.st = structure
        self._text = " ".join(p.text for p in corpus.paragraphs)
        self._flat = normalize(self._text)

    def focus(self, question: str, lang: str) -> list[str]:
        return focus_terms(question, lang, self._text, self.corpus)

    def known(self, term: str) -> bool:
        return normalize(term) in self._flat

    # ---- what to gather ------------------------------------------------------------------------------------
    def gather(self, intent: Intent, focus: list[str], referenced: list[str] | None = None) -> Gathered | None:
        """The lines a list (or a count of one) is made of; None when the question names nothing to gather
        by; no lines when it does and the document has none."""
        scope = intent.unit if intent.unit in ("preamble", "operative") else None
        verbs = intent.verbs or (DIRECTIVE if intent.directive else ())
        if intent.klass:
            found = self._of_class(intent.klass, focus, verbs, intent.unit)
            if found and referenced:  # "how many rapporteurs are listed in OP4": those in OP4 (or its notes)
                notes = {fn.id for pid in referenced for fn in self.corpus.footnotes_of(pid)}
                keep = set(referenced) | notes
                found = Gathered(tuple(ln for ln in found.lines if ln[0].pid in keep), found.what, found.reason)
            return found
        if focus and not all(self.known(t) for t in focus):
            return None
        if verbs and focus:
            # Every addressee the question names ("秘书长和会员国"), narrowed by its other words
            by = {term: spans for term in focus if (spans := self.st.addressed(verbs, term, scope))}
            if by:
                asked = self._about(_unique_spans([s for spans in by.values() for s in spans]),
                                    [f for f in focus if f not in by])
                return Gathered(_by_paragraph(asked, self.corpus), "paragraphs", "addressee:" + "+".join(by))
            lines = self._mentions(focus, scope, intent.verbs)
            return Gathered(lines, "paragraphs", "mentions") if lines else None
        if verbs:
            spans = [s for s, _ in self.st.verb_clauses(verbs, scope)]
            return Gathered(_by_paragraph(spans, self.corpus), "paragraphs", "verb:" + "/".join(verbs))
        if focus:
            lines = self._mentions(focus, scope)
            return Gathered(lines, "paragraphs", "mentions") if lines else None
        return None

    def rarest(self, focus: list[str]) -> str:
        """The focus term the fewest paragraphs hold: the most specific word of a theme."""
        return min(focus, key=lambda t: sum(term_at(p.text, t) >= 0 for p in self.st.paragraphs()))

    def _about(self, spans: list[Span], topics: list[str]) -> list[Span]:
        """"秘书长被请在报告中专列一节…": of what is asked of someone, what holds most of the question's
        other words (not other addressees); all of it when none does."""
        held = [sum(t in self._sentence(s) for t in topics) for s in spans]
        most = max(held, default=0)
        return [s for s, n in zip(spans, held, strict=True) if n == most] if most else spans

    def _mentions(self, focus: list[str], scope: str | None,
                  verbs: tuple[str, ...] = ()) -> tuple[tuple[Span, ...], ...]:
        """Paragraphs with a sentence holding every focus term that narrows anything (a term in most
        paragraphs, like the topic word of the whole text, does not) and one of the verbs named, if any: the
        clauses around the rarest term."""
        paras = self.st.paragraphs()
        share = {t: sum(term_at(p.text, t) >= 0 for p in paras) / len(paras) for t in focus}
        focus = [t for t in focus if share[t] <= COMMON] or focus
        rare = min(focus, key=lambda t: share[t])
        lines = []
        for p in self.st.paragraphs(scope):
            spans = [self.st.sentence_around(p.id, a + term_at(p.text[a:b], rare)) for a, b in _sentences(p.text)
                     if all(term_at(p.text[a:b], t) >= 0 for t in focus) and
                     (not verbs or any(v in p.text[a:b] for v in verbs))]
            if spans:
                lines.append(tuple(spans))
        return tuple(lines)

    def _of_class(self, klasses: str, focus: list[str], verbs: tuple[str, ...],
                  scope: str | None = None) -> Gathered | None:
        """Instances of one or more classes ("决议+文件+报告员"), qualified by the question's other words and
        by a drafting verb it names ("which treaties does it urge States to ratify": those under 敦促)."""
        lines: list[tuple[Span, ...]] = []
        for klass in klasses.split("+"):
            lines += self._class_lines(klass, focus, verbs, scope)
        if not lines:
            return None  # a class the text names no instances of (countries): the fact path decides
        return Gathered(tuple(lines), klasses.split("+")[0] if "+" not in klasses else "项目", "class:" + klasses)

    def _near_line(self, spans: list[Span], focus: list[str]) -> list[Span]:
        """`_near` for document symbols, whose qualifier stands where the footnote is cited."""
        def cited(s: Span, f: str) -> bool:
            line = self._symbol_line(s)
            return any(f in self._sentence(x) for x in line)
        kept = [s for s in spans if any(cited(s, f) for f in focus if _qualifies(spans, f, cited))]
        return kept or spans

    def _class_lines(self, klass: str, focus: list[str], verbs: tuple[str, ...],
                     scope: str | None = None) -> list[tuple[Span, ...]]:
        if klass in ("公约", "议定书", "文书"):
            ends = {"公约": ("公约",), "议定书": ("议定书",), "文书": ("公约", "议定书")}[klass]
            titles = [t for t in self.st.titles() if _inner(t.text).endswith(ends)]
            titles = [t for t in titles if not _short_form(t, titles, self.corpus)]
            return list(self._named_lines([self._dated(t) for t in self._near(self._under(titles, verbs), focus)]))
        if klass == "决议":
            return [(s,) for s in self._near(self.st.resolutions(), focus)]
        if klass == "文件":
            symbols = [s for s in self.st.symbols() if scope != "footnote" or s.pid.startswith("FN")]
            firsts = list({s.pid: s for s in reversed(symbols)}.values())[::-1]
            lines = [self._symbol_line(s) for s in self._near_line(firsts, focus)]
            return self._in_part(lines, scope, verbs)
        if klass == "报告员":
            # One line per mandate, named in full (a paragraph may list five), in document order.
            titled = self._near(self.st.names("特别报告员") + self.st.names("特别代表"), focus)
            named = [s for group in _by_paragraph(titled, self.corpus) for s in group]
            full = [s for s in named if s.text not in ("特别报告员", "特别代表")]
            return [(s,) for s in full or named]
        return []

    def _in_part(self, lines: list[tuple[Span, ...]], scope: str | None,
                 verbs: tuple[str, ...]) -> list[tuple[Span, ...]]:
        """Document lines (a symbol, where it is cited) in the part the question names ("序言里…哪些报告") and
        cited under a verb it names ("注意到或欢迎了哪些报告"); all of them when none is."""
        def kind(x: Span) -> str:
            return getattr(self.corpus.get(x.pid), "kind", "")
        if scope in ("preamble", "operative"):
            lines = [ln for ln in lines if any(kind(x) == scope for x in ln)] or lines
        if verbs:
            lines = [ln for ln in lines if any(v in self._sentence(x) for x in ln if kind(x) != "footnote"
                                               for v in verbs)] or lines
        return lines

    def _dated(self, title: Span) -> Span:
        """A title with the year the text writes right before it ("1930 年《某公约》"): how it is cited."""
        p = self.corpus.get(title.pid)
        assert p is not None
        lo = max(0, title.start - 8)
        before = p.text[lo : title.start].rstrip()  # "1930 年", spaces allowed
        year = before.removesuffix("年").rstrip()
        if not before.endswith("年") or len(year) < 4 or not year[-4:].isdecimal():
            return title
        return self.st.span(title.pid, lo + len(year) - 4, title.end)

    def _sentence(self, span: Span) -> str:
        return self.st.sentence_around(span.pid, span.start, max_chars=10_000).text

    def _under(self, spans: list[Span], verbs: tuple[str, ...]) -> list[Span]:
        """Instances standing in a sentence opened by one of `verbs` (all, when no verb is named)."""
        if not verbs:
            return spans
        kept = [s for s in spans if any(v in self._sentence(s) for v in verbs)]
        return kept or spans

    def _near(self, spans: list[Span], focus: list[str]) -> list[Span]:
        """Instances the question's other words qualify ("某组织的公约", "某理事会的决议"): the word
        stands in the instance or shortly before it; failing that, in its sentence. A word that qualifies
        most instances ("联合国文件") or none is no qualifier: then all."""
        def before(s: Span, f: str) -> bool:
            p = self.corpus.get(s.pid)
            assert p is not None
            return f in s.text or f in p.text[max(0, s.start - NEAR) : s.start]
        for test in (before, lambda s, f: f in self._sentence(s)):
            kept = [s for s in spans if any(test(s, f) for f in focus if _qualifies(spans, f, test))]
            if kept:
                return kept
        return spans

    def _named_lines(self, titles: list[Span]) -> tuple[tuple[Span, ...], ...]:
        """One line per distinct title: every paragraph it stands in, then the footnote giving its source."""
        order: dict[str, list[Span]] = {}
        for t in titles:
            order.setdefault(t.text, []).append(t)
        lines = []
        for spans in order.values():
            line = [next(s for s in spans if s.pid == pid) for pid in dict.fromkeys(s.pid for s in spans)]
            fn = self._source_note(spans)
            lines.append(tuple(line + ([fn] if fn else [])))
        return tuple(lines)

    def _source_note(self, spans: list[Span]) -> Span | None:
        for s in spans:
            p = self.corpus.get(s.pid)
            assert p is not None
            for a in self.corpus.anchors(p.id):
                if a.start <= s.start and s.end <= a.end + 1:
                    fn = self.corpus.footnote(a.footnote)
                    if fn:
                        return Span(fn.id, 0, len(fn.text.rstrip()), fn.text.rstrip())
        return None

    def _symbol_line(self, s: Span) -> tuple[Span, ...]:
        """A footnote's symbols (its whole text, as it gives them), and the words it is the source of — from
        the start of their sentence when that stays short; a symbol in the text itself, as it stands."""
        p = self.corpus.get(s.pid)
        assert p is not None
        if p.kind != "footnote":
            return (s,)
        note = Span(p.id, 0, len(p.text.rstrip().rstrip("。")), p.text.rstrip().rstrip("。"))
        cited_at = self.corpus.footnote_anchors(p.id)
        if not cited_at:
            return (note,)
        return (note, self.st.source_words(cited_at[0].pid, cited_at[0].start, cited_at[0].end))


def _unique_spans(spans: list[Span]) -> list[Span]:
    return list({(s.pid, s.start, s.end): s for s in spans}.values())


def _by_paragraph(spans: list[Span], corpus: Corpus) -> tuple[tuple[Span, ...], ...]:
    order = {p.id: i for i, p in enumerate(corpus.paragraphs)}
    groups: dict[str, list[Span]] = {}
    for s in sorted(spans, key=lambda s: (order[s.pid], s.start)):
        groups.setdefault(s.pid, []).append(s)
    return tuple(tuple(g) for g in groups.values())


def _sentences(text: str) -> list[tuple[int, int]]:
    out, s = [], 0
    for i, ch in enumerate(text):
        if ch in "；。":
            out.append((s, i + 1))
            s = i + 1
    return out + [(s, len(text))]


def _qualifies(spans: list[Span], f: str, test: object) -> bool:
    """A qualifier picks out at most half of the instances ("联合国文件" qualifies none of them: all are)."""
    hits = sum(bool(test(s, f)) for s in spans)  # type: ignore[operator]
    return 0 < hits <= len(spans) / 2 or len(spans) == 1


def _inner(title: str) -> str:
    """A title's words without its brackets and trailing number: 《某公约》(第 29 号) → 某公约."""
    return title[1 : title.index("》")]


def _short_form(t: Span, titles: list[Span], corpus: Corpus) -> bool:
    """《公约》, 《行动计划》: a short back-reference to a title given in full earlier in the text."""
    order = {p.id: i for i, p in enumerate(corpus.paragraphs)}
    inner = _inner(t.text)
    return any(o.text != t.text and _inner(o.text).endswith(inner) and (order[o.pid], o.start) < (order[t.pid], t.start)
               for o in titles)
