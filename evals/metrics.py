"""Grounding metrics, per question and summed up. Definitions (also in README):

Retrieval (answerable questions): recall@k = |gold ∩ top-k| / min(|gold|, k) (capped recall);
hit@5 = any gold in the top 5;
MRR = 1 / rank of the first gold id; nDCG@10 with binary gain for gold ids.
Citations: validity = every cited id exists (per answer); precision = cited ids in gold ∪ accept / cited ids;
recall = gold ids cited / gold ids; coverage = answer sentences with ≥1 citation / sentences;
verbatim = quotes found verbatim in their paragraph / citations with a quote.
Grounding (ALCE, deterministic support): citation recall = sentences supported by the union of the texts
they cite; citation precision = citations that are needed (they support the sentence alone, or the others
do not without them) / citations. support() is rag.verify.supports.
Answers: key-fact recall = must_include strings found (whitespace-insensitive) / all; all-facts = every one.
Abstention: refusal recall = unanswerable refused (or answered "no": a false premise contradicted) /
unanswerable; false refusals = answerable refused / answerable; CRAG-style score = mean of +1 (answerable
answered with all facts and valid citations, or
unanswerable refused), 0 (answerable refused), −1 (anything else: a wrong or ungrounded answer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import mean
from typing import Any

from evals.dataset import CHAT_REPLIES, EvalRow
from index import Corpus
from rag import split_sentences, supports
from rag.text import squash
from rag.verify import cited_ids


@dataclass(frozen=True)
class Produced:
    """One system's answer to one question, in the shape every scorer takes."""

    text: str
    refused: bool
    citations: tuple[tuple[str, str | None], ...]  # (id, quote)
    retrieved: tuple[str, ...]
    latency_ms: float | None = None
    verdict: str | None = None  # "no": the system said the question's premise is false, and quoted why


def _retrieval(row: EvalRow, retrieved: tuple[str, ...]) -> dict[str, float]:
    gold = set(row.gold)
    # Capped recall (BEIR's R_cap@k): a list of eight gold paragraphs can put at most five in the top 5.
    out = {f"recall@{k}": len(gold & set(retrieved[:k])) / min(len(gold), k) for k in (1, 3, 5)}
    out["hit@5"] = float(bool(gold & set(retrieved[:5])))
    ranks = [i + 1 for i, pid in enumerate(retrieved) if pid in gold]
    out["mrr"] = 1.0 / ranks[0] if ranks else 0.0
    dcg = sum(1.0 / math.log2(i + 2) for i, pid in enumerate(retrieved[:10]) if pid in gold)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(gold), 10)))
    out["ndcg@10"] = dcg / ideal
    return out


def _grounding(p: Produced, corpus: Corpus) -> dict[str, float]:
    sentences = split_sentences(p.text)
    cited_sentences = [(s, [i for i in cited_ids(s, corpus) if corpus.get(i)]) for s in sentences]
    with_cites = [(s, ids) for s, ids in cited_sentences if ids]
    text = {par.id: par.text for par in corpus.paragraphs}
    recall_hits, needed, total = 0, 0, 0
    for s, ids in with_cites:
        joined = " ".join(text[i] for i in ids)
        ok = supports(s, joined)
        recall_hits += ok
        for i in ids:
            total += 1
            rest = [j for j in ids if j != i]
            alone = supports(s, text[i])
            others = bool(rest) and supports(s, " ".join(text[j] for j in rest))
            needed += ok and (alone or not others)
    return {
        "coverage": len(with_cites) / len(sentences) if sentences else 0.0,
        "citation_recall": recall_hits / len(with_cites) if with_cites else 0.0,
        "citation_precision": needed / total if total else 0.0,
    }


def score_item(row: EvalRow, p: Produced, corpus: Corpus) -> dict[str, Any]:
    m: dict[str, Any] = {}
    ids = [cid for cid, _ in p.citations]
    m["valid"] = all(corpus.get(cid) is not None for cid in ids)
    quoted = [(cid, q) for cid, q in p.citations if q]
    m["verbatim"] = (sum(bool(corpus.get(cid)) and q in corpus.get(cid).text for cid, q in quoted)  # type: ignore
                     / len(quoted)) if quoted else None
    if row.kind in CHAT_REPLIES:
        # A greeting, thanks or help: the reply is a chat reply that cites nothing, never a refusal.
        m["chat_ok"] = p.verdict == "chat" and not ids
        m["crag"] = 1 if m["chat_ok"] else -1
    elif row.answerable:
        m.update(_retrieval(row, p.retrieved))
        facts = [squash(f) in squash(p.text) for f in row.must_include]
        m["key_fact_recall"] = mean(facts) if facts else 1.0
        m["all_facts"] = all(facts)
        allowed = set(row.gold) | set(row.accept)
        m["cite_precision"] = (sum(cid in allowed for cid in ids) / len(ids)) if ids else None
        m["cite_recall"] = len(set(row.gold) & set(ids)) / len(row.gold)
        m["false_refusal"] = p.refused
        if row.category == "premise":
            m["premise_no"] = p.verdict == "no"  # a contradicted premise must be answered "no"
        good = (not p.refused) and m["all_facts"] and m["valid"] and bool(ids)
        m["crag"] = 0 if p.refused else (1 if good else -1)
    else:
        # A false premise may be refused or answered "no" with the quote that contradicts it; a chat reply
        # (to a message that asks nothing of the text) claims and cites nothing, so it abstains too.
        m["refused_ok"] = p.refused or p.verdict in ("no", "chat")
        m["crag"] = 1 if m["refused_ok"] else -1
    if not p.refused:
        m.update(_grounding(p, corpus))
    return m


def _avg(items: list[dict[str, Any]], key: str) -> float | None:
    vals = [float(i[key]) for i in items if i.get(key) is not None]
    return round(mean(vals), 4) if vals else None


def summarize(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Means over the items where a metric applies; latency percentiles over all."""
    keys = ["recall@1", "recall@3", "recall@5", "hit@5", "mrr", "ndcg@10", "cite_precision", "cite_recall",
            "coverage", "verbatim", "citation_recall", "citation_precision", "key_fact_recall", "all_facts",
            "false_refusal", "crag", "premise_no", "chat_ok"]
    out: dict[str, Any] = {"n": len(items), "answerable": sum("mrr" in i for i in items)}
    for key in keys:
        out[key] = _avg(items, key)
    out["citation_validity"] = _avg(items, "valid")
    out["refusal_recall"] = _avg(items, "refused_ok")
    lat = sorted(i["latency_ms"] for i in items if i.get("latency_ms") is not None)
    if lat:
        out["latency_p50_ms"] = round(lat[len(lat) // 2], 2)
        out["latency_p95_ms"] = round(lat[min(len(lat) - 1, int(len(lat) * 0.95))], 2)
    return out


GATE = {
    "recall@5": (">=", 0.95),
    "citation_validity": (">=", 1.0),
    "cite_precision": (">=", 0.90),
    "key_fact_recall": (">=", 0.85),
    "refusal_recall": (">=", 0.80),
    "false_refusal": ("<=", 0.05),
}


def gate_failures(summary: dict[str, Any]) -> list[str]:
    fails = []
    for key, (op, bound) in GATE.items():
        value = summary.get(key)
        ok = value is not None and (value >= bound if op == ">=" else value <= bound)
        if not ok:
            fails.append(f"{key} = {value} (needs {op} {bound})")
    return fails
