"""Answers that gather from the whole document: lists (by drafting verb, by addressee, by a term, by a class
of named things), counts (of the document's parts or of a list's items) and structured summaries.

Each line quotes the document at verified offsets and carries its paragraph's mark; lines come in document
order, and a header says how many there are (a fact of the structure, so it carries no quote).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jieba.posseg as pseg

from index import Corpus
from index.verbs import leading_verb
from rag.glossary import chinese_terms
from rag.intent import CLASSES, DIRECTIVE, VERB_WORDS, Intent
from rag.structure import Span, Structure
from rag.text import is_question_word, normalize

# Words that shape a list question without naming what it is about.
_FILLER = {"段落", "提到", "提及", "内容", "事项", "方面", "措施", "列出", "列举", "所有", "全部", "各项", "逐一",
           "点名", "事情", "东西", "工作", "任务", "要求", "请求", "做", "要做", "部分", "执行", "序言", "总结", "概括",
           "概述", "归纳", "要点", "摘要", "大意", "主要", "有何", "哪几", "被", "被要", "一些", "几", "那些", "这些",
           "文件", "文书", "报告", "名称", "名字", "援引", "引用", "多少", "数量", "数目", "共有", "几项", "几个",
           "大会", "决议", "本决议", "地方", "哪里", "位置", "情况", "语境", "背景", "作用", "角色", "对象", "具体",
           "行动", "事",
           # words about the text's own wording ("用了“敦促”这个动词"): what it says is the topic, not them
           "动词", "词", "词语", "字眼", "措辞", "用语", "说法", "表述", "字样",
           # when, relative to now ("以往的决议"): a qualifier, not a topic the text must hold
           "以往", "以前", "此前", "过去", "先前", "之前", "早先", "往年"}
COMMON = 0.4  # a term in more than this share of the paragraphs does not narrow a list
NEAR = 80  # characters before an instance where a qualifying word may stand
# Parts of speech that do not name what a list is about: verbs, adverbs, prepositions, conjunctions,
# particles, pronouns, numerals, measure words, locatives, adjectives.
_NOT_TOPICS = set("vdpcurmqfa")
_JOINABLE = re.compile(r"[\u4e00-\u9fff]{3,12}")


@dataclass(frozen=True)
class Gathered:
    """What a gathering answer found: its lines (each a group of spans) and how to head them."""

    lines: tuple[tuple[Span, ...], ...]
    what: str  # "paragraphs" or a class name
    reason: str  # how the lines were found (shown in signals)


def focus_terms(question: str, lang: str, text: str) -> list[str]:
    """The words a list is about: content tokens that are not asking words, drafting verbs, class names
    or other verbs — adjacent tokens the text writes as one ("大会"+"主席") kept as one."""
    verb_words = {w for _, words in VERB_WORDS for w in words} | {v for v, _ in VERB_WORDS}
    if lang == "en":
        tokens = [(t, "n") for t in chinese_terms(question)]
    else:
        tokens = _merged(question, text)
    out = []
    for t, flag in tokens:
        if len(t) < 2 or t in _FILLER or t in verb_words or any(re.fullmatch(p, t, re.I) for _, p in CLASSES):
            continue
        if not re.search(r"[\u4e00-\u9fff]", t) or flag[:1] in _NOT_TOPICS or leading_verb(t) == t:
            continue
        out.append(t)
    return list(dict.fromkeys(out))


def _merged(question: str, text: str) -> list[tuple[str, str]]:
    """jieba tokens (with part of speech) of the question's content, neighbours joined when the text has
    them joined and the join is a name ("大会主席", "联合国儿童基金会")."""
    words = [(w.word, w.flag) for w in pseg.cut(question) if w.word.strip()]
    out: list[tuple[str, str]] = []
    for word, flag in words:
        joined = out[-1][0] + word if out else ""
        # Only a token the question's asking words would drop ("大会") is joined to its neighbour.
        if out and len(out[-1][0]) > 1 and is_question_word(out[-1][0]) and len(word) > 1 and \
                flag.startswith("n") and _JOINABLE.fullmatch(joined) and joined in text:
            out[-1] = (out[-1][0] + word, "n")
        else:
            out.append((word, flag))
    return [(" ", "x") if is_question_word(w) else (w, f) for w, f in out]


class Gatherer:
    def __init__(self, corpus: Corpus, structure: Structure) -> None:
        self.corpus = corpus
        self.st = structure
        self._text = " ".join(p.text for p in corpus.paragraphs)
        self._flat = normalize(self._text)

    def focus(self, question: str, lang: str) -> list[str]:
        return focus_terms(question, lang, self._text)

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
            for term in focus:
                spans = self.st.addressed(verbs, term, scope)
                if spans:
                    return Gathered(_by_paragraph(spans, self.corpus), "paragraphs", f"addressee:{term}")
            lines = self._mentions(focus, scope) if not intent.verbs else ()
            return Gathered(lines, "paragraphs", "mentions") if lines else None
        if verbs:
            spans = [s for s, _ in self.st.verb_clauses(verbs, scope)]
            return Gathered(_by_paragraph(spans, self.corpus), "paragraphs", "verb:" + "/".join(verbs))
        if focus:
            lines = self._mentions(focus, scope)
            return Gathered(lines, "paragraphs", "mentions") if lines else None
        return None

    def _mentions(self, focus: list[str], scope: str | None) -> tuple[tuple[Span, ...], ...]:
        """Paragraphs with a sentence holding every focus term that narrows anything (a term in most
        paragraphs, like 贩运人口, does not): the clauses around the rarest one."""
        paras = self.st.paragraphs()
        share = {t: sum(t in p.text for p in paras) / len(paras) for t in focus}
        focus = [t for t in focus if share[t] <= COMMON] or focus
        rare = min(focus, key=lambda t: share[t])
        lines = []
        for p in self.st.paragraphs(scope):
            spans = [self.st.sentence_around(p.id, a + p.text[a:b].find(rare)) for a, b in _sentences(p.text)
                     if all(t in p.text[a:b] for t in focus)]
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
            return list(_by_paragraph(self._near(self.st.names("特别报告员"), focus), self.corpus))
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
        """A title with the year the text writes right before it ("1930 年《强迫劳动公约》"): how it is cited."""
        p = self.corpus.get(title.pid)
        assert p is not None
        m = re.search(r"\d{4}\s*年\s*$", p.text[max(0, title.start - 8) : title.start])
        return self.st.span(title.pid, title.start - len(m.group()), title.end) if m else title

    def _sentence(self, span: Span) -> str:
        return self.st.sentence_around(span.pid, span.start, max_chars=10_000).text

    def _under(self, spans: list[Span], verbs: tuple[str, ...]) -> list[Span]:
        """Instances standing in a sentence opened by one of `verbs` (all, when no verb is named)."""
        if not verbs:
            return spans
        kept = [s for s in spans if any(v in self._sentence(s) for v in verbs)]
        return kept or spans

    def _near(self, spans: list[Span], focus: list[str]) -> list[Span]:
        """Instances the question's other words qualify ("国际劳工组织的公约", "人权理事会的决议"): the word
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


