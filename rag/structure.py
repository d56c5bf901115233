"""The document's structure as answerable facts: which clauses open with which drafting verb and whom they
address, where a term or a class of named things (《》 titles, document symbols, resolutions) stands, and
what a demonstrative ("这次会议", "该报告", "这些文书", "其") points back to.

Everything returns spans of paragraph text, so whatever an answer quotes from here is verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jieba

from index import Corpus, Paragraph, split_clauses
from index.verbs import base_verb, leading_verb
from rag import segment
from rag.strings import all_han, occurrences, split_on
from rag.types import Citation

_CONNECTIVE = re.compile(r"^(?:因此|并且|同时|此外还|此外|以及|而且)")
# A title, with the number a convention is known by when it follows: 《某公约》(第 29 号).
_TITLE = re.compile(r"《([^《》]{2,80})》(?:\s*[(（]第\s*\d+\s*号[)）])?")
_TITLE_WORDS = re.compile(r"^《|》.*$")  # a title's own words: no brackets, no "(第 29 号)"
_QUOTED = re.compile(r"“([^“”]{2,80})”")
_SYMBOL = re.compile(r"\b[A-Z]{1,6}(?:/[A-Za-z0-9.]+(?: \d+)?){1,6}")
_RESOLUTION = re.compile(r"第\s*[\d/、和\s]+?\s*号决议")
# Where a name stops when read leftwards from its head noun: punctuation, a particle, a preposition.
_NAME_STOPS = ("的", "以及", "向", "为", "在", "根据", "通过", "借助", "其", "与", "由", "对", "包括", "即", "又",
               "还", "并")
_PREDICATES = ("设立", "推出", "编写", "举行", "举办", "召开")
MIN_QUOTE, MAX_QUOTE = 24, 110
MAX_ANCHOR = 120  # what a footnote is the source of is quoted from its sentence's start up to this long
LONG_QUOTE = 200  # a list line may quote up to this much, to hold the whole object of its verb
ADDRESSEE_GAP = 2  # "邀请大会主席": a title this short may stand between a verb and its addressee
TEXT_KINDS = ("preamble", "operative")


@dataclass(frozen=True)
class Span:
    pid: str
    start: int
    end: int
    text: str


class Structure:
    """Structural look-ups over one parsed corpus (built once per Answerer)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.clauses = {p.id: split_clauses(p.id, p.text) for p in corpus.paragraphs}
        self._joined = "".join(p.text for p in corpus.paragraphs)

    def known(self, word: str) -> bool:
        """The text uses `word` somewhere (as written)."""
        return word in self._joined

    def paragraphs(self, scope: str | None = None, kinds: tuple[str, ...] = TEXT_KINDS) -> list[Paragraph]:
        wanted = (scope,) if scope in TEXT_KINDS else kinds
        return [p for p in self.corpus.paragraphs if p.kind in wanted]

    def span(self, pid: str, start: int, end: int) -> Span:
        p = self.corpus.get(pid)
        assert p is not None
        return Span(pid, start, end, p.text[start:end])

    # ---- quotes ----------------------------------------------------------------------------------------
    def quote_from(self, pid: str, pos: int, min_chars: int = MIN_QUOTE, max_chars: int = MAX_QUOTE) -> Span:
        """From `pos` to the end of its clause, grown by the clauses after it (same sentence) while short."""
        clauses = self.clauses[pid]
        i = next((k for k, c in enumerate(clauses) if c.start <= pos < c.end), None)
        if i is None:
            p = self.corpus.get(pid)
            assert p is not None
            return self.span(pid, pos, min(len(p.text.rstrip()), pos + max_chars))
        end = clauses[i].end
        j = i
        while end - pos < min_chars and j + 1 < len(clauses) and clauses[j + 1].sentence == clauses[i].sentence \
                and clauses[j + 1].end - pos <= max_chars:
            j += 1
            end = clauses[j].end
        return self.span(pid, pos, end)

    def clause_around(self, pid: str, start: int, end: int) -> Span:
        """The clause(s) holding text[start:end], grown like `quote_from`."""
        clauses = self.clauses[pid]
        first = next((c for c in clauses if c.start <= start < c.end), None)
        s = first.start if first else start
        q = self.quote_from(pid, s)
        return q if q.end >= end else self.span(pid, s, max(end, q.end))

    def opening(self, p: Paragraph, max_chars: int = 80) -> Span:
        """A paragraph's opening: its verb and the object of the verb (first clause, grown while short; a
        clause longer than `max_chars` is cut after the last list item or title that fits)."""
        start = len(p.text) - len(p.text.lstrip())
        span = self.quote_from(p.id, start, max_chars=max_chars)
        if span.end - span.start <= max_chars:
            return span
        window = p.text[start : start + max_chars]
        cut = max(window.rfind("、"), window.rfind("》") + 1, window.rfind("，"))
        return self.span(p.id, start, start + cut) if cut > MIN_QUOTE else span

    # ---- verbs and addressees -----------------------------------------------------------------------------
    def verb_clauses(self, verbs: tuple[str, ...], scope: str | None = None) -> list[tuple[Span, str]]:
        """Clauses that open (after a connective) with one of `verbs`: (span from the verb on, verb)."""
        out = []
        for p in self.paragraphs(scope):
            for c in self.clauses[p.id]:
                lead = _CONNECTIVE.sub("", c.text)
                verb = leading_verb(lead)
                if verb and any(verb.endswith(v) or base_verb(verb) == v for v in verbs):
                    out.append((self.object_of(p.id, c.start), verb))
        return out

    def addressed(self, verbs: tuple[str, ...], addressee: str, scope: str | None = None) -> list[Span]:
        """Clauses where one of `verbs` directs `addressee`: the addressee follows the verb directly, or at
        the end of a relative clause closed by 的/所有 ("敦促尚未批准…的会员国", "鼓励…在内的所有利益攸关方")."""
        out = []
        for p in self.paragraphs(scope):
            for v in verbs:
                for at in occurrences(v, p.text):
                    end = at + len(v)
                    j = p.text.find(addressee, end)
                    if j < 0:
                        continue
                    # "吁请" holds "请": the quote starts at the whole verb, never inside it.
                    start = at - 1 if at and leading_verb(p.text[at - 1 : end]) == p.text[at - 1 : end] else at
                    if _directs(p.text[end:j]):
                        out.append(self.object_of(p.id, _clause_start(self, p.id, start)))
        return _unique(out)

    def mentions(self, term: str, scope: str | None = None,
                 kinds: tuple[str, ...] = TEXT_KINDS) -> list[Span]:
        """The clause around each paragraph's first mention of `term`."""
        out = []
        for p in self.paragraphs(scope, kinds):
            i = p.text.find(term)
            if i >= 0:
                out.append(self.clause_around(p.id, i, i + len(term)))
        return out

    def sentence_around(self, pid: str, start: int, max_chars: int = LONG_QUOTE) -> Span:
        """The clauses of `start`'s sentence around it, grown to the right then the left while the quote
        stays within `max_chars` (the whole sentence when it is short enough)."""
        clauses = self.clauses[pid]
        i = next((k for k, c in enumerate(clauses) if c.start <= start < c.end), None)
        if i is None:
            return self.clause_around(pid, start, start + 1)
        lo = hi = i
        grown = True
        while grown:
            grown = False
            for j in (hi + 1, lo - 1):
                if 0 <= j < len(clauses) and clauses[j].sentence == clauses[i].sentence and \
                        max(clauses[hi].end, clauses[j].end) - min(clauses[lo].start, clauses[j].start) <= max_chars:
                    lo, hi, grown = min(lo, j), max(hi, j), True
                    break
        return self.span(pid, clauses[lo].start, clauses[hi].end)

    def source_words(self, pid: str, start: int, end: int) -> Span:
        """What a footnote is the source of (its anchor, text[start:end]), quoted from the start of the
        anchor's sentence when that stays within MAX_ANCHOR characters, else the anchor alone."""
        sentence = self.sentence_around(pid, start, max_chars=10_000)
        return self.span(pid, sentence.start if end - sentence.start <= MAX_ANCHOR else start, end)

    def object_of(self, pid: str, pos: int, max_chars: int = LONG_QUOTE) -> Span:
        """From a verb at `pos` to the end of what it governs: its sentence, up to the next clause that opens
        with a drafting verb of its own, within `max_chars`."""
        clauses = self.clauses[pid]
        i = next((k for k, c in enumerate(clauses) if c.start <= pos < c.end), None)
        if i is None:
            return self.quote_from(pid, pos)
        end = clauses[i].end
        for c in clauses[i + 1 :]:
            if c.sentence != clauses[i].sentence or leading_verb(_CONNECTIVE.sub("", c.text)) or \
                    c.end - pos > max_chars:
                break
            end = c.end
        return self.span(pid, pos, end)

    def enumeration(self, pid: str, near: str | None = None) -> tuple[Span, list[str]] | None:
        """The longest "、"-separated list in a paragraph (in the clause holding `near`, if given), and its
        items: the last split at 和/以及/及, items that only gesture at more ("其他…", "…等") left out."""
        p = self.corpus.get(pid)
        assert p is not None
        clauses = [c for c in self.clauses[pid] if near is None or near in c.text] or self.clauses[pid]
        best = max(clauses, key=lambda c: c.text.count("、"))
        if best.text.count("、") < 1:
            return None
        parts = best.text.split("、")
        parts[-1:] = split_on(parts[-1], ("和", "以及", "及"), maxsplit=1)
        items = [x.strip() for x in parts if x.strip() and not x.strip().startswith(("其他", "其它", "等"))]
        return self.span(pid, best.start, best.end), items

    # ---- named things -----------------------------------------------------------------------------------------
    def titles(self, kinds: tuple[str, ...] = TEXT_KINDS) -> list[Span]:
        """Every 《…》 title in document order (the brackets included, as the text writes them)."""
        return [self.span(p.id, m.start(), m.end()) for p in self.paragraphs(None, kinds)
                for m in _TITLE.finditer(p.text)]

    def symbols(self) -> list[Span]:
        """Document symbols (A/N/M, E/YYYY/N …) wherever they stand."""
        return [self.span(p.id, m.start(), m.end()) for p in self.corpus.paragraphs
                for m in _SYMBOL.finditer(p.text)]

    def resolutions(self) -> list[Span]:
        """Resolutions cited by number ("第 N/M 号决议"), in the text and the footnotes."""
        return [self.span(p.id, m.start(), m.end()) for p in self.corpus.paragraphs
                for m in _RESOLUTION.finditer(p.text)]

    def names(self, head: str) -> list[Span]:
        """Full names ending in `head` ("…自愿基金"), read leftwards to where the name begins; titles
        whose words end in `head` and quoted names that contain it, as they stand."""
        out = [s for s in self.titles(TEXT_KINDS) if _TITLE_WORDS.sub("", s.text).endswith(head)]
        for p in self.paragraphs():
            for m in _QUOTED.finditer(p.text):
                if head in m.group(1):
                    out.append(self.span(p.id, m.start(), m.end()))
            for at in occurrences(head, p.text):
                end = at + len(head)
                nxt = p.text[end : end + 1]
                if nxt and (jieba.dt.FREQ.get(head[-2:] + nxt) or jieba.dt.FREQ.get(head[-1] + nxt)):
                    continue  # "基金" inside "基金会": part of a longer word, not this head
                out.append(self.span(p.id, name_start(p.text, end), end))
        return _unique(out)

    def themed_quote(self, pid: str, head: str) -> Span | None:
        """A quoted phrase (“…”) standing in the same clause as `head`: a dialogue's theme, a report's title."""
        p = self.corpus.get(pid)
        assert p is not None
        i = p.text.find(head)
        if i < 0:
            return None
        clause = self.clause_around(pid, i, i + len(head))
        m = _QUOTED.search(clause.text)
        return self.span(pid, clause.start + m.start(1), clause.start + m.end(1)) if m else None

