"""The settings of the servers (`resqa serve`, `resqa ui`): what only the ui layer needs.

The index and rag layers get `index.Settings` (home, embedder, Chroma, k, LLM, question length); the servers
get this as well: the API key, CORS origins, MCP, the HTTP limits and the feedback limits. It is read from the
same RESQA_<FIELD> variables, with the same names, defaults and validation (`index.settings.env_values`), built
once by the command that serves and passed down to the app, the chat, its guard and its feedback log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from index.settings import env_values


@dataclass(frozen=True)
class ServeSettings:
    api_key: str | None = None  # Authorization: Bearer on /v1/* and every Gradio route that answers or writes
    cors_origins: tuple[str, ...] = ()  # comma-separated in RESQA_CORS_ORIGINS; CORS is off when empty
    mcp: bool = False  # the chat also serves MCP tools
    # The HTTP server (`resqa serve`): see README "Readiness, live rebuilds and timeouts".
    http_header_timeout: float = 10.0  # a request's headers must arrive within this after the connection opens
    http_body_timeout: float = 30.0  # ...and its body within this after the headers
    http_keep_alive: int = 15  # idle seconds before a kept-alive connection is closed
    http_max_connections: int = 256  # concurrent connections+requests; beyond it uvicorn answers 503
    http_max_header_bytes: int = 16 * 1024
    # The chat's 👍/👎 log (README "Key and feedback limits"): a size cap per file, then rotation; a rate per client.
    feedback_max_bytes: int = 5 * 1024 * 1024
    feedback_per_minute: int = 20
    # Speed (README "HTTP API"): answers kept in the LRU in front of the answerer (0: off); worker processes.
    answer_cache: int = 1024
    workers: int = 0  # `resqa serve` processes behind one port; 0 = one per CPU

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> ServeSettings:
        """RESQA_<FIELD> variables, then non-None keyword overrides (command-line flags) on top."""
        return cls(**env_values(cls, environ)).with_overrides(**overrides)

    def with_overrides(self, **overrides: Any) -> ServeSettings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})
