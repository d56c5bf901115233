"""resqa's index layer: the bundled resolution → paragraphs → embeddings → Chroma.

Nothing here imports `rag`, `ui` or `evals`, and importing it changes no environment variable: the entry
points (the CLI, `python -m evals.bench|bench_http|premise`, tests/conftest.py) call `apply_offline_defaults()`
themselves.
"""

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
from index.parse import PARSER_VERSION, ParseError, parse
from index.settings import Settings
from index.store import BuildReport, IndexStore
from index.tokens import count_tokens
from index.vocabulary import Vocab, VocabError, load_vocab

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
