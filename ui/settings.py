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
    port: int = 0  # RESQA_PORT: where `resqa ui` / `resqa serve` listen unless --port says; 0 = 7860 / 8000
    # The HTTP server (`resqa serve`): see docs/http.md "Readiness, live rebuilds and timeouts".
    http_idle_timeout: float = 3.0  # a new connection that sends nothing for this long is closed
    http_header_timeout: float = 10.0  # a request's headers must be complete this long after their first byte
    http_body_timeout: float = 30.0  # ...and its body within this after the headers
    http_keep_alive: int = 15  # idle seconds before a kept-alive connection is closed
    http_max_connections: int = 256  # open connections in all; beyond it a new one gets a JSON 503
    http_max_connections_per_client: int = 64  # open connections per peer address; beyond it a JSON 429
    http_max_requests_per_client: int = 64  # requests running at once per client; beyond it a JSON 429
    http_max_header_bytes: int = 16 * 1024
    forwarded_allow_ips: tuple[str, ...] = ()  # proxies whose X-Forwarded-For is believed; none by default
    # The server's log (docs/http.md "Logs"): stderr, or a file rotated by size (`--log-file`).
    log_file: str | None = None
    log_max_bytes: int = 10 * 1024 * 1024
    log_backups: int = 3
    # The chat's 👍/👎 log (docs/chat.md "Key and feedback limits"): a size cap per file, then rotation; a rate
    # per client.
    feedback_max_bytes: int = 5 * 1024 * 1024
    feedback_per_minute: int = 20
    # Speed (README "HTTP API"): answers kept in the LRU in front of the answerer (0: off); worker processes.
    answer_cache: int = 1024
    workers: int = 1  # `resqa serve` processes behind one port (RESQA_WORKERS); 0 = one per CPU

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ValueError(f"RESQA_PORT={self.port} is not a port (1-65535)")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> ServeSettings:
        """RESQA_<FIELD> variables, then non-None keyword overrides (command-line flags) on top."""
        return cls(**env_values(cls, environ)).with_overrides(**overrides)

    def with_overrides(self, **overrides: Any) -> ServeSettings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})
