"""Human-readable eval output: the summary table printed by the CLI, report.md and report.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

COLUMNS = [
    ("recall@5", "R@5"), ("mrr", "MRR"), ("ndcg@10", "nDCG@10"), ("citation_validity", "valid"),
    ("cite_precision", "cite P"), ("cite_recall", "cite R"), ("citation_recall", "ALCE R"),
    ("citation_precision", "ALCE P"), ("key_fact_recall", "facts"), ("refusal_recall", "refuse R"),
    ("false_refusal", "false ref"), ("crag", "CRAG"), ("latency_p50_ms", "p50 ms"),
]


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"
    return str(v)


def _markdown(rows: dict[str, dict[str, Any]], first: str, columns: list[tuple[str, str]]) -> str:
    head = f"| {first} | n | " + " | ".join(label for _, label in columns) + " |"
    sep = "|---|---:|" + "---:|" * len(columns)
    body = [f"| {name} | {s.get('n', '')} | " + " | ".join(_fmt(s.get(key)) for key, _ in columns) + " |"
            for name, s in rows.items()]
    return "\n".join([head, sep, *body])


def table(rows: dict[str, dict[str, Any]]) -> str:
    """A Markdown table: one row per system (or category), the headline metrics as columns."""
    return _markdown(rows, "system", COLUMNS)


KIND_COLUMNS = [("key_fact_recall", "facts"), ("cite_recall", "cite R"), ("cite_precision", "cite P"),
                ("recall@5", "R@5"), ("refusal_recall", "refuse R"), ("false_refusal", "false ref"),
                ("premise_no", "says no")]


def category_table(categories: dict[str, dict[str, Any]]) -> str:
    """Per kind of question: the figures the answerer is judged by."""
    return _markdown(categories, "kind", KIND_COLUMNS)


def support_table(support: dict[str, Any]) -> str:
    """Per kind of hand-labelled support pair: how many pairs, and how often supports() agrees with the label."""
    counts = support.get("per_kind_n", {})
    body = [f"| {kind} | {counts.get(kind, '')} | {agree:.3f} |" for kind, agree in support["per_kind"].items()]
    return "\n".join(["| pair kind | n | agreement |", "|---|---:|---:|", *body])


def _problems(item: dict[str, Any]) -> list[str]:
    out = []
    if item["answerable"]:
        if item["refused"]:
            out.append("refused an answerable question")
        elif not item.get("all_facts"):
            out.append("missing key facts")
        if item.get("recall@5", 1) < 1:
            out.append(f"gold {item['gold']} not in top 5")
        if item.get("cite_precision") is not None and item["cite_precision"] < 1:
            out.append("cited outside gold/accept")
    elif not item["refused"]:
        out.append("answered an unanswerable question")
    if not item.get("valid", True):
        out.append("cited a paragraph that does not exist")
    return out


def worst(items: list[dict[str, Any]], n: int = 15) -> list[tuple[dict[str, Any], list[str]]]:
    scored = [(it, _problems(it)) for it in items]
    return sorted([x for x in scored if x[1]], key=lambda x: (-len(x[1]), x[0]["id"]))[:n]


def write_markdown(path: Path, summary: dict[str, Any], categories: dict[str, dict[str, Any]],
                   items: list[dict[str, Any]], extra_rows: dict[str, dict[str, Any]] | None = None,
                   support: dict[str, Any] | None = None) -> None:
    lines = ["# resqa grounding evaluation", "", "## Summary", "", table({"resqa": summary, **(extra_rows or {})}),
             "", "## Per category", "", table(categories), "", category_table(categories), ""]
    if summary.get("closest_margins"):
        lines += ["## Closest decisions", "", "Dense-similarity margins nearest a threshold (a float difference "
                  "under 0.01 could flip a decision on another CPU; lexical margins are exact):", ""]
        lines += [f"- {line}" for line in summary["closest_margins"]] + [""]
    if support:
        lines += ["## Support function vs hand labels", "",
                  f"{support['pairs']} pairs, agreement {support['agreement']:.3f}; per kind: "
                  + ", ".join(f"{k} {v:.2f}" for k, v in support["per_kind"].items()), ""]
        lines += [support_table(support), ""]
    lines += ["## Worst items", ""]
    for it, problems in worst(items):
        lines.append(f"- **{it['id']}** ({it['category']}) {it['question']} — {'; '.join(problems)}")
        lines.append(f"  - answer: {it['answer'][:160].replace(chr(10), ' ')}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_png(path: Path, categories: dict[str, dict[str, Any]]) -> None:
    """Per-category bars: recall@5, key-fact recall and refusal recall (matplotlib, headless)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(categories)
    metrics = [("recall@5", "recall@5"), ("key_fact_recall", "key facts"), ("refusal_recall", "refusal recall"),
               ("cite_precision", "citation precision")]
    fig, ax = plt.subplots(figsize=(max(6, 1.4 * len(names)), 4))
    width = 0.8 / len(metrics)
    for i, (key, label) in enumerate(metrics):
        vals = [categories[n].get(key) or 0.0 for n in names]
        ax.bar([x + i * width for x in range(len(names))], vals, width, label=label)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(names))], names, rotation=20)
    ax.set_ylim(0, 1.05)
    ax.set_title("resqa: grounding metrics per category")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
