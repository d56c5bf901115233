"""The general vocabulary of General Assembly resolutions and of the world, read from index/vocab/general.json.

What no one resolution defines: the nouns a body's name ends with (办公室, 理事会 …), the office-holders and
groups a resolution addresses (秘书长, 会员国 …, each with the class that makes two names one party), cities,
countries and bodies a question may name though a text does not, and English ↔ Chinese GA terms. The file is
checked when it is read: a missing section or an entry of the wrong shape is a `VocabError` naming it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

VOCAB_PATH = Path(__file__).parent / "vocab" / "general.json"


class VocabError(ValueError):
    """A vocabulary or terms file that is missing, not JSON, or has an entry of the wrong shape."""


@dataclass(frozen=True)
class Vocab:
    body_heads: tuple[str, ...]  # longest first
    office_holders: tuple[str, ...]  # longest first
    groups: tuple[tuple[str, str], ...]  # (name, class)
    acting: tuple[str, ...]  # office-holders and groups that act in a resolution (are asked, decide, do)
    speaker: str  # the body whose resolutions they are: it speaks every sentence
    cities: tuple[tuple[str, str], ...]  # (Chinese, English)
    countries: tuple[tuple[str, tuple[str, ...]], ...]
    bodies_elsewhere: tuple[tuple[str, tuple[str, ...]], ...]  # bodies a text on one theme often does not name
    terms: tuple[tuple[str, str], ...]  # (English, Chinese)

    @property
    def group_class(self) -> dict[str, str]:
        return dict(self.groups)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise VocabError(f"cannot read {path}: {exc.strerror}") from exc
    except ValueError as exc:
        raise VocabError(f"{path} is not valid JSON: {exc}") from exc


def _strings(data: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise VocabError(f"{path}: '{key}' must be a list of non-empty strings")
    return tuple(sorted(value, key=len, reverse=True))


def _mapping(data: dict[str, Any], key: str, path: Path, many: bool = False) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise VocabError(f"{path}: '{key}' must be an object")
    for k, v in value.items():
        ok = isinstance(v, list) and all(isinstance(x, str) and x for x in v) if many else isinstance(v, str) and v
        if not k or not ok:
            shape = "a list of strings" if many else "a string"
            raise VocabError(f"{path}: entry {k!r} of '{key}' must map to {shape}")
    return value


def terms_of(data: Any, path: Path) -> dict[str, str]:
    """The English → Chinese terms of a file's 'terms' object, lower-case keys; a bad entry is an error."""
    if not isinstance(data, dict):
        raise VocabError(f"{path}: expected an object with a 'terms' object")
    terms = _mapping(data, "terms", path)
    bad = [k for k in terms if k != k.lower() or k != k.strip()]
    if bad:
        raise VocabError(f"{path}: English term {bad[0]!r} must be lower-case without surrounding spaces")
    return terms


@lru_cache(maxsize=4)
def load_vocab(path: Path = VOCAB_PATH) -> Vocab:
    data = read_json(path)
    if not isinstance(data, dict):
        raise VocabError(f"{path}: expected an object")
    speaker = data.get("speaker")
    if not isinstance(speaker, str) or not speaker:
        raise VocabError(f"{path}: 'speaker' must be a non-empty string")
    return Vocab(
        body_heads=_strings(data, "body_heads", path),
        office_holders=_strings(data, "office_holders", path),
        groups=tuple(_mapping(data, "groups", path).items()),
        acting=_strings(data, "acting", path),
        speaker=speaker,
        cities=tuple(_mapping(data, "cities", path).items()),
        countries=tuple((k, tuple(v)) for k, v in _mapping(data, "countries", path, many=True).items()),
        bodies_elsewhere=tuple((k, tuple(v)) for k, v in _mapping(data, "bodies_elsewhere", path, many=True).items()),
        terms=tuple(terms_of(data, path).items()),
    )
