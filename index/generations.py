"""Where an embedded index lives under RESQA_HOME, and how a new one replaces it atomically.

`RESQA_HOME/chroma` is a symlink to the live generation, a folder `chroma.g<time>-<pid>`. A build writes a
new generation next to it and, only when that is complete and verified, swaps the link with one rename (atomic
on POSIX): readers see the old index or the new one, never half of one, and a killed build leaves a folder
nothing points to, which the next build removes. Builds on one home are serialised by a file lock
(`RESQA_HOME/index.lock`, released by the kernel when its holder dies). A folder found damaged is renamed
`chroma.corrupt-<time>` and kept for inspection. (A home from before generations, where `chroma` is a real
folder, is adopted as the first generation at the first switch.)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import filelock

from index.integrity import DB

LINK = "chroma"
LOCK = "index.lock"
READ_ONLY_MARK = ".read-only-copy-of"  # in a temporary home holding a copy of a read-only home's index
LOCK_WAIT = 1800.0  # a cold build takes seconds; half an hour means the holder is stuck, not slow


class BuildBusy(RuntimeError):
    """Another build held the lock for longer than LOCK_WAIT."""


def live(home: Path) -> Path | None:
    """The live generation folder (resolved), or None when there is none yet."""
    link = home / LINK
    if link.is_symlink():
        target = link.resolve()
        return target if target.is_dir() else None
    return link if link.is_dir() else None


def new_generation(home: Path) -> Path:
    return home / f"{LINK}.g{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{os.urandom(3).hex()}"


def create_first(home: Path, init: Callable[[Path], object],
                 notify: Callable[[str], None] = lambda _m: None) -> tuple[Path, object]:
    """An empty live generation for a home that has none, made ready by `init(folder)` (which returns the
    client on it) *before* it is linked: another process that finds the link must never see a store whose
    files are still being created (it would judge it damaged and move it aside). Done under the build lock,
    so a build's sweep (which removes every generation that is not live) never deletes it half-made, and two
    first openers make one. If another process linked one first, (that folder, None) is returned."""
    with build_lock(home / LOCK, notify):
        current = live(home)
        if current is not None:
            return current, None
        link = home / LINK
        folder = new_generation(home)
        folder.mkdir()
        client = init(folder)
        if link.is_symlink():  # its folder was deleted: replace the dangling link
            switch(home, folder)
            return folder, client
        link.symlink_to(folder.name)
        _fsync_dir(home)
        return folder, client


def _close(client: object) -> None:
    close = getattr(client, "close", None)
    if close is not None:
        with contextlib.suppress(Exception):  # releasing a store we are about to delete: nothing to report
            close()


def switch(home: Path, generation: Path) -> None:
    """Point `home/chroma` at `generation` in one rename, durably."""
    link = home / LINK
    if link.is_dir() and not link.is_symlink():  # a pre-generations home: adopt its folder first
        link.rename(new_generation(home))
    tmp = home / f".{LINK}.link-{os.getpid()}-{os.urandom(3).hex()}"
    tmp.symlink_to(generation.name)  # relative: the home can be moved or mounted elsewhere
    os.replace(tmp, link)
    _fsync_dir(home)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def move_aside(home: Path, folder: Path) -> Path:
    """Rename a damaged store out of the way (never delete what a user may want to inspect)."""
    aside = home / f"{LINK}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}-{os.urandom(2).hex()}"
    folder.rename(aside)
    link = home / LINK
    if link.is_symlink():
        link.unlink()
    return aside


def sweep(home: Path) -> list[Path]:
    """Remove generations nothing points to: killed builds, and the one the previous switch replaced (kept
    until now for processes that had it open). Call only while holding the build lock."""
    current = live(home)
    removed = []
    for folder in home.glob(f"{LINK}.g*"):
        if folder.is_dir() and folder != current:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    for tmp in home.glob(f".{LINK}.link-*"):
        tmp.unlink(missing_ok=True)
    return removed


def copy_store(src: Path, dst: Path) -> None:
    """A consistent copy of a store another process may be reading: sqlite through its backup API (it never
    copies half a transaction), then the vector segment folders."""
    dst.mkdir()
    with contextlib.closing(sqlite3.connect(f"file:{src / DB}?mode=ro", uri=True)) as source, \
            contextlib.closing(sqlite3.connect(dst / DB)) as target:
        source.backup(target)
    for seg in src.iterdir():
        if seg.is_dir():
            shutil.copytree(seg, dst / seg.name)


def mark_read_only_copy(tmp_home: Path, origin: Path, why: str = "read-only") -> None:
    """`why`: what keeps the origin from being written ("read-only", or "on a full disk")."""
    (tmp_home / READ_ONLY_MARK).write_text(f"{origin}\n{why}", encoding="utf-8")


def read_only_origin(home: Path) -> tuple[str, str] | None:
    """(the home this temporary one copies, why it cannot be written), if it is such a copy (a build there
    would be lost)."""
    mark = home / READ_ONLY_MARK
    if not mark.is_file():
        return None
    origin, _, why = mark.read_text(encoding="utf-8").partition("\n")
    return origin, why or "read-only"


def size_of(folder: Path | None) -> int:
    if folder is None:
        return 0
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


@contextlib.contextmanager
def build_lock(path: Path, notify: Callable[[str], None]) -> Iterator[bool]:
    """Hold the build lock; yields whether we had to wait for another build first."""
    lock = filelock.FileLock(str(path))
    waited = False
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        waited = True
        notify(f"another build holds {path}; waiting for it to finish")
        try:
            lock.acquire(timeout=LOCK_WAIT)
        except filelock.Timeout as exc:
            raise BuildBusy(f"another build is running (it has held {path} for over {LOCK_WAIT:.0f} s); "
                            "try again when it ends") from exc
    try:
        yield waited
    finally:
        lock.release()