def _by_paragraph(spans: list[Span], corpus: Corpus) -> tuple[tuple[Span, ...], ...]:
    order = {p.id: i for i, p in enumerate(corpus.paragraphs)}
    groups: dict[str, list[Span]] = {}
    for s in sorted(spans, key=lambda s: (order[s.pid], s.start)):
        groups.setdefault(s.pid, []).append(s)
    return tuple(tuple(g) for g in groups.values())


def _sentences(text: str) -> list[tuple[int, int]]:
    out, s = [], 0
    for m in re.finditer(r"[；。]", text):
        out.append((s, m.end()))
        s = m.end()
    return out + [(s, len(text))]


def _qualifies(spans: list[Span], f: str, test: object) -> bool:
    """A qualifier picks out at most half of the instances ("联合国文件" qualifies none of them: all are)."""
    hits = sum(bool(test(s, f)) for s in spans)  # type: ignore[operator]
    return 0 < hits <= len(spans) / 2 or len(spans) == 1


def _inner(title: str) -> str:
    """A title's words without its brackets and trailing number: 《强迫劳动公约》(第 29 号) → 强迫劳动公约."""
    return title[1 : title.index("》")]


def _short_form(t: Span, titles: list[Span], corpus: Corpus) -> bool:
    """《公约》, 《全球行动计划》: a short back-reference to a title given in full earlier in the text."""
    order = {p.id: i for i, p in enumerate(corpus.paragraphs)}
    inner = _inner(t.text)
    return any(o.text != t.text and _inner(o.text).endswith(inner) and (order[o.pid], o.start) < (order[t.pid], t.start)
               for o in titles)
