"""HTML for the web chat: chat messages with citation chips, the source panel, the full text, the copy text.

Every piece of document or user text goes through `html.escape` before any markup (<mark>, chips) is
added, so a question like `<img src=x onerror=alert(1)>` is shown, never run. Chips are links to
`#para-<ID>` (the full-text anchors); a click handler in static/app.js turns them into focus events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

from index import Corpus, Paragraph
from rag import Answer
from rag.types import Hit
from ui import gloss
from ui.strings import t

_GROUPS = ("header", "preamble", "operative", "footnote", "meeting")
_ZH_MARK = re.compile(r"【([^【】]{1,20})】")
_EN_MARK = re.compile(r"\[([A-Z]{2,7}\d{0,3})\]")
MAX_SHOWN_QUESTION = 400  # a 2000-character question is echoed cut short; the answerer saw all of it


def chip(p: Paragraph, text: str, target: str = "src", extra: str = "") -> str:
    """A clickable paragraph reference; `target` says where a click shows it: "src" (the source panel) or
    "full" (the full text). Only href, class and title are used: the chat's sanitiser drops data-* attributes."""
    cls = " ".join(c for c in ("resqa-chip", "to-full" if target == "full" else "", extra) if c)
    title = f"{escape(p.label_zh)} · {escape(p.label_en)}"
    return f'<a class="{cls}" href="#para-{p.id}" title="{title}">{escape(text)}</a>'


def _lines(text: str) -> str:
    """Escaped text with line breaks kept, and no blank line that would end the chat's HTML block."""
    return "<br>".join(escape(line) for line in text.splitlines() if line.strip())


def _chipped(text: str, corpus: Corpus) -> str:
    """Escaped answer text in which each citation mark (【执行部分第12段】 or [OP12]) is a chip."""
    out: list[str] = []
    for line in text.splitlines():
        pieces, last = [], 0
        for m in sorted([*_ZH_MARK.finditer(line), *_EN_MARK.finditer(line)], key=lambda m: m.start()):
            p = corpus.get(corpus.id_of_label(m.group(1), "zh") or m.group(1))
            if p is None or m.start() < last:
                continue  # brackets that are not a citation mark stay plain text
            pieces += [escape(line[last:m.start()]), chip(p, m.group(0))]
            last = m.end()
        pieces.append(escape(line[last:]))
        if line.strip():
            out.append("".join(pieces))
    return "<br>".join(out)


def _see_also_chipped(text: str, see_also: Sequence[Paragraph], corpus: Corpus) -> str:
    """Escaped refusal text with the labels of the "see also" paragraphs made into (dashed) chips."""
    if not see_also:
        return _lines(text)
    names = dict.fromkeys(name for p in see_also for name in (p.label_zh, p.label_en))
    pattern = re.compile("|".join(re.escape(k) for k in sorted(names, key=len, reverse=True)) + r"(?!\d)")
    out: list[str] = []
    for line in (ln for ln in text.splitlines() if ln.strip()):
        pieces, last = [], 0
        for m in pattern.finditer(line):
            p = corpus.get(corpus.id_of_label(m.group(0)) or "")
            assert p is not None
            pieces += [escape(line[last:m.start()]), chip(p, m.group(0), extra="see-also")]
            last = m.end()
        out.append("".join(pieces) + escape(line[last:]))
    return "<br>".join(out)


def user_message(question: str) -> str:
    shown = question if len(question) <= MAX_SHOWN_QUESTION else question[:MAX_SHOWN_QUESTION] + f"… ({len(question)})"
    return f'<div class="resqa-q">{_lines(shown)}</div>'


def streaming_message(text: str, corpus: Corpus) -> str:
    cursor = '<span class="resqa-cursor">▍</span>'
    return f'<div class="resqa-answer resqa-streaming">{_chipped(text, corpus)}{cursor}</div>'


def answer_message(answer: Answer, corpus: Corpus, lang: str) -> str:
    """The final chat bubble: an answer with chips, or a refusal (distinct icon and style, "see also" chips)."""
    if not answer.refused:
        body = _chipped(answer.text, corpus)
        if answer.lang == "en":  # the English names of the key terms after each Chinese quote (ui.gloss)
            body = gloss.glossed(body, [c.quote for c in answer.citations])
        return f'<div class="resqa-answer">{body}</div>'
    see_also = [p for p in (corpus.get(pid) for pid in answer.see_also) if p is not None]
    return (f'<div class="resqa-refusal"><span class="resqa-refusal-badge">⊘ '
            f'{escape(t("refused_badge", lang))}</span><br>{_see_also_chipped(answer.text, see_also, corpus)}</div>')


