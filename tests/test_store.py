"""The index layer with real parts: both embedders, embedded Chroma, a real `chroma run` server, idempotent
builds, a corrupt index folder, content altered after a build, atomic rebuilds on a server, and the CLI
commands over them. (Faults made from outside, in real processes, are in test_faults.py.)"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from conftest import free_port

from index import IndexStore, Settings, StoreError, load_corpus, make_client, make_embedder
from index.embed import EmbedderError

QUESTION = "大会决定何时召开高级别会议？"


@pytest.mark.parametrize("spec", ["e5", "st:minilm"])
def test_embedders_give_unit_vectors(spec):
    emb = make_embedder(spec)
    docs = np.asarray(emb.embed_documents(["大会决定召开高级别会议", "the General Assembly"]))
    query = np.asarray(emb.embed_query(QUESTION))
    assert docs.shape == (2, 384) and query.shape == (384,)
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-3)
    assert abs(np.linalg.norm(query) - 1.0) < 1e-3


def test_unknown_embedder_is_a_clear_error():
    with pytest.raises(EmbedderError, match="unknown embedder"):
        make_embedder("word2vec")


def _store(settings: Settings, spec: str = "e5") -> IndexStore:
    return IndexStore(make_client(settings), make_embedder(spec), load_corpus())


def test_embedded_round_trip_and_idempotent_build(resqa_home: Path):
    settings = Settings.from_env()
    store = _store(settings)
    seen: list[tuple[int, int]] = []
    first = store.ensure(progress=lambda d, t: seen.append((d, t)))
    assert first.built and first.paragraphs == 61 and seen[-1][0] == seen[-1][1]
    hits = store.search(store.embedder.embed_query(QUESTION), 5)
    assert "OP12" in [pid for pid, _ in hits[:3]]
    again = _store(Settings.from_env())  # a new process would do the same: open, check, embed nothing
    assert not again.ensure().built
    assert again.ensure(rebuild=True).built


def test_a_rebuild_asked_before_another_build_completed_uses_that_build(resqa_home: Path):
    """Two `resqa index --rebuild` started together: the one that reaches the lock after the other's build has
    finished (a slow start, not a wait) must use that build, which is newer than its request, not build again
    (seen in CI as two builds). A rebuild asked after the last build completed still builds."""
    asked = time.time()
    first = _store(Settings.from_env())
    assert first.ensure(rebuild=True).built
    late = _store(Settings.from_env())
    report = late.ensure(rebuild=True, asked_at=asked)
    assert not report.built and report.reused
    assert _store(Settings.from_env()).ensure(rebuild=True, asked_at=time.time()).built


def test_another_embedder_gets_its_own_collection(resqa_home: Path):
    settings = Settings.from_env()
    e5, minilm = _store(settings, "e5"), _store(settings, "st:minilm")
    assert e5.name != minilm.name
    assert minilm.ensure().built and e5.ensure().built


def test_corrupt_index_is_set_aside_and_rebuilt(resqa_home: Path):
    settings = Settings.from_env()
    _store(settings).ensure()
    import chromadb

    chromadb.api.client.SharedSystemClient.clear_system_cache()
    db = resqa_home / "chroma" / "chroma.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    messages: list[str] = []
    client = make_client(settings, messages.append)
    assert messages and "moved to" in messages[0]
    assert list(resqa_home.glob("chroma.corrupt-*"))
    store = IndexStore(client, make_embedder("e5"), load_corpus())
    assert store.ensure().built


def test_a_new_store_is_linked_only_once_its_files_exist(resqa_home: Path):
    """Another process that finds RESQA_HOME/chroma must never see a store whose sqlite file is still being
    created: it would judge it damaged and move it aside under the creator (seen in CI with two concurrent
    `resqa index` runs on a missing home); nor may a build's sweep delete it half-made (also seen in CI). The
    first store is made under the build lock: a second opener, started at the moment it is being made, waits
    and then opens the same store."""
    import threading

    from index import chroma, generations

    seen: list[object] = []
    messages: list[str] = []
    second: list[object] = []
    opener = threading.Thread(target=lambda: second.append(chroma.persistent_client(resqa_home, messages.append)))

    def init(folder: Path) -> object:
        seen.append(generations.live(resqa_home))  # what a concurrent opener would resolve right now
        client = chroma.open_folder(folder)
        opener.start()  # a second opener, mid-creation: it must wait for the lock, not make or judge a store
        time.sleep(0.5)
        seen.append(opener.is_alive())
        return client

    resqa_home.mkdir(parents=True, exist_ok=True)
    folder, _client = generations.create_first(resqa_home, init)
    opener.join(timeout=60)
    assert seen == [None, True], "the link existed before the store was initialised, or the opener did not wait"
    assert second and second[0].get_settings().persist_directory == str(folder)  # type: ignore[attr-defined]
    assert all("waiting" in m for m in messages) and not list(resqa_home.glob("chroma.corrupt-*"))
    assert generations.live(resqa_home) == folder and (folder / "chroma.sqlite3").stat().st_size > 0
    assert [f for f in resqa_home.glob("chroma.g*")] == [folder], "the waiting opener made no store of its own"


def test_altered_content_is_detected_and_leftovers_are_swept(resqa_home: Path, answerer, settings: Settings):
    """An index whose rows changed after it was built fails its digest at open; a build removes what killed
    builds left behind."""
    shutil.copytree(settings.home, resqa_home, symlinks=True)  # the session's index, built once
    settings = Settings.from_env()
    store = _store(settings)
    assert not store.ensure().built
    store.client.get_collection(store.names[0]).update(ids=["OP12"], metadatas=[{"label_zh": "tampered"}])
    leftover = resqa_home / "chroma.g19700101-000000-1-dead00"  # what a build killed before its switch leaves
    leftover.mkdir()
    messages: list[str] = []
    again = IndexStore(make_client(settings, messages.append), make_embedder("e5"), load_corpus())
    assert len(messages) == 1 and "digest mismatch" in messages[0] and "moved to" in messages[0]
    assert again.ensure().built and not leftover.exists()
    assert "OP12" in [pid for pid, _ in again.search(again.embedder.embed_query(QUESTION), 3)]


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot reach the Chroma server"):
        make_client(Settings(chroma_url=f"http://127.0.0.1:{free_port()}"))


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A real `chroma run` process on 127.0.0.1, stopped after the module."""
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert exe, "the chroma CLI comes with chromadb"
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen([exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not answer its heartbeat")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.slow
def test_server_mode_round_trip(chroma_server: str):
    settings = Settings(chroma_url=chroma_server)
    store = _store(settings)
    assert store.ensure().built
    assert "OP12" in [pid for pid, _ in store.search(store.embedder.embed_query(QUESTION), 3)]
    assert not _store(settings).ensure().built


@pytest.mark.slow
def test_a_rebuild_on_the_server_is_atomic_and_readers_keep_working(chroma_server: str):
    settings = Settings(chroma_url=chroma_server)
    reader = _store(settings)
    reader.ensure()
    vector = reader.embedder.embed_query(QUESTION)
    before = reader.search(vector, 3)
    assert _store(settings).ensure(rebuild=True).built  # another process would do the same
    assert reader.search(vector, 3) == before  # its collections were replaced: looked up again by name
    names = [c.name for c in reader.client.list_collections() if c.name.startswith(reader.name)]
    assert sorted(names) == sorted(reader.names), "no staging or old collections left on the server"


@pytest.mark.slow
def test_answerer_over_the_server(chroma_server: str):
    from rag import Answerer

    qa = Answerer.from_settings(Settings(chroma_url=chroma_server))
    ans = qa.ask(QUESTION)
    assert [c.id for c in ans.citations][:1] == ["OP12"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_cli_index_twice_embeds_nothing_the_second_time():
    first = _cli("index")
    assert first.returncode == 0 and "built" in first.stdout
    second = _cli("index")
    assert second.returncode == 0 and "up to date" in second.stdout


def test_cli_chunks_json_has_every_field():
    out = _cli("chunks", "--json")
    assert out.returncode == 0
    records = json.loads(out.stdout)
    assert len(records) == 61
    need = {"id", "kind", "number", "label_zh", "label_en", "verb", "text", "footnotes", "cited_by", "n_tokens",
            "spans"}
    assert all(need <= set(r) for r in records)
    assert records[0]["id"] == "HEADER" and records[-1]["id"] == "MEETING"


def test_cli_show_and_unknown_id():
    ok = _cli("show", "op12", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["footnotes"] == [18]
    bad = _cli("show", "OP16")
    assert bad.returncode == 2
    assert "HEADER, PP1–PP25, OP1–OP15, FN1–FN19, MEETING" in bad.stderr
