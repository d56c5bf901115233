"""resqa's index layer: the bundled resolution → paragraphs → embeddings → Chroma.

Nothing here imports `rag`, `ui` or `evals`.
"""

from index.offline import apply_offline_defaults

apply_offline_defaults()

from index.anchors import (  # noqa: E402
    Anchor,
    anchors,
    antecedent,
    clause_index_text,
    footnote_anchors,
    index_text,
)
from index.chroma import StoreError, make_client  # noqa: E402
from index.clauses import Clause, split_clauses  # noqa: E402
from index.corpus import CORPUS_PATH, CORPUS_SHA256, Corpus, CorpusError, load_corpus, read_source  # noqa: E402
from index.embed import EmbedderError, make_embedder  # noqa: E402
from index.labels import describe_ranges, normalize_id  # noqa: E402
from index.model import DocStamp, Paragraph  # noqa: E402
from index.parse import PARSER_VERSION, ParseError, parse  # noqa: E402
from index.settings import Settings  # noqa: E402
from index.store import BuildReport, IndexStore  # noqa: E402
from index.tokens import count_tokens  # noqa: E402

__all__ = [
    "Anchor",
    "anchors",
    "antecedent",
    "clause_index_text",
    "footnote_anchors",
    "index_text",
    "BuildReport",
    "CORPUS_PATH",
    "CORPUS_SHA256",
    "Clause",
    "Corpus",
    "CorpusError",
    "DocStamp",
    "EmbedderError",
    "IndexStore",
    "PARSER_VERSION",
    "Paragraph",
    "ParseError",
    "Settings",
    "StoreError",
    "apply_offline_defaults",
    "count_tokens",
    "describe_ranges",
    "load_corpus",
    "make_client",
    "make_embedder",
    "normalize_id",
    "parse",
    "read_source",
    "split_clauses",
]
