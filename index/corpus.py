"""The bundled resolution text, its pinned checksum, and loading it into paragraphs.

`Corpus` is the one owner of how paragraphs are named and linked: their labels and the label → id map
(written in `index.labels`), counts of each part, and the footnote links — which paragraph cites which
footnote, and the words each mark is attached to (computed in `index.links`). Callers ask the corpus;
none writes a label format, maps a label back to an id or builds a footnote's id itself.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from index import labels, links
from index.links import Anchor
from index.model import Paragraph
from index.parse import ParseError, parse
from index.vocabulary import VocabError, read_json, terms_of

if TYPE_CHECKING:
    from index.facts import DocFacts

_COUNTED = ("preamble", "operative", "footnote")

CORPUS_PATH = Path(__file__).parent / "corpus" / "A_RES_67_190_zh.txt"
CORPUS_SHA256 = "f6c958c6b5118330aea8a2489179beedb42c529f91585aa5fd42f9827c008dec"


class CorpusError(RuntimeError):
    """The corpus file is missing or is not the pinned text."""


@dataclass(frozen=True)
class Corpus:
    """The parsed document: its paragraphs in canonical order, looked up by id; what each is called in either
    language (and which paragraph a label names), how many each part has, and which cites which footnote."""

    symbol: str
    sha256: str
    paragraphs: tuple[Paragraph, ...]
    terms: tuple[tuple[str, str], ...] = ()  # English → Chinese terms of this document (its .terms.json)

    @cached_property
    def facts(self) -> DocFacts:
        """What the document names — bodies, actors, addressees, places, dates, numbers, instruments, symbols,
        abbreviations — read from its own text once (index.facts)."""
        from index.facts import extract_facts

        return extract_facts(self.paragraphs)

    def get(self, pid: str) -> Paragraph | None:
        for p in self.paragraphs:
            if p.id == pid:
                return p
        return None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.paragraphs)

    def stamp(self) -> dict[str, str]:
        return {"symbol": self.symbol, "sha256": self.sha256}

    # ---- ids and labels ---------------------------------------------------------------------------------
    # Any label standing in a sentence (执行部分第 12 段, footnote 3, 文件标题部分), present or not.
    label_re: ClassVar[re.Pattern[str]] = labels.label_pattern()
    id_for = staticmethod(labels.make_id)  # ('operative', 12) -> 'OP12'
    split_id = staticmethod(labels.split_id)  # 'OP12' -> ('operative', 12)
    kind_of_prefix = staticmethod(labels.kind_of_prefix)  # 'OP' -> 'operative'

    @staticmethod
    def label(pid: str, lang: str, capital: bool = False) -> str:
        """执行部分第12段 / operative paragraph 12 for 'OP12' (any well-formed id, in the document or not)."""
        return labels.label(pid, lang, capital)

    @cached_property
    def _by_label(self) -> dict[str, dict[str, str]]:
        return {"zh": {p.label_zh: p.id for p in self.paragraphs}, "en": {p.label_en: p.id for p in self.paragraphs}}

    def id_of_label(self, text: str, lang: str | None = None) -> str | None:
        """The id of the paragraph labelled exactly `text` ('执行部分第12段' -> 'OP12'), in `lang` or either
        language; None when no paragraph of this document has that label."""
        for code in (lang,) if lang else ("zh", "en"):
            pid = self._by_label[code].get(text)
            if pid:
                return pid
        return None

    # ---- parts and their sizes ----------------------------------------------------------------------------
    @cached_property
    def counts(self) -> dict[str, int]:
        """How many preambular paragraphs, operative paragraphs and footnotes the document has."""
        return {k: sum(p.kind == k for p in self.paragraphs) for k in _COUNTED}

    part_name = staticmethod(labels.part_name)  # ('operative', 'zh') -> 执行部分
    measure_word = staticmethod(labels.measure_word)  # 'footnote' -> 个

    def count_phrase(self, kind: str, lang: str) -> str:
        """执行部分共有 15 段 / 15 operative paragraphs."""
        return labels.count_phrase(kind, self.counts[kind], lang)

    def total_phrase(self, kind: str, lang: str) -> str:
        """How many there are, after a paragraph that does not exist: 决议共有 19 个脚注 / 19 footnotes."""
        return labels.total_phrase(kind, self.counts[kind], lang)

    def parts_phrase(self, lang: str) -> str:
        """序言部分 25 段，执行部分 15 段 / 25 preambular and 15 operative paragraphs."""
        return labels.parts_phrase(self.counts["preamble"], self.counts["operative"], lang)

    # ---- footnote links -----------------------------------------------------------------------------------
    def footnote(self, number: int) -> Paragraph | None:
        """Footnote `number`, if the document has it."""
        return self.get(links.footnote_id(number))

    def footnotes_of(self, pid: str) -> tuple[Paragraph, ...]:
        """The footnotes paragraph `pid` cites, in order of first mark."""
        p = self.get(pid)
        return tuple(fn for fn in (self.footnote(n) for n in (p.footnotes if p else ())) if fn is not None)

    def cited_by(self, fid: str) -> tuple[Paragraph, ...]:
        """The paragraphs that cite footnote `fid`, in document order."""
        p = self.get(fid)
        return tuple(q for q in (self.get(pid) for pid in (p.cited_by if p else ())) if q is not None)

    def linked(self, pid: str) -> tuple[str, ...]:
        """Ids on the other side of `pid`'s footnote links: a footnote's citing paragraphs, else its footnotes."""
        p = self.get(pid)
        return links.linked_ids(p) if p else ()

    @cached_property
    def _anchors(self) -> dict[str, tuple[Anchor, ...]]:
        return {p.id: tuple(links.anchors(p)) for p in self.paragraphs}

    def anchors(self, pid: str) -> tuple[Anchor, ...]:
        """The anchor of each footnote mark in `pid` (the words before it), in text order."""
        return self._anchors.get(pid, ())

    def anchor(self, pid: str, number: int | None) -> Anchor | None:
        """Where paragraph `pid` cites footnote `number`: the first such anchor."""
        return next((a for a in self.anchors(pid) if a.footnote == number), None)

    def footnote_anchors(self, fid: str) -> list[Anchor]:
        """Every anchor of footnote `fid`, in the order its citing paragraphs appear."""
        fn = self.get(fid)
        return links.footnote_anchors(fn, self.anchors) if fn else []


def read_source(path: Path = CORPUS_PATH, expected_sha256: str | None = CORPUS_SHA256) -> tuple[str, str]:
    """The text (decoded from bytes so offsets are exact) and its sha256, checked against the pin."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read corpus {path}: {exc.strerror}") from exc
    digest = hashlib.sha256(data).hexdigest()
    if expected_sha256 and digest != expected_sha256:
        raise CorpusError(f"corpus {path} has sha256 {digest}, expected {expected_sha256}: the file was changed; "
                          f"restore it (`git checkout -- {path.name}` in its folder, or reinstall resqa)")
    try:
        return data.decode("utf-8"), digest
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(f"corpus {path}: line {line}: expected UTF-8 text, found byte {data[exc.start]:#x}") from exc


