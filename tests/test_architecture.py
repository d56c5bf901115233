"""Data flows one way: index never imports rag/ui/evals, rag never imports ui/evals; `import rag` loads
neither gradio nor torch; every package names its public API; modules stay small."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"index": {"rag", "ui", "evals"}, "rag": {"ui", "evals"}}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layers_import_only_downwards(package):
    for path in (ROOT / package).rglob("*.py"):
        bad = _imports(path) & FORBIDDEN[package]
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_import_rag_loads_neither_gradio_nor_torch():
    code = "import sys, rag; print(sorted(m for m in ('gradio', 'torch', 'sentence_transformers') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("package", ["index", "rag", "ui", "evals"])
def test_public_api_is_explicit(package):
    init = (ROOT / package / "__init__.py").read_text(encoding="utf-8")
    assert "__all__" in init and "import *" not in init


def test_modules_are_small_and_say_their_job():
    for package in ("index", "rag", "ui", "evals"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert len(text.splitlines()) <= 300, f"{path.relative_to(ROOT)} is over 300 lines"
            assert ast.get_docstring(ast.parse(text)), f"{path.relative_to(ROOT)} has no module docstring"


def test_nothing_reads_shared_at_run_time():
    for package in ("index", "rag", "ui", "evals"):
        for path in (ROOT / package).rglob("*.py"):
            assert "../shared" not in path.read_text(encoding="utf-8"), path


def _calls(path: Path) -> list[ast.Call]:
    return [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)]


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def test_only_rag_decide_makes_a_verdict():
    """No module but rag/decide.py builds a Decision from a verdict it chose (a literal "answer"/"no"/"refuse")."""
    for path in (ROOT / "rag").rglob("*.py"):
        if path.name == "decide.py":
            continue
        for call in _calls(path):
            if _name(call) == "Decision":
                assert not (call.args and isinstance(call.args[0], ast.Constant)), f"{path}:{call.lineno}"


def test_only_the_reader_reads_the_raw_question():
    """Cleaning, wording, follow-up placing and the learned kind happen in rag/read/ alone; the answerer hands
    every later stage the typed Question."""
    readers = {"clean_question", "read_in_context", "contextualize", "Wording", "pattern_kind"}
    for path in (ROOT / "rag").rglob("*.py"):
        rel = path.relative_to(ROOT / "rag").as_posix()
        if rel.startswith("read/") or rel in ("guard.py", "conversation.py", "wording.py", "intent.py",
                                              "__init__.py"):
            continue  # the reader itself, and the modules whose functions it calls
        used = {_name(c) for c in _calls(path)} & readers
        assert not used, f"rag/{rel} reads the raw question with {used}"
