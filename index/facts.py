"""What a parsed resolution names, read from its own text: `DocFacts`, computed once per `Corpus`.

Bodies and actors (index.names: jieba's tags and the body nouns of GA drafting), who each directing verb of an
operative paragraph is addressed to (请/邀请/敦促… + the actor after it, or after the 的 of a relative clause:
"敦促尚未批准…的会员国"), places, dates, numbers, instruments (《》 titles with the footnote that sources them),
document symbols, and abbreviations with their full forms (the text's own brackets: "…署(妇女署)", "（以下简称X）").
Each fact carries every paragraph id and offset where it stands. Nothing here is written for one document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from index import names
from index.masthead import Field, masthead_fields
from index.model import Paragraph
from index.verbs import DIRECTING, base_verb
from index.vocabulary import load_vocab

_DATE = re.compile(r"\d{4}\s*(?:-\s*\d{4}\s*)?年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日(?:\s*至\s*\d{1,2}\s*日)?)?)?")
_NUMBER = re.compile(r"(?<![\d/])\d+(?![\d/])\s*[个次位名项卷号届段种份国人%]")
_SYMBOL = re.compile(r"(?<![\w/])(?:[A-Z]{1,6}(?:/[A-Za-z0-9]+\.?(?:\s\d+(?=/|。|$))?)+|\d{1,4}/\d{1,4})(?![\w/])")
_TITLE = re.compile(r"《([^》]{2,80})》")
_SOURCED = re.compile(r"[\s、，,]*(?:\(第\s*\d+\s*号\))?[\s、，,]*")  # between a title and its footnote mark
_ABBREVIATION = re.compile(r"[(（](?:以下简称|下称|简称)?([\u4e00-\u9fff]{2,8})[)）]")
_DIRECTIVE = re.compile(r"(?:^|[，；])\s*(?:并|又|还|同时|此外还?|再次|也)?(" + "|".join(
    sorted(DIRECTING, key=len, reverse=True)) + ")")
_RELATIVE = re.compile(r"\s*(?:尚未|未|已经|已|没有|包括)")  # "敦促尚未…的会员国", "鼓励包括…在内的所有…"
_COORDINATED = re.compile(r"[和及、]?(?:以及)?[所有其他相关各\s]{0,8}")
_CLAUSE_END = re.compile(r"[，；。：]")


@dataclass(frozen=True)
class Mention:
    pid: str
    start: int  # offsets in the paragraph's clean text
    end: int


@dataclass(frozen=True)
class Fact:
    """One named thing of the document and every place it stands."""

    kind: str  # body | actor | place | date | number | instrument | symbol | abbreviation
    text: str
    mentions: tuple[Mention, ...]
    full: str | None = None  # an abbreviation's full form
    source: str | None = None  # an instrument's footnote id

    @property
    def pids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.pid for m in self.mentions))


@dataclass(frozen=True)
class Directive:
    """A directing verb of an operative paragraph and who it is addressed to ("请秘书长" → 秘书长)."""

    pid: str
    verb: str
    addressees: tuple[str, ...]
    start: int  # offset of the verb in the paragraph's text


@dataclass(frozen=True)
class DocFacts:
    bodies: tuple[Fact, ...]
    actors: tuple[Fact, ...]  # bodies, their short forms, and the acting office-holders and groups named
    places: tuple[Fact, ...]
    dates: tuple[Fact, ...]
    numbers: tuple[Fact, ...]
    instruments: tuple[Fact, ...]
    symbols: tuple[Fact, ...]
    abbreviations: tuple[Fact, ...]
    directives: tuple[Directive, ...]
    speaker: str  # the body whose resolution it is (大会): it speaks every sentence
    masthead: tuple[Field, ...] = ()  # its number and title, session, agenda item, report, date, meeting line

    def names(self, kind: str) -> tuple[str, ...]:
        """The names of one kind of fact ('bodies', 'actors', 'places' …), longest first."""
        facts: tuple[Fact, ...] = getattr(self, kind)
        return tuple(sorted((f.text for f in facts), key=lambda t: (-len(t), t)))

    @property
    def actor_names(self) -> tuple[str, ...]:
        return self.names("actors")

    def addressees(self, pid: str) -> tuple[str, ...]:
        """Everyone the directing verbs of paragraph `pid` are addressed to, in text order."""
        return tuple(dict.fromkeys(a for d in self.directives if d.pid == pid for a in d.addressees))

    def full_form(self, short: str) -> str | None:
        return next((f.full for f in self.abbreviations if f.text == short), None)


def _group(kind: str, found: Iterable[tuple[str, Mention]], **extra: dict[str, str]) -> tuple[Fact, ...]:
    by: dict[str, list[Mention]] = {}
    for text, m in found:
        if m not in by.setdefault(text, []):
            by[text].append(m)
    return tuple(Fact(kind, t, tuple(ms), **{k: v.get(t) for k, v in extra.items()}) for t, ms in by.items())


def _scan(paragraphs: Sequence[Paragraph], pattern: re.Pattern[str], group: int = 0) -> list[tuple[str, Mention]]:
    return [(re.sub(r"\s+", "", m.group(group)) if pattern is _DATE else m.group(group).strip(),
             Mention(p.id, m.start(group), m.end(group))) for p in paragraphs for m in pattern.finditer(p.text)]


def _instruments(paragraphs: Sequence[Paragraph]) -> tuple[Fact, ...]:
    found = _scan(paragraphs, _TITLE, 1)
    sources: dict[str, str] = {}
    by_id = {p.id: p for p in paragraphs}
    for title, m in found:
        p = by_id[m.pid]
        for at, number in p.marks:
            if at >= m.end + 1 and _SOURCED.fullmatch(p.text[m.end + 1 : at]):
                sources.setdefault(title, f"FN{number}")
                break
    return _group("instrument", found, source=sources)


def _abbreviations(paragraphs: Sequence[Paragraph], bodies: Sequence[tuple[str, Mention]]) -> tuple[Fact, ...]:
    """A short form in brackets right after a name that ends as it does: "…权能署(妇女署)"."""
    found, full = [], {}
    for p in paragraphs:
        for m in _ABBREVIATION.finditer(p.text):
            short = m.group(1)
            before = [b for b, at in bodies if at.pid == p.id and at.end == m.start()]
            titles = [t.group(1) for t in _TITLE.finditer(p.text[: m.start()]) if t.end() == m.start()]
            name = (before or titles or [None])[0]
            if name and name != short and name[-1] == short[-1]:
                found.append((short, Mention(p.id, m.start(1), m.end(1))))
                full[short] = name
    return _group("abbreviation", found, full=full)


def _addressees(text: str, at: int, actors: Sequence[str]) -> tuple[str, ...]:
    """Who a directing verb ending at `at` addresses: the actor right after it, else (a relative clause
    "尚未批准…的会员国") the first actor after a 的; then those coordinated with it (各国和…利益攸关方)."""
    end = _CLAUSE_END.search(text, at)
    clause_end = end.start() if end else len(text)
    spots = sorted({(i, a) for a in actors for i in _positions(text, a, at, clause_end)},
                   key=lambda x: (x[0], -len(x[1])))
    spots = [(i, a) for i, a in spots if not any(j < i < j + len(b) or (j == i and len(b) > len(a)) for j, b in spots)]
    spots = [(i, a) for i, a in spots if text.count("《", at, i) == text.count("》", at, i)]  # not inside a title
    if not spots:
        return ()
    first = next(((i, a) for i, a in spots if re.fullmatch(r"\s*(?:包括|各|所有|其他|相关|\s)*", text[at:i])), None)
    if first is None or _RELATIVE.match(text, at):
        first = next(((i, a) for i, a in spots if re.search(r"的[所有其他相关各\s]{0,6}$", text[at:i])), None)
    if first is None:
        return ()
    out, last = [first[1]], first[0] + len(first[1])
    for i, a in spots:
        if i >= last and _COORDINATED.fullmatch(text[last:i]):
            out.append(a)
            last = i + len(a)
    return tuple(out)


def _positions(text: str, name: str, start: int, end: int) -> list[int]:
    out, i = [], text.find(name, start, end)
    while i >= 0:
        out.append(i)
        i = text.find(name, i + 1, end)
    return out


def _directives(paragraphs: Sequence[Paragraph], actors: Sequence[str]) -> tuple[Directive, ...]:
    out = []
    for p in paragraphs:
        if p.kind != "operative":
            continue
        for m in _DIRECTIVE.finditer(p.text):
            if m.start() == 0 and p.verb and base_verb(p.verb) not in DIRECTING:
                continue
            who = _addressees(p.text, m.end(), actors)
            if who:
                said = p.verb if m.start() == 0 and p.verb else m.group().lstrip("，；").strip()
                out.append(Directive(p.id, said, who, m.start(1)))
    return tuple(out)


def extract_facts(paragraphs: Sequence[Paragraph]) -> DocFacts:
    """The facts of a parsed document (its paragraphs in canonical order)."""
    vocab = load_vocab()
    body_found = [(f.name, Mention(p.id, f.start, f.end)) for p in paragraphs for f in names.bodies(p.text)]
    held = [(f.name, Mention(p.id, f.start, f.end)) for p in paragraphs for f in names.office_holders(p.text)]
    bodies = _group("body", body_found)
    abbreviations = _abbreviations(paragraphs, body_found)
    # a body's short form: its name without 联合国 wherever it stands; a shorter tail (…协调小组 → 协调小组)
    # where it stands outside that body's full name and outside a 《title》
    short = [(s, Mention(p.id, i, i + len(s))) for b in bodies for s in names.short_forms(b.text)
             for p in paragraphs for i in _positions(p.text, s, 0, len(p.text))
             if s == b.text.removeprefix("联合国") or not (
                 _inside(Mention(p.id, i, i + len(s)), [x for x in body_found if x[0] == b.text])
                 or p.text.count("《", 0, i) > p.text.count("》", 0, i))]
    acting = set(vocab.acting)
    actor_found = body_found + [(a.text, m) for a in abbreviations for m in a.mentions] + [
        (n, m) for n, m in held if n in acting] + [
        *short]
    actors = _group("actor", actor_found)
    return DocFacts(
        bodies=bodies,
        actors=actors,
        places=_group("place", [(f.name, Mention(p.id, f.start, f.end))
                                for p in paragraphs for f in names.places(p.text)]),
        dates=_group("date", _scan(paragraphs, _DATE)),
        numbers=_group("number", [(t, m) for t, m in _scan(paragraphs, _NUMBER) if not _in_date(m, paragraphs)]),
        instruments=_instruments(paragraphs),
        symbols=_group("symbol", _scan(paragraphs, _SYMBOL)),
        abbreviations=abbreviations,
        directives=_directives(paragraphs, sorted({a.text for a in actors}, key=len, reverse=True)),
        speaker=vocab.speaker,
        masthead=masthead_fields(paragraphs),
    )


def _inside(m: Mention, found: Sequence[tuple[str, Mention]]) -> bool:
    return any(b.pid == m.pid and b.start <= m.start and m.end <= b.end and (b.start, b.end) != (m.start, m.end)
               for _, b in found)


def _in_date(m: Mention, paragraphs: Sequence[Paragraph]) -> bool:
    text = next(p.text for p in paragraphs if p.id == m.pid)
    return any(d.start() <= m.start < d.end() for d in _DATE.finditer(text))
