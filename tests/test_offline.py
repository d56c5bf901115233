"""Offline by construction: the CLI works with every proxy pointing at a dead port and no offline variables
set by the caller (resqa sets its own defaults), and settings come from RESQA_* variables and flags."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from index import Settings
from index.offline import apply_offline_defaults


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


def test_offline_defaults_never_override_the_user():
    env = {"HF_HUB_OFFLINE": "0", "NO_PROXY": "corp.example"}
    apply_offline_defaults(env)
    assert env["HF_HUB_OFFLINE"] == "0" and env["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert env["NO_PROXY"].split(",")[0] == "corp.example" and "127.0.0.1" in env["NO_PROXY"]


def test_settings_from_env_and_flags(tmp_path):
    env = {"RESQA_HOME": str(tmp_path), "RESQA_K": "7", "RESQA_LLM_TIMEOUT": "2.5", "RESQA_MCP": "1",
           "RESQA_CORS_ORIGINS": "http://a.example, http://b.example", "RESQA_CHROMA_URL": ""}
    s = Settings.from_env(environ=env, k=None, embedder="st:minilm")
    assert s.home == tmp_path and s.k == 7 and s.llm_timeout == 2.5 and s.mcp is True
    assert s.cors_origins == ("http://a.example", "http://b.example") and s.chroma_url is None
    assert s.embedder == "st:minilm"  # a flag wins over the environment


def test_bad_setting_names_the_variable():
    import pytest

    with pytest.raises(ValueError, match="RESQA_K"):
        Settings.from_env(environ={"RESQA_K": "many"})
