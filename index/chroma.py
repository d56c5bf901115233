"""Chroma clients: embedded (the live generation under RESQA_HOME) or a `chroma run` server, telemetry off.

Opening the embedded store checks it first (`index.integrity`): a store that is damaged, at the file level or
in the content of a finished collection, is moved aside (renamed, never deleted) with a message and a fresh
one is made, so a corrupt index costs a rebuild, never a stack trace. A read-only home with a good index is
answered from a temporary copy; every other problem with the home (a file, not creatable) is a StoreError
with one line that names the path.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import httpx
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError

from index import generations
from index.integrity import check_folder, content_problem, read_rows
from index.settings import Settings

Notify = Callable[[str], None]
# What a store operation raises when the store is unreadable, full or gone (Rust errors arrive as ChromaError).
STORE_FAILURES: tuple[type[BaseException], ...] = (ChromaError, httpx.HTTPError, OSError, sqlite3.Error,
                                                   ValueError, RuntimeError)


class StoreError(RuntimeError):
    """The vector store cannot be reached, opened or written; the message says which and why."""


class DiskFull(StoreError):
    """A sound store that cannot be opened for writing because its disk is full."""


def one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"


@contextlib.contextmanager
def store_errors(what: str) -> Iterator[None]:
    """Turn a store library's exception into a StoreError whose message starts with `what`."""
    try:
        yield
    except StoreError:
        raise
    except STORE_FAILURES as exc:
        raise StoreError(f"{what} ({one_line(exc)})") from exc


def _chroma_settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False)


def http_client(url: str, timeout: float = 10.0) -> Any:
    """A client on a `chroma run` server whose every request gives up after `timeout` seconds."""
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if not parsed.hostname:
        raise StoreError(f"not a Chroma server URL: {url!r}")
    ssl = parsed.scheme == "https"
    port = parsed.port or (443 if ssl else 8000)
    try:
        client = chromadb.HttpClient(host=parsed.hostname, port=port, ssl=ssl, settings=_chroma_settings())
        bound_requests(client, timeout)
        client.heartbeat()
    except Exception as exc:  # chromadb raises several types for an unreachable server
        raise StoreError(f"cannot reach the Chroma server at {url} ({one_line(exc)})") from exc
    return client


def bound_requests(client: Any, timeout: float) -> None:
    """Give the client's HTTP session a timeout. chromadb 1.5 builds it with `timeout=None` and has no setting
    for it (chroma-core/chroma#5805), so a paused server would hang every request forever; the session is
    reached through the client's internals, and a chromadb that moved them is refused rather than left unbounded."""
    session = getattr(getattr(client, "_server", None), "_session", None)
    if not isinstance(session, httpx.Client):
        raise StoreError(f"this chromadb ({chromadb.__version__}) hides its HTTP session, so Chroma requests "
                         "cannot be given a timeout; use the chromadb version in pyproject.toml")
    session.timeout = httpx.Timeout(timeout)


def open_folder(path: Path) -> Any:
    """A client on one store folder (created when missing); no checks."""
    try:
        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    except STORE_FAILURES as exc:
        full = " (the disk is full)" if disk_full(exc, path.parent) else ""
        raise StoreError(f"cannot open the index at {path}{full} ({one_line(exc)})") from exc


def disk_full(exc: BaseException, folder: Path) -> bool:
    """Whether `exc` came from a full disk under `folder`."""
    for e in (exc, exc.__cause__, exc.__context__):
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if e is not None and any(s in str(e).lower() for s in ("disk is full", "no space left")):
            return True
    # Chroma's own errors often hide the cause ("Failed to apply logs to the metadata segment").
    with contextlib.suppress(OSError):
        return shutil.disk_usage(folder).free < 256 * 1024
    return False


def content_damage(client: Any) -> str | None:
    """The first finished resqa collection whose content no longer matches its digest, and why."""
    for col in client.list_collections():
        if (col.metadata or {}).get("digest"):
            problem = content_problem(col, read_rows(col))
            if problem:
                return f"collection {col.name}: {problem}"
    return None


def prepare_home(home: Path) -> bool:
    """Make sure RESQA_HOME is a folder whose `chroma` is resqa's (a link, a folder or nothing yet); returns
    whether it is writable. Nothing is created when something is in the way, so a failed run leaves nothing."""
    if home.exists() and not home.is_dir():
        raise StoreError(f"RESQA_HOME {home} is a file, not a folder; point RESQA_HOME (or --home) at a folder")
    link = home / generations.LINK
    if link.exists() and not link.is_dir() and not link.is_symlink():
        raise StoreError(f"{link} is a file, not resqa's index (a link to its folder); move or delete that file "
                         "(resqa rebuilds the index there), or point RESQA_HOME (or --home) at another folder")
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create RESQA_HOME {home}: {exc.strerror}") from exc
    return os.access(home, os.W_OK)


