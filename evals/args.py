"""The flags of `resqa eval`, apart from the command itself: building the parser (`resqa --help`) must not
import the answerer, Chroma or matplotlib, which running an eval does."""

from __future__ import annotations

import argparse

from evals.dataset import PUBLIC


def add_eval_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dataset", default=str(PUBLIC), help="JSONL eval set (default: the public set)")
    p.add_argument("--output-json", help="write {summary, items} here")
    p.add_argument("--report-dir", help="write report.md and report.png here")
    p.add_argument("--llm", help="answer with this LLM (provider:model) instead of extractively")
    p.add_argument("--answers", help="score another system's answers (JSONL: id, answer, citations, retrieved)")
    p.add_argument("--baseline", action="store_true", help="also run both baselines (MiniLM 500-char; e5 paragraphs)")
    p.add_argument("--k", type=int, default=10, help="paragraphs retrieved per question (default 10)")
    p.add_argument("--gate", action="store_true", help="exit 3 when a gate threshold is not met")
    p.add_argument("--update-readme", help="write the summary into this README between the eval markers")
    p.add_argument("--readme-block", default="public", help="which marked README block to write (default public)")
