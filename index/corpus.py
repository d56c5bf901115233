"""The bundled resolution text, its pinned checksum, and loading it into paragraphs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from index.model import Paragraph
from index.parse import parse
from index.tokens import count_tokens

CORPUS_PATH = Path(__file__).parent / "corpus" / "A_RES_67_190_zh.txt"
CORPUS_SHA256 = "f6c958c6b5118330aea8a2489179beedb42c529f91585aa5fd42f9827c008dec"


class CorpusError(RuntimeError):
    """The corpus file is missing or is not the pinned text."""


@dataclass(frozen=True)
class Corpus:
    """The parsed document: its paragraphs in canonical order, looked up by id."""

    symbol: str
    sha256: str
    paragraphs: tuple[Paragraph, ...]

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


def read_source(path: Path = CORPUS_PATH, expected_sha256: str | None = CORPUS_SHA256) -> tuple[str, str]:
    """The text (decoded from bytes so offsets are exact) and its sha256, checked against the pin."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read corpus {path}: {exc.strerror}") from exc
    digest = hashlib.sha256(data).hexdigest()
    if expected_sha256 and digest != expected_sha256:
        raise CorpusError(f"corpus {path} has sha256 {digest[:12]}…, expected {expected_sha256[:12]}…")
    return data.decode("utf-8"), digest


def load_corpus(path: Path = CORPUS_PATH, expected_sha256: str | None = CORPUS_SHA256) -> Corpus:
    text, digest = read_source(path, expected_sha256)
    paragraphs = parse(text, sha256=digest, count_tokens=count_tokens)
    return Corpus(paragraphs[0].doc.symbol, digest, tuple(paragraphs))
