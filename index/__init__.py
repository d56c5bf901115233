"""resqa's index layer: the bundled resolution → paragraphs → embeddings → Chroma.

Nothing here imports `rag`, `ui` or `evals`, and importing it changes no environment variable (nor loads
chromadb: the names below are imported when first used): the entry
points (the CLI, `python -m evals.bench|bench_http|premise`, tests/conftest.py) call `apply_offline_defaults()`
themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from index.lazy import lazy_attribute

# Imported now (it is light): `index.parse` must stay the function, not the submodule of the same name.
from index.parse import PARSER_VERSION, ParseError, parse

if TYPE_CHECKING:  # the names, for type checkers; at run time each is imported when first used (below)
    from index.anchors import antecedent, clause_index_text, index_text
    from index.chroma import StoreError, make_client
    from index.clauses import Clause, split_clauses
    from index.corpus import (
        CORPUS_PATH,
        CORPUS_SHA256,
        Corpus,
        CorpusError,
        index_home,
        load_corpus,
        load_corpus_for,
        read_source,
    )
    from index.embed import EmbedderError, make_embedder
    from index.facts import Directive, DocFacts, Fact, Mention, extract_facts
    from index.labels import describe_ranges, normalize_id
    from index.links import Anchor
    from index.model import DocStamp, Paragraph
    from index.offline import apply_offline_defaults
    from index.settings import Settings
    from index.store import BuildReport, IndexStore
    from index.tokens import count_tokens
    from index.vocabulary import Vocab, VocabError, load_vocab

# Where each name lives: `import index` (and so `resqa --help`) loads none of them, nor chromadb.
_WHERE = {
    "antecedent": "index.anchors",
    "clause_index_text": "index.anchors",
    "index_text": "index.anchors",
    "StoreError": "index.chroma",
    "make_client": "index.chroma",
    "Clause": "index.clauses",
    "split_clauses": "index.clauses",
    "CORPUS_PATH": "index.corpus",
    "CORPUS_SHA256": "index.corpus",
    "Corpus": "index.corpus",
    "CorpusError": "index.corpus",
    "load_corpus": "index.corpus",
    "load_corpus_for": "index.corpus",
    "index_home": "index.corpus",
    "Directive": "index.facts",
    "DocFacts": "index.facts",
    "Fact": "index.facts",
    "Mention": "index.facts",
    "extract_facts": "index.facts",
    "Vocab": "index.vocabulary",
    "VocabError": "index.vocabulary",
    "load_vocab": "index.vocabulary",
    "read_source": "index.corpus",
    "EmbedderError": "index.embed",
    "make_embedder": "index.embed",
    "describe_ranges": "index.labels",
    "normalize_id": "index.labels",
    "Anchor": "index.links",
    "DocStamp": "index.model",
    "Paragraph": "index.model",
    "apply_offline_defaults": "index.offline",
    "Settings": "index.settings",
    "BuildReport": "index.store",
    "IndexStore": "index.store",
    "count_tokens": "index.tokens",
}

__all__ = [
    "Anchor",
    "antecedent",
    "clause_index_text",
    "index_text",
    "BuildReport",
    "CORPUS_PATH",
    "CORPUS_SHA256",
    "Clause",
    "Corpus",
    "CorpusError",
    "DocFacts",
    "DocStamp",
    "Directive",
    "EmbedderError",
    "Fact",
    "Mention",
    "Vocab",
    "VocabError",
    "extract_facts",
    "load_vocab",
    "IndexStore",
    "PARSER_VERSION",
    "Paragraph",
    "ParseError",
    "Settings",
    "StoreError",
    "apply_offline_defaults",
    "count_tokens",
    "describe_ranges",
    "index_home",
    "load_corpus",
    "load_corpus_for",
    "make_client",
    "make_embedder",
    "normalize_id",
    "parse",
    "read_source",
    "split_clauses",
]


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _WHERE, globals(), name)
