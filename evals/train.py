"""`make train`: fit the reader's kind model on every labeled question and commit it; report leave-one-set-out.

    python -m evals.train                 # fit on all sets, write rag/read/kinds.npz
    python -m evals.train --loso PATH     # also train on all sets but one, test on it, for every set (JSON)
    python -m evals.train --check         # fit again and compare with the committed model (exit 1 if not equal)

The features are the reader's own (rag.read.features) for the question as the reader prepares it (wording
mended, the follow-up placed in its history), so training sees exactly what answering sees. The model is a
multinomial logistic regression (scikit-learn's lbfgs, a fixed C, no randomness): the same data give the
same weights on any machine, up to float rounding — `--check` allows 1e-4.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from evals.kind_data import SETS, Labeled, data_hash, load_all
from index import apply_offline_defaults, load_corpus, make_embedder
from rag.read import MODEL_PATH, KindModel, Reader

C = 30.0  # inverse regularisation and balanced class weights (rare chat acts count as much as facts):
CLASS_WEIGHT = "balanced"  # chosen once by the median leave-one-set-out accuracy, not per set
MAX_ITER = 5000
TOLERANCE = 1e-4  # how far a retrained weight may differ from the committed one (float rounding across CPUs)


def feature_rows(rows: list[Labeled]) -> np.ndarray:
    """Each labeled question read as the reader reads it, as one feature row."""
    corpus = load_corpus()
    embedder = make_embedder("e5")
    cache: dict[str, np.ndarray] = {}

    def embed(text: str) -> np.ndarray:
        if text not in cache:
            cache[text] = np.asarray(embedder.embed_query(text[:512]), dtype=np.float32)
        return cache[text]

    reader = Reader(corpus, embed, model=_placeholder())
    return np.stack([reader.features(reader.prepare(r.question, list(r.history))) for r in rows])


def _placeholder() -> KindModel:
    """The reader's features need no model; this empty one keeps it from loading the committed file."""
    from rag.read.features import DIM

    return KindModel(("fact",), np.zeros((1, DIM), np.float32), np.zeros(1, np.float32), {})


def fit(x: np.ndarray, kinds: list[str]) -> KindModel:
    from sklearn.linear_model import LogisticRegression

    classes = tuple(sorted(set(kinds)))
    clf = LogisticRegression(C=C, class_weight=CLASS_WEIGHT, max_iter=MAX_ITER, tol=1e-8)
    clf.fit(x, kinds)
    assert tuple(clf.classes_) == classes
    return KindModel(classes, clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32), {})


def train(rows: list[Labeled], x: np.ndarray) -> KindModel:
    import sklearn

    model = fit(x, [r.kind for r in rows])
    meta: dict[str, Any] = {"data_sha256": data_hash(rows), "sets": sorted({r.set for r in rows}),
                            "rows": len(rows), "C": C, "class_weight": CLASS_WEIGHT, "sklearn": sklearn.__version__,
                            "kinds": dict(sorted(Counter(r.kind for r in rows).items()))}
    return KindModel(model.classes, model.weights, model.bias, meta)


def predict(model: KindModel, x: np.ndarray) -> list[str]:
    return [max(p.items(), key=lambda kv: kv[1])[0] for p in (model.probabilities(row) for row in x)]


def leave_one_set_out(rows: list[Labeled], x: np.ndarray) -> dict[str, Any]:
    """Train on every set but one (and no question the held-out set also asks), test on it; for every set."""
    out: dict[str, Any] = {"sets": {}, "kinds": {}}
    per_kind: dict[str, list[bool]] = defaultdict(list)
    for held in dict.fromkeys(r.set for r in rows):
        test = [i for i, r in enumerate(rows) if r.set == held]
        asked = {rows[i].question for i in test}
        train_i = [i for i, r in enumerate(rows) if r.set != held and r.question not in asked]
        model = fit(x[train_i], [rows[i].kind for i in train_i])
        got = predict(model, x[test])
        right = [g == rows[i].kind for g, i in zip(got, test, strict=True)]
        for ok, i in zip(right, test, strict=True):
            per_kind[rows[i].kind].append(ok)
        wrong = [{"id": rows[i].id, "question": rows[i].question, "kind": rows[i].kind, "read_as": g}
                 for g, i, ok in zip(got, test, right, strict=True) if not ok]
        out["sets"][held] = {"n": len(test), "accuracy": round(sum(right) / len(test), 4), "wrong": wrong}
    out["kinds"] = {k: {"n": len(v), "accuracy": round(sum(v) / len(v), 4)} for k, v in sorted(per_kind.items())}
    return out


def same(a: KindModel, b: KindModel) -> list[str]:
    """What differs between two models (empty when they are the same up to TOLERANCE)."""
    diffs = []
    if a.classes != b.classes:
        diffs.append(f"classes {a.classes} vs {b.classes}")
    elif not (np.allclose(a.weights, b.weights, atol=TOLERANCE) and np.allclose(a.bias, b.bias, atol=TOLERANCE)):
        diffs.append(f"weights differ by up to {float(np.abs(a.weights - b.weights).max()):.2e}")
    if a.meta.get("data_sha256") != b.meta.get("data_sha256"):
        diffs.append(f"training data {a.meta.get('data_sha256')} vs {b.meta.get('data_sha256')}")
    return diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.train", description=__doc__.split("\n")[0])
    ap.add_argument("--output", type=Path, default=MODEL_PATH)
    ap.add_argument("--loso", type=Path, help="write leave-one-set-out figures to this JSON file")
    ap.add_argument("--check", action="store_true", help="retrain and compare with the committed model")
    args = ap.parse_args(argv)
    apply_offline_defaults()
    rows = load_all(SETS)
    x = feature_rows(rows)
    model = train(rows, x)
    if args.check:
        diffs = same(model, KindModel.load(args.output))
        print("\n".join(diffs) if diffs else f"{args.output}: identical to a fresh fit on {len(rows)} questions")
        return 1 if diffs else 0
    model.save(args.output)
    digest = str(model.meta["data_sha256"])[:12]
    print(f"wrote {args.output}: {len(rows)} questions, {len(model.classes)} kinds, data {digest}")
    if args.loso:
        report = leave_one_set_out(rows, x)
        args.loso.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        for name, s in report["sets"].items():
            print(f"  {name:14s} n={s['n']:4d} accuracy {s['accuracy']:.3f}")
        for kind, s in report["kinds"].items():
            print(f"  {kind:10s} n={s['n']:4d} accuracy {s['accuracy']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
