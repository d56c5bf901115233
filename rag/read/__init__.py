"""The reading stage: raw text + history → `Question` (rag.question). Nothing after it reads the raw string."""

from rag.read.features import DIM, Structure, features
from rag.read.kinds import MODEL_PATH, KindModel, ModelError
from rag.read.reader import Prepared, Reader

__all__ = ["DIM", "MODEL_PATH", "KindModel", "ModelError", "Prepared", "Reader", "Structure", "features"]
