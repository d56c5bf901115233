"""More store faults, made for real (issue 19): `$RESQA_HOME/chroma` replaced by a file, a store damaged on disk
under a running `resqa serve` (/readyz must say so), and a corpus changed by one byte. Each ends in one line that
names the path and the fix, with the documented exit code, leaves nothing behind, and the next command after
the fix answers. Recorded for the README's fault matrix with tests/test_faults.py's cases (tests/fault_matrix.py).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import httpx
import pytest
from fault_support import DAMAGE, QUESTION, failed_cleanly, live_folder, record, resqa, verified
from test_live_ops import Server

import index

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def home(answerer, shared_home: Path, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the session's built home (the answerer fixture builds it once)."""
    copy = tmp_path / "home"
    shutil.copytree(shared_home, copy, symlinks=True)
    return copy


def test_chroma_replaced_by_a_file(tmp_path: Path, matrix: dict) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "chroma").write_text("not an index")
    fix = r"chroma is a file, not resqa's index \(a link to its folder\); move or delete that file"
    said: list[str] = []
    for args in (("ask", QUESTION), ("index",), ("serve", "--port", "1")):
        said = failed_cleanly(resqa(home, *args), 1, fix)
        assert [p.name for p in home.iterdir()] == ["chroma"], "nothing made: no folder, no lock"
    (home / "chroma").unlink()
    run = resqa(home, "ask", QUESTION, "--json")
    then = verified(run)
    record(matrix, 32, "chroma-file", "`$RESQA_HOME/chroma` is a file", "the link replaced by a file; `resqa ask`, "
           "`resqa index`, `resqa serve` each", 1, said,
           "nothing created; file removed: `resqa ask` builds and " + then,
           {str(home): "$RESQA_HOME"})


def test_readyz_sees_a_store_damaged_on_disk(home: Path, matrix: dict) -> None:
    server = Server(home, {})
    try:
        assert server.get("/readyz").status_code == 200
        fault, damage = DAMAGE["sqlite-garbage-middle"]
        damage(live_folder(home))
        ready = server.get("/readyz")
        body = ready.json()
        assert ready.status_code == 503 and body["error"]["dependency"] == "store", body
        assert str(live_folder(home) / "chroma.sqlite3") in body["checks"]["store"]
        assert "run `resqa index`" in body["error"]["message"]
        asked = httpx.post(server.base + "/v1/ask", json={"question": QUESTION}, timeout=120)
        assert asked.status_code == 200, "answers still come from what was opened"
        run = resqa(home, "index")
        assert run.code == 0 and list(home.glob("chroma.corrupt-*")), run.err
        ready = server.get("/readyz")
        assert ready.status_code == 200 and ready.json()["checks"]["store"] == "ok"
    finally:
        server.stop()
    record(matrix, 63, "readyz-damaged", "store damaged on disk under `resqa serve`", fault + " while it runs",
           "–", [f"HTTP 503 /readyz: {body['error']['message']}"], "`/v1/ask` still answers (from memory); "
           "`resqa index` moves the store aside and rebuilds; the server switches to it and `/readyz` is 200 again",
           {str(home): "$RESQA_HOME"})


def test_a_corpus_changed_by_one_byte(home: Path, tmp_path: Path, matrix: dict) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "index", tree / "index", ignore=shutil.ignore_patterns("__pycache__"))
    for package in ("rag", "ui", "evals"):
        (tree / package).symlink_to(ROOT / package)
    corpus = tree / "index" / "corpus" / index.corpus.CORPUS_PATH.name
    data = bytearray(corpus.read_bytes())
    data[-1] ^= 1  # one bit of the last byte
    corpus.write_bytes(bytes(data))
    env = {"PYTHONPATH": str(tree)}
    before = sorted(home.rglob("*"))
    said = failed_cleanly(resqa(home, "ask", QUESTION, env=env), 1, r"corpus .+ has sha256")
    changed, pinned = hashlib.sha256(data).hexdigest(), index.CORPUS_SHA256
    assert changed in said[0] and pinned in said[0] and "restore it" in said[0]
    assert sorted(home.rglob("*")) == before, "refused before anything was made"
    shutil.copyfile(index.corpus.CORPUS_PATH, corpus)  # the fix the message names
    then = verified(resqa(home, "ask", QUESTION, "--json", env=env))
    record(matrix, 33, "corpus-changed", "the corpus file changed by one byte", "one bit of its last byte flipped",
           1, said, "restored: `resqa ask` " + then,
           {str(corpus): "$CORPUS", changed: "<its sha256>", pinned: "<the pinned sha256>"})
