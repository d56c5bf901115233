"""One settings object for the whole service, built once from RESQA_* variables and flags, then passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    home: Path = Path(".resqa")
    chroma_url: str | None = None
    embedder: str = "e5"
    k: int = 5
    llm: str | None = None
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 30.0
    chroma_timeout: float = 10.0  # seconds one Chroma server request may take (connect, read, write)
    # The HTTP server (`resqa serve`): see README "Readiness, live rebuilds and timeouts".
    http_header_timeout: float = 10.0  # a request's headers must arrive within this after the connection opens
    http_body_timeout: float = 30.0  # ...and its body within this after the headers
    http_keep_alive: int = 15  # idle seconds before a kept-alive connection is closed
    http_max_connections: int = 256  # concurrent connections+requests; beyond it uvicorn answers 503
    http_max_header_bytes: int = 16 * 1024
    max_question_chars: int = 2000
    api_key: str | None = None
    cors_origins: tuple[str, ...] = ()
    mcp: bool = False
    # The chat's 👍/👎 log (README "Key and feedback limits"): a size cap per file, then rotation; a rate per client.
    feedback_max_bytes: int = 5 * 1024 * 1024
    feedback_per_minute: int = 20

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """RESQA_<FIELD> variables, then non-None keyword overrides (command-line flags) on top."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"RESQA_{f.name.upper()}")
            if raw not in (None, ""):
                values[f.name] = _convert(f.name, raw)
        base = cls(**values)
        return base.with_overrides(**overrides)

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _convert(name: str, raw: str) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if name == "home":
            return Path(raw).expanduser()
        if name == "cors_origins":
            return tuple(o.strip() for o in raw.split(",") if o.strip())
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            return raw.strip().lower() in ("1", "true", "yes", "on")
    except ValueError as exc:
        raise ValueError(f"RESQA_{name.upper()}={raw!r} is not a valid value") from exc
    return raw
