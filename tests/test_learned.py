"""The reader's models are reproducible from the labeled data: `make train` on the committed data gives the
committed models — the same data hash, and the same reading of every labeled question (weights equal up to
the float rounding of another CPU, which may move the 4-bit e5 engine's vectors in their last bits) — and a
changed label changes the hash."""

from __future__ import annotations

import numpy as np
import pytest

from evals.kind_data import SETS, data_hash, load_all
from rag.answerability import AnswerModel
from rag.read import KindModel


def test_the_committed_models_name_the_data_they_were_trained_on():
    rows = load_all(SETS)
    assert KindModel.load().meta["data_sha256"] == data_hash(rows)
    answer = AnswerModel.load()
    assert answer is not None and answer.meta["sets"] and set(answer.meta["sets"]) <= set(SETS)


def test_changing_one_label_changes_the_data_hash():
    from dataclasses import replace

    rows = load_all(SETS)
    flipped = [replace(rows[0], kind="list" if rows[0].kind != "list" else "fact"), *rows[1:]]
    assert data_hash(flipped) != data_hash(rows)


@pytest.mark.slow
def test_retraining_the_kind_model_gives_the_committed_one():
    from evals import train

    rows = load_all(SETS)
    x = train.feature_rows(rows)
    fresh, committed = train.train(rows, x), KindModel.load()
    assert fresh.meta["data_sha256"] == committed.meta["data_sha256"] and fresh.classes == committed.classes
    assert train.predict(fresh, x) == train.predict(committed, x)  # every labeled question read alike
    assert train.same(fresh, committed) == [] or np.abs(fresh.weights - committed.weights).max() < 0.05


@pytest.mark.slow
def test_retraining_the_answerability_model_gives_the_committed_one(settings):
    from evals import train_answer

    fresh, per_set = train_answer.train(train_answer.make_answerer(settings))
    committed = AnswerModel.load()
    assert committed is not None and committed.meta["data_sha256"] == fresh.meta["data_sha256"]
    assert committed.meta["rows"] == fresh.meta["rows"]  # the same drafted answers to learn from
    rows = [f for pairs in per_set.values() for f, _ in pairs]
    assert [fresh.probability(f) >= 0.5 for f in rows] == [committed.probability(f) >= 0.5 for f in rows]
    assert np.abs(committed.weights - fresh.weights).max() < 0.05
