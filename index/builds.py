"""Where a build is written and how it replaces the live index, for the two kinds of store.

Embedded (`FolderPlace`): a new generation folder under RESQA_HOME, switched in by one symlink rename
(`index.generations`). Server (`ServerPlace`): collections with a build suffix on the Chroma server, renamed
to the live names when verified. Either way a build is written aside, verified, then switched in, under a file
lock so that builds on one machine never interleave; a failed build is removed and the live index is untouched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from chromadb.errors import NotFoundError

from index import generations
from index.chroma import STORE_FAILURES, StoreError, disk_full, one_line, open_folder, store_errors

Notify = Callable[[str], None]
# Write(client, suffix) -> the finished collections: creates, fills, verifies and marks them complete.
Write = Callable[[Any, str], tuple[Any, ...]]
# Per row: text, metadata and full-text index (~5 KB), the vector twice over (log + index). Measured for e5
# (213 rows x 384 dims): 1.4 MB on disk, peak under 1.6 MB; this estimates 1.7 MB.
ROW_BYTES, VECTOR_COPIES = 5 * 1024, 2


class Place(Protocol):
    def lock(self) -> contextlib.AbstractContextManager[bool]: ...
    def identity(self, names: Sequence[str]) -> object: ...
    def live(self) -> object: ...
    def opened(self) -> object: ...
    def current(self) -> Any: ...
    def prepare(self, names: Sequence[str], need: int) -> None: ...
    def build(self, names: Sequence[str], write: Write, need: int) -> tuple[Any, tuple[Any, ...]]: ...
    def unavailable(self) -> str: ...


def place_of(client: Any, notify: Notify) -> Place:
    settings = client.get_settings()
    if settings.is_persistent and settings.persist_directory:
        return FolderPlace(client, Path(settings.persist_directory), notify)
    return ServerPlace(client, f"{settings.chroma_server_host}:{settings.chroma_server_http_port}", notify)


@contextlib.contextmanager
def _locked(path: Path, notify: Notify) -> Iterator[bool]:
    try:
        with generations.build_lock(path, notify) as waited:
            yield waited
    except generations.BuildBusy as exc:
        raise StoreError(str(exc)) from exc
    except OSError as exc:
        raise StoreError(f"cannot take the build lock {path}: {exc.strerror}") from exc


def build_bytes(rows: int, dim: int) -> int:
    """About how much disk one build of `rows` vectors of `dim` floats takes."""
    return rows * (ROW_BYTES + VECTOR_COPIES * 4 * dim)


def no_space(folder: Path, need: int, free: int) -> str:
    return (f"not enough disk space in {folder} to build the index: it needs about {need / 2**20:.2f} MB free, "
            f"{free / 2**20:.2f} MB is free; free some space or point RESQA_HOME at another disk")


class FolderPlace:
    """An embedded store: RESQA_HOME/chroma → the live generation folder."""

    def __init__(self, client: Any, folder: Path, notify: Notify) -> None:
        self.client, self.folder, self.home, self.notify = client, folder, folder.parent, notify

    def lock(self) -> contextlib.AbstractContextManager[bool]:
        return _locked(self.home / generations.LOCK, self.notify)

    def identity(self, names: Sequence[str]) -> object:
        return generations.live(self.home)

    def live(self) -> object:
        """Which generation is live now: one readlink, cheap enough to ask before every query."""
        return generations.live(self.home)

    def opened(self) -> object:
        """The generation `current()` last opened (what `live()` is compared with)."""
        return self.folder

    def current(self) -> Any:
        """A client on the live generation, which another process may have switched since we opened ours."""
        live = generations.live(self.home)
        if live is not None and live != self.folder:
            self.client, self.folder = open_folder(live), live
        return self.client

    def unavailable(self) -> str:
        return f"the index at {self.folder} cannot be read"

    def prepare(self, names: Sequence[str], need: int) -> None:
        """Clear what earlier builds left; refuse a build that cannot be kept (read-only home) or cannot fit."""
        generations.sweep(self.home)
        copied_from = generations.read_only_origin(self.home)
        if copied_from:
            origin, why = copied_from
            fix = "make it writable" if why == "read-only" else "free some space"
            raise StoreError(f"RESQA_HOME {origin} is {why}, so no index can be built there; {fix} "
                             "or point RESQA_HOME at a writable folder")
        need += self._copied(names)
        free = shutil.disk_usage(self.home).free
        if free < need:
            raise StoreError(no_space(self.home, need, free))

    def _copied(self, names: Sequence[str]) -> int:
        """Bytes of the live store a build copies: only when it holds other embedders' indexes, kept as they are."""
        live = generations.live(self.home)
        return generations.size_of(live) if live is not None and _holds_others(self.current(), names) else 0

    def build(self, names: Sequence[str], write: Write, need: int) -> tuple[Any, tuple[Any, ...]]:
        self.prepare(names, need)
        live, copied = generations.live(self.home), self._copied(names)
        staging = generations.new_generation(self.home)
        client = None
        try:
            if copied and live is not None:
                generations.copy_store(live, staging)
            else:
                staging.mkdir()
            client = open_folder(staging)
            cols = write(client, "")
            generations.switch(self.home, staging)
        except STORE_FAILURES as exc:  # StoreError is one of them
            _discard(client, staging)
            if disk_full(exc, self.home):
                raise StoreError(no_space(self.home, need + copied, shutil.disk_usage(self.home).free)) from exc
            raise StoreError(f"building the index in {self.home} failed ({_reason(exc)}); "
                             "the previous index, if any, is unchanged") from exc
        self.client, self.folder = client, staging
        return client, cols


