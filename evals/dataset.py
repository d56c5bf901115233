"""Eval files and their validation: every row is checked on load and a bad one is named by its line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DATASETS = Path(__file__).parent / "datasets"
PUBLIC = DATASETS / "public-v2.jsonl"
HOLDOUT = DATASETS / "holdout-v2.jsonl"
# v2 = the 128 v1 rows unchanged + 95 contrast pairs (antonym, quantity, ordinal, role_swap, scope, control).
SUPPORT_PAIRS = DATASETS / "support_pairs-v2.jsonl"


CHAT_REPLIES = ("greeting", "thanks", "help")  # kinds answered with a chat reply ("chat" verdict), not a quote


class DatasetError(ValueError):
    """A dataset file that cannot be used; the message names the file and line."""


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Turn(_Row):
    """One earlier message of a conversation (OpenAI style)."""

    role: Literal["user", "assistant"]
    content: str = Field(min_length=1, max_length=4000)


class EvalRow(_Row):
    id: str = Field(min_length=1)
    question: str = Field(min_length=1, max_length=2000)
    lang: Literal["zh", "en"]
    answerable: bool
    gold: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    must_include: tuple[str, ...] = ()
    category: str = "fact"
    history: tuple[Turn, ...] = ()  # earlier turns: the question is a follow-up read against them
    kind: str | None = None  # the shape of reply asked for (evals/labels/KINDS.md), where the set labels it

    @model_validator(mode="after")
    def _gold_iff_answerable(self) -> EvalRow:
        # A greeting, thanks or a request for help is answered without citing anything.
        if self.answerable and not self.gold and self.kind not in CHAT_REPLIES:
            raise ValueError("an answerable question needs at least one gold id")
        if not self.answerable and self.gold:
            raise ValueError("an unanswerable question has no gold ids")
        return self


class SupportPair(_Row):
    id: str
    sentence: str = Field(min_length=1)
    paragraph: str
    supported: bool
    kind: str


class CitedRef(_Row):
    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str
    quote: str | None = None


class AnswerRow(_Row):
    """An answer produced by any system, to be scored with `resqa eval --answers`."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str
    answer: str
    citations: tuple[CitedRef, ...] = ()
    retrieved: tuple[str, ...] = ()
    refused: bool | None = None
    latency_ms: float | None = None

    @field_validator("retrieved", mode="before")
    @classmethod
    def _ids(cls, v: object) -> object:
        if isinstance(v, list):
            return [x["id"] if isinstance(x, dict) else x for x in v]
        return v


T = TypeVar("T", bound=BaseModel)


def load_jsonl(path: Path | str, model: type[T], known_ids: set[str] | None = None) -> list[T]:
    """Rows of `model`; DatasetError naming the line of the first bad one (bad JSON, fields, ids, dupes)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror}") from exc
    rows: list[T] = []
    seen: set[str] = set()
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = model.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{no}: not valid JSON ({exc.msg})") from exc
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"]) or "row"
            raise DatasetError(f"{path}:{no}: {where}: {first['msg']}") from exc
        rid = str(row.model_dump().get("id"))
        if rid in seen:
            raise DatasetError(f"{path}:{no}: duplicate id {rid!r}")
        seen.add(rid)
        if known_ids is not None:
            _check_ids(path, no, row, known_ids)
        rows.append(row)
    if not rows:
        raise DatasetError(f"{path}: no rows")
    return rows


def _check_ids(path: Path, no: int, row: BaseModel, known: set[str]) -> None:
    ids: list[str] = []
    for name in ("gold", "accept"):
        ids += list(getattr(row, name, ()))
    if isinstance(row, SupportPair):
        ids.append(row.paragraph)
    bad = [i for i in ids if i not in known]
    if bad:
        raise DatasetError(f"{path}:{no}: unknown paragraph id(s) {bad}")
