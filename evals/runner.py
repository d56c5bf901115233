"""Run a dataset through the Answerer (or score another system's answers) and collect per-item metrics."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from evals.dataset import AnswerRow, EvalRow
from evals.metrics import Produced, score_item, summarize
from index import Corpus
from rag import Answer, Answerer


def produced_from_answer(a: Answer) -> Produced:
    return Produced(a.text, a.refused, tuple((c.id, c.quote) for c in a.citations),
                    tuple(h.id for h in a.retrieved), a.latency_ms, a.verdict)


def produced_from_row(r: AnswerRow) -> Produced:
    refused = r.refused if r.refused is not None else not r.citations
    return Produced(r.answer, refused, tuple((c.id, c.quote) for c in r.citations), r.retrieved, r.latency_ms)


def _item(row: EvalRow, p: Produced, corpus: Corpus) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": row.id, "question": row.question, "lang": row.lang, "category": row.category,
        "answerable": row.answerable, "gold": list(row.gold), "answer": p.text, "refused": p.refused,
        "verdict": p.verdict,
        "citations": [{"id": cid, "quote": q} for cid, q in p.citations],
        "retrieved": [{"id": pid} for pid in p.retrieved], "latency_ms": p.latency_ms,
    }
    item.update(score_item(row, p, corpus))
    return item


def run_answerer(answerer: Answerer, rows: Iterable[EvalRow], k: int = 10,
                 progress: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
    items = []
    for n, row in enumerate(rows, start=1):
        t0 = time.perf_counter()
        history = [t.model_dump() for t in row.history]
        ans = answerer.ask(row.question, history=history, k=k)
        p = produced_from_answer(ans)
        item = _item(row, p, answerer.corpus)
        item["decision"] = ans.extra.get("decision", {})
        item["latency_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        item["retrieved"] = [{"id": h.id, "score": h.score} for h in ans.retrieved]
        item["backend"] = ans.backend
        items.append(item)
        if progress:
            progress(n)
    return items


def score_answers(rows: list[EvalRow], answers: list[AnswerRow], corpus: Corpus) -> list[dict[str, Any]]:
    """Items for answers another system produced; a question it did not answer counts as refused."""
    by_id = {a.id: a for a in answers}
    items = []
    for row in rows:
        a = by_id.get(row.id)
        p = produced_from_row(a) if a else Produced("", True, (), ())
        items.append(_item(row, p, corpus))
    return items


def by_category(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for it in items:
        groups.setdefault(it["category"], []).append(it)
    return {cat: summarize(group) for cat, group in sorted(groups.items())}
