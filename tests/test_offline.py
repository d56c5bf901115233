"""Offline by construction: the CLI works with every proxy pointing at a dead port and no offline variables
set by the caller (resqa sets its own defaults), and settings come from RESQA_* variables and flags."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import FrozenInstanceError, fields
from pathlib import Path

import pytest

from index import Settings
from index.offline import apply_offline_defaults
from ui import ServeSettings


def test_ask_with_the_network_cut_off(settings):
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "ANONYMIZED_TELEMETRY", "GRADIO_ANALYTICS_ENABLED",
                        "NO_PROXY", "no_proxy")}
    dead = "http://127.0.0.1:9"  # discard port: any attempt to reach a hub or telemetry fails at once
    env.update(HTTP_PROXY=dead, HTTPS_PROXY=dead, http_proxy=dead, https_proxy=dead, ALL_PROXY=dead)
    home = Path(settings.home)
    out = subprocess.run([sys.executable, "-m", "ui.cli", "ask", "大会决定何时召开高级别会议？", "--json",
                          "--home", str(home)], capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["citations"][0]["id"] == "OP12"


def test_importing_the_packages_changes_no_environment_variable():
    """Only entry points (the CLI's main, `python -m evals.*`, conftest) apply the offline defaults."""
    code = ("import json, os; before = dict(os.environ); import index, rag, ui, evals; "
            "print(json.dumps({k: [before.get(k), os.environ.get(k)] for k in set(before) | set(os.environ) "
            "if before.get(k) != os.environ.get(k)}))")
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=clean,
                         cwd=root)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {}


def test_the_cli_applies_the_offline_defaults_in_main(monkeypatch):
    from ui import cli

    for key in ("HF_HUB_OFFLINE", "GRADIO_ANALYTICS_ENABLED", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(key, raising=False)
    assert cli.main(["chunks", "--json"]) == 0
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert "127.0.0.1" in os.environ["NO_PROXY"].split(",")


def test_offline_defaults_never_override_the_user():
    env = {"HF_HUB_OFFLINE": "0", "NO_PROXY": "corp.example"}
    apply_offline_defaults(env)
    assert env["HF_HUB_OFFLINE"] == "0" and env["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert env["NO_PROXY"].split(",")[0] == "corp.example" and "127.0.0.1" in env["NO_PROXY"]


def test_settings_from_env_and_flags(tmp_path):
    env = {"RESQA_HOME": str(tmp_path), "RESQA_K": "7", "RESQA_LLM_TIMEOUT": "2.5", "RESQA_MCP": "1",
           "RESQA_CORS_ORIGINS": "http://a.example, http://b.example", "RESQA_CHROMA_URL": "",
           "RESQA_API_KEY": "k3y", "RESQA_HTTP_KEEP_ALIVE": "20", "RESQA_FEEDBACK_PER_MINUTE": "3"}
    s = Settings.from_env(environ=env, k=None, embedder="st:minilm")
    assert s.home == tmp_path and s.k == 7 and s.llm_timeout == 2.5 and s.chroma_url is None
    assert s.embedder == "st:minilm"  # a flag wins over the environment
    serving = ServeSettings.from_env(environ=env, mcp=None)
    assert serving.mcp is True and serving.api_key == "k3y" and serving.http_keep_alive == 20
    assert serving.cors_origins == ("http://a.example", "http://b.example") and serving.feedback_per_minute == 3
    assert ServeSettings.from_env(environ=env, mcp=False).mcp is False


def test_each_layer_holds_its_own_settings():
    """index.Settings is what index and rag read; the servers' key, CORS, MCP, HTTP and feedback limits are
    ui.ServeSettings: the same RESQA_* names and defaults as before the split, each field in one place."""
    index_fields = {f.name for f in fields(Settings)}
    serve_fields = {f.name: f.default for f in fields(ServeSettings)}
    assert not index_fields & set(serve_fields)
    assert serve_fields == {"api_key": None, "cors_origins": (), "mcp": False, "port": 0, "http_idle_timeout": 3.0,
                            "http_header_timeout": 10.0, "http_body_timeout": 30.0, "http_keep_alive": 15,
                            "http_max_connections": 256, "http_max_connections_per_client": 64,
                            "http_max_requests_per_client": 64, "http_max_header_bytes": 16384,
                            "forwarded_allow_ips": (), "log_file": None, "log_max_bytes": 10 * 1024 * 1024,
                            "log_backups": 3, "feedback_max_bytes": 5 * 1024 * 1024,
                            "feedback_per_minute": 20, "answer_cache": 1024, "workers": 1}
    assert ServeSettings() == ServeSettings.from_env(environ={})
    with pytest.raises(FrozenInstanceError):
        ServeSettings().api_key = "x"  # type: ignore[misc]


def test_bad_setting_names_the_variable():
    with pytest.raises(ValueError, match="RESQA_K"):
        Settings.from_env(environ={"RESQA_K": "many"})
    with pytest.raises(ValueError, match="RESQA_HTTP_BODY_TIMEOUT"):
        ServeSettings.from_env(environ={"RESQA_HTTP_BODY_TIMEOUT": "soon"})
