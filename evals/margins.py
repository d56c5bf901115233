"""How close each answer/refuse decision came to a threshold (rag.decide records every comparison's margin).

Dense similarities and the answerability model's probability (a logistic regression over float signals) are
floats another CPU may round differently; lexical coverages are exact ratios of whole numbers, the same
everywhere. A decision whose dense margin is under rag.decide.MARGIN could flip on
another machine, so the report lists the closest ones and a test keeps the public set clear of them.
"""

from __future__ import annotations

from typing import Any

from rag.decide import MARGIN


def margins(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every recorded margin, closest first: (id, signal, margin, verdict)."""
    out = []
    for it in items:
        d = it.get("decision") or {}
        for signal, value in (d.get("margins") or {}).items():
            out.append({"id": it["id"], "signal": signal, "margin": value, "verdict": d.get("verdict"),
                        "float": signal.startswith(("dense", "answerability"))})
    return sorted(out, key=lambda m: abs(m["margin"]))


def too_close(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Decisions a float difference under MARGIN could flip (dense and answerability; lexical ones are exact)."""
    return [m for m in margins(items) if m["float"] and abs(m["margin"]) < MARGIN]


def closest_lines(items: list[dict[str, Any]], n: int = 5) -> list[str]:
    rows = [m for m in margins(items) if m["float"]][:n]
    return [f"{m['id']} {m['signal']} {m['margin']:+.4f} ({m['verdict']})" for m in rows]
