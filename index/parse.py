"""Parse a UN resolution's extracted text into citable paragraphs, in document order.

The layout rules are those of a GA resolution as extracted from its PDF, not of one document: a header up
to the line naming the acting body ("大会，"), unnumbered preambular paragraphs, numbered operative ones,
footnote blocks wherever page breaks put them (a paragraph cut by a page break continues after the
block), superscript footnote marks, `**verb**` emphasis, and a closing meeting line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.labels import label_en, label_zh, make_id
from index.model import DocStamp, Paragraph
from index.verbs import leading_verb

PARSER_VERSION = "1"
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")
_SUP_RUN = re.compile(f"[{SUPERSCRIPTS}]+")
_FOOTNOTE_DEF = re.compile(rf"^([{SUPERSCRIPTS}]+)\s+")
_OPERATIVE = re.compile(r"^(\d+)\.\s+")
_BODY_OPENS = re.compile(r"^[^\s，。；]{2,12}，$")
_TITLE = re.compile(r"^(\d+)/(\d+)\.\s")
_MEETING_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_MEETING_NO = re.compile(r"^第\s*\d+\s*次全体会议$")
# A paragraph whose clean text ends otherwise was cut by a page break.
_CLOSED = {"preamble": "，；。：", "operative": "；。："}


class ParseError(ValueError):
    """The text does not have the layout of a resolution; the message names the line."""


@dataclass
class _Draft:
    kind: str
    number: int | None
    spans: list[tuple[int, int]] = field(default_factory=list)
    joiner: str = ""
    verb: str | None = None


def clean(raw: str) -> str:
    """Text without footnote marks and `**` emphasis; all other characters, spacing included, kept."""
    return _SUP_RUN.sub("", raw).replace("**", "")


def mark_positions(raw: str) -> list[tuple[int, int]]:
    """(offset in the clean text, footnote number) of each mark in raw text."""
    out = []
    removed = 0
    for m in re.finditer(rf"\*\*|[{SUPERSCRIPTS}]+", raw):
        if m.group() != "**":
            out.append((m.start() - removed, int(m.group().translate(_SUP_DIGITS))))
        removed += len(m.group())
    return out


def footnote_marks(raw: str) -> list[int]:
    """Footnote numbers marked in raw text, in order of appearance (a superscript run is one mark)."""
    return [int(m.group().translate(_SUP_DIGITS)) for m in _SUP_RUN.finditer(raw)]


def _lines(source: str) -> list[tuple[int, int, int]]:
    """(line number, start, end) of each non-blank line, trailing/leading whitespace excluded."""
    out = []
    pos = 0
    for no, line in enumerate(source.split("\n"), start=1):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped)
            out.append((no, start, start + len(stripped)))
        pos += len(line) + 1
    return out


def _emphasised_verb(raw: str) -> str | None:
    m = re.match(r"^\*\*(.+?)\*\*", raw)
    return m.group(1) if m else None


def _body_start(source: str, lines: list[tuple[int, int, int]]) -> int:
    for i, (_, s, e) in enumerate(lines):
        if _BODY_OPENS.match(source[s:e]):
            return i
    last = lines[-1][0] if lines else 1
    raise ParseError(f"line {last}: the text ended without a line naming the acting body (such as '大会，')")


def title_number(line: str) -> tuple[str, str] | None:
    """(session, serial) of a masthead's title line "N/M. title"; None for any other line."""
    m = _TITLE.match(line)
    return (m.group(1), m.group(2)) if m else None


def _symbol(source: str, header: list[tuple[int, int, int]], body_line: int) -> str:
    for _, s, e in header:
        number = title_number(source[s:e])
        if number:
            return f"A/RES/{number[0]}/{number[1]}"
    raise ParseError(f"line {body_line}: expected a title line such as 'N/M. title' in the header above it")


