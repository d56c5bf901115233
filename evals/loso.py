"""Leave-one-set-out: the honest figures of a reader that learns from labeled questions.

For every labeled set S: train the kind model on every other set (evals.train) and the answerability
model on every other set's drafted answers (evals.train_answer), answer S with both, score it. No label of
S reaches the models that answer it, so S's figures are what a new set of questions would get; a set's
rerun after its failures were read is not. Writes JSON and, with --update, a markdown block (README/docs).

    python -m evals.loso --output-json evals/results/loso.json [--update README.md --block loso]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from evals import train, train_answer
from evals.kind_data import SETS, load_all
from evals.metrics import summarize
from evals.readme import update_readme
from evals.runner import by_category, run_answerer
from index import Settings, apply_offline_defaults
from rag.answerability import AnswerModel

SOURCE = "`python -m evals.loso`"
HEADLINE = ("key_fact_recall", "cite_recall", "cite_precision", "refusal_recall", "false_refusal", "recall@5",
            "chat_ok")


def run(settings: Settings) -> dict[str, Any]:
    rows = load_all(SETS)
    x = train.feature_rows(rows)
    full = train_answer.make_answerer(settings, train.train(rows, x))
    drafts = {name: train_answer.draft_rows(full, train_answer.set_rows(name)) for name in train_answer.ANSWER_SETS}
    out: dict[str, Any] = {"sets": {}}
    pooled: list[dict[str, Any]] = []
    for held in train_answer.ANSWER_SETS:
        keep = [i for i, r in enumerate(rows) if r.set != held]
        kinds = train.train([rows[i] for i in keep], x[keep])
        weights = train_answer.fit([p for name, pairs in drafts.items() if name != held for p in pairs])
        answerer = train_answer.make_answerer(settings, kinds)
        answerer.checks.answer_model = AnswerModel(weights, {"held_out": held})
        items = run_answerer(answerer, train_answer.set_rows(held))
        for it in items:
            it["set"] = held
        pooled += items
        out["sets"][held] = {"summary": summarize(items), "categories": by_category(items)}
        print(held, {k: out["sets"][held]["summary"].get(k) for k in HEADLINE}, flush=True)
    out["pooled"] = {"summary": summarize(pooled), "categories": by_category(pooled)}
    return out


def _f(v: Any) -> str:
    return "—" if v is None else f"{v:.3f}"


def markdown(report: dict[str, Any]) -> str:
    names = ("facts", "cite R", "cite P", "refusal R", "false ref.", "R@5", "chat")
    head = "| held-out set | n | " + " | ".join(names) + " |\n|---|---:|" + "---:|" * len(names)
    lines = [head]
    for name, s in [*report["sets"].items(), ("**all, pooled**", report["pooled"])]:
        sm = s["summary"]
        lines.append(f"| {name} | {sm['n']} | " + " | ".join(_f(sm.get(k)) for k in HEADLINE) + " |")
    cats = report["pooled"]["categories"]
    lines += ["", "Pooled, per kind of question (category) — facts / false refusals / refusal recall:", "",
              "| category | n | facts | false ref. | refusal R | chat |", "|---|---:|---:|---:|---:|---:|"]
    for cat, c in cats.items():
        lines.append(f"| {cat} | {c['n']} | {_f(c.get('key_fact_recall'))} | {_f(c.get('false_refusal'))} | "
                     f"{_f(c.get('refusal_recall'))} | {_f(c.get('chat_ok'))} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.loso", description=__doc__.split("\n")[0])
    ap.add_argument("--output-json", type=Path, required=True)
    ap.add_argument("--from-json", action="store_true", help="render the saved JSON, run nothing")
    ap.add_argument("--update", type=Path, help="a Markdown file with the block's markers")
    ap.add_argument("--block", default="loso")
    args = ap.parse_args(argv)
    apply_offline_defaults()
    if args.from_json:
        report = json.loads(args.output_json.read_text(encoding="utf-8"))
    else:
        report = run(Settings.from_env())
        slim = {k: v for k, v in report.items()}
        args.output_json.write_text(json.dumps(slim, ensure_ascii=False, indent=1, default=float) + "\n",
                                    encoding="utf-8")
    text = markdown(report)
    print(text)
    if args.update:
        update_readme(args.update, text, args.block, SOURCE)
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
