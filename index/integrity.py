"""Is a Chroma store whole? Cheap checks of its files before Chroma opens them, and of a built collection's
content after.

Chroma does not notice every kind of damage: garbage in a page it never reads, or a truncated HNSW file,
can pass unnoticed until a query fails (or returns something else). So a folder is checked first at the file
level (the sqlite header, `PRAGMA quick_check`, the catalogue tables, the HNSW file headers and sizes), and a
finished collection carries a digest of its ids, documents, metadata and vectors, recomputed on every open.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
from pathlib import Path
from typing import Any

import numpy as np

DB = "chroma.sqlite3"
_MAGIC = b"SQLite format 3\x00"
_TABLES = {"collections", "collection_metadata", "segments", "embeddings", "embeddings_queue", "max_seq_id"}
_HNSW_FILES = ("header.bin", "data_level0.bin", "length.bin", "link_lists.bin")
# hnswlib's header as Chroma writes it: version, offsetLevel0, max_elements, cur_element_count,
# size_data_per_element, label_offset, offsetData, maxlevel, enterpoint_node, maxM, maxM0, M, mult, ef_construction
_HEADER = struct.Struct("<iQQQQQQiIQQQdQ")
SELF_MATCH = 1e-3  # a stored vector queried against its own index is at cosine distance ~0


def check_folder(path: Path) -> str | None:
    """What is wrong with the store in `path` (None when nothing is): files only, Chroma not involved."""
    db = path / DB
    if not db.exists():
        others = [p.name for p in path.iterdir()] if path.is_dir() else []
        return f"{DB} is missing (the folder holds {', '.join(sorted(others))})" if others else None
    problem = _check_sqlite(db)
    if problem:
        return f"{DB}: {problem}"
    try:
        segments = _finished_vector_segments(db)
    except sqlite3.Error as exc:
        return f"{DB}: {exc}"
    for seg in segments:
        problem = _check_hnsw(path / seg)
        if problem:
            return f"vector segment {seg}: {problem}"
    return None


def on_disk_problem(path: Path, expected: dict[str, int]) -> str | None:
    """What is wrong with the store in `path` as it is on disk now (None when nothing is): its files
    (`check_folder`), and each collection in `expected` holding that many records in the sqlite file."""
    if not (path / DB).is_file():
        return f"{path / DB} is missing"
    problem = check_folder(path)
    if problem:
        return f"{path}/{problem}" if problem.startswith(DB) else f"{path}: {problem}"
    try:
        con = sqlite3.connect(f"file:{path / DB}?mode=ro", uri=True)
        try:
            counts = dict(con.execute(
                "SELECT c.name, COUNT(e.id) FROM collections c JOIN segments s ON s.collection = c.id AND "
                "s.scope = 'METADATA' LEFT JOIN embeddings e ON e.segment_id = s.id GROUP BY c.name").fetchall())
        finally:
            con.close()
    except sqlite3.Error as exc:
        return f"{path / DB}: {exc}"
    for name, n in expected.items():
        if counts.get(name) != n:
            return f"{path / DB}: collection {name} holds {counts.get(name, 0)} records, not {n}"
    return None


def _check_sqlite(db: Path) -> str | None:
    with db.open("rb") as f:
        head = f.read(100)
    size = db.stat().st_size
    if size == 0:
        return "empty file"
    if len(head) < 100 or not head.startswith(_MAGIC):
        return "not an sqlite database (bad header)"
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or size % page:
        return f"truncated ({size} bytes is not a whole number of {page}-byte pages)"
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            verdict = con.execute("PRAGMA quick_check").fetchall()
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.Error as exc:
        return str(exc)
    if verdict != [("ok",)]:
        return "quick_check: " + " ".join(" ".join(str(r[0]) for r in verdict[:3]).split())
    missing = _TABLES - tables
    return f"catalogue tables missing: {', '.join(sorted(missing))}" if missing else None


def _finished_vector_segments(db: Path) -> list[str]:
    """Vector segments of collections resqa finished building (others may legitimately have no files yet)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT s.id FROM segments s WHERE s.scope = 'VECTOR' AND s.collection IN "
                           "(SELECT collection_id FROM collection_metadata WHERE key = 'digest')").fetchall()
    finally:
        con.close()
    return [str(r[0]) for r in rows]


def _check_hnsw(folder: Path) -> str | None:
    missing = [name for name in _HNSW_FILES if not (folder / name).is_file()]
    if missing:
        return f"files missing: {', '.join(missing)}"
    head = (folder / "header.bin").read_bytes()
    if len(head) != _HEADER.size:
        return f"header.bin is {len(head)} bytes, not {_HEADER.size}"
    (_v, _off0, max_el, count, per_el, label_off, off_data, _lvl, _ep, _m_max, m_max0, m, _mult,
     ef) = _HEADER.unpack(head)
    vector_bytes = label_off - off_data
    sane = (0 <= count <= max_el < 2**32 and m > 0 and m_max0 == 2 * m and off_data == 4 * m_max0 + 4
            and vector_bytes > 0 and vector_bytes % 4 == 0 and per_el == label_off + 8 and 0 < ef < 2**32)
    if not sane:
        return "header.bin does not describe an HNSW index"
    if (folder / "data_level0.bin").stat().st_size != max_el * per_el:
        return "data_level0.bin is not the size its header says"
    if (folder / "length.bin").stat().st_size != max_el * 4:
        return "length.bin is not the size its header says"
    return None


def digest(got: dict[str, Any]) -> str:
    """sha256 over a collection's rows (ids, documents, metadata, float32 vectors), in id order."""
    h = hashlib.sha256()
    rows = sorted(zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True),
                  key=lambda r: r[0])
    for pid, doc, meta, vec in rows:
        h.update(json.dumps([pid, doc, meta], ensure_ascii=False, sort_keys=True).encode())
        h.update(np.asarray(vec, dtype=np.float32).tobytes())
    return h.hexdigest()


def read_rows(col: Any) -> dict[str, Any]:
    return dict(col.get(include=["documents", "metadatas", "embeddings"]))


def content_problem(col: Any, got: dict[str, Any], expected_ids: set[str] | None = None) -> str | None:
    """Why the rows `got` from `col` are not what was built (None when they are)."""
    ids = list(got["ids"])
    if expected_ids is not None and set(ids) != expected_ids:
        return f"holds {len(ids)} of the {len(expected_ids)} expected rows"
    vecs = np.asarray(got["embeddings"], dtype=np.float32)
    if vecs.ndim != 2 or len(vecs) != len(ids) or not np.isfinite(vecs).all():
        return "vectors missing or not finite"
    meta = col.metadata or {}
    if meta.get("digest") and meta.get("digest") != digest(got):
        return "its content changed after it was built (digest mismatch)"
    if meta.get("count") is not None and meta.get("count") != len(ids):
        return f"holds {len(ids)} rows, built with {meta.get('count')}"
    return _search_problem(col, ids, vecs)


def _search_problem(col: Any, ids: list[str], vecs: np.ndarray) -> str | None:
    """Every vector, looked up in the collection's own index, must find itself (distance ~0)."""
    if not ids:
        return None
    res = col.query(query_embeddings=vecs, n_results=1, include=["distances"])
    lost = [pid for pid, d in zip(ids, res["distances"], strict=True) if not d or d[0] > SELF_MATCH]
    return f"its vector index does not find {len(lost)} of its own vectors" if lost else None