def persistent_client(home: Path, notify: Notify) -> Any:
    """The live store under `home`, checked; damaged ones are moved aside, a missing one is created."""
    writable = prepare_home(home)
    folder = generations.live(home)
    if folder is not None:
        if not writable:
            folder = _read_only_copy(home, folder)
        try:
            client, problem = _checked(folder)
        except DiskFull as full:  # a sound index on a full disk: read it from a copy elsewhere, change nothing
            folder = _read_only_copy(home, folder, why="on a full disk", cause=full)
            writable = False
            notify(f"the disk holding {home} is full: answering from a read-only copy of its index in "
                   f"{folder.parent}; free some space there to build or rebuild")
            client, problem = _checked(folder)
        if client is not None:
            return client
        if writable and generations.live(home) != folder:
            # Another process switched in a new build (and swept this one) while we checked: that is no damage.
            return persistent_client(home, notify)
        if not writable:
            raise StoreError(f"the index in {home} is damaged ({problem}) and RESQA_HOME is read-only, "
                             "so it cannot be rebuilt")
        _set_aside(home, folder, str(problem), notify)
    if not writable:
        raise StoreError(f"RESQA_HOME {home} is read-only and holds no index; make it writable or point "
                         "RESQA_HOME at a writable folder")
    return _fresh(home, notify)


def _checked(folder: Path) -> tuple[Any, str | None]:
    """(client, None) for a sound store; (None, what is wrong) for a damaged one, its client released."""
    problem = check_folder(folder)
    if problem:
        return None, problem
    client: Any = None
    try:
        client = chromadb.PersistentClient(path=str(folder), settings=_chroma_settings())
        problem = content_damage(client)
    except STORE_FAILURES as exc:
        if disk_full(exc, folder):  # a good store on a full disk is not damaged: never move it aside for that
            raise DiskFull(f"cannot open the index at {folder}: the disk is full ({one_line(exc)})") from exc
        problem = one_line(exc)
    if problem and client is not None:  # released, so the folder can be renamed
        with contextlib.suppress(*STORE_FAILURES):
            client.close()
    return (None, problem) if problem else (client, None)


def _set_aside(home: Path, folder: Path, problem: str, notify: Notify) -> None:
    try:
        aside = generations.move_aside(home, folder)
    except OSError as exc:
        raise StoreError(f"the index at {folder} is damaged ({problem}) and cannot be moved aside: "
                         f"{exc.strerror}") from exc
    notify(f"the index at {folder} cannot be used ({problem}); it was moved to {aside} and will be rebuilt")


def _fresh(home: Path, notify: Notify) -> Any:
    """An empty live store: a new generation folder, linked."""
    try:
        folder, client = generations.create_first(home, open_folder, notify)
    except generations.BuildBusy as exc:
        raise StoreError(str(exc)) from exc
    except OSError as exc:
        full = " (the disk is full)" if disk_full(exc, home) else ""
        raise StoreError(f"cannot create an index in {home}: {exc.strerror}{full}") from exc
    return client if client is not None else open_folder(folder)


def _read_only_copy(home: Path, folder: Path, why: str = "read-only", cause: StoreError | None = None) -> Path:
    """Chroma cannot open a store it may not write to (a read-only home, a full disk): answer from a copy in a
    temporary folder (answers need nothing written; a build there fails with its own message, see
    `builds.FolderPlace`). A copy that cannot be made leaves nothing behind."""
    try:
        tmp = Path(tempfile.mkdtemp(prefix="resqa-readonly-"))
    except OSError as exc:
        raise (cause or StoreError(f"RESQA_HOME {home} is {why} and no temporary folder can be made for a copy "
                                   f"of its index: {one_line(exc)}")) from exc
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    try:
        generations.copy_store(folder, tmp / generations.LINK)
        generations.mark_read_only_copy(tmp, home, why)
    except (OSError, sqlite3.Error) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        fix = "; free some space on either disk" if why != "read-only" else ""
        raise StoreError(f"RESQA_HOME {home} is {why} and its index could not be copied to {tmp}: "
                         f"{one_line(exc)}{fix}") from exc
    return tmp / generations.LINK


def make_client(settings: Settings, notify: Notify = lambda _msg: None) -> Any:
    """The client the settings ask for: a server when chroma_url is set, else the store under RESQA_HOME."""
    if settings.chroma_url:
        return http_client(settings.chroma_url, settings.chroma_timeout)
    from index.corpus import index_home

    return persistent_client(index_home(Path(settings.home), settings.corpus), notify)
