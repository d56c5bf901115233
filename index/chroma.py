"""Chroma clients: embedded (a folder under RESQA_HOME) or a `chroma run` server, telemetry off.

An embedded folder that Chroma cannot read is set aside (renamed, never deleted) and a fresh one made,
with a message: a corrupt index costs a rebuild, never a stack trace.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings

from index.settings import Settings


class StoreError(RuntimeError):
    """The vector store cannot be reached or opened; the message says which and why."""


def _chroma_settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False)


def http_client(url: str) -> Any:
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if not parsed.hostname:
        raise StoreError(f"not a Chroma server URL: {url!r}")
    ssl = parsed.scheme == "https"
    port = parsed.port or (443 if ssl else 8000)
    try:
        client = chromadb.HttpClient(host=parsed.hostname, port=port, ssl=ssl, settings=_chroma_settings())
        client.heartbeat()
    except Exception as exc:  # chromadb raises several types for an unreachable server
        raise StoreError(f"cannot reach the Chroma server at {url}: {exc}") from exc
    return client


def _open_persistent(path: Path) -> Any:
    client = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    client.list_collections()  # touches the sqlite catalogue: fails here if it is corrupt
    return client


def persistent_client(path: Path, notify: Callable[[str], None]) -> Any:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _open_persistent(path)
    except Exception as exc:  # corrupt sqlite, a file where the folder should be, a foreign layout …
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        notify(f"the index at {path} cannot be read ({type(exc).__name__}: {exc}); "
               f"it was moved to {aside} and will be rebuilt")
        chromadb.api.client.SharedSystemClient.clear_system_cache()
        path.rename(aside)
        try:
            return _open_persistent(path)
        except Exception as exc2:
            raise StoreError(f"cannot create an index at {path}: {exc2}") from exc2


def make_client(settings: Settings, notify: Callable[[str], None] = lambda _msg: None) -> Any:
    """The client the settings ask for: a server when chroma_url is set, else RESQA_HOME/chroma."""
    if settings.chroma_url:
        return http_client(settings.chroma_url)
    return persistent_client(Path(settings.home) / "chroma", notify)
