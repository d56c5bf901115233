"""resqa's grounding evaluation: datasets, metrics, the runner, reports and the baseline."""

from evals.dataset import PUBLIC, SUPPORT_PAIRS, AnswerRow, DatasetError, EvalRow, SupportPair, load_jsonl
from evals.metrics import GATE, Produced, gate_failures, score_item, summarize
from evals.runner import run_answerer, score_answers
from evals.support_check import check_support

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
