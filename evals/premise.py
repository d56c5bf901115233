"""Adversarial premise questions: does the answerer say "no" (with the quote that contradicts the premise) or
refuse, and never present a contradicting quote as the answer to the question as asked?

`python -m evals.premise [--dataset PATH] [--output-json PATH] [--update-readme README.md]` runs the set
(evals/datasets/premise-v1.jsonl, written from the text alone by a writer who never saw the code) and
reports per kind of premise (verb, actor, place, date, quantity, absent):
- handled: answered "no" or refused;
- no+quote: answered "no" citing a paragraph that contradicts the premise, with a quote overlapping the
  writer's contradicting span;
- affirmed: answered as asked while citing a contradicting paragraph (the bar is 0);
- answered: answered as asked at all.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from evals.dataset import DATASETS, DatasetError
from evals.readme import update_readme
from evals.report import _markdown
from index import apply_offline_defaults
from rag import Answer, Answerer
from rag.text import bigrams, coverage

PREMISE_SET = DATASETS / "premise-v1.jsonl"
SOURCE = "`python -m evals.premise`"  # named in the README block's markers
QUOTE_OVERLAP = 0.5  # share of the contradicting span's bigrams a "no" must quote (it may quote more around it)
BAR_HANDLED = 0.90
COLUMNS = [("handled", "no or refused"), ("no_quote", "no + contradicting quote"), ("refused", "refused"),
           ("affirmed", "affirmed (bar 0)"), ("answered", "answered as asked")]


class PremiseRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1)
    question: str = Field(min_length=1, max_length=2000)
    kind: Literal["verb", "actor", "place", "date", "quantity", "absent"]
    lang: Literal["zh", "en"]
    premise: str
    truth: str
    paragraphs: tuple[str, ...] = ()
    contradicting_quote: str = ""
    expected: Literal["no", "refuse"]


def load(path: Path) -> list[PremiseRow]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(PremiseRow.model_validate_json(line))
            except ValueError as exc:
                raise DatasetError(f"{path}:{n}: {exc}") from exc
    return rows


def score(row: PremiseRow, a: Answer) -> dict[str, Any]:
    cited = [c for c in a.citations if c.id in row.paragraphs]
    quoted = bool(row.contradicting_quote) and any(
        coverage(bigrams(row.contradicting_quote), bigrams(c.quote)) >= QUOTE_OVERLAP for c in cited)
    outcome = "refuse" if a.refused else a.verdict
    return {"id": row.id, "kind": row.kind, "lang": row.lang, "question": row.question, "outcome": outcome,
            "handled": outcome in ("no", "refuse"), "no_quote": outcome == "no" and quoted,
            "refused": outcome == "refuse", "affirmed": outcome == "answer" and bool(cited),
            "answered": outcome == "answer", "cited": [c.id for c in a.citations],
            "reason": (a.extra.get("decision") or {}).get("reason"), "answer": a.text[:300]}


def summarise(items: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per kind, then "all": rates for handled/no_quote/refused, counts for affirmed/answered."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for it in items:
        groups.setdefault(it["kind"], []).append(it)
    groups = dict(sorted(groups.items()))
    groups["all"] = list(items)
    out = {}
    for kind, its in groups.items():
        n = len(its)
        out[kind] = {"n": n, **{k: sum(i[k] for i in its) / n for k in ("handled", "no_quote", "refused")},
                     **{k: sum(i[k] for i in its) for k in ("affirmed", "answered")}}
    return out


def run(answerer: Answerer, rows: Iterable[PremiseRow]) -> list[dict[str, Any]]:
    return [score(r, answerer.ask(r.question)) for r in rows]


def block(dataset: str, table: dict[str, dict[str, Any]]) -> str:
    total = table["all"]
    ok = total["handled"] >= BAR_HANDLED and total["affirmed"] == 0
    return "\n".join([f"Measured on `{dataset}` ({total['n']} questions) by `python -m evals.premise`:", "",
                      _markdown(table, "premise kind", COLUMNS), "",
                      f"Bar: no or refused ≥ {BAR_HANDLED:.2f} and 0 affirmed — "
                      + ("pass." if ok else "FAIL.")])


def main(argv: list[str] | None = None) -> int:
    apply_offline_defaults()
    p = argparse.ArgumentParser(description="run the adversarial premise set")
    p.add_argument("--dataset", default=str(PREMISE_SET))
    p.add_argument("--output-json")
    p.add_argument("--update-readme")
    p.add_argument("--first-run", help="write this kept run's saved --output-json instead of running")
    p.add_argument("--block", default="premise", help="the README block to write")
    args = p.parse_args(argv)
    name = Path(args.dataset).name
    if args.first_run:
        table = json.loads(Path(args.first_run).read_text(encoding="utf-8"))["summary"]
        text = f"First run, kept as measured ({args.first_run}):\n\n" + block(name, table)
        update_readme(Path(args.update_readme), text, args.block, SOURCE)
        return 0
    items = run(Answerer.from_settings(), load(Path(args.dataset)))
    table = summarise(items)
    text = block(name, table)
    print(text)
    for it in items:
        if not it["handled"] or it["affirmed"]:
            print(f"  {it['id']} [{it['kind']}] {it['outcome']} {it['reason']}: {it['question']}")
    if args.output_json:
        Path(args.output_json).write_text(json.dumps({"summary": table, "items": items}, ensure_ascii=False,
                                                     indent=1), encoding="utf-8")
    if args.update_readme:
        update_readme(Path(args.update_readme), text, args.block, SOURCE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
