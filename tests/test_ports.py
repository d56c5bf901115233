"""Choosing the port (`--port`, RESQA_PORT, `make run PORT=…`) and a busy port said in one plain line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import free_port

from ui.cli import main
from ui.ports import chosen_port
from ui.settings import ServeSettings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def busy() -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


@pytest.mark.parametrize("command", ["ui", "serve"])
def test_a_busy_port_is_one_line_naming_it_and_the_way_out(command: str, busy: int, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main([command, "--port", str(busy)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"port {busy} on 127.0.0.1 is already in use" in err
    assert "make run PORT=" in err and "--port " in err


def test_resqa_port_is_read_from_the_environment(busy: int, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RESQA_PORT", str(busy))
    assert ServeSettings.from_env().port == busy
    assert main(["ui"]) == 1 and f"port {busy} " in capsys.readouterr().err  # it was the port tried


@pytest.mark.parametrize("value", ["abc", "70000", "-1"])
def test_a_bad_resqa_port_names_the_variable(value: str, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RESQA_PORT", value)
    assert main(["serve"]) == 2
    assert "RESQA_PORT" in capsys.readouterr().err


def test_the_flag_beats_the_variable_which_beats_the_default() -> None:
    assert chosen_port(9001, 9002, 7860) == 9001
    assert chosen_port(None, 9002, 7860) == 9002
    assert chosen_port(None, 0, 7860) == 7860
    with pytest.raises(ValueError, match="--port 0"):
        chosen_port(0, 9002, 7860)


def test_make_run_passes_port() -> None:
    dry = subprocess.run(["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "resqa ui --port 8123" in dry.stdout, dry.stdout
    plain = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "resqa ui" in plain.stdout and "--port" not in plain.stdout


@pytest.mark.slow
def test_resqa_ui_listens_on_resqa_port_and_prints_one_address_line(answerer, settings) -> None:  # type: ignore[no-untyped-def]
    """A real `resqa ui` on RESQA_PORT: its one line is the address, without Gradio's "share=True" hint."""
    port = free_port()
    env = {**os.environ, "RESQA_PORT": str(port), "RESQA_HOME": str(settings.home), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "ui"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        for line in proc.stdout:  # ends when the process does: a failed start cannot hang this loop
            lines.append(line)
            if "the chat is at" in line:
                break
        assert f"the chat is at http://127.0.0.1:{port}/" in "".join(lines), "".join(lines)
    finally:
        proc.terminate()
        rest, _ = proc.communicate(timeout=60)
    output = "".join(lines) + rest
    assert "share=True" not in output and "Traceback" not in output, output
