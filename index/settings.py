"""The settings of the index and rag layers, built once from RESQA_* variables and flags, then passed down.

What only the servers need (API key, CORS, MCP, HTTP limits, feedback limits) is `ui.settings.ServeSettings`,
read from the same kind of variables by `env_values`, the one reader of RESQA_* variables.
"""

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
    max_question_chars: int = 2000
    corpus: Path | None = None  # another resolution's text in the same layout (RESQA_CORPUS); None: the bundled one

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """RESQA_<FIELD> variables, then non-None keyword overrides (command-line flags) on top."""
        return cls(**env_values(cls, environ)).with_overrides(**overrides)

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def env_values(cls: type, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """RESQA_<FIELD> for each field of the dataclass `cls` that is set and not empty, converted to the field's
    type (Path, int, float, bool, a comma-separated tuple, else str); a bad value is a ValueError naming the
    variable."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in fields(cls):
        raw = env.get(f"RESQA_{f.name.upper()}")
        if raw not in (None, ""):
            values[f.name] = _convert(f.name, str(f.type), raw)
    return values


def _convert(name: str, kind: str, raw: str) -> Any:
    try:
        if kind in ("Path", "Path | None"):
            return Path(raw).expanduser()
        if kind.startswith("tuple["):
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
