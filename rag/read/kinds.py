"""The learned kind model: a multinomial logistic regression over `rag.read.features`, trained by
`make train` (evals/train.py) on the labeled question sets and committed as a small file beside this module.

Inference is a matrix product and a softmax in numpy: scikit-learn is needed to train, never to answer.
The file records the sha256 of the labeled data it was trained on, so a test can retrain and compare.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.read.features import DIM

MODEL_PATH = Path(__file__).with_name("kinds.npz")


class ModelError(ValueError):
    """A kind model file that is missing or does not fit the features; the message says how to rebuild it."""


@dataclass(frozen=True)
class KindModel:
    classes: tuple[str, ...]
    weights: np.ndarray  # (classes, DIM)
    bias: np.ndarray  # (classes,)
    meta: dict[str, object]  # training data hash, sets, sizes, solver settings

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> KindModel:
        try:
            with np.load(path, allow_pickle=False) as z:
                weights, bias = z["weights"].astype(np.float32), z["bias"].astype(np.float32)
                meta = json.loads(str(z["meta"]))
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"cannot read the kind model {path}: {exc}; rebuild it with `make train`") from exc
        classes = tuple(meta["classes"])
        if weights.shape != (len(classes), DIM) or bias.shape != (len(classes),):
            raise ModelError(f"the kind model {path} has shape {weights.shape}, the features {DIM} columns; "
                             "rebuild it with `make train`")
        return cls(classes, weights, bias, meta)

    def save(self, path: Path = MODEL_PATH) -> None:
        meta = dict(self.meta, classes=list(self.classes))
        np.savez_compressed(path, weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
                            meta=np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True)))

    def probabilities(self, row: np.ndarray) -> dict[str, float]:
        z = self.weights @ row + self.bias
        e = np.exp(z - z.max())
        p = e / e.sum()
        return {k: float(v) for k, v in zip(self.classes, p, strict=True)}