def _drafts(source: str, lines: list[tuple[int, int, int]]) -> tuple[list[_Draft], dict[int, _Draft]]:
    """Walk the body lines; return paragraphs (footnotes excluded) and footnote definitions by number."""
    paras: list[_Draft] = []
    notes: dict[int, _Draft] = {}
    after_notes = False
    i = 0
    while i < len(lines):
        no, s, e = lines[i]
        raw = source[s:e]
        fn = _FOOTNOTE_DEF.match(raw)
        op = _OPERATIVE.match(raw)
        if fn:
            n = int(fn.group(1).translate(_SUP_DIGITS))
            if n in notes:
                raise ParseError(f"line {no}: footnote {n} is defined twice")
            notes[n] = _Draft("footnote", n, [(s + fn.end(), e)])
            after_notes = True
        elif _MEETING_DATE.match(raw) and i + 1 < len(lines) and _MEETING_NO.match(
            source[lines[i + 1][1] : lines[i + 1][2]]
        ):
            paras.append(_Draft("meeting", None, [(s, e), lines[i + 1][1:]], joiner=" "))
            i += 1
        elif op:
            expected = sum(p.kind == "operative" for p in paras) + 1
            if int(op.group(1)) != expected:
                raise ParseError(f"line {no}: operative paragraph {op.group(1)} where {expected} was expected")
            body = source[s + op.end() : e]
            verb = _emphasised_verb(body) or leading_verb(clean(body))
            paras.append(_Draft("operative", expected, [(s + op.end(), e)], verb=verb))
        elif after_notes and paras and _is_open(source, paras[-1]):
            paras[-1].spans.append((s, e))
        elif any(p.kind in ("operative", "meeting") for p in paras):
            raise ParseError(f"line {no}: unnumbered text after the operative part: {raw[:30]!r}")
        else:
            n = sum(p.kind == "preamble" for p in paras) + 1
            paras.append(_Draft("preamble", n, [(s, e)], verb=leading_verb(clean(raw))))
        if not fn:
            after_notes = False
        i += 1
    return paras, notes


def _is_open(source: str, draft: _Draft) -> bool:
    if draft.kind not in _CLOSED:
        return False
    s, e = draft.spans[-1]
    tail = clean(source[s:e]).rstrip()
    return not tail or tail[-1] not in _CLOSED[draft.kind]


def _line_of(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1


def _check_notes(source: str, ordered: list[_Draft], notes: dict[int, _Draft], marks: dict[int, list[int]]) -> None:
    used = {n for ms in marks.values() for n in ms}
    missing = sorted(used - notes.keys())
    if missing:
        at = next(d.spans[0][0] for d in ordered if missing[0] in marks[id(d)])
        raise ParseError(f"line {_line_of(source, at)}: footnote marks without a footnote text: {missing}")
    if sorted(notes) != list(range(1, len(notes) + 1)):
        wrong = next(n for i, n in enumerate(sorted(notes), start=1) if n != i)
        raise ParseError(f"line {_line_of(source, notes[wrong].spans[0][0])}: footnote {wrong} where "
                         f"footnotes numbered 1..{len(notes)} were expected")


def parse(source: str, sha256: str = "") -> list[Paragraph]:
    """Parse a resolution's text into its citable paragraphs, in document order."""
    lines = _lines(source)
    body_at = _body_start(source, lines)
    header = lines[:body_at]
    doc = DocStamp(_symbol(source, header, lines[body_at][0]), sha256)
    paras, notes = _drafts(source, lines[body_at + 1 :])
    if not any(d.kind == "operative" for d in paras):
        raise ParseError(f"line {lines[-1][0]}: the text ended without a numbered operative paragraph ('1. …')")
    head = _Draft("header", None, [(s, e) for _, s, e in header], joiner="\n")
    body = [d for d in paras if d.kind != "meeting"]
    closing = [d for d in paras if d.kind == "meeting"]
    # The ids' canonical order: HEADER, PP…, OP…, FN…, MEETING (footnotes gathered from their page blocks).
    ordered = [head, *body, *(notes[n] for n in sorted(notes)), *closing]
    marks = {id(d): _marks_of(source, d) for d in ordered}
    _check_notes(source, ordered, notes, marks)
    cited_by: dict[int, list[str]] = {}
    for d in ordered:
        for n in marks[id(d)]:
            cited_by.setdefault(n, []).append(make_id(d.kind, d.number))
    return [_finish(source, d, marks[id(d)], cited_by, doc) for d in ordered]


def _marks_of(source: str, d: _Draft) -> list[int]:
    seen: list[int] = []
    for s, e in d.spans:
        for n in footnote_marks(source[s:e]):
            if n not in seen:
                seen.append(n)
    return seen


def _finish(source, d: _Draft, marks, cited_by, doc) -> Paragraph:
    text = d.joiner.join(clean(source[s:e]) for s, e in d.spans)
    positions: list[tuple[int, int]] = []
    offset = 0
    for s, e in d.spans:
        positions += [(offset + pos, n) for pos, n in mark_positions(source[s:e])]
        offset += len(clean(source[s:e])) + len(d.joiner)
    pid = make_id(d.kind, d.number)
    return Paragraph(
        id=pid,
        kind=d.kind,
        number=d.number,
        label_zh=label_zh(d.kind, d.number),
        label_en=label_en(d.kind, d.number),
        text=text,
        spans=tuple(d.spans),
        footnotes=tuple(marks),
        marks=tuple(positions),
        cited_by=tuple(cited_by.get(d.number or 0, ())) if d.kind == "footnote" else (),
        verb=d.verb,
        doc=doc,
    )