def terms_path(path: Path) -> Path:
    """Where a corpus's English → Chinese terms live: beside it, A_RES_67_190_zh.txt → A_RES_67_190_zh.terms.json."""
    return path.with_name(path.stem + ".terms.json")


def load_terms(path: Path, text: str) -> tuple[tuple[str, str], ...]:
    """The corpus's terms file, if it has one; every Chinese term must occur in the text (spaces aside), else a
    CorpusError names the entry."""
    where = terms_path(path)
    if not where.exists():
        return ()
    try:
        terms = terms_of(read_json(where), where)
    except VocabError as exc:
        raise CorpusError(str(exc)) from exc
    flat = "".join(text.split())
    for en, zh in terms.items():
        if "".join(zh.split()) not in flat:
            raise CorpusError(f"{where}: the Chinese term of {en!r} ({zh}) does not occur in {path.name}")
    return tuple(terms.items())


def load_corpus(path: Path = CORPUS_PATH, expected_sha256: str | None = CORPUS_SHA256) -> Corpus:
    text, digest = read_source(path, expected_sha256)
    try:
        paragraphs = parse(text, sha256=digest)
    except ParseError as exc:
        raise ParseError(f"corpus {path} is not a resolution in the UN layout: {exc}") from exc
    return Corpus(paragraphs[0].doc.symbol, digest, tuple(paragraphs), load_terms(path, text))


def load_corpus_for(path: Path | None) -> Corpus:
    """The corpus a setting names (RESQA_CORPUS / --corpus): the bundled text, checked against its pinned
    sha256, when `path` is None; otherwise any text in the same layout, accepted by its parse."""
    return load_corpus() if path is None else load_corpus(path, None)


def index_home(home: Path, path: Path | None) -> Path:
    """Where the embedded index of the corpus at `path` lives: RESQA_HOME for the bundled text, else a folder
    of its own keyed by its sha256 (RESQA_HOME/docs/<sha256[:16]>), so two documents never share a store."""
    if path is None:
        return home
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise CorpusError(f"cannot read corpus {path}: {exc.strerror}") from exc
    return home if digest == CORPUS_SHA256 else home / "docs" / digest[:16]
