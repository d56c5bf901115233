"""resqa's grounding evaluation: datasets, metrics, the runner, reports and the baseline.

The names below are imported when first used: `import evals.args` (the CLI's parser) loads no answerer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from index.lazy import lazy_attribute

if TYPE_CHECKING:
    from evals.dataset import PUBLIC, SUPPORT_PAIRS, AnswerRow, DatasetError, EvalRow, SupportPair, load_jsonl
    from evals.metrics import GATE, Produced, gate_failures, score_item, summarize
    from evals.runner import run_answerer, score_answers
    from evals.support_check import check_support

_WHERE = {**dict.fromkeys(("PUBLIC", "SUPPORT_PAIRS", "AnswerRow", "DatasetError", "EvalRow", "SupportPair",
                           "load_jsonl"), "evals.dataset"),
          **dict.fromkeys(("GATE", "Produced", "gate_failures", "score_item", "summarize"), "evals.metrics"),
          **dict.fromkeys(("run_answerer", "score_answers"), "evals.runner"), "check_support": "evals.support_check"}

__all__ = [
    "GATE",
    "PUBLIC",
    "SUPPORT_PAIRS",
    "AnswerRow",
    "DatasetError",
    "EvalRow",
    "Produced",
    "SupportPair",
    "check_support",
    "gate_failures",
    "load_jsonl",
    "run_answerer",
    "score_answers",
    "score_item",
    "summarize",
]


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _WHERE, globals(), name)
