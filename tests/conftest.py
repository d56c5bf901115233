"""Shared fixtures. Every test runs with RESQA_HOME in its own tmp dir (autouse); the real index (bundled
e5 model, embedded Chroma) is built once per session into a session tmp dir and shared read-only."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import apply_offline_defaults

apply_offline_defaults()

from index import Corpus, Settings, load_corpus  # noqa: E402
from ui.settings import ServeSettings  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(autouse=True)
def resqa_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "resqa-home"
    monkeypatch.setenv("RESQA_HOME", str(home))
    for var in ("RESQA_CHROMA_URL", "RESQA_LLM", "RESQA_API_KEY", "RESQA_EMBEDDER", "RESQA_K", "RESQA_CORPUS"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="session")
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("shared-index")


@pytest.fixture(scope="session")
def settings(shared_home: Path) -> Settings:
    """Settings pointing at the session's shared index (independent of the per-test RESQA_HOME)."""
    return Settings.from_env(environ={}, home=shared_home)


@pytest.fixture(scope="session")
def serving() -> ServeSettings:
    """The servers' settings at their defaults (no key, no CORS, no MCP), whatever the environment says."""
    return ServeSettings.from_env(environ={})


@pytest.fixture(scope="session")
def answerer(settings: Settings):  # type: ignore[no-untyped-def]
    from rag import Answerer

    return Answerer.from_settings(settings)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def base(answerer, settings, serving):  # type: ignore[no-untyped-def]
    """The HTTP service (API only) on a real uvicorn server, for one test module."""
    from http_server import running

    from ui.http import create_app

    with running(create_app(answerer, settings, serving, mount_ui=False)) as url:
        yield url


@pytest.fixture()
def client(base: str):  # type: ignore[no-untyped-def]
    import httpx

    with httpx.Client(base_url=base, timeout=60) as c:
        yield c


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


os.environ.setdefault("PYTHONHASHSEED", "0")


@pytest.fixture(scope="module")
def matrix() -> Iterator[dict[str, dict]]:
    """The fault-matrix rows a test module records (tests/fault_matrix.py), saved when the module ends."""
    from fault_matrix import save

    entries: dict[str, dict] = {}
    yield entries
    if entries:
        save(entries)