def error_message(message: str, lang: str) -> str:
    return f'<div class="resqa-error">⚠ {escape(t("error", lang))}{escape(message)}</div>'


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def marked_text(p: Paragraph, spans: Iterable[tuple[int, int]] = (), corpus: Corpus | None = None) -> str:
    """The paragraph's text, escaped, with <mark> over [start, end) of each quote and footnote chips where
    the footnote marks stood. Offsets index the raw text, so they are cut before escaping."""
    spans = _merge(spans)
    marks = {offset: n for offset, n in p.marks}
    cuts = sorted({0, len(p.text), *marks, *(x for s in spans for x in s)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a in marks:
            out.append(_sup(marks[a], corpus))
        piece = _lines_keep(p.text[a:b])
        out.append(f"<mark>{piece}</mark>" if any(s <= a and b <= e for s, e in spans) else piece)
    if len(p.text) in marks:
        out.append(_sup(marks[len(p.text)], corpus))
    return "".join(out)


def _sup(n: int, corpus: Corpus | None) -> str:
    """A footnote mark; a chip to the footnote in the full text when the footnote is known."""
    fn = corpus.footnote(n) if corpus else None
    return f'<sup class="resqa-fn">{chip(fn, str(n), "full") if fn else n}</sup>'


def _lines_keep(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _footnote_block(p: Paragraph, corpus: Corpus, lang: str) -> str:
    """The footnotes a paragraph cites, each with its text and the paragraphs that cite it."""
    items = []
    for fn in corpus.footnotes_of(p.id):
        items.append(f'<li>{chip(fn, corpus.label(fn.id, lang), "full")} {_lines(fn.text)}'
                     f'{_cited_by(fn, corpus, lang)}</li>')
    if not items:
        return ""
    return f'<div class="resqa-footnotes"><h4>{escape(t("footnotes", lang))}</h4><ul>{"".join(items)}</ul></div>'


def _cited_by(p: Paragraph, corpus: Corpus, lang: str) -> str:
    refs = corpus.cited_by(p.id)
    if not refs:
        return ""
    chips = " ".join(chip(q, corpus.label(q.id, lang), "full") for q in refs)
    return f' <span class="resqa-cited-by">{escape(t("cited_by", lang))}: {chips}</span>'


def source_card(p: Paragraph, corpus: Corpus, lang: str, spans: Sequence[tuple[int, int]] = (), cls: str = "") -> str:
    """One paragraph in full for the source panel: labels, verb, highlighted quote, its footnotes."""
    verb = f'<span class="resqa-verb">{escape(t("verb", lang))}: {escape(p.verb)}</span>' if p.verb else ""
    classes = f"resqa-card {cls}".strip()
    return (f'<article class="{classes}" id="src-{p.id}" data-pid="{p.id}">'
            f'<header><span class="resqa-id">{p.id}</span> <b>{escape(p.label_zh)}</b> · '
            f'<span class="resqa-label-en">{escape(p.label_en)}</span> {verb} '
            f'{chip(p, t("in_full_text", lang) + " ↗", "full", "resqa-goto")}</header>'
            f'<p class="resqa-text">{marked_text(p, spans, corpus)}</p>'
            f"{_footnote_block(p, corpus, lang)}{_cited_by(p, corpus, lang) if p.kind == 'footnote' else ''}"
            "</article>")


def quote_spans(answer: Answer | None, pid: str) -> list[tuple[int, int]]:
    return [(c.start, c.end) for c in (answer.citations if answer else ()) if c.id == pid]


def sources_panel(answer: Answer | None, corpus: Corpus, lang: str, focus: str | None = None,
                  focus_spans: Sequence[tuple[int, int]] = ()) -> str:
    """Every paragraph the answer cites, in full (a refusal shows its "see also" paragraphs instead).
    A clicked paragraph (`focus`) comes first and is outlined."""
    cards: list[str] = []
    if answer is None:
        cards.append(f'<p class="resqa-empty">{escape(t("no_sources", lang))}</p>')
        ids: list[str] = []
    elif answer.refused:
        cards.append(f'<p class="resqa-refused-note">⊘ {escape(t("refused_sources", lang))}</p>')
        ids = list(answer.see_also)
    else:
        ids = list(dict.fromkeys(c.id for c in answer.citations))
    if focus and corpus.get(focus) is not None:
        ids = [focus] + [pid for pid in ids if pid != focus]
    for pid in ids:
        p = corpus.get(pid)
        if p is None:
            continue
        spans = focus_spans if pid == focus and not quote_spans(answer, pid) else quote_spans(answer, pid)
        cls = ("focus " if pid == focus else "") + ("see-also" if answer and answer.refused else "")
        cards.append(source_card(p, corpus, lang, spans, cls))
    return f'<div class="resqa-sources">{"".join(cards)}{_meta(answer, lang)}</div>'


def _meta(answer: Answer | None, lang: str) -> str:
    if answer is None:
        return ""
    notes = "".join(f'<div class="resqa-note">{escape(t("note", lang))}: {escape(n)}</div>' for n in answer.notes)
    return (f'<div class="resqa-meta">{escape(t("backend_meta", lang))}: {escape(answer.backend)} · '
            f'{escape(t("latency", lang))}: {answer.latency_ms:.0f} ms{notes}</div>')


def full_text(corpus: Corpus, lang: str, answer: Answer | None = None) -> str:
    """The whole resolution, grouped by part, one anchor (id="para-<ID>") per paragraph; the latest
    answer's quotes are highlighted here too."""
    parts: list[str] = []
    for kind in _GROUPS:
        group = [p for p in corpus.paragraphs if p.kind == kind]
        if not group:
            continue
        parts.append(f'<h3 class="resqa-group">{escape(t("group_" + kind, lang))}</h3>')
        for p in group:
            cited = " cited" if quote_spans(answer, p.id) else ""
            parts.append(f'<section class="resqa-para{cited}" id="para-{p.id}" data-pid="{p.id}">'
                         f'<div class="resqa-para-label"><span class="resqa-id">{p.id}</span> '
                         f'{escape(p.label_zh)} · {escape(p.label_en)}</div>'
                         f'<p>{marked_text(p, quote_spans(answer, p.id), corpus)}</p>'
                         f'{_footnote_refs(p, corpus, lang)}{_cited_by(p, corpus, lang)}</section>')
    return f'<div class="resqa-fulltext">{"".join(parts)}</div>'


def _footnote_refs(p: Paragraph, corpus: Corpus, lang: str) -> str:
    notes = corpus.footnotes_of(p.id)
    chips = " ".join(chip(fn, corpus.label(fn.id, lang), "full") for fn in notes)
    return f'<div class="resqa-fn-refs">{chips}</div>' if notes else ""


def copy_text(answer: Answer | None) -> str:
    """What the copy button puts on the clipboard: the answer, then one "label: “quote”" line per citation."""
    if answer is None:
        return ""
    lines = [answer.text]
    if answer.citations:
        lines.append("")
        lines += [f"{c.label_zh if answer.lang == 'zh' else c.label_en}: “{c.quote}”" for c in answer.citations]
    lines += ["", f"— {answer.doc.get('symbol', '')} (sha256 {answer.doc.get('sha256', '')[:12]})"]
    return "\n".join(lines)


def retrieval_rows(answer: Answer | None, corpus: Corpus, hits: Sequence[Hit] | None = None) -> list[list[object]]:
    """The debug table: what retrieval found (`hits`, else the answer's own), with the fused, dense and lexical
    scores, then the answer's decision."""
    def r(x: float | None) -> object:
        return "" if x is None else round(x, 4)

    rows: list[list[object]] = []
    for h in hits if hits is not None else answer.retrieved if answer else ():
        p = corpus.get(h.id)
        rows.append([h.rank, h.id, p.label_zh if p else "", h.via, r(h.score), r(h.dense), r(h.lexical)])
    decision = answer.extra.get("decision") if answer else None
    if decision:
        # The last row says why resqa answered, said no or refused, and the signals the decision used.
        signals = decision.get("signals", {})
        why = f"{decision.get('verdict')}: {decision.get('reason')}"
        rows.append(["", "decision", why, signals.get("kind", ""), "", r(signals.get("dense")), r(signals.get("lex"))])
    return rows


def header(lang: str) -> str:
    """The title, and (hidden) the toast titles in `lang` for static/app.js (Gradio's own are English) and the
    label of the source sheet's close button."""
    titles = " ".join(f'data-{k}="{escape(t("toast_" + k, lang))}"' for k in ("info", "warning", "error", "success"))
    titles += f' data-close="{escape(t("back_to_answer", lang))}"'  # the phone source sheet's close button
    return (f'<div class="resqa-header"><h1>{escape(t("title", lang))}</h1><p>{escape(t("subtitle", lang))}</p>'
            f'<span class="resqa-toast-titles" hidden {titles}></span></div>')


def backend_line(backend: str, lang: str) -> str:
    """Markdown for the settings box: which backend answers (an LLM's name when one is configured)."""
    return f"**{t('backend', lang)}**: `{backend}`"


def table_headers(lang: str) -> list[str]:
    return [t(k, lang) for k in ("col_rank", "col_id", "col_label", "col_via", "col_score", "col_dense",
                                 "col_lexical")]


def stamp(corpus: Corpus, backend: str) -> str:
    """The footer: which document (and which exact bytes) every answer comes from."""
    return (f'<div class="resqa-stamp">{escape(corpus.symbol)} · sha256 '
            f'<code title="{escape(corpus.sha256)}">{escape(corpus.sha256[:12])}</code> · '
            f"{len(corpus.paragraphs)} ¶ · {escape(backend)}</div>")
