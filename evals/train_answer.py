"""`make train`, second step: fit the answerability model (rag.answerability) on the drafted answers of every
labeled question, and commit it.

    python -m evals.train_answer          # run every labeled set through the answerer (no vetting), fit, save
    python -m evals.train_answer --check  # fit again and compare with the committed model

Only drafts that answer with quotes teach it (a refusal or a "no" is never vetted); the label is the row's
`answerable`. Questions with a false premise are left out (their right reply is a "no", not a refusal), and
so are chat acts (no draft). Logistic regression at the data's own odds (most drafts are right: an answer
is withheld only when the model finds it more likely wrong than right), fixed C: deterministic.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

from evals.dataset import EvalRow, load_jsonl
from evals.kind_data import DATASETS, SETS, data_hash, load_all
from index import Settings, apply_offline_defaults
from rag import Answerer
from rag.answerability import MODEL_PATH, NAMES, AnswerModel
from rag.read import KindModel

C = 1.0
TOLERANCE = 1e-4
ANSWER_SETS = tuple(s for s in SETS if s != "premise-v1")  # premise-v1 rows are not EvalRows (no `answerable`)


def draft_rows(answerer: Answerer, rows: list[EvalRow]) -> list[tuple[np.ndarray, bool]]:
    """(features, answerable) for every row whose draft answers with quotes."""
    out = []
    for row in rows:
        if row.category == "premise":
            continue
        history = [t.model_dump() for t in row.history]
        q = answerer.reader.read(row.question, history)
        if q.act != "ask" or q.injection:
            continue
        draft, _hits = answerer._extractive(q, answerer.settings.k)
        if draft.refused or draft.verdict != "answer" or not draft.citations:
            continue
        out.append((answerer.answer_features(q, draft), row.answerable))
    return out


def set_rows(name: str) -> list[EvalRow]:
    return load_jsonl(DATASETS / f"{name}.jsonl", EvalRow)


def fit(pairs: list[tuple[np.ndarray, bool]]) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    x = np.stack([f for f, _ in pairs])
    y = np.array([a for _, a in pairs])
    clf = LogisticRegression(C=C, max_iter=5000, tol=1e-8, fit_intercept=False)
    clf.fit(x, y)  # the "bias" feature is the intercept
    return clf.coef_[0].astype(np.float64)


def make_answerer(settings: Settings, kind_model: KindModel | None = None) -> Answerer:
    base = Answerer.from_settings(settings)
    return Answerer(base.corpus, base.retriever.store, base.retriever.embedder, settings,
                    kind_model=kind_model, vet=False)


def train(answerer: Answerer, sets: tuple[str, ...] = ANSWER_SETS) -> tuple[AnswerModel, dict[str, Any]]:
    per_set = {name: draft_rows(answerer, set_rows(name)) for name in sets}
    pairs = [p for name in sets for p in per_set[name]]
    meta = {"data_sha256": data_hash(load_all(sets)), "sets": list(sets), "rows": len(pairs), "C": C,
            "features": list(NAMES)}
    return AnswerModel(fit(pairs), meta), per_set


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.train_answer", description=__doc__.split("\n")[0])
    ap.add_argument("--output", type=Path, default=MODEL_PATH)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    apply_offline_defaults()
    model, _ = train(make_answerer(Settings.from_env()))
    if args.check:
        old = AnswerModel.load(args.output)
        same = old is not None and np.allclose(old.weights, model.weights, atol=TOLERANCE) and \
            old.meta.get("data_sha256") == model.meta.get("data_sha256")
        print("identical to a fresh fit" if same else "differs from a fresh fit")
        return 0 if same else 1
    model.save(args.output)
    print(f"wrote {args.output}: {model.meta['rows']} drafted answers")
    for name, w in sorted(zip(NAMES, model.weights, strict=True), key=lambda kv: -abs(kv[1]))[:12]:
        print(f"  {name:16s} {w:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