def _directs(gap: str) -> bool:
    """What stands between a verb and an addressee it directs: nothing much, or a relative clause."""
    closes = gap.rstrip().endswith(("的", "所有", "各"))
    return len(gap.strip()) <= ADDRESSEE_GAP or (closes and "，" not in gap and "；" not in gap and len(gap) <= 200)


def _clause_start(st: Structure, pid: str, pos: int) -> int:
    """Start a quote at the connective before a verb ("并请…", "同时邀请…") when the clause has one."""
    for c in st.clauses[pid]:
        if c.start <= pos < c.end and _CONNECTIVE.match(c.text) and pos - c.start <= 4:
            return c.start
    return pos


def name_start(text: str, end: int, floor: int = 0) -> int:
    """Read leftwards, whole jieba tokens at a time, from `end` to where the name begins: a punctuation
    mark, a particle or preposition (的/以及/向/根据 …), or a drafting verb ("确认", "欢迎")."""
    lo = max(floor, end - 60)
    tokens = segment.cut(text[lo:end])
    i = end
    for tok in reversed(tokens):
        if not all_han(tok, also="-–") or tok in _NAME_STOPS or tok in _PREDICATES \
                or leading_verb(tok) == tok:
            break
        i -= len(tok)
    while (verb := leading_verb(text[i:end])) and len(verb) < end - i:
        i += len(verb)  # "赞赏地注意到某理事会…特别报告员": the verb before a name is not part of it
    i = _coordinated(text, i, end)
    # "关于甲、乙及类似丙的全球数据库": a 关于…的 modifier is part of the name.
    about = text.rfind("关于", lo, i)
    if i > lo and text[i - 1] == "的" and about >= 0 and not any(ch in "，；。,;此该这其" for ch in text[about:i]):
        return about
    return i


def _coordinated(text: str, i: int, end: int) -> int:
    """"买卖儿童、儿童卖淫和儿童色情制品问题特别报告员": a short modifier before 、 that shares a word with
    the conjoined name after it is coordinated with that name's modifier, not a name of its own."""
    while i > 1 and text[i - 1] == "、":
        parts = split_on(text[max(0, i - 10) : i - 1], "、，；。：,;")
        seg, words = parts[-1], segment.cut(parts[-1])
        joined = any(w in text[i:end] for w in "和及与")  # the name after 、 ends a series: "…、B和C问题报告员"
        if not words or (len(parts) == 1 and i > 10) or not joined or words[-1] not in text[i:end]:
            break
        i -= len(seg) + 1
    return i


def _unique(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in spans:
        if not any(s.pid == o.pid and s.start < o.end and o.start < s.end for o in out):
            out.append(s)
    return out


def to_citation(corpus: Corpus, span: Span) -> Citation:
    """The verified-shape citation of a span (its quote is the paragraph's text at the span's offsets)."""
    p = corpus.get(span.pid)
    assert p is not None
    return Citation(p.id, p.label_zh, p.label_en, p.text[span.start : span.end], span.start, span.end)
