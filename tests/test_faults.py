"""Faults, made for real and survived: damaged stores, full and read-only disks, killed and concurrent builds,
a Chroma server that dies, kill -9 on feedback writers. Every case runs the real CLI (or server) in a
subprocess and asserts the exit code, the one-line message, no traceback, and that the next `resqa ask` still
gives a verified answer. Each case is recorded for the README's fault matrix (tests/fault_matrix.py).

One index is built per module and copied for each case; a case that needs a rebuild pays for one."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import free_port
from fault_support import (
    DAMAGE,
    QUESTION,
    RECORDS,
    WRITER,
    ChromaServer,
    Run,
    ask_http,
    copy_of,
    failed_cleanly,
    fill_disk,
    live_folder,
    messages,
    mounted,
    record,
    resqa,
    start_resqa,
    verified,
    wait_for,
    writing,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("built") / "home"
    run = resqa(home, "index")
    assert run.code == 0 and "built" in run.out, run.err
    return home


# ---- a damaged store ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(DAMAGE))
def test_a_damaged_store_is_moved_aside_and_rebuilt(name: str, built: Path, tmp_path: Path, matrix: dict) -> None:
    home = copy_of(built, tmp_path)
    fault, damage = DAMAGE[name]
    damage(live_folder(home))
    run = resqa(home, "ask", QUESTION, "--json")
    then = verified(run)
    said = messages(run.err)
    assert len(said) == 2 and re.search(r"cannot be used \(.+\); it was moved to .+chroma\.corrupt-", said[0]), said
    assert said[1].startswith("resqa: built index") and list(home.glob("chroma.corrupt-*"))
    record(matrix, 10 + list(DAMAGE).index(name), name, f"damaged store: {name}", fault, 0, said,
           "the same run " + then, {str(home): "$RESQA_HOME"})


# ---- builds: killed, concurrent --------------------------------------------------------------------------
def test_a_build_killed_while_writing_is_never_used(built: Path, tmp_path: Path, matrix: dict) -> None:
    home = copy_of(built, tmp_path)
    before = live_folder(home)
    existing = set(home.glob("chroma.g*"))
    proc = start_resqa(home, "index", "--rebuild")
    staging = wait_for(lambda: writing(home, existing), proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert staging and live_folder(home) == before, "killed before its switch: the old index stays live"
    run = resqa(home, "ask", QUESTION, "--json")
    then = verified(run)
    assert messages(run.err) == [], "the old index answered: nothing was rebuilt, the half-written one unused"
    record(matrix, 20, "build-killed", "build killed (kill -9) while writing", "`resqa index --rebuild`, "
           "SIGKILL as soon as it writes collections into its new generation folder", "-9", [], "`resqa ask` " + then +
           " from the previous index; the next build removes the leftover folder", {})


def test_concurrent_builds_build_once_and_both_succeed(tmp_path: Path, matrix: dict) -> None:
    home = tmp_path / "not" / "yet" / "home"  # missing, parents too: created on first use
    procs = [start_resqa(home, "index", "--rebuild"), start_resqa(home, "index", "--rebuild"),
             start_resqa(home, "ask", QUESTION, "--json")]
    runs = [Run(p.wait(timeout=600), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    then = verified(runs[2])
    for run in runs[:2]:
        assert run.code == 0 and "Traceback" not in run.err, run.err
        assert run.out.startswith("built") or "was built by another run since this one started" in run.out, run.out
    builds = sum(r.out.startswith("built") for r in runs[:2]) + ("built index" in runs[2].err)
    assert builds == 1, [r.out for r in runs]
    waited = [m for r in runs[:2] for m in messages(r.err)]
    # A run that reaches the lock while the build runs waits for it; one that reaches it after the build ended
    # (a slower start) uses that build at once, as it is newer than its request: either way, one build.
    assert all(re.fullmatch(r"resqa: another build holds .+; waiting for it to finish", m) for m in waited)
    record(matrix, 21, "concurrent", "two `resqa index --rebuild` and a `resqa ask` at once, on a home that "
           "does not exist yet", "started together", "0, 0, 0", sorted(set(waited)),
           "one build; the others wait on the lock and use it; `resqa ask` " + then, {str(home): "$RESQA_HOME"})


# ---- the home folder ---------------------------------------------------------------------------------------
def test_a_home_that_is_a_file_or_cannot_be_made(tmp_path: Path, matrix: dict) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    said = failed_cleanly(resqa(afile, "ask", QUESTION), 1, r"RESQA_HOME .+afile is a file, not a folder")
    record(matrix, 30, "home-file", "RESQA_HOME is a file", "RESQA_HOME=<a file>", 1, said,
           "point RESQA_HOME at a folder", {str(afile): "$RESQA_HOME"})
    said = failed_cleanly(resqa(afile / "home", "index"), 1, r"cannot create RESQA_HOME .+: Not a directory")
    record(matrix, 31, "home-uncreatable", "RESQA_HOME cannot be created", "RESQA_HOME=<a file>/home", 1, said,
           "point RESQA_HOME at a folder that can be created", {str(afile / "home"): "$RESQA_HOME"})


def test_a_read_only_home(built: Path, tmp_path: Path, matrix: dict) -> None:
    with mounted(tmp_path / "mnt", "8m") as mnt:
        home = copy_of(built, mnt)
        (mnt / "empty").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        before = list(home.iterdir())
        replace = {str(home): "$RESQA_HOME", str(mnt / "empty"): "$RESQA_HOME"}
        run = resqa(home, "ask", QUESTION, "--json")
        then = verified(run)
        said = messages(run.err)
        assert said == [] and list(home.iterdir()) == before, "answered from a copy; nothing written in the home"
        record(matrix, 40, "ro-ask", "read-only home, with an index", "a tmpfs remounted read-only", 0, said,
               "answers from a temporary copy of the index: " + then, replace)
        said = failed_cleanly(resqa(home, "index", "--rebuild"), 1, r"read-only, so no index can be built there")
        record(matrix, 41, "ro-build", "read-only home: `resqa index --rebuild`", "same", 1, said,
               "nothing written; the index in the home is unchanged", replace)
        said = failed_cleanly(resqa(mnt / "empty", "ask", QUESTION), 1, r"is read-only and holds no index")
        record(matrix, 42, "ro-empty", "read-only home without an index", "same, an empty folder", 1, said,
               "make it writable or point RESQA_HOME elsewhere", replace)


# ---- a full disk -------------------------------------------------------------------------------------------
NO_SPACE = r"not enough disk space in .+ to build the index: it needs about \d+\.\d+ MB free, \d+\.\d+ MB is free"


def test_a_full_disk(built: Path, tmp_path: Path, matrix: dict) -> None:
    with mounted(tmp_path / "mnt", "4m") as mnt:
        home, replace = mnt / "home", {str(mnt / "home"): "$RESQA_HOME"}
        with fill_disk(mnt, leave=400 * 1024):
            run = resqa(home, "index")
        said = failed_cleanly(run, 1, NO_SPACE)
        assert "embedding [" not in run.err, "refused before any embedding work"
        assert not [g for g in home.glob("chroma.g*") if g != live_folder(home)]
        record(matrix, 50, "disk-first", "full disk, first build", "home on a 4 MB tmpfs, 400 KB left free", 1, said,
               "refused before embedding; nothing half-built left", replace)
        existing = set(home.glob("chroma.g*"))
        proc = start_resqa(home, "index")
        wait_for(lambda: [g for g in home.glob("chroma.g*") if g not in existing and g.is_dir()], proc)
        with fill_disk(mnt, leave=0):
            run = Run(proc.wait(timeout=600), proc.stdout.read(), proc.stderr.read())  # type: ignore[union-attr]
            said = failed_cleanly(run, 1, NO_SPACE)
            assert not [g for g in home.glob("chroma.g*") if g != live_folder(home)], "the failed build is removed"
        then = verified(resqa(home, "ask", QUESTION, "--json"))
        record(matrix, 51, "disk-mid", "the disk fills up during a build", "a file fills the tmpfs as soon as "
               "the build creates its new generation folder", 1, said, "space freed: `resqa ask` builds and " + then,
               replace)
        with fill_disk(mnt, leave=400 * 1024):
            run = resqa(home, "index", "--rebuild")
            said = failed_cleanly(run, 1, NO_SPACE)
            assert "embedding [" not in run.err, "refused before any embedding work"
            run = resqa(home, "ask", QUESTION, "--json")
            then = verified(run)
            assert messages(run.err) == []
        record(matrix, 52, "disk-rebuild", "full disk, rebuild", "400 KB left free, `resqa index --rebuild`", 1,
               said, "`resqa ask` on the still-full disk " + then + " from the index it had", replace)
        with fill_disk(mnt, leave=0):
            before = sorted(home.iterdir())
            run = resqa(home, "ask", QUESTION, "--json")
            then = verified(run)
            said = messages(run.err)
            assert len(said) == 1 and re.search(r"disk holding .+ is full: answering from a read-only copy", said[0])
            run = resqa(home, "index", "--rebuild")  # the same notice, then the refusal
            said += messages(run.err)[1:]
            assert run.code == 1 and "Traceback" not in run.err and re.search(r"on a full disk, so no index", said[1])
            assert sorted(home.iterdir()) == before, "nothing written, nothing moved aside"
        run = resqa(home, "ask", QUESTION, "--json")
        assert messages(run.err) == []
        record(matrix, 53, "disk-zero", "disk completely full: `resqa ask`, then `resqa index --rebuild`", "0 bytes "
               "left free (Chroma writes when it opens a store)", "0, 1", said, "`resqa ask` " + then + " from a "
               "temporary copy; the index is kept as it is; space freed: " + verified(run), replace)


# ---- a Chroma server ---------------------------------------------------------------------------------------
def test_an_unreachable_chroma_server(tmp_path: Path, matrix: dict) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    for order, args in ((60, ("ask", QUESTION)), (61, ("serve", "--port", str(free_port())))):
        said = failed_cleanly(resqa(tmp_path, *args, "--chroma-url", url), 1,
                              rf"cannot reach the Chroma server at {url} \(")
        record(matrix, order, f"server-down-{args[0]}", f"Chroma server unreachable: `resqa {args[0]}`",
               "`--chroma-url` to a port nobody listens on", 1, said, "start the server, run again", {url: "URL"})


def test_a_chroma_server_that_dies_mid_run(tmp_path: Path, matrix: dict) -> None:
    server, port = ChromaServer(tmp_path / "chroma-data"), free_port()
    server.start()
    env, base, api = {"RESQA_CHROMA_URL": server.url}, f"http://127.0.0.1:{port}", None
    try:
        assert resqa(tmp_path / "home", "index", env=env).code == 0
        # No answer cache: the same question asked again must reach the store (a cached answer would not).
        api = start_resqa(tmp_path / "home", "serve", "--port", str(port), env={**env, "RESQA_ANSWER_CACHE": "0"})
        assert ask_http(base, api)[0] == 200
        server.kill()
        status, down = ask_http(base, api)
        assert status == 503 and down["error"]["type"] == "service_unavailable"
        assert re.match(r"the Chroma server at 127\.0\.0\.1:\d+ is not answering \(", down["error"]["message"])
        assert ask_http(base, api, path="/healthz")[0] == 200
        for stream in (False, True):  # the OpenAI endpoint too, streaming or not: decided before any byte is sent
            chat = {"model": "resqa", "stream": stream, "messages": [{"role": "user", "content": QUESTION}]}
            assert ask_http(base, api, "/v1/chat/completions", chat)[0] == 503
        server.start()
        status, body = ask_http(base, api)
        assert status == 200 and body["citations"][0]["id"] == "OP12"
        then = verified(resqa(tmp_path / "home", "ask", QUESTION, "--json", env=env))
    finally:
        err = stop(api)
        server.kill()
    assert "Traceback" not in err
    record(matrix, 62, "server-dies", "Chroma server killed while `resqa serve` runs", "SIGKILL to `chroma run`, "
           "later started again on the same port and folder", "–", [f"HTTP 503 {json.dumps(down, ensure_ascii=False)}"],
           "the same 503 from `/v1/chat/completions` (streaming or not); `/healthz` stays 200; once the server is "
           "back, `/v1/ask` answers again; `resqa ask` " + then, {server.url: "URL"})


def stop(api: subprocess.Popen | None) -> str:
    """Stop a `resqa serve` as Ctrl-C would (even when the test failed half-way); its stderr."""
    if api is None:
        return ""
    api.send_signal(signal.SIGINT)
    try:
        return str(api.communicate(timeout=60)[1])
    except subprocess.TimeoutExpired:
        api.kill()
        return str(api.communicate()[1])


def test_the_store_deleted_under_a_running_server(built: Path, tmp_path: Path, matrix: dict) -> None:
    home = copy_of(built, tmp_path)
    port = free_port()
    api = start_resqa(home, "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    try:
        assert ask_http(base, api)[0] == 200
        shutil.rmtree(live_folder(home))  # the link now points nowhere
        status, body = ask_http(base, api)
        assert status == 200 and body["citations"][0]["id"] == "OP12", body
    finally:
        err = stop(api)
    assert "Traceback" not in err
    run = resqa(home, "ask", QUESTION, "--json")
    then = verified(run)
    said = messages(run.err)
    assert len(said) == 1 and said[0].startswith("resqa: built index")
    record(matrix, 19, "store-deleted", "store folder deleted while `resqa serve` runs", "`rm -rf` of the live "
           "generation folder", "–", said, "the server keeps answering from what it opened; the next "
           "`resqa ask` rebuilds and " + then, {})


# ---- feedback under kill -9 ----------------------------------------------------------------------------------
def test_feedback_stays_valid_under_kill_9(tmp_path: Path, matrix: dict) -> None:
    import ui.feedback
    from ui.feedback import FeedbackLog

    log, rounds = FeedbackLog(tmp_path, max_bytes=1 << 30), 80
    code, source = WRITER.replace("RECORDS", str(RECORDS)), str(Path(ui.feedback.__file__))
    for k in range(rounds):  # two writers at once; a is killed while b is still writing
        a, b = (subprocess.Popen([sys.executable, "-c", code, str(tmp_path), f"{w}{k}", source],
                                 stdout=subprocess.PIPE) for w in "ab")
        for p in (a, b):
            assert p.stdout is not None and p.stdout.readline() == b"ready\n"
        time.sleep(0.001 * (1 + k % 10))
        a.kill()
        a.wait()
        assert b.wait() == 0
        lines = log.path.read_bytes().split(b"\n")
        records = [json.loads(line) for line in lines[:-1]]  # every complete line is a whole record
        assert records == log.records()
        assert len([r for r in records if r["writer"] == f"b{k}"]) == RECORDS
        if lines[-1]:  # a was cut mid-line and nobody wrote after it: the next writer cuts the fragment off
            log.add("down", None, {"writer": "next"})
            assert log.path.read_bytes().endswith(b"\n") and log.records()[-1]["writer"] == "next"
        log.path.unlink()
    record(matrix, 70, "feedback-kill", "feedback writers killed mid-write (kill -9)", f"{rounds} rounds of two "
           "processes appending ~48 KB records, one killed mid-stream", "-9", [],
           "every complete line is a whole record; a line cut short is skipped by readers and cut off by the "
           "next writer; the other writer loses nothing", {})