def _reason(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, StoreError) else one_line(exc)


def _holds_others(client: Any, names: Sequence[str]) -> bool:
    with store_errors("cannot list the collections of the index"):
        return any(c.name not in names for c in client.list_collections())


def _discard(client: Any, staging: Path) -> None:
    if client is not None:
        with contextlib.suppress(*STORE_FAILURES):
            client.close()  # releases its files, so removing the folder frees the space now
    shutil.rmtree(staging, ignore_errors=True)


class ServerPlace:
    """A `chroma run` server: builds go to suffixed collections, renamed to the live names when verified."""

    def __init__(self, client: Any, where: str, notify: Notify) -> None:
        self.client, self.where, self.notify = client, where, notify

    def lock(self) -> contextlib.AbstractContextManager[bool]:
        safe = "".join(ch if ch.isalnum() else "_" for ch in self.where)
        return _locked(Path(tempfile.gettempdir()) / f"resqa-chroma-{safe}.lock", self.notify)

    def identity(self, names: Sequence[str]) -> object:
        ids = []
        with store_errors(self.unavailable()):
            for name in names:
                try:
                    ids.append(str(self.client.get_collection(name, embedding_function=None).id))
                except NotFoundError:
                    ids.append("")
        return tuple(ids)

    def live(self) -> object:
        """Not known without asking the server: a switch shows as the old collections disappearing."""
        return None

    def opened(self) -> object:
        return None

    def current(self) -> Any:
        return self.client

    def prepare(self, names: Sequence[str], need: int) -> None:
        """Drop what killed builds left. (The server's disk is its own: a failed write is reported as it happens.)"""
        with store_errors(self.unavailable()):
            self._sweep(names)

    def unavailable(self) -> str:
        return f"the Chroma server at {self.where} is not answering"

    def build(self, names: Sequence[str], write: Write, need: int) -> tuple[Any, tuple[Any, ...]]:
        suffix = f"-b{os.getpid()}{os.urandom(3).hex()}"
        try:
            cols = write(self.client, suffix)
            for col, name in zip(cols, names, strict=True):
                self._replace(name, col, suffix)
            return self.client, tuple(self.client.get_collection(n, embedding_function=None) for n in names)
        except STORE_FAILURES as exc:  # StoreError is one of them
            with contextlib.suppress(*STORE_FAILURES):
                self._sweep(names)
            raise StoreError(f"building the index on the Chroma server at {self.where} failed "
                             f"({_reason(exc)})") from exc

    def _replace(self, name: str, col: Any, suffix: str) -> None:
        """Old live collection renamed away, the new one renamed in, the old one dropped."""
        try:
            self.client.get_collection(name, embedding_function=None).modify(name=f"{name}-old{suffix}")
        except NotFoundError:
            pass
        col.modify(name=name)
        with contextlib.suppress(NotFoundError):
            self.client.delete_collection(f"{name}-old{suffix}")

    def _sweep(self, names: Sequence[str]) -> None:
        """Drop what killed builds left (suffixed collections of ours); call only while holding the lock."""
        for col in self.client.list_collections():
            if any(col.name.startswith(f"{n}-b") or col.name.startswith(f"{n}-old-b") for n in names):
                self.client.delete_collection(col.name)
