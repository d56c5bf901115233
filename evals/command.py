"""`resqa eval`: arguments and the run (answerer or another system's answers, baseline, reports, gate)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evals.args import add_eval_arguments  # noqa: F401 - where the CLI used to find it
from evals.baseline_e5 import LABEL as FAIR_BASELINE
from evals.dataset import AnswerRow, EvalRow, load_jsonl
from evals.margins import closest_lines
from evals.metrics import Produced, gate_failures, score_item, summarize
from evals.report import support_table, table, write_markdown, write_png
from evals.runner import by_category, run_answerer, score_answers
from evals.support_check import check_support
from index import Corpus, Settings, load_corpus, load_corpus_for


def _baseline_summary(rows: list[EvalRow], settings: Settings) -> dict[str, Any]:
    from evals.baseline import Baseline
    from index import make_client

    corpus = load_corpus()
    return _summarize_run(Baseline(corpus, make_client(settings)).run(rows), corpus)


def _fair_baseline_summary(rows: list[EvalRow]) -> dict[str, Any]:
    from evals.baseline_e5 import ParagraphBaseline, ephemeral_client

    corpus = load_corpus()
    return _summarize_run(ParagraphBaseline(corpus, ephemeral_client()).run(rows), corpus)


def _summarize_run(produced: list[tuple[EvalRow, Produced]], corpus: Corpus) -> dict[str, Any]:
    items = []
    for row, p in produced:
        item = score_item(row, p, corpus)
        item["latency_ms"] = p.latency_ms
        items.append(item)
    return summarize(items)


def _answered(done: int, total: int) -> None:
    if done == total or done % 10 == 0:
        print(f"\ranswered {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)


def run_eval_command(args: argparse.Namespace, settings: Settings, notify: Callable[[str], None],
                     progress: Callable[[int, int], None]) -> int:
    corpus = load_corpus_for(settings.corpus)  # the bundled resolution, or another one's (--corpus)
    rows = load_jsonl(args.dataset, EvalRow, set(corpus.ids))
    t0 = time.perf_counter()
    if args.answers:
        items = score_answers(rows, load_jsonl(args.answers, AnswerRow), corpus)
        system = f"answers: {Path(args.answers).name}"
    else:
        from rag import Answerer

        qa = Answerer.from_settings(settings, notify=notify, progress=progress)
        items = run_answerer(qa, rows, k=args.k, progress=lambda n: _answered(n, len(rows)))
        system = f"resqa ({qa.backend_name}, {settings.embedder})"
    summary = summarize(items)
    summary["dataset"] = Path(args.dataset).name
    summary["closest_margins"] = closest_lines(items)
    summary["seconds"] = round(time.perf_counter() - t0, 1)
    # The support function's hand labels are sentences of the bundled resolution.
    support = check_support(load_corpus())
    summary["support_agreement"] = support["agreement"]
    rows_out = {system: summary}
    if args.baseline:
        notify("running the baseline (LangChain + Chroma + all-MiniLM-L6-v2, 500-character chunks)")
        rows_out["baseline: LangChain+Chroma+MiniLM, 500-char chunks"] = _baseline_summary(rows, settings)
        notify("running the fair baseline (LangChain + Chroma + e5, one chunk per paragraph, top-1 answer)")
        rows_out[FAIR_BASELINE] = _fair_baseline_summary(rows)
    categories = by_category(items)
    print(table(rows_out))
    print(f"\nsupport function agreement with {support['pairs']} hand labels: {support['agreement']:.3f}")
    print(support_table(support))
    fails = gate_failures(summary)
    print("gate: " + ("pass" if not fails else "FAIL — " + "; ".join(fails)))
    if args.output_json:
        out = Path(args.output_json)
        out.parent.mkdir(parents=True, exist_ok=True)
        payload = {"summary": summary, "systems": rows_out, "categories": categories, "items": items,
                   "support": support}
        out.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.report_dir:
        d = Path(args.report_dir)
        d.mkdir(parents=True, exist_ok=True)
        extra = {k: v for k, v in rows_out.items() if k != system}
        write_markdown(d / "report.md", summary, categories, items, extra, support)
        write_png(d / "report.png", categories)
    if args.update_readme:
        from evals.readme import readme_block, update_readme

        block = readme_block(summary, rows_out, categories, support, fails, gated=args.readme_block == "public")
        update_readme(Path(args.update_readme), block, args.readme_block)
    if args.gate and fails:
        print("resqa: eval gate failed", file=sys.stderr)
        return 3
    return 0
